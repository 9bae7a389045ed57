import { Icon } from '../../components/Icon';
import type { Preflight } from '../../stores/updates';

const PATH_NAMES = {
  full_raw: 'Full write',
  full_gzip: 'Full write, compressed on the wire',
  delta: 'Delta',
} as const;

/** The write's path before it starts: "Delta: 12.4 MB to send of 452 MB …", why, and the basis. */
export function WritePlanFact({ plan }: { plan: Preflight['plan'] }) {
  return (
    <div data-testid="write-plan">
      <dt>How it travels</dt>
      <dd>
        {!plan && 'working it out (the gateway hashes its slots)…'}
        {plan?.error && (
          <>
            <Icon name="warn" /> not planned yet: {plan.error.message}
          </>
        )}
        {plan?.value && (
          <>
            <strong>
              {PATH_NAMES[plan.value.path]}: {plan.value.summary}
            </strong>
            <br />
            {plan.value.path === 'delta'
              ? [plan.value.basis.target, plan.value.basis.booted]
                  .filter((b) => b.proven)
                  .map((b) => b.detail)
                  .join('; ')
              : `No delta: ${plan.value.fallback ?? 'not worth it'}`}
          </>
        )}
      </dd>
    </div>
  );
}
