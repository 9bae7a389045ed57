import { describe, expect, it } from 'vitest';
import { useUpdates } from '../../../../src/renderer/src/stores/updates';
import type { UpdatePlan } from '../../../../src/shared/update-plan';
import { preflight, settle, setUpUpdatesStore, t } from './updates-setup';

setUpUpdatesStore();

const basis = (slot: 'A' | 'B', proven: boolean) => ({
  slot,
  image_id: proven ? 'univa-gw-pro-v5.0.4' : null,
  version: proven ? 'v5.0.4' : null,
  sha256: null,
  proven,
  detail: proven ? `slot ${slot} holds v5.0.4, proven by the gateway's hash` : 'unknown',
});

const plan: UpdatePlan = {
  gateway: 'crane-7',
  image_id: 'univa-gw-pro-v5.0.5',
  version: 'v5.0.5',
  target_partition: 'B',
  booted_partition: 'A',
  path: 'delta',
  summary: '12.4 MB to send of 452.0 MB: 3% new, 9% copied on the gateway, 88% already in place',
  reason: 'delta',
  fallback: null,
  bytes_total: 452_000_000,
  bytes_on_wire: 12_400_000,
  wire: 'raw',
  delta: { send_bytes: 12_400_000, copy_bytes: 40_000_000, keep_bytes: 399_600_000, runs: 40 },
  basis: { target: basis('B', true), booted: basis('A', false) },
  rates: { link_rate: null, gunzip_rate: null },
};

describe("the preflight's write plan", () => {
  it('asks updates.plan for the offer once the dialog is open, and shows its answer', async () => {
    t.fake.answer('updates.plan', () => plan);
    await preflight();
    await settle();
    const call = t.fake.calls.find((c) => c.op === 'updates.plan');
    expect(call?.input).toMatchObject({ gateway: 'crane-7', update_id: 'univa-gw-pro-v5.0.5' });
    expect(useUpdates.getState().preflight?.plan).toEqual({ value: plan, error: null });
  });

  it('a plan that cannot be made says why and leaves the dialog usable', async () => {
    await preflight();
    await settle();
    const pre = useUpdates.getState().preflight!;
    expect(pre.plan?.value).toBeNull();
    expect(pre.plan?.error?.code).toBeTruthy();
    expect(pre.offer.version).toBe('v5.0.5');
  });
});
