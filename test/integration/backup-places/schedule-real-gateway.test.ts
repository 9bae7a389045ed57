import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectSsh } from '../../../src/main/core/gateways/ssh-session';
import { Scheduler } from '../../../src/main/core/backup-places/schedules/scheduler';
import { LocalLocation } from '../../../src/main/core/backup-places/storage/local';
import type { BackupNotification } from '../../../src/shared/backup-places';
import { RiggerError } from '../../../src/shared/errors';
import { SAFE_SIGNALS, startGatewaySim, type GatewaySim } from '../../gateway-sim';

let sim: GatewaySim;
let dir: string;

beforeAll(async () => {
  sim = await startGatewaySim();
  dir = mkdtempSync(join(tmpdir(), 'rigger-sched-real-'));
});
afterAll(async () => {
  await sim?.stop();
});

const connect = () =>
  connectSsh(
    { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
    { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
    { connectTimeoutMs: 5000, commandTimeoutMs: 20_000 },
  );

it('a real schedule a few seconds ahead waits while the crane moves, then backs up the test gateway', async () => {
  const store = new LocalLocation({ id: 'local', root: join(dir, 'local') });
  const notes: BackupNotification[] = [];
  const stored: { path: string; sha256: string }[] = [];
  let wake: () => void = () => undefined;
  const scheduler = new Scheduler(
    {
      gatewaysOf: async () => ['sim'],
      reachable: async () =>
        connect().then(
          (s) => (void s.close(), true),
          () => false,
        ),
      safetyBlock: async () => {
        const s = await connect();
        try {
          const out = await s.exec(String(sim.profile.safety_command));
          const status = JSON.parse(out.stdout.toString()).crane_motion?.status;
          return status === 'idle' ? null : new RiggerError('OTA_002', `crane_motion is ${status}`);
        } finally {
          await s.close();
        }
      },
      runBackup: async () => {
        // The gateway's configuration, as it sends it: a tar stream over SSH, kept as a file.
        const s = await connect();
        try {
          const out = await s.exec(`tar cf - -C ${sim.root} etc`);
          const file = join(dir, 'config.tar');
          writeFileSync(file, out.stdout);
          await store.put(file, 'sim/scheduled/config.tar');
          stored.push({
            path: 'sim/scheduled/config.tar',
            sha256: createHash('sha256').update(out.stdout).digest('hex'),
          });
          return { backup_id: 'scheduled', name: 'config', size: out.stdout.length, duration_s: 1 };
        } finally {
          await s.close();
        }
      },
      notify: (n) => {
        notes.push(n);
        wake();
      },
      save: () => undefined,
    },
    undefined,
    1000,
  );
  const until = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      wake = () => pred() && resolve();
      wake();
    });
  await sim.setSafety({ ...SAFE_SIGNALS, crane_motion: { status: 'moving' } });
  scheduler.update({
    schedule_id: 'soon',
    gateway: 'sim',
    type: 'full',
    frequency: 'cron',
    cron: '*/3 * * * * *',
  });
  scheduler.start();
  try {
    await until(() => notes.some((n) => n.type === 'schedule_event' && n.event === 'postponed'));
    expect(stored).toEqual([]);
    await sim.setSafety(SAFE_SIGNALS);
    await until(() => notes.some((n) => n.type === 'backup_completed'));
  } finally {
    scheduler.stop();
    await scheduler.idle();
  }
  const events = notes.flatMap((n) => (n.type === 'schedule_event' ? [n.event] : []));
  expect(events.slice(0, 4)).toEqual([
    'postponed',
    'caught_up',
    'execution_started',
    'execution_completed',
  ]);
  expect(await store.hash(stored[0]!.path)).toBe(stored[0]!.sha256);
  expect(scheduler.list().schedules[0]!.last_execution).not.toBeNull();
}, 60_000);
