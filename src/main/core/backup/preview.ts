import type { RecoveryPreview } from '../../../shared/backup';
import { RiggerError } from '../../../shared/errors';
import type { GatewaySession } from '../gateways/session';
import { listFiles } from './gateway-list';
import type { BackupRepository } from './repository';

export interface ComponentDiff {
  paths: string[];
  /** Files whose content on the gateway differs from the backup's. */
  files_differ: number;
  /** Files of the backup the gateway no longer has. */
  files_missing: number;
  /** Files on the gateway the backup does not hold: a restore removes them. */
  files_extra: number;
  /** Bytes a restore sends: the whole of each path (it is staged whole, then swapped). */
  bytes_to_write: number;
  /** Measured at backup time, bytes per second (null when unknown). */
  rate: number | null;
}

export interface RecoveryDiff {
  components: Record<string, ComponentDiff>;
  /** The system slot: must it be rewritten (the booted image is not the backup's)? */
  system: { rewrite: boolean; bytes: number } | null;
  signature_valid: boolean;
  verified: boolean;
}

/**
 * Compare a backup with the live gateway: per component, the gateway lists and hashes its paths
 * now and each file is compared with the manifest; the system slot compares the booted image's
 * SHA-256 (from the caller's proven read-back) with the backup's.
 */
export async function diffWithGateway(
  session: GatewaySession,
  repo: BackupRepository,
  id: string,
  opts: { components?: string[]; bootedImageSha256?: string | null } = {},
): Promise<RecoveryDiff> {
  const loaded = repo.load(id);
  const m = loaded.manifest;
  const components: Record<string, ComponentDiff> = {};
  for (const name of opts.components ?? Object.keys(m.components)) {
    const c = m.components[name];
    if (!c) throw new RiggerError('VALIDATION_ERROR', `Backup ${id} holds no component ${name}`);
    const now = (await listFiles(session, c.paths)).files;
    const mine = m.entries.filter(
      (e) => e.component === name && (e.type === 'file' || e.type === 'hardlink'),
    );
    const held = new Set(mine.map((e) => e.path));
    components[name] = {
      paths: c.paths,
      files_differ: mine.filter((e) => now.has(e.path) && now.get(e.path) !== e.sha256).length,
      files_missing: mine.filter((e) => !now.has(e.path)).length,
      files_extra: [...now.keys()].filter((p) => !held.has(p)).length,
      bytes_to_write: c.size,
      rate: c.seconds ? c.size / c.seconds : null,
    };
  }
  const wantsSystem = !opts.components || opts.components.includes('system');
  const system =
    m.system && wantsSystem
      ? { rewrite: opts.bootedImageSha256 !== m.system.image_sha256, bytes: m.system.size }
      : null;
  const v = repo.lastVerification(id);
  return { components, system, signature_valid: loaded.signature_valid, verified: !!v?.verified };
}

/** "15 minutes", as the seed writes durations of a recovery. */
export function durationText(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} seconds`;
  const m = Math.ceil(seconds / 60);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

const changes = (d: ComponentDiff) => d.files_differ + d.files_missing + d.files_extra;

/** The seed's recovery preview, from a computed diff and the gateway's measured rates. */
export function recoveryPreview(
  backup: { id: string; name: string },
  recoveryType: RecoveryPreview['recovery_type'],
  diff: RecoveryDiff,
  opts: {
    snapshotFirst: boolean;
    servicesCommands: boolean;
    systemRate?: number;
    rebootSeconds?: number;
  },
): RecoveryPreview {
  const changed = Object.entries(diff.components).filter(([, d]) => changes(d) > 0);
  const affected = changed.map(([n]) => n);
  if (diff.system?.rewrite) affected.unshift('system');
  // Unknown rates fall back to 1 MB/s: an estimate should err long, not short.
  let seconds = 0;
  for (const [, d] of changed) seconds += d.bytes_to_write / (d.rate ?? 1e6);
  if (diff.system?.rewrite)
    seconds += diff.system.bytes / (opts.systemRate ?? 1e6) + (opts.rebootSeconds ?? 90);
  const warnings: string[] = [];
  const recommendations: string[] = [];
  for (const [name, d] of changed) {
    warnings.push(
      `${name}: ${d.files_differ} file(s) will be replaced, ${d.files_missing} brought back and ${d.files_extra} removed (${d.paths.join(', ')})`,
    );
  }
  if (diff.system?.rewrite)
    warnings.push('The system slot will be rewritten and the gateway will restart on it');
  if (!diff.signature_valid)
    warnings.push("The backup's signature does not verify with this site's key");
  if (!diff.verified) recommendations.push('Verify backup integrity before proceeding');
  if (affected.length) recommendations.push('Ensure no users are connected');
  if (!affected.length) recommendations.push('Nothing differs: no recovery is needed');
  const extra = changed.some(([, d]) => d.files_extra > 0);
  return {
    backup_id: backup.id,
    backup_name: backup.name,
    recovery_type: recoveryType,
    impact_analysis: {
      components_affected: affected,
      estimated_downtime: durationText(seconds),
      restart_required: !!diff.system?.rewrite,
      data_loss_risk: !affected.length
        ? 'none'
        : !diff.signature_valid || !diff.verified
          ? 'high'
          : extra
            ? 'medium'
            : 'low',
      pre_recovery_actions: [
        ...(opts.servicesCommands && changed.length ? ['stop_services'] : []),
        ...(opts.snapshotFirst ? ['create_snapshot'] : []),
      ],
      post_recovery_actions: [
        'verify_integrity',
        ...(diff.system?.rewrite ? ['reboot'] : []),
        ...(opts.servicesCommands && changed.length ? ['restart_services'] : []),
      ],
    },
    warnings,
    recommendations,
  };
}
