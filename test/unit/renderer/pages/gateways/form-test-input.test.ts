import { describe, expect, it } from 'vitest';
import { connectionTestInputSchema } from '../../../../../src/shared/gateway-test';
import {
  emptyForm,
  formFrom,
  toTestInput,
} from '../../../../../src/renderer/src/pages/gateways/form-model';
import { sampleGateway } from '../../fake-api-client';

describe('the connection test input the gateway form describes', () => {
  it('adding: the typed connection and profile, no name (a new name is only a label)', () => {
    const f = { ...emptyForm('univa-gw-pro'), name: 'crane-7', host: '10.0.0.5', keyFile: '/k/id' };
    const input = toTestInput(f, null);
    expect(input).toEqual({
      profile: 'univa-gw-pro',
      connection: {
        type: 'ssh',
        host: '10.0.0.5',
        port: 22,
        user: 'root',
        auth: { method: 'key', key_file: '/k/id' },
      },
    });
    expect(connectionTestInputSchema.safeParse(input).success).toBe(true);
  });

  it("editing with an empty password: the gateway's name, so its stored password is used", () => {
    const g = sampleGateway({
      connection: {
        type: 'ssh' as const,
        host: '10.0.0.5',
        port: 22,
        user: 'root',
        auth: { method: 'password' as const },
      },
    });
    const input = toTestInput(formFrom(g), g);
    expect(input).toMatchObject({ name: g.name, connection: { auth: { method: 'password' } } });
    expect(input.connection?.auth).not.toHaveProperty('password');
    expect(connectionTestInputSchema.safeParse(input).success).toBe(true);
  });

  it('a console gateway has nothing to test over SSH', () => {
    const f = { ...emptyForm('univa-gw-pro'), via: 'serial' as const, serialPort: '/dev/ttyUSB0' };
    expect(toTestInput(f, null)).not.toHaveProperty('connection');
  });
});
