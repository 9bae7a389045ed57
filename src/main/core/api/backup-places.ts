import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { OperationParsedInput } from '../../../shared/api';
import { RiggerError } from '../../../shared/errors';
import type { BackupManifest } from '../backup/manifest';
import type { AuditLog } from '../audit';
import type { BackupService } from '../backup/service';
import { writeFileAtomic } from '../backup/files';
import { exportConfig } from '../backup-places/export-config';
import { autoRestore } from '../backup-places/import/auto-restore';
import { importBackup, stagingRootOf, validateImport } from '../backup-places/import/import-backup';
import {
  listTrustedSites,
  revokeSite,
  trustedSiteKeys,
  trustSite,
} from '../backup-places/import/trusted-sites';
import { generateReport } from '../backup-places/reports/generate';
import { computeStatistics, parsePeriod } from '../backup-places/reports/statistics';
import type { BackupPlacesWiring } from '../compose/backup-places';
import type { ProfileCatalog } from '../gateways/profile';
import type { GatewayRegistry } from '../gateways/registry';
import { importProgress } from '../backup-places/import/uploads';
import type { AreaHandlers } from './handlers';

type Ops =
  | 'backupPlaces.schedules'
  | 'backupPlaces.scheduleUpdate'
  | 'backupPlaces.scheduleToggle'
  | 'backupPlaces.storage'
  | 'backupPlaces.storageUpdate'
  | 'backupPlaces.storageSync'
  | 'backupPlaces.storageBackups'
  | 'backupPlaces.cleanup'
  | 'backupPlaces.cleanupExecute'
  | 'backupPlaces.statistics'
  | 'backupPlaces.report'
  | 'backupPlaces.import'
  | 'backupPlaces.importValidate'
  | 'backupPlaces.exportConfig'
  | 'backupPlaces.health'
  | 'backupPlaces.storageCredentials'
  | 'backupPlaces.trustedSites'
  | 'backupPlaces.trustSite'
  | 'backupPlaces.revokeSite'
  | 'backupPlaces.siteKey';

/** Folder of other sites' public keys whose backups may be imported here. */
const trustedSitesDir = (dataDir: string) => join(dataDir, 'backup-places', 'trusted-sites');

/** A path the command line named, or a file in Rigger's own folder for every other caller. */
function target(output: string | undefined, dir: string, filename: string): string {
  if (output === undefined) return join(dir, filename);
  if (!isAbsolute(output))
    throw new RiggerError('VALIDATION_ERROR', `output must be an absolute path: ${output}`, {
      output,
    });
  return output;
}

/** The newest backup of a gateway in the store, or null. */
function latestOf(w: BackupPlacesWiring, gateway: string): BackupManifest | null {
  let best: BackupManifest | null = null;
  const repo = w.repo();
  for (const id of repo.ids()) {
    try {
      const m = repo.load(id).manifest;
      if (m.gateway.name === gateway && (!best || m.created_at > best.created_at)) best = m;
    } catch {
      // Unreadable here (locked key): not the newest one we can speak for.
    }
  }
  return best;
}

/** Trusting other sites' backup signing keys: list, trust (after a confirmed fingerprint), revoke. */
function trustHandlers(w: BackupPlacesWiring, audit: AuditLog) {
  const dir = trustedSitesDir(w.dataDir);
  return {
    'backupPlaces.trustedSites': async () => ({ sites: listTrustedSites(dir) }),
    'backupPlaces.trustSite': async (i: OperationParsedInput<'backupPlaces.trustSite'>) => {
      let pem = i.pem;
      if (i.file) {
        try {
          pem = readFileSync(i.file, 'utf8').slice(0, 8192);
        } catch (err) {
          throw new RiggerError('NOT_FOUND', `Cannot read ${i.file}: ${(err as Error).message}`, {
            file: i.file,
          });
        }
      }
      const r = trustSite(dir, { ...i, pem: pem! }, w.repo().site.fingerprint);
      if (r.status === 'trusted' && !r.already)
        audit.record({
          action: 'backup.trust_site',
          outcome: 'ok',
          details: { fingerprint: r.fingerprint, name: r.name },
        });
      return r;
    },
    'backupPlaces.revokeSite': async ({ fingerprint }: { fingerprint: string }) => {
      const r = revokeSite(dir, fingerprint);
      audit.record({
        action: 'backup.revoke_site',
        outcome: 'ok',
        details: { fingerprint, name: r.name },
      });
      return r;
    },
    'backupPlaces.siteKey': async () => {
      const site = w.repo().site;
      return {
        fingerprint: site.fingerprint,
        pem: site.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      };
    },
  };
}

/** The registered gateway a stored backup was made of, or null. */
function gatewayOfBackup(w: BackupPlacesWiring, registry: GatewayRegistry, id: string) {
  const name = w.repo().load(id).manifest.gateway.name;
  return registry.has(name) ? registry.get(name).name : null;
}

