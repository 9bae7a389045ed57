import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { opensslEd25519 } from '../../helpers/bundles';
import { startProxy } from './proxy';
import { simBundle } from './setup';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'src', 'main', 'cli.ts');

/** The CLI as ONE node process (no tsx wrapper), so SIGKILL really kills the writer. */
function cli(data: string, ...args: string[]) {
  const p = spawn(process.execPath, ['--import', 'tsx', CLI, '--data-dir', data, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; out: string; err: string }>((r) =>
    p.on('close', (code) => r({ code, out, err })),
  );
  return { p, done };
}
const run = (data: string, ...args: string[]) => cli(data, ...args).done;

let sim: GatewaySim;
beforeAll(async () => {
  sim = await startGatewaySim({ scheme: 'rauc', booted: 'A' });
});
afterAll(async () => sim?.stop());

it('a CLI killed with SIGKILL mid-write leaves an interrupted job that `jobs resume` finishes', async () => {
  const work = mkdtempSync(join(tmpdir(), 'rigger-kill-'));
  const data = join(work, 'data');
  const proxy = await startProxy({ host: sim.host, port: sim.port }, { bytesPerSecond: 2e6 });
  const vendor = opensslEd25519(work);
  expect((await run(data, 'keys', 'add', vendor.pub)).code).toBe(0);
  const add = await run(
    data,
    'gateway',
    'add',
    'gw',
    '--ssh',
    `${sim.user}@${sim.host}:${proxy.port}`,
    '--key',
    sim.keyFile,
    '--profile',
    sim.profilePath,
  );
  expect(add.code, add.err).toBe(0);
  expect((await run(data, 'status', 'gw', '--accept-new-host-key')).code).toBe(0);
  const bundle = simBundle(work, vendor, 'v6.0.0', { size: 8 * 1024 * 1024, gzip: true });
  expect((await run(data, 'images', 'import', bundle.path)).code).toBe(0);

  const flash = cli(data, 'flash', 'gw', '--image', bundle.id, '--reboot-delay', '0');
  // Wait until the write is well under way, then kill the process outright.
  for (;;) {
    const j = await run(data, 'jobs', '--json');
    const job = JSON.parse(j.out || '{"jobs":[]}').jobs[0] as
      { status: string; progress: number } | undefined;
    if (job?.status === 'downloading' && job.progress > 15) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  flash.p.kill('SIGKILL');
  await flash.done;

  const listed = JSON.parse((await run(data, 'jobs', '--json')).out) as {
    jobs: Array<{ id: string; status: string; resumable: boolean }>;
  };
  expect(listed.jobs[0]).toMatchObject({ status: 'interrupted', resumable: true });

  const resumed = await run(data, 'jobs', 'resume', listed.jobs[0]!.id, '--json');
  expect(resumed.code, resumed.err).toBe(0);
  expect(JSON.parse(resumed.out)).toMatchObject({ status: 'success' });
  const st = JSON.parse((await run(data, 'status', 'gw', '--json')).out) as {
    partitions: { active: { id: string; version: string } };
  };
  expect(st.partitions.active).toMatchObject({ id: 'B', version: 'v6.0.0' });
  await proxy.stop();
});
