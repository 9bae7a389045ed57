import { randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ImportResult, ImportValidation } from '../../../../shared/backup-places-api';
import { ensureDir, FILE_MODE } from '../../backup/files';
import { contentOf } from '../../backup/manifest';
import type { BackupRepository } from '../../backup/repository';
import { verifyBackup } from '../../backup/verify';
import { backupSize, componentNames, sizeText } from '../../backup/views';
import { stageImport, type Staged } from './stage';
import type { ImportProgress } from './uploads';

export interface ImportDeps {
  /** The store, opened on first use by the backup service. */
  repo: () => BackupRepository;
  stagingRoot: string;
  trusted(): KeyObject[];
  /** Models of the gateways Rigger knows (a backup of another model is not restorable here). */
  knownModels(): string[];
}

interface Judged {
  staged: Staged;
  validation: ImportValidation;
  warnings: string[];
  checksumOk: boolean;
  compatible: boolean;
}

async function judge(file: string, d: ImportDeps): Promise<Judged> {
  const staged = await stageImport(file, {
    stagingRoot: d.stagingRoot,
    key: d.repo().key,
    site: d.repo().site,
    trusted: d.trusted(),
  });
  const m = staged.loaded.manifest;
  const warnings: string[] = [];
  const v = await verifyBackup(staged.repo, staged.id);
  // The signature is judged above; verify's own signature note is not about the content.
  const contentErrors = v.errors.filter((e) => !e.startsWith('The manifest signature'));
  const models = d.knownModels();
  const compatible = models.length === 0 || models.includes(m.gateway.model);
  if (!compatible)
    warnings.push(`Made on a ${m.gateway.model}; Rigger's gateways are ${models.join(', ')}`);
  if (staged.signature === 'untrusted')
    warnings.push(`Signed by site key ${m.signer}, which this site does not trust`);
  warnings.push(...contentErrors.slice(0, 10));
  return {
    staged,
    warnings,
    checksumOk: contentErrors.length === 0,
    compatible,
    validation: {
      file_format: 'valid',
      signature: staged.signature,
      checksum: `sha256:${staged.sha256}`,
      version_compatibility: compatible ? 'compatible' : 'incompatible',
      size: sizeText(backupSize(m)),
      type: m.type,
      created: m.created_at,
      gateway_id: m.gateway.gateway_id,
      components: componentNames(m),
    },
  };
}

/** The seed's "Validate Import File": every check of an import, and nothing imported. */
export async function validateImport(file: string, d: ImportDeps) {
  const j = await judge(file, d);
  j.staged.close();
  return {
    status: 'validated' as const,
    validation: j.validation,
    warnings: j.warnings,
    recommendations: ['Create current backup before restore'],
  };
}

/** Copy a staged backup into the store: objects first, its manifest last (then it exists). */
function adopt(staged: Staged, repo: BackupRepository): void {
  const m = staged.loaded.manifest;
  const from = staged.repo.objects(m.encryption.enabled);
  const to = repo.objects(m.encryption.enabled);
  for (const sha of contentOf(m)) {
    const name = from.name(sha);
    const dest = to.pathOf(name);
    if (existsSync(dest)) continue;
    ensureDir(dirname(dest));
    copyFileSync(from.pathOf(name), dest);
    chmodSync(dest, FILE_MODE);
  }
  for (const ext of ['refs', 'sig', 'manifest'] as const) {
    const src = staged.repo.file(staged.id, ext);
    if (!existsSync(src)) continue;
    copyFileSync(src, repo.file(staged.id, ext));
    chmodSync(repo.file(staged.id, ext), FILE_MODE);
  }
}

/**
 * The seed's "Import Backup File": validated as above, then taken into the store only when the
 * format, a trusted signature, the model and every checksum hold; else nothing is imported and
 * the answer says which check failed.
 */
export async function importBackup(
  file: string,
  shownName: string,
  opts: { progress?: ImportProgress },
  d: ImportDeps,
): Promise<ImportResult> {
  const progress = opts.progress;
  progress?.step(82, 'validating_data');
  const j = await judge(file, d);
  const m = j.staged.loaded.manifest;
  const importId = progress?.importId ?? `IMPORT-${randomBytes(4).toString('hex')}`;
  const sig = j.staged.signature;
  const reason =
    sig !== 'verified'
      ? `signature ${sig}`
      : !j.checksumOk
        ? 'checksum does not match'
        : !j.compatible
          ? `made on another model (${m.gateway.model})`
          : d.repo().has(j.staged.id)
            ? `backup ${j.staged.id} is already here`
            : null;
  try {
    if (!reason) {
      progress?.step(90, 'importing_data');
      adopt(j.staged, d.repo());
    }
  } finally {
    j.staged.close();
  }
  progress?.step(100, reason ? 'rejected' : 'completed');
  return {
    status: reason ? 'rejected' : 'import_started',
    import_id: importId,
    filename: basename(shownName),
    imported: !reason,
    validation_results: {
      format: 'valid',
      signature: sig,
      version: j.compatible ? 'compatible' : 'incompatible',
      checksum: j.checksumOk ? 'valid' : 'invalid',
    },
    backup_info: {
      id: j.staged.id,
      name: m.name,
      type: m.type,
      size: sizeText(backupSize(m)),
      created: m.created_at,
      gateway_compatibility: `${m.gateway.gateway_id} ${m.gateway.model}${m.gateway.version ? ` v${m.gateway.version}` : ''}`,
    },
    progress_url: `/cloud-integration/backup/import/progress/${importId}`,
    warnings: j.warnings,
    ...(reason ? { reason: `Nothing imported: ${reason}` } : {}),
  };
}

/** Where imports are unpacked before they are judged (inside Rigger's data folder). */
export const stagingRootOf = (dataDir: string) => join(dataDir, 'backup-places', 'staging');
