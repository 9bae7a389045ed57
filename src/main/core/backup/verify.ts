import { readFileSync } from 'node:fs';
import { RiggerError } from '../../../shared/errors';
import { contentOf } from './manifest';
import type { BackupRepository, Verification } from './repository';

/**
 * Read a whole backup back: the manifest's signature, every object decrypted chunk by chunk
 * (each chunk's tag checked) and hashed against the SHA-256 the manifest records, every file's
 * size, and the `.refs` list against the manifest. The result is recorded with its time.
 */
export async function verifyBackup(
  repo: BackupRepository,
  id: string,
  onBytes?: (done: number, total: number) => void,
): Promise<Verification> {
  const errors: string[] = [];
  const loaded = repo.load(id);
  const m = loaded.manifest;
  if (!loaded.signature_valid)
    errors.push('The manifest signature does not verify with the site key');
  const objects = repo.objects(m.encryption.enabled);
  const sizes = new Map<string, number>();
  for (const e of m.entries) if (e.type === 'file' && e.sha256) sizes.set(e.sha256, e.size);
  if (m.system?.stored) sizes.set(m.system.image_sha256, m.system.size);
  if (m.settings) sizes.set(m.settings.sha256, m.settings.size);
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  let bytes = 0;
  let checked = 0;
  // A few objects at a time: their decryption and hashing run on libuv's pool in parallel.
  const queue = [...sizes];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [sha, size] = next;
      try {
        const got = await objects.check(sha);
        if (got !== size) errors.push(`Content ${sha.slice(0, 16)}… is ${got} bytes, not ${size}`);
        checked++;
      } catch (err) {
        errors.push(
          err instanceof RiggerError ? `${sha.slice(0, 16)}…: ${err.message}` : String(err),
        );
      }
      bytes += size;
      onBytes?.(bytes, total);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  const names = [...contentOf(m)].map((s) => objects.name(s)).sort();
  let refs: string[] = [];
  try {
    refs = readFileSync(repo.file(id, 'refs'), 'utf8').split('\n').filter(Boolean).sort();
  } catch {
    // Reported below.
  }
  if (refs.join('\n') !== names.join('\n'))
    errors.push('The list of objects the backup keeps (.refs) does not match its manifest');
  const v: Verification = {
    verified: errors.length === 0,
    verification_time: new Date().toISOString(),
    signature_valid: loaded.signature_valid,
    files_checked: m.entries.filter((e) => e.type === 'file').length,
    objects_checked: checked,
    bytes_checked: bytes,
    errors,
  };
  repo.recordVerification(id, v);
  return v;
}