/** Backup places as API operations: schedules, storage, cleanup, statistics, reports, import. */
export function backupPlacesHandlers(d: {
  wiring: BackupPlacesWiring;
  registry: GatewayRegistry;
  profiles: ProfileCatalog;
  /** The backup service's recovery, for an import's auto_restore. */
  recovery: Pick<BackupService, 'preview' | 'initiate'>;
  audit: AuditLog;
}): AreaHandlers<Ops> {
  const w = d.wiring;
  const { places, scheduler } = w;
  const modelOf = (profile: string): string | null => {
    try {
      return d.profiles.resolve(profile).model;
    } catch {
      return null;
    }
  };
  const importDeps = {
    repo: w.repo,
    stagingRoot: stagingRootOf(w.dataDir),
    trusted: () => trustedSiteKeys(trustedSitesDir(w.dataDir)),
    knownModels: () => [
      ...new Set(
        d.registry
          .list()
          .map((g) => modelOf(g.profile))
          .filter((m): m is string => m !== null),
      ),
    ],
  };
  /** The file an import names: a received upload (removed once judged) or a local path. */
  const importFile = (i: { upload?: string; file?: string }) => {
    if (i.upload) {
      const path = w.imports.pathOf(i.upload);
      if (!path) throw new RiggerError('NOT_FOUND', `No uploaded file "${i.upload}"`);
      return { path, shown: i.upload };
    }
    if (i.file) return { path: i.file, shown: i.file };
    throw new RiggerError('VALIDATION_ERROR', 'Send the backup file (form field "file")', {}, [
      'rigger backup import FILE',
    ]);
  };
  return {
    'backupPlaces.schedules': async () => scheduler.list(),
    'backupPlaces.scheduleUpdate': async (req) => scheduler.update(req),
    'backupPlaces.scheduleToggle': async (req) => scheduler.toggle(req.schedule_id, req.enabled),
    'backupPlaces.storage': async () => places.storage(),
    'backupPlaces.storageUpdate': async (req) => places.storageUpdate(req),
    'backupPlaces.storageSync': async ({ wait, ...req }) => {
      const { response, done } = await places.storageSync(req);
      if (wait) return { ...response, results: await done };
      // Its results arrive as sync_progress and in the copies noted; a failure is in those.
      done.catch((err) => console.error('backup sync failed', err));
      return response;
    },
    'backupPlaces.storageBackups': async ({ location }) => places.remoteOnly(location),
    'backupPlaces.cleanup': async (req) => places.cleanup(req),
    'backupPlaces.cleanupExecute': async ({ wait, ...req }) => {
      const { response, done } = await places.cleanupExecute(req);
      if (wait) return { ...response, ...(await done) };
      done.catch((err) => console.error('backup cleanup failed', err));
      return response;
    },
    'backupPlaces.statistics': async ({ period }) =>
      computeStatistics(
        await w.catalog.list(),
        parsePeriod(period),
        new Date(),
        await w.catalog.blobSizes(),
      ),
    'backupPlaces.report': async (q) => {
      const report = await generateReport(await w.catalog.list(), q, new Date());
      const path = target(q.output, join(w.dataDir, 'reports'), report.filename);
      writeFileAtomic(path, report.body);
      return {
        status: 'generated' as const,
        filename: report.filename,
        path,
        content_type: report.content_type,
        size: report.body.length,
      };
    },
    'backupPlaces.importValidate': async (i) => {
      const f = importFile(i);
      if (i.upload) w.imports.takeImportId(i.upload);
      try {
        return await validateImport(f.path, importDeps);
      } finally {
        if (i.upload) rmSync(f.path, { force: true });
      }
    },
    'backupPlaces.import': async (i) => {
      const f = importFile(i);
      const yes = (v: boolean | string | undefined, dflt: boolean) =>
        v === undefined ? dflt : v === true || v === 'true';
      try {
        const importId = i.upload ? w.imports.takeImportId(i.upload) : undefined;
        const progress = importProgress(
          importId ?? `IMPORT-${randomBytes(4).toString('hex')}`,
          (m) => w.emit(m),
        );
        const result = await importBackup(f.path, f.shown, { progress }, importDeps);
        if (!result.imported || !yes(i.auto_restore, false)) return result;
        const auto = await autoRestore(
          d.recovery,
          result.backup_info.id,
          () => gatewayOfBackup(w, d.registry, result.backup_info.id),
          {
            confirmation: yes(i.confirmation, false),
            createBackupBefore: yes(i.create_backup_before, true),
            pin: i.pin,
          },
        );
        return { ...result, auto_restore: auto };
      } finally {
        if (i.upload) rmSync(f.path, { force: true });
      }
    },
    'backupPlaces.exportConfig': async (i) => {
      const gateway = d.registry.get(i.gateway);
      const out = exportConfig({
        gateway,
        model: modelOf(gateway.profile),
        latest: latestOf(w, gateway.name),
        exportedBy: userInfo().username,
        reason: i.export_reason,
        now: new Date(),
      });
      if (i.output === undefined) return out;
      const path = target(i.output, '', '');
      writeFileAtomic(path, JSON.stringify(out, null, 2));
      return { ...out, written_to: path };
    },
    'backupPlaces.health': async () => ({ messages: await w.checkHealth() }),
    'backupPlaces.storageCredentials': async (i) => w.credentials.set(i),
    ...trustHandlers(w, d.audit),
  };
}
