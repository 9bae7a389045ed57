import type { KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from 'tar';
import { RiggerError } from '../../../../shared/errors';
import { ensureDir } from '../../backup/files';
import { BackupRepository, type LoadedBackup } from '../../backup/repository';
import type { SiteKey } from '../../backup/site-key';
import { keyFingerprint } from '../../images/fingerprint';
import { sha256File } from '../../util/hash';

/** Largest backup file taken in (a site's full backups stay well below this). */
export const MAX_IMPORT_BYTES = 64 * 1024 ** 3;
const MAX_MEMBERS = 2_000_000;

/** What a backup export may hold, and nothing else (see backup/export.ts). */
const MEMBER_RE =
  /^(manifests\/[A-Za-z0-9_.-]{1,100}\.(manifest|sig|refs)|objects\/[0-9a-f]{2}\/[0-9a-f]{64}|keys\.json|site-signing\.pub)$/;

export interface Staged {
  dir: string;
  id: string;
  repo: BackupRepository;
  loaded: LoadedBackup;
  /** Who signed it, as the manifest says; and whether that key is one this site trusts. */
  signature: 'verified' | 'invalid' | 'untrusted' | 'unsigned';
  sha256: string;
  size: number;
  close(): void;
}

const formatError = (file: string, why: string) =>
  new RiggerError('VALIDATION_ERROR', `${file} is not a Rigger backup file: ${why}`, { file }, [
    'Import a file made by `rigger backup download` or the Backups page (*.rigger-backup.tar)',
  ]);

/**
 * Unpack a backup file into a private staging folder and read it as a store of one backup:
 * only the members an export holds, bounded in number and size; its manifest read with this
 * site's key (an encrypted backup of another key cannot be read) and its signature checked
 * with the key the manifest names, if this site trusts that key.
 */
export async function stageImport(
  file: string,
  d: { stagingRoot: string; key: BackupRepository['key']; site: SiteKey; trusted: KeyObject[] },
): Promise<Staged> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new RiggerError('NOT_FOUND', `No file ${file}`, { file });
  }
  if (size > MAX_IMPORT_BYTES)
    throw new RiggerError('VALIDATION_ERROR', `${file} is larger than a backup can be`, {
      size,
      limit_bytes: MAX_IMPORT_BYTES,
    });
  const sha256 = await sha256File(file);
  const dir = mkdtempSync(join(ensureDir(d.stagingRoot), 'import-'));
  const close = () => rmSync(dir, { recursive: true, force: true });
  try {
    let members = 0;
    let foreign: string | null = null;
    try {
      await extract({
        file,
        cwd: dir,
        strict: true,
        preservePaths: false,
        filter: (path, entry) => {
          const p = path.replace(/^\.\//, '');
          const type = (entry as { type?: string }).type;
          if (type === 'Directory') return false;
          if (++members > MAX_MEMBERS || type !== 'File' || !MEMBER_RE.test(p)) {
            foreign ??= p;
            return false;
          }
          return true;
        },
      });
    } catch (err) {
      throw formatError(file, `it is not a whole tar archive (${(err as Error).message})`);
    }
    if (foreign) throw formatError(file, `it holds ${foreign}, which no backup has`);
    const manifests = (() => {
      try {
        return readdirSync(join(dir, 'manifests')).filter((f) => f.endsWith('.manifest'));
      } catch {
        return [];
      }
    })();
    if (manifests.length !== 1)
      throw formatError(file, `it holds ${manifests.length} backup manifests, not one`);
    const id = manifests[0]!.slice(0, -'.manifest'.length);
    let repo = new BackupRepository(dir, d.key, d.site);
    let loaded: LoadedBackup;
    try {
      loaded = repo.load(id);
    } catch (err) {
      if (err instanceof RiggerError && err.code === 'ENCRYPTION_ERROR') throw err;
      throw formatError(file, (err as Error).message);
    }
    let signature: Staged['signature'] = loaded.signature_valid ? 'verified' : 'invalid';
    const signer = loaded.manifest.signer;
    if (signer !== d.site.fingerprint) {
      const key = d.trusted.find((k) => keyFingerprint(k) === signer);
      if (!key) signature = 'untrusted';
      else {
        repo = new BackupRepository(dir, d.key, { ...d.site, publicKey: key, fingerprint: signer });
        loaded = repo.load(id);
        signature = loaded.signature_valid ? 'verified' : 'invalid';
      }
    }
    return { dir, id, repo, loaded, signature, sha256, size, close };
  } catch (err) {
    close();
    throw err;
  }
}
