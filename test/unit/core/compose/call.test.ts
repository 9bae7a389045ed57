import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OPERATION_NAMES, operations, type ApiHandlers } from '../../../../src/shared/api';
import { createCore, type Core } from '../../../../src/main/core/core';
import { validatedCall } from '../../../../src/main/core/compose/call';
import { composeHandlers } from '../../../../src/main/core/compose/handlers';
import { composeServices } from '../../../../src/main/core/compose/services';
import { findResourcesDir } from '../../../../src/main/core/paths';

const tmp = () => mkdtempSync(join(tmpdir(), 'rigger-contract-'));

let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

describe('the operation table and its handlers', () => {
  it('has exactly one handler per operation', async () => {
    const services = composeServices({ dataDir: tmp(), resourcesDir: findResourcesDir() });
    try {
      const handlers = composeHandlers(services, {
        version: '0',
        data_dir: '/x',
        mode: 'test',
        secrets: services.secrets.kind,
      });
      expect(Object.keys(handlers).sort()).toEqual([...OPERATION_NAMES].sort());
    } finally {
      services.db.close();
    }
  });

  // Every operation that needs no gateway, on a fresh data folder: the answers are checked
  // against their output schemas by the core itself (checkOutputs), and again here.
  const offline = [
    ['app.info', {}],
    ['profiles.list', {}],
    ['gateways.list', {}],
    ['settings.get', {}],
    ['settings.update', { channels: { current: 'stable' } }],
    ['images.list', {}],
    ['images.usage', {}],
    ['keys.list', {}],
    ['jobs.list', {}],
    ['history.updates', {}],
    ['snapshots.list', {}],
    ['serial.ports', {}],
  ] as const;
  it.each(offline)('%s answers in its output schema', async (op, input) => {
    core = createCore({ dataDir: tmp(), mode: 'test', checkOutputs: true });
    const out = await core.call(op, input);
    expect(operations[op].output.safeParse(out).success).toBe(true);
  });
});

describe('validatedCall', () => {
  // A stand-in handler table, deliberately broken: nothing real answers out of contract.
  const driftingHandlers = {
    'app.info': async () => ({ version: 1, mode: 'nowhere' }),
  } as unknown as ApiHandlers;

  it('refuses an answer that drifted from the contract, naming the fields', async () => {
    const call = validatedCall(driftingHandlers, { checkOutputs: true });
    const err = await call('app.info', {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INTERNAL', details: { operation: 'app.info' } });
    const issues = (err as { details: { issues: string[] } }).details.issues;
    expect(issues.some((i) => i.startsWith('version'))).toBe(true);
  });

  it('passes the answer through unchecked when checks are off (production)', async () => {
    const call = validatedCall(driftingHandlers, { checkOutputs: false });
    expect(await call('app.info', {})).toEqual({ version: 1, mode: 'nowhere' });
  });

  it('refuses bad input before any handler runs', async () => {
    const call = validatedCall(driftingHandlers, { checkOutputs: true });
    await expect(call('app.info', { surprise: true })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });
});
