import { readFileSync } from 'node:fs';
import { createCore } from '../src/main/core/core';

/**
 * The laptop side of the delta bench, run inside the link model's network namespace (so the
 * core's SSH goes through the shaped link): imports the images, then runs Rigger's real update
 * jobs against the test gateway, one JSON line per job on stdout.
 * Usage: delta-job.ts CONFIG.json (written by bench/delta.ts).
 */
interface Config {
  dataDir: string;
  gateway: { host: string; port: number; user: string; keyFile: string; profile: string };
  fingerprint: string;
  images: { name: string; path: string; version: string }[];
  /** In order: write `image` to the inactive slot; `plan` first asks updates.plan (untimed). */
  runs: { label: string; image: string; plan?: boolean }[];
}

const cfg = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Config;
const out = (v: unknown) => process.stdout.write(JSON.stringify(v) + '\n');

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
      const update_id = ids.get(r.image)!;
      let plan: unknown = null;
      if (r.plan) {
        const t0 = process.hrtime.bigint();
        plan = await core.call('updates.plan', { gateway: 'gw', update_id });
        out({ label: `${r.label}:plan`, secs: Number(process.hrtime.bigint() - t0) / 1e9, plan });
      }
      const t0 = process.hrtime.bigint();
      const { job_id } = await core.call('updates.download', {
        gateway: 'gw',
        update_id,
        allow_unsigned: true,
      });
      await core.jobs.wait(job_id);
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
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
