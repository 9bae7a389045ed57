import { describe, expect, it } from 'vitest';
import type { RiggerErrorData } from '../../../../../src/shared/errors';
import {
  emptyForm,
  fieldOf,
  formFrom,
  serverErrors,
  toAddInput,
  toEditInput,
  validate,
  type GatewayForm,
} from '../../../../../src/renderer/src/pages/gateways/form-model';
import { sampleGateway } from '../../fake-api-client';

const filled = (over: Partial<GatewayForm> = {}): GatewayForm => ({
  ...emptyForm('univa-gw-pro'),
  name: 'crane-7',
  host: '10.0.0.5',
  keyFile: '/k/id',
  ...over,
});

const error = (over: Partial<RiggerErrorData>): RiggerErrorData => ({
  error: true,
  code: 'VALIDATION_ERROR',
  message: 'bad',
  details: {},
  suggested_actions: [],
  ...over,
});

describe('gateway form → API input', () => {
  it('starts with port 22 and a key login', () => {
    expect(emptyForm('p')).toMatchObject({ port: '22', auth: 'key', profile: 'p' });
  });

  it('turns the form into the gateways.add input, trimmed', () => {
    expect(toAddInput(filled({ name: ' crane-7 ', host: ' 10.0.0.5 ' }))).toEqual({
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
  });

  it('sends each login method with its own field only', () => {
    expect(toAddInput(filled({ auth: 'password', password: 's3cret' })).connection).toMatchObject({
      auth: { method: 'password', password: 's3cret' },
    });
    expect(toAddInput(filled({ auth: 'password', password: '' })).connection).toMatchObject({
      auth: { method: 'password' },
    });
    expect(
      toAddInput(filled({ auth: 'password-env', passwordEnv: 'PW' })).connection,
    ).toMatchObject({ auth: { method: 'password-env', password_env: 'PW' } });
  });

  it('fills the form from a gateway without any password', () => {
    const g = sampleGateway({
      connection: { type: 'ssh', host: 'h', port: 2222, user: 'u', auth: { method: 'password' } },
    });
    expect(formFrom(g)).toMatchObject({ host: 'h', port: '2222', auth: 'password', password: '' });
  });

  it('edits only what changed', () => {
    const g = sampleGateway();
    expect(toEditInput(g, formFrom(g))).toEqual({ name: 'crane-7', changes: {} });
    expect(toEditInput(g, { ...formFrom(g), name: 'crane-8' })).toEqual({
      name: 'crane-7',
      changes: { name: 'crane-8' },
    });
    expect(toEditInput(g, { ...formFrom(g), port: '2200' }).changes.connection).toMatchObject({
      port: 2200,
    });
  });

  it('never sends a connection for a serial gateway', () => {
    const g = sampleGateway({
      connection: {
        type: 'serial',
        port: '/dev/ttyUSB0',
        baud: 115200,
        user: 'root',
        auth: { method: 'none' },
      },
    });
    expect(toEditInput(g, { ...formFrom(g), profile: 'other' })).toEqual({
      name: 'crane-7',
      changes: { profile: 'other' },
    });
    expect(validate({ ...formFrom(g), profile: 'other' }, g)).toEqual({});
  });
});

describe('field validation with the shared schema', () => {
  it('accepts a complete form', () => {
    expect(validate(filled())).toEqual({});
  });

  it('names each wrong field', () => {
    const errors = validate(
      filled({ name: '', host: 'bad host', port: 'x', keyFile: '', user: '' }),
    );
    expect(Object.keys(errors).sort()).toEqual(['host', 'keyFile', 'name', 'port', 'user']);
    expect(errors.host).toBe('must be a host name or IP address');
    expect(errors.name).toMatch(/use 1-64 letters/);
    expect(errors.port).toMatch(/1 to 65535/);
  });

  it('checks the port range and the profile', () => {
    expect(validate(filled({ port: '70000' })).port).toMatch(/1 to 65535/);
    expect(validate(filled({ port: '0' })).port).toBeTruthy();
    expect(validate(filled({ profile: '' })).profile).toBe('choose a profile');
  });

  it('asks for a password when adding, not when one is stored', () => {
    expect(validate(filled({ auth: 'password' })).password).toBe('must not be empty');
    const g = sampleGateway({
      connection: { type: 'ssh', host: 'h', port: 22, user: 'u', auth: { method: 'password' } },
    });
    expect(validate(formFrom(g), g)).toEqual({});
    expect(validate(filled({ auth: 'password-env', passwordEnv: '1X' })).passwordEnv).toMatch(
      /environment variable/,
    );
  });

  it('maps edit paths onto the same fields', () => {
    expect(fieldOf('changes.connection.host')).toBe('host');
    expect(fieldOf('connection.auth.key_file')).toBe('keyFile');
    expect(fieldOf('(root)')).toBeUndefined();
    const g = sampleGateway();
    expect(validate({ ...formFrom(g), host: '' }, g).host).toBe('must not be empty');
  });
});

describe("the server's errors on the form", () => {
  it('puts the issues on their fields, with no general line when all fit', () => {
    const e = error({ details: { issues: [{ field: 'connection.host', problem: 'no' }] } });
    expect(serverErrors(e)).toEqual({ fields: { host: 'no' }, general: null });
  });

  it('keeps the message as a general line when an issue fits no field', () => {
    const e = error({
      message: 'whole thing',
      details: {
        issues: [
          { field: 'connection.auth.password', problem: 'required' },
          { field: '(root)', problem: 'odd' },
        ],
      },
    });
    expect(serverErrors(e)).toEqual({ fields: { password: 'required' }, general: 'whole thing' });
  });

  it('puts a taken name on the name and an unknown profile on the profile', () => {
    expect(serverErrors(error({ code: 'ALREADY_EXISTS', message: 'taken' })).fields.name).toBe(
      'taken',
    );
    expect(
      serverErrors(error({ code: 'NOT_FOUND', message: 'no profile', details: { profile: 'x' } }))
        .fields.profile,
    ).toBe('no profile');
  });

  it('shows anything else as a general line', () => {
    expect(serverErrors(error({ code: 'SECRET_UNAVAILABLE', message: 'no keychain' }))).toEqual({
      fields: {},
      general: 'no keychain',
    });
  });
});

describe('a gateway on its serial console', () => {
  it('describes a serial connection with the console login', () => {
    const f = {
      ...emptyForm('univa-gw-pro'),
      name: 'crane-9',
      via: 'serial' as const,
      serialPort: ' /dev/ttyUSB0 ',
      baud: '57600',
      auth: 'password-env' as const,
      passwordEnv: 'GW_PW',
    };
    expect(validate(f)).toEqual({});
    expect(toAddInput(f).connection).toEqual({
      type: 'serial',
      port: '/dev/ttyUSB0',
      baud: 57600,
      user: 'root',
      auth: { method: 'password-env', password_env: 'GW_PW' },
    });
  });

  it('names the empty port and a bad baud rate', () => {
    const f = { ...emptyForm('univa-gw-pro'), name: 'crane-9', via: 'serial' as const, baud: 'x' };
    const errors = validate({ ...f, auth: 'none' });
    expect(errors.serialPort).toMatch(/port/);
    expect(errors.baud).toMatch(/baud/);
  });
});
