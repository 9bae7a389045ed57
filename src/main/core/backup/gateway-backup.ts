import type { BackupType } from '../../../shared/backup';
import { RiggerError } from '../../../shared/errors';
import { shq, type GatewaySession } from '../gateways/session';
import type { ComponentSpec } from './components';
import { listFiles, quiesce } from './gateway-list';
import { backupCancelled, readGatewayTar } from './gateway-tar';
import type { BackupManifest, ManifestEntry, ManifestSystem } from './manifest';
import { backupSystemSlot, type SystemSlotRequest } from './system-slot';
import type { BackupRepository } from './repository';
import { previousBackup } from './quick-check';
import { quickComponent } from './quick-component';

export interface GatewayIdentity {
  name: string;
  gateway_id: string;
  model: string;
  version: string | null;
  serial_number: string | null;
}

export interface GatewayBackupRequest {
  id: string;
  name: string;
  type: BackupType;
  description: string;
  created_by: string;
  encrypt: boolean;
  gateway: GatewayIdentity;
  /** File components to back up, by name (already checked against the profile). */
  components: Record<string, ComponentSpec>;
  /** The `system` component: the booted slot (recorded by SHA-256 when a proven library image). */
  system?: SystemSlotRequest | null;
  /** A configuration snapshot (seed section 3), with its tags. */
  kind?: 'backup' | 'snapshot';
  tags?: string[];
  /** Rigger's own settings for this gateway (JSON), kept with it (`include_settings`). */
  settings?: Buffer | null;
  signal?: AbortSignal;
  onProgress?: (p: BackupStepProgress) => void;
  /** Read every file, trusting nothing of the previous backup. */
  full_read?: boolean;
}

export interface BackupStepProgress {
  step: 'reading_system' | 'quiescing' | 'listing_files' | 'reading_files' | 'writing_manifest';
  component: string | null;
  /** Bytes of file content read so far, and the total the listing announced (when known). */
  processed: number;
  total: number;
  files_processed: number;
  /** Files the gateway listed for this component: null until its listing is in. */
  files_total: number | null;
}

export interface GatewayBackupResult {
  manifest: BackupManifest;
  /** Bytes of new objects this backup added to the store. */
  added_bytes: number;
  /** Plaintext bytes of the files it holds. */
  bytes: number;
  files: number;
}

const rel = (p: string) => p.replace(/^\/+/, '') || '.';

/** Which of `paths` exist on the gateway (a shell builtin test, no tools needed). */
async function present(session: GatewaySession, paths: string[]): Promise<string[]> {
  const r = await session.exec(
    `for p in ${paths.map(shq).join(' ')}; do if [ -e "$p" ] || [ -L "$p" ]; then echo "$p"; fi; done`,
  );
  const found = new Set(r.stdout.toString('utf8').split('\n'));
  return paths.filter((p) => found.has(p));
}

/**
 * Back up a gateway's file components into the repository. Per component: its quiesce command,
 * then every file's SHA-256 listed by the gateway, then one `tar` stream read into the store
 * (each file checked against the listing; known content not written again). The backup exists
 * only once its signed manifest is written: on any failure, a dropped link or a cancel, what
 * it had added is removed and nothing is listed.
 */
