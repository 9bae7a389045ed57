import { describe, expect, it } from 'vitest';
import {
  emptyForm,
  formFrom,
  serverErrors,
  toInput,
  validate,
} from '../../../src/renderer/src/pages/gateways/form-model';
import { parseRoute, href } from '../../../src/renderer/src/routing';
import { age, shown } from '../../../src/renderer/src/format';

const filled = () => ({
  ...emptyForm('univa-gw-pro'),
  name: 'crane-7',
  host: '10.0.0.5',
  keyFile: '/k/id',
});

describe('gateway form', () => {
  it('turns the form into the API input', () => {
    expect(toInput(filled())).toEqual({
      name: 'crane-7',
      profile: 'univa-gw-pro',
      connection: {
        type: 'ssh',
        host: '10.0.0.5',
        port: 22,
        user: 'root',
        auth: { method: 'key', key_file: '/k/id' },
      },
    });
    expect(toInput({ ...filled(), auth: 'password', password: '' }).connection).toMatchObject({
      auth: { method: 'password' },
    });
  });

  it('names each wrong field with the shared schema', () => {
    expect(validate(filled())).toEqual({});
    const errors = validate({ ...filled(), name: '', host: 'bad host', port: 'x', keyFile: '' });
    expect(Object.keys(errors).sort()).toEqual(['host', 'keyFile', 'name', 'port']);
    expect(validate({ ...filled(), port: '70000' }).port).toBeTruthy();
  });

  it("puts the server's issues on the fields, and the rest in a general line", () => {
    const e = {
      error: true as const,
      code: 'VALIDATION_ERROR' as const,
      message: 'bad',
      details: { issues: [{ field: 'connection.host', problem: 'no' }] },
      suggested_actions: [],
    };
    expect(serverErrors(e)).toEqual({ fields: { host: 'no' }, general: null });
    expect(
      serverErrors({ ...e, code: 'ALREADY_EXISTS', message: 'taken', details: {} }).fields.name,
    ).toBe('taken');
    expect(
      serverErrors({ ...e, code: 'SECRET_UNAVAILABLE', message: 'no keychain', details: {} })
        .general,
    ).toBe('no keychain');
  });

  it('fills the form from a gateway without any password', () => {
    const f = formFrom({
      id: 1,
      name: 'g',
      profile: 'p',
      host_key: null,
      created_at: '',
      updated_at: '',
      last_seen: null,
      connection: { type: 'ssh', host: 'h', port: 2222, user: 'u', auth: { method: 'password' } },
    });
    expect(f).toMatchObject({ host: 'h', port: '2222', auth: 'password', password: '' });
  });
});

describe('renderer helpers', () => {
  it('routes by hash, defaulting to the gateways', () => {
    expect(parseRoute('')).toEqual(['gateways']);
    expect(parseRoute('#/gateways/crane%207')).toEqual(['gateways', 'crane 7']);
    expect(href('gateways', 'crane 7')).toBe('#/gateways/crane%207');
  });

  it('shows unknown for what is not known, never 0', () => {
    expect(shown(null, ' %')).toBe('unknown');
    expect(shown(0, ' %')).toBe('0 %');
    expect(age(null)).toBe('never');
    expect(age(new Date(Date.now() - 120_000).toISOString())).toBe('2 min ago');
  });
});
