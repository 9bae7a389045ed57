import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupGateway } from '../src/main/core/backup/gateway-backup';
import { createKeyFile } from '../src/main/core/backup/keys';
import { BackupRepository } from '../src/main/core/backup/repository';
import { loadSiteKey } from '../src/main/core/backup/site-key';
import { verifyBackup } from '../src/main/core/backup/verify';
import { connectSsh } from '../src/main/core/gateways/ssh-session';
import { startGatewaySim, type GatewaySim } from '../test/gateway-sim';
import { dropCaches, ratioLine, timeIt, timeShell } from './measure';

const SIZE_MB = Number(process.env.BENCH_BACKUP_MB ?? 200);
const FILES = Number(process.env.BENCH_BACKUP_FILES ?? 2000);
const ROUNDS = Number(process.env.BENCH_BACKUP_ROUNDS ?? 3);

/** The gateway's data: FILES files in 20 folders, each half random and half zeros. */
function fill(sim: GatewaySim): string {
  const data = join(sim.root, 'data', 'bench');
  const each = Math.floor((SIZE_MB * 1024 * 1024) / FILES);
  for (let i = 0; i < FILES; i++) {
    const dir = join(data, `d${i % 20}`);
    if (i < 20) mkdirSync(dir, { recursive: true });
    const half = Math.floor(each / 2);
    writeFileSync(
      join(dir, `f${i}.bin`),
      Buffer.concat([randomBytes(half), Buffer.alloc(each - half)]),
    );
  }
  return data;
}

/**
 * Backups of a gateway with SIZE_MB MiB in FILES files over the test gateway's real sshd:
 * Rigger's encrypted backup against `ssh gw 'tar cf - PATHS' | gzip -1 | openssl enc
 * -aes-256-ctr` to a file; the second (unchanged) backup's added bytes and time; a full verify
 * against `sha256sum` of the stored files. Best of ROUNDS for the first backup and the verify.
 */
export async function benchBackup(): Promise<string[]> {
  const sim = await startGatewaySim({});
  const dir = mkdtempSync(join(tmpdir(), 'rigger-bench-backup-'));
  try {
    const data = fill(sim);
    const rel = data.replace(/^\//, '');
    const ssh = `ssh -q -i ${sim.keyFile} -p ${sim.port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes ${sim.user}@${sim.host}`;
    const reference = `${ssh} 'cd / && tar cf - ${rel}' | gzip -1 | openssl enc -aes-256-ctr -pbkdf2 -pass pass:bench -out ${dir}/ref.enc`;
    const connect = () =>
      connectSsh(
        { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
        { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
        { connectTimeoutMs: 10_000, commandTimeoutMs: 600_000 },
      );
    const request = (id: string) => ({
      id,
      name: id,
      type: 'full' as const,
      description: '',
      created_by: 'bench',
      encrypt: true,
      gateway: { name: 'gw', gateway_id: 'GW', model: 'M', version: null, serial_number: null },
      components: { data: { paths: [data] } },
    });
    const backup = async (repo: BackupRepository, id: string) => {
      const session = await connect();
      try {
        return await backupGateway(session, repo, request(id));
      } finally {
        await session.close();
      }
    };

    let best = {
      first: Infinity,
      ref: Infinity,
      second: Infinity,
      verify: Infinity,
      sum: Infinity,
    };
    let added = { first: 0, second: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const root = join(dir, `store-${round}`);
      const repo = new BackupRepository(
        root,
        createKeyFile(root, { passphrase: 'bench passphrase' }),
        loadSiteKey(root),
      );
      dropCaches();
      let first = 0;
      const t1 = await timeIt(async () => (first = (await backup(repo, 'first')).added_bytes));
      dropCaches();
      const tRef = timeShell(reference);
      rmSync(join(dir, 'ref.enc'), { force: true });
      dropCaches();
      let second = 0;
      const t2 = await timeIt(async () => (second = (await backup(repo, 'second')).added_bytes));
      dropCaches();
      const tv = await timeIt(() => verifyBackup(repo, 'first'));
      dropCaches();
      const tSum = timeShell(
        `find ${root}/objects -type f -print0 | xargs -0 sha256sum >/dev/null`,
      );
      if (t1 < best.first) added = { first, second };
      best = {
        first: Math.min(best.first, t1),
        ref: Math.min(best.ref, tRef),
        second: Math.min(best.second, t2),
        verify: Math.min(best.verify, tv),
        sum: Math.min(best.sum, tSum),
      };
      rmSync(root, { recursive: true, force: true });
    }
    return [
      `Backup of ${SIZE_MB} MiB in ${FILES} files over SSH (half random, half zeros), best of ${ROUNDS}:`,
      ratioLine('encrypted backup (vs tar | gzip -1 | openssl)', best.first, best.ref, '<= 1.1x'),
      ratioLine('second, unchanged backup (vs the first)', best.second, best.first, '<= 0.3x'),
      `${'second backup adds'.padEnd(44)} ${added.second} of ${added.first} bytes = ${((100 * added.second) / added.first).toFixed(4)}%  (goal < 1%)`,
      ratioLine('full verify (vs sha256sum of stored files)', best.verify, best.sum, '<= 1.2x'),
    ];
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
