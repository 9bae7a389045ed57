import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createEvents } from '../../../src/main/core/events';
import { CONSOLE_CAPABILITIES, type GatewaySession } from '../../../src/main/core/gateways/session';
import { connectSsh, type SshSession } from '../../../src/main/core/gateways/ssh-session';
import { createJobEngine, type JobContext } from '../../../src/main/core/jobs/engine';
import { createJobStore } from '../../../src/main/core/jobs/store';
import type { SlotLink, SlotWriteRequest } from '../../../src/main/core/slots/contract';
import { writeSlot } from '../../../src/main/core/slots/slot-writer';
import { fileSource } from '../../../src/main/core/slots/sources';
import { openDatabase } from '../../../src/main/core/store/database';
import { RiggerError } from '../../../src/shared/errors';
import { profileSchema } from '../../../src/shared/profile';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';

// The one verified slot writer on its own, against the test gateway's real sshd: what every
// caller (update, snapshot restore, later recovery and delta) gets from it.

const sims: GatewaySim[] = [];
const sessions: SshSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function setup() {
  const sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
  sims.push(sim);
  const profile = profileSchema.parse(sim.profile);
  const connect = async () => {
    const s = await connectSsh(
      { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
      { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
      { connectTimeoutMs: 10_000, commandTimeoutMs: 30_000 },
    );
    sessions.push(s);
    return s;
  };
  let live: SshSession | null = null;
  const link: SlotLink = {
    async open() {
      if (!live || live.closed) live = await connect();
      return { profile, session: live };
    },
    drop: () => (live = null),
  };
  const store = createJobStore(openDatabase(mkdtempSync(join(tmpdir(), 'rigger-slots-'))));
  const engine = createJobEngine(store, createEvents());
  const dir = mkdtempSync(join(tmpdir(), 'rigger-slot-src-'));
  const slotFile = join(sim.root, 'dev', 'mmcblk0p3');
  const records = () =>
    JSON.parse(readFileSync(join(sim.root, 'data', 'rigger', 'slots.json'), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
  /** Run `fn` as a job and return how it ended and its journaled steps. */
  const asJob = async (fn: (ctx: JobContext) => Promise<unknown>) => {
    const row = engine.create({
      gateway: 'gw',
      type: 'update',
      subtype: 'download',
      started_by: 'test',
      params: {},
    });
    let error: unknown = null;
    let result: unknown = null;
    await engine.run(row.id, async (ctx) => {
      try {
        result = await fn(ctx);
      } catch (err) {
        error = err;
        throw err;
      }
      return { message: 'done', result: {} };
    });
    return { result, error, steps: store.steps(row.id).map((s) => `${s.name}:${s.status}`) };
  };
  return { sim, link, dir, slotFile, records, asJob };
}

/** An image of `size` bytes that is not a round number of blocks, stored gzip like a snapshot's. */
function gzipImage(dir: string, size: number) {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + (i >> 9)) & 0xff;
  const file = join(dir, 'slot.img.gz');
  writeFileSync(file, gzipSync(bytes));
  return {
    bytes,
    file,
    source: fileSource(file, { id: 'snapshot:t1', version: 'v9.9.9', size, sha256: sha(bytes) }),
  };
}

const request = (
  ctx: JobContext,
  link: SlotLink,
  source: SlotWriteRequest['source'],
): SlotWriteRequest => ({
  ctx,
  link,
  source,
  target: 'B',
  booted: 'A',
  record: { version: 'v9.9.9', image_id: source.id },
  timings: { checkpointBytes: 256 * 1024, writeRetries: 2 },
  journal: {
    steps: { disable: 'off', write: 'send', verify: 'prove', record: 'record' },
    disabledKey: 'off_done',
    writing: { status: 'installing', operation: 'writing' },
  },
  sentMismatch: (a) => new RiggerError('OTA_007', `sent ${a}`),
  readBackMismatch: (a) => new RiggerError('OTA_007', `read back ${a}`),
});

describe('the verified slot writer', () => {
  it('makes the target unbootable, writes, proves by the gateway read-back, then records', async () => {
    const { sim, link, dir, slotFile, records, asJob } = await setup();
    const { bytes, source } = gzipImage(dir, 1024 * 1024 + 4321);
    let recordWhenProven: unknown = 'not called';
    const run = await asJob((ctx) =>
      writeSlot({
        ...request(ctx, link, source),
        // The old record is gone by then, and the new one is written only after the proof.
        onVerified: () => (recordWhenProven = records().B),
      }),
    );
    expect(run.error).toBeNull();
    expect(run.steps).toEqual(['off:done', 'send:done', 'prove:done', 'record:done']);
    expect(run.result).toMatchObject({
      target: 'B',
      sha256: sha(bytes),
      size: bytes.length,
      bytesOnWire: bytes.length,
      resumedFrom: [],
      plan: { wire: 'raw', reason: 'full write' },
    });
    expect(sha(readFileSync(slotFile).subarray(0, bytes.length))).toBe(sha(bytes));
    expect(records().B).toMatchObject({
      version: 'v9.9.9',
      sha256: sha(bytes),
      size: bytes.length,
      image_id: 'snapshot:t1',
    });
    expect(recordWhenProven).toBeUndefined();
    // Written, never selected: slot A still boots, no trial pending.
    expect(await sim.env()).toMatchObject({ boot_slot: 'A', upgrade_available: '0' });
  });

  it('refuses a plan its transfer cannot carry (a delta) before anything changes', async () => {
    const { sim, link, dir, slotFile, asJob } = await setup();
    const { source } = gzipImage(dir, 256 * 1024);
    const env = await sim.env();
    const slot = sha(readFileSync(slotFile));
    const run = await asJob((ctx) =>
      writeSlot({
        ...request(ctx, link, source),
        plan: {
          wire: 'raw',
          reason: 'delta',
          ranges: [
            { kind: 'copy', start: 0, length: 128 * 1024, from: { slot: 'A', offset: 0 } },
            { kind: 'send', start: 128 * 1024, length: 128 * 1024 },
          ],
        },
      }),
    );
    expect(run.error).toMatchObject({ code: 'INTERNAL' });
    expect(run.steps).toEqual([]);
    expect(await sim.env()).toEqual(env);
    expect(sha(readFileSync(slotFile))).toBe(slot);
  });

  it('refuses a session that does not declare a streamed input, before anything changes', async () => {
    const { sim, link, dir, slotFile, asJob } = await setup();
    const { source } = gzipImage(dir, 256 * 1024);
    // The real SSH session's exec, declared as a console shell declares itself.
    const consoleLike: SlotLink = {
      async open() {
        const { profile, session } = await link.open();
        const s: GatewaySession = {
          kind: 'console',
          target: session.target,
          closed: false,
          capabilities: CONSOLE_CAPABILITIES,
          exec: (c, o) => session.exec(c, o),
          close: async () => undefined,
        };
        return { profile, session: s };
      },
      drop: () => link.drop(),
    };
    const env = await sim.env();
    const slot = sha(readFileSync(slotFile));
    const run = await asJob((ctx) => writeSlot(request(ctx, consoleLike, source)));
    expect(run.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { missing: ['streamIn'] },
    });
    expect(run.steps).toEqual([]);
    expect(await sim.env()).toEqual(env);
    expect(sha(readFileSync(slotFile))).toBe(slot);
  });
});
