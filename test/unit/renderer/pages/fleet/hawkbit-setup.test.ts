import { describe, expect, it } from 'vitest';
import { configInputOf, draftOf } from '../../../../../src/renderer/src/pages/fleet/hawkbit-setup';
import { hawkbitConfigInputSchema } from '../../../../../src/shared/hawkbit-api';

describe('the hawkBit setup form', () => {
  it('fills from the setup without its secrets and sends only what was typed', () => {
    const d = draftOf({
      url: 'https://hb.example',
      tenant: 'PORT',
      ca_pinned: true,
      controllers: { 'crane-8': 'ctl-8' },
      management_user: 'rigger',
      gateway_token: 'keychain',
      management_password: 'environment',
    });
    expect(d).toMatchObject({
      url: 'https://hb.example',
      tenant: 'PORT',
      controllers: 'crane-8=ctl-8',
      gatewayToken: '',
      caPem: '',
      managementUser: 'rigger',
    });
    const r = configInputOf({
      ...d,
      gatewayTokenEnv: ' HB_TOKEN ',
      controllers: 'crane-8=ctl-8\n\n crane-9 = ctl-9 ',
    });
    expect(r).toEqual({
      input: {
        url: 'https://hb.example',
        tenant: 'PORT',
        controllers: { 'crane-8': 'ctl-8', 'crane-9': 'ctl-9' },
        gateway_token_env: 'HB_TOKEN',
        management_user: 'rigger',
      },
    });
    // What the form sends is what the operation takes.
    expect(hawkbitConfigInputSchema.safeParse('input' in r ? r.input : null).success).toBe(true);
  });

  it('names a controller line that is not gateway=id, and clears an emptied management user', () => {
    const d = { ...draftOf(null), url: 'http://127.0.0.1:8080', controllers: 'crane-7' };
    expect(configInputOf(d)).toEqual({ error: '"crane-7" is not gateway=controllerId' });
    expect(configInputOf({ ...d, controllers: '' })).toMatchObject({
      input: { management_user: null, tenant: 'DEFAULT' },
    });
  });
});
