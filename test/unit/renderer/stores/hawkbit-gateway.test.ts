import { describe, expect, it } from 'vitest';
import { RiggerError } from '../../../../src/shared/errors';
import { useHawkbitGateway } from '../../../../src/renderer/src/stores/hawkbit-gateway';
import { useUpdates } from '../../../../src/renderer/src/stores/updates';
import { sampleStatus } from '../fake-api-client';
import { sampleOffer, sampleSafety } from '../ota-samples';
import { setUpUpdatesStore, t } from './updates-setup';

const config = {
  url: 'http://hb',
  tenant: 'DEFAULT',
  ca_pinned: false,
  controllers: {},
  management_user: null,
  gateway_token: 'environment' as const,
  management_password: 'missing' as const,
};

describe('the hawkBit assignments of a gateway', () => {
  setUpUpdatesStore();

  it('shows nothing where no hawkBit server is set up and nothing was fetched', async () => {
    t.fake.answer('hawkbit.status', () => ({
      config: { ...config, url: null },
      assignments: [],
      pending: [],
    }));
    expect(await useHawkbitGateway.getState().load('crane-7')).toBeNull();
    expect(t.fake.calls.at(-1)).toEqual({ op: 'hawkbit.status', input: { gateway: 'crane-7' } });
  });

  it("opens the ordinary update's preflight for the action's image", async () => {
    const offer = sampleOffer({ id: 'img-42', version: 'v5.1.0' });
    t.fake
      .answer('hawkbit.offer', () => ({ assignment: {} as never, offer }))
      .answer('gateways.status', () => sampleStatus())
      .answer('safety.status', () => sampleSafety())
      .answer('settings.get', () => ({ maintenance_window: { enabled: false } }) as never);
    expect(await useHawkbitGateway.getState().install('crane-7', '42')).toBe(true);
    expect(t.fake.ops()).toEqual([
      'hawkbit.offer',
      'updates.check',
      'gateways.status',
      'safety.status',
      'settings.get',
      // The ordinary preflight also shows how the write will travel.
      'updates.plan',
    ]);
    expect(useUpdates.getState()).toMatchObject({
      gateway: 'crane-7',
      preflight: { offer: { id: 'img-42', version: 'v5.1.0' } },
    });
  });

  it('says why an action cannot be installed and opens nothing', async () => {
    t.fake.answer('hawkbit.offer', () => {
      throw new RiggerError('VALIDATION_ERROR', 'hawkBit action 43 cannot be installed: canceled');
    });
    expect(await useHawkbitGateway.getState().install('crane-7', '43')).toBe(false);
    expect(useHawkbitGateway.getState().error?.message).toMatch(/canceled/);
    expect(useUpdates.getState().preflight).toBeNull();
  });
});
