import { copyFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RiggerError, fromErrorData } from '../../shared/errors';
import type { Core } from '../core/core';
import { ensurePassphrase } from './backup-prompt';
import { registerBackupRecoverCommands } from './backup-recover';
import type { WithCore } from './context';
import { waitForJob } from './job-wait';
import { print } from './output';

const FINAL = ['success', 'failed', 'cancelled', 'interrupted'] as const;

/** Wait for a backup or restore job with a progress bar; its error when it did not succeed. */
export async function settleJob(core: Core, id: string, label: string): Promise<void> {
  const o = await waitForJob(core, id, FINAL, label);
  if (o.job.status !== 'success' && o.error) throw fromErrorData(o.error);
}

const list = (v: string) => v.split(',').filter(Boolean);

/** `rigger backup …`: backups of gateways on this laptop (seeds/backup-recovery-api.rst). */
export function registerBackupCommands(program: Command, withCore: WithCore): void {
  const backup = program
    .command('backup')
    .description('encrypted, verified backups of gateways; snapshots and disaster recovery');
  backup
    .command('create <gateway>')
    .description("back up a gateway (prints the backup's details, the seed's shape, with --json)")
    .option('--type <type>', 'full, config or pre-ota', 'full')
    .option('--components <list>', 'comma-separated: system, config, data, database, ...', list)
    .option('--name <name>', 'a name (default: the gateway and the date)')
    .option('--description <d>', 'what it is for', '')
    .option('--no-encrypt', 'store it unencrypted')
    .option('--no-verify', 'do not read it back after writing')
    .option('--json', 'print JSON')
    .action(
      (
        gateway: string,
        o: {
          type: string;
          components?: string[];
          name?: string;
          description: string;
          encrypt: boolean;
          verify: boolean;
          json?: boolean;
        },
      ) =>
        withCore(async (core) => {
          if (o.encrypt) await ensurePassphrase();
          const r = await core.call('backup.create', {
            gateway,
            name: o.name ?? `${gateway}_${new Date().toISOString().slice(0, 10)}`,
            type: o.type,
            components: o.components,
            encrypt: o.encrypt,
            verify_integrity: o.verify,
            description: o.description,
          });
          if (!o.json) process.stderr.write(`Backup ${r.backup_id} (job ${r.job_id})\n`);
          await settleJob(core, r.job_id, 'Backup');
          const d = await core.call('backup.details', { backup_id: r.backup_id });
          print(o.json, d, () =>
            [
              `Backup ${d.id} of ${d.metadata.gateway_id}: ${d.type}, ${Object.keys(d.components)
                .filter((k) => d.components[k]!.included)
                .join(', ')}`,
              `${d.size} bytes, ${d.compressed_size} stored; ${d.encryption.enabled ? 'encrypted' : 'NOT encrypted'}; ${d.integrity.verified ? 'verified' : 'not verified'}`,
            ].join('\n'),
          );
        }),
    );
  backup
    .command('list')
    .description('the backups on this laptop, newest first')
    .description('backups on this laptop, newest first')
    .option('--gateway <name>', "only this gateway's")
    .option('--type <type>', 'full, config or pre-ota')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action((o: { gateway?: string; type?: string; limit: string; json?: boolean }) =>
      withCore(async (core) => {
        await ensurePassphrase();
        const l = await core.call('backup.list', {
          gateway: o.gateway,
          type: o.type,
          limit: Number(o.limit),
        });
        print(o.json, l, () =>
          [
            ...l.backups.map(
              (b) =>
                `${b.id}  ${b.created_at}  ${b.type}  ${b.size_display}  ${b.integrity}  ${b.name}`,
            ),
            `${l.total} backup(s), ${l.storage_used} used, ${l.storage_available} free`,
          ].join('\n'),
        );
      }),
    );
  backup
    .command('show <backup>')
    .description("a backup's details (storage_locations[].path is the stored file)")
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        await ensurePassphrase();
        const d = await core.call('backup.details', { backup_id: id });
        print(o.json, d, () =>
          [
            `${d.id}  ${d.name}  ${d.type}  ${d.created_at}`,
            `Gateway ${d.metadata.gateway_id}, version ${d.metadata.version ?? '?'}`,
            ...Object.entries(d.components).map(
              ([k, c]) => `  ${k}: ${c.included ? c.size : 'not included'}`,
            ),
            `Encryption: ${d.encryption.enabled ? `${d.encryption.algorithm}, key ${d.encryption.key_id}` : 'none'}`,
            `Integrity: ${d.integrity.verified ? `verified ${d.integrity.verification_time}` : 'not verified'}, signature ${d.integrity.signature_valid ? 'valid' : 'INVALID'}`,
            ...d.storage_locations.map((s) => `Stored: ${s.path}`),
          ].join('\n'),
        );
      }),
    );
  backup
    .command('download <backup>')
    .description('export a backup as one file (still encrypted)')
    .option('--out <file>', 'where to write it (default: its name in this folder)')
    .option('--json', 'print JSON')
    .action((id: string, o: { out?: string; json?: boolean }) =>
      withCore(async (core) => {
        await ensurePassphrase();
        const x = await core.call('backup.download', { backup_id: id });
        const out = resolve(o.out ?? x.filename);
        copyFileSync(x.path, out);
        rmSync(x.path, { force: true });
        print(o.json, { ...x, path: out }, () => `${out} (${x.size} bytes)`);
      }),
    );
  backup
    .command('delete <backup>')
    .description('delete a backup; content no other backup uses is freed')
    .option('--reason <r>', 'why', '')
    .option('--json', 'print JSON')
    .action((id: string, o: { reason: string; json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('backup.delete', { backup_id: id, reason: o.reason });
        print(o.json, r, () => `${r.message}: ${r.storage_freed} freed`);
      }),
    );
  backup
    .command('verify <backup>')
    .description('read a whole backup back: every chunk, every file hash, the signature')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        await ensurePassphrase();
        const v = await core.call('backup.verify', { backup_id: id });
        if (!v.verified)
          throw new RiggerError('BACKUP_FAILED', `Backup ${id} is damaged: ${v.errors[0]}`, {
            ...v,
            errors: v.errors.slice(0, 20),
          });
        print(
          o.json,
          v,
          () => `${id}: verified (${v.files_checked} files, ${v.bytes_checked} bytes)`,
        );
      }),
    );
  registerBackupRecoverCommands(backup, withCore);
}
