import { Icon } from '../../components/Icon';
import type { GatewayStatus } from '../../../../shared/status';
import { StatusWord } from '../../components/StatusWord';
import { bootedSlot, commitText, identityTitle, slotPartition } from './gateway-view';
import { SlotCard } from './SlotCard';

/** The card that leads: how the gateway answered, what booted, what is in each slot. */
export function HealthCard({ status, stale }: { status: GatewayStatus; stale: boolean }) {
  const booted = bootedSlot(status);
  const boot = status.boot;
  return (
    <section className="health-card" aria-labelledby="health-title" data-testid="health-card">
      <h2 id="health-title" className="health-title">
        <StatusWord status={status.status} testId="gateway-status" />
        <span className="identity-title">{identityTitle(status)}</span>
      </h2>
      {stale && (
        <p className="stale" role="note">
          <Icon name="warn" /> Last known state: the latest refresh failed.
        </p>
      )}
      <p className="health-summary">
        Booted slot <strong>{booted ?? 'unknown'}</strong> · boot scheme {boot?.scheme ?? 'unknown'}{' '}
        · {commitText(boot)}
        {status.status === 'bootloader' ? (
          <strong className="status status-warn">
            {' '}
            · <Icon name="warn" /> waiting in U-Boot: nothing booted
          </strong>
        ) : (
          boot &&
          !boot.consistent && (
            <strong className="status status-bad">
              {' '}
              · <Icon name="cross" /> boot environment inconsistent
            </strong>
          )
        )}
      </p>
      <div className="slots">
        {(['A', 'B'] as const).map((slot) => (
          <SlotCard
            key={slot}
            slot={slot}
            partition={slotPartition(status, slot)}
            boot={boot}
            booted={booted === slot}
          />
        ))}
      </div>
    </section>
  );
}
