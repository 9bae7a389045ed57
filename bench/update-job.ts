import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createCore } from '../src/main/core/core';
import type { UpdateJobConfig } from './update-job-spawn';

/**
 * The laptop side of the delta and link benches, run inside the link model's network namespace
 * (so the core's SSH goes through the shaped link): imports the images, then runs Rigger's real
 * update jobs against the test gateway, and between them the bench's shell commands (the
 * reference, resets, checks), one JSON line per run on stdout.
 * Usage: update-job.ts CONFIG.json (written by runUpdateJobs in bench/update-job-spawn.ts).
 */
const cfg = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as UpdateJobConfig;
const out = (v: unknown) => process.stdout.write(JSON.stringify(v) + '\n');
const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** A command on the laptop side of the link, timed like a job; a failure stops the bench. */
function shell(label: string, script: string) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 20,
  });
  const secs = since(t0);
  if (r.status !== 0) throw new Error(`${label}: ${script}: ${r.stderr.toString().trim()}`);
  out({ label, secs, out: r.stdout.toString() });
}

async function main() {
  const core = createCore({ dataDir: cfg.dataDir, mode: 'test' });
  try {
    await core.call('gateways.add', {
      name: 'gw',
      profile: cfg.gateway.profile,
      connection: {
        type: 'ssh',
        host: cfg.gateway.host,
        port: cfg.gateway.port,
        user: cfg.gateway.user,
        auth: { method: 'key', key_file: cfg.gateway.keyFile },
      },
    });
    await core.call('gateways.pinHostKey', { name: 'gw', fingerprint: cfg.fingerprint });
    const ids = new Map<string, string>();
    for (const i of cfg.images) {
      const img = await core.call('images.import', {
        path: i.path,
        unsigned: true,
        version: i.version,
      });
      ids.set(i.name, img.id);
    }
    for (const r of cfg.runs) {
      if ('shell' in r) {
        shell(r.label, r.shell);
        continue;
      }
      const update_id = ids.get(r.image)!;
      if (r.plan) {
        const t0 = process.hrtime.bigint();
        const plan = await core.call('updates.plan', { gateway: 'gw', update_id });
        out({ label: `${r.label}:plan`, secs: since(t0), plan });
      }
      const t0 = process.hrtime.bigint();
      const { job_id } = await core.call('updates.download', {
        gateway: 'gw',
        update_id,
        allow_unsigned: true,
      });
      await core.jobs.wait(job_id);
      const secs = since(t0);
      const job = core.jobs.store.find(job_id)!;
      if (job.status !== 'downloaded') throw new Error(`${r.label}: ${job.status}: ${job.error}`);
      // Where the job's time went, step by step (the bench prints it beside the ratio).
      const steps = core.jobs.store.steps(job_id).map((st) => ({
        name: st.name,
        secs: st.finished_at ? (Date.parse(st.finished_at) - Date.parse(st.started_at)) / 1000 : 0,
      }));
      out({ label: r.label, secs, result: job.result, steps });
    }
  } finally {
    await core.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
