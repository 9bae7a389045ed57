import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshSession } from '../../../src/main/core/gateways/ssh-session';
import { runStreaming } from '../../../src/main/core/plugins/gateway-io';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { simSession } from './setup';

describe('streamed commands on the test gateway', () => {
  let sim: GatewaySim;
  let session: SshSession;
  beforeAll(async () => {
    sim = await startGatewaySim();
    session = (await simSession(sim)).session;
  });
  afterAll(async () => {
    await session?.close();
    await sim?.stop();
  });

  it('streams input in and output out as it comes', async () => {
    const seen: string[] = [];
    const input = Readable.from([Buffer.from('one\n'), Buffer.from('two\n')]);
    const r = await runStreaming(session, 'cat; echo oops >&2', {
      input,
      onOutput: (c, s) => seen.push(`${s}:${c.toString()}`),
    });
    expect(r.code).toBe(0);
    const of = (s: string) =>
      seen
        .filter((x) => x.startsWith(`${s}:`))
        .map((x) => x.slice(s.length + 1))
        .join('');
    expect([of('stdout'), of('stderr')]).toEqual(['one\ntwo\n', 'oops\n']);
  });

  it('ends a command that outlives its bound, with or without input', async () => {
    await expect(runStreaming(session, 'sleep 30', { timeoutMs: 500 })).rejects.toMatchObject({
      code: 'COMMAND_TIMEOUT',
    });
    const input = Readable.from([Buffer.from('x')]);
    await expect(
      runStreaming(session, 'sleep 30', { input, timeoutMs: 500 }),
    ).rejects.toMatchObject({ code: 'COMMAND_TIMEOUT' });
    // The session is still good for the next command.
    expect((await session.exec('echo ok')).stdout.toString()).toBe('ok\n');
  });
});