export async function backupGateway(
  session: GatewaySession,
  repo: BackupRepository,
  req: GatewayBackupRequest,
): Promise<GatewayBackupResult> {
  const writer = repo.begin(req.id, req.encrypt);
  const entries: ManifestEntry[] = [];
  const components: BackupManifest['components'] = {};
  let bytes = 0;
  let files = 0;
  let filesTotal: number | null = null;
  const progress = (p: Omit<BackupStepProgress, 'files_processed' | 'files_total'>) =>
    req.onProgress?.({ ...p, files_processed: files, files_total: filesTotal });
  const cancelled = () => {
    if (req.signal?.aborted) throw backupCancelled();
  };
  let system: ManifestSystem | null = null;
  const started = new Date().toISOString();
  // The last backup of this gateway: unchanged entries come from it (quick-check.ts).
  const previous = req.full_read ? null : previousBackup(repo, req.gateway.name, req.encrypt);
  try {
    if (req.system) {
      progress({ step: 'reading_system', component: 'system', processed: 0, total: 0 });
      let read = 0;
      const { proven: _proven, ...s } = await backupSystemSlot(session, writer, req.system, (n) => {
        read += n;
        progress({
          step: 'reading_system',
          component: 'system',
          processed: read,
          total: req.system!.slot_size,
        });
      });
      system = s;
      cancelled();
    }
    for (const [name, spec] of Object.entries(req.components)) {
      cancelled();
      if (spec.quiesce_command) {
        progress({ step: 'quiescing', component: name, processed: bytes, total: 0 });
        await quiesce(session, spec.quiesce_command);
      }
      const paths = await present(session, spec.paths);
      const missing = spec.paths.filter((p) => !paths.includes(p));
      if (!paths.length)
        throw new RiggerError(
          'VALIDATION_ERROR',
          `None of the paths of component ${name} exist on ${req.gateway.name}: ${spec.paths.join(', ')}`,
          { component: name, paths: spec.paths },
          ["Check the profile's backup components", `Leave ${name} out of the backup`],
        );
      const began = Date.now();
      progress({ step: 'listing_files', component: name, processed: bytes, total: 0 });
      const base = previous?.components[name];
      if (previous && base && base.paths.join('\n') === paths.join('\n')) {
        let read = 0;
        const quick = await quickComponent(session, writer, previous, name, paths, {
          signal: req.signal,
          onBytes: (n) => {
            read += n;
            progress({ step: 'reading_files', component: name, processed: bytes + read, total: 0 });
          },
        });
        if (quick) {
          entries.push(...quick.entries);
          bytes += quick.bytes;
          files += quick.files;
          components[name] = {
            paths,
            files: quick.files,
            size: quick.bytes,
            quiesced: !!spec.quiesce_command,
            seconds: (Date.now() - began) / 1000,
            missing,
          };
          continue;
        }
      }
      // The gateway lists every file's SHA-256 while the archive already streams (two channels):
      // each file is checked against the listing as soon as it is in, and all of them before the
      // backup can exist. The listing is what the archive must match, file for file.
      let total = 0;
      filesTotal = null;
      progress({ step: 'reading_files', component: name, processed: bytes, total });
      let read = 0;
      const result = await readGatewayTar(session, {
        command: `cd / && tar cf - ${paths.map((p) => shq(rel(p))).join(' ')}`,
        component: name,
        listing: listFiles(session, paths).then((l) => {
          filesTotal = files + l.files.size;
          progress({ step: 'reading_files', component: name, processed: bytes, total });
          return l.files;
        }),
        writer,
        onBytes: (n) => {
          read += n;
          total = Math.max(total, read);
          progress({ step: 'reading_files', component: name, processed: bytes + read, total });
        },
        signal: req.signal,
        failed: (code, stderr) =>
          new RiggerError(
            'COMMAND_FAILED',
            `The gateway could not archive ${paths.join(', ')}: ${stderr}`,
            { exit_code: code, component: name },
            ['Check the paths on the gateway', 'Check free memory on the gateway'],
          ),
      });
      entries.push(...result.entries);
      bytes += result.bytes;
      files += result.files;
      components[name] = {
        paths,
        files: result.files,
        size: result.bytes,
        quiesced: !!spec.quiesce_command,
        seconds: (Date.now() - began) / 1000,
        missing,
      };
    }
    progress({ step: 'writing_manifest', component: null, processed: bytes, total: bytes });
    const settings = req.settings
      ? await writer.put([req.settings], { size: req.settings.length, what: 'settings' })
      : null;
    const manifest: BackupManifest = {
      format: 'rigger-backup',
      version: 1,
      id: req.id,
      name: req.name,
      type: req.type,
      description: req.description,
      created_at: new Date().toISOString(),
      started_at: started,
      created_by: req.created_by,
      gateway: req.gateway,
      encryption: {
        enabled: req.encrypt,
        algorithm: req.encrypt ? 'AES-256-GCM' : null,
        key_id: req.encrypt ? (repo.key?.id ?? null) : null,
        format_version: 1,
      },
      components,
      system,
      ...(req.kind === 'snapshot' ? { kind: 'snapshot' as const, tags: req.tags ?? [] } : {}),
      ...(settings ? { settings: { sha256: settings.sha256, size: settings.size } } : {}),
      entries,
      signer: repo.site.fingerprint,
    };
    cancelled();
    await writer.commit(manifest);
    return { manifest, added_bytes: writer.addedBytes, bytes, files };
  } catch (err) {
    writer.abort();
    throw err;
  }
}
