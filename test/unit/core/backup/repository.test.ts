import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateBackupKey } from '../../../../src/main/core/backup/keys';
import type { BackupManifest, ManifestEntry } from '../../../../src/main/core/backup/manifest';
import { BackupRepository } from '../../../../src/main/core/backup/repository';
import { restoreToFolder } from '../../../../src/main/core/backup/restore-folder';
import { loadSiteKey } from '../../../../src/main/core/backup/site-key';
import { verifyBackup } from '../../../../src/main/core/backup/verify';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'rigger-repo-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Back up `files` (path → content) as backup `id`, the way the gateway reader does. */
async function backup(repo: BackupRepository, id: string, files: Record<string, Buffer>) {
  const w = repo.begin(id, repo.key !== null);
  const entries: ManifestEntry[] = [
    {
      component: 'data',
      path: '/data',
      type: 'dir',
      mode: 0o755,
      uid: 0,
      gid: 0,
      mtime: 1_700_000_000,
      size: 0,
    },
  ];
  for (const [path, content] of Object.entries(files)) {
    const h = sha(content);
    if (!w.known(h)) await w.put([content], { sha256: h, size: content.length });
    entries.push({
      component: 'data',
      path,
      type: 'file',
      mode: 0o640,
      uid: 0,
      gid: 0,
      mtime: 1_700_000_000,
      size: content.length,
      sha256: h,
    });
  }
  const m: BackupManifest = {
    format: 'rigger-backup',
    version: 1,
    id,
    name: id,
    type: 'full',
    description: '',
    created_at: new Date().toISOString(),
    created_by: 'test',
    gateway: {
      name: 'gw',
      gateway_id: 'GW-1',
      model: 'Univa-GW-Pro',
      version: '1.0',
      serial_number: null,
    },
    encryption: {
      enabled: repo.key !== null,
      algorithm: repo.key ? 'AES-256-GCM' : null,
      key_id: repo.key?.id ?? null,
      format_version: 1,
    },
    components: {
      data: {
        paths: ['/data'],
        files: Object.keys(files).length,
        size: 0,
        quiesced: false,
        missing: [],
      },
    },
    system: null,
    entries,
    signer: repo.site.fingerprint,
  };
  await w.commit(m);
  return w.addedBytes;
}

function someFiles(n: number, size: number): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (let i = 0; i < n; i++) out[`/data/f${i}.bin`] = randomBytes(size);
  return out;
}

const open = (root: string) =>
  new BackupRepository(root, generateBackupKeyOnce(root), loadSiteKey(root));
const keys = new Map<string, ReturnType<typeof generateBackupKey>>();
const generateBackupKeyOnce = (root: string) => {
  if (!keys.has(root)) keys.set(root, generateBackupKey());
  return keys.get(root)!;
};

describe('the content-addressed backup store', () => {
  it('adds under 1% for a second backup of unchanged content, and verifies both', async () => {
    const repo = open(tmp());
    const files = someFiles(50, 20_000);
    const first = await backup(repo, 'b1', files);
    const second = await backup(repo, 'b2', files);
    expect(first).toBeGreaterThan(50 * 20_000);
    expect(second).toBeLessThan(first * 0.01);
    for (const id of ['b1', 'b2']) {
      const v = await verifyBackup(repo, id);
      expect(v).toMatchObject({ verified: true, signature_valid: true, errors: [] });
      expect(v.bytes_checked).toBe(50 * 20_000);
    }
  });

  it('keeps files 0600 and folders 0700, and names objects by no plain hash', async () => {
    const root = tmp();
    const repo = open(root);
    const files = someFiles(3, 100);
    await backup(repo, 'b1', files);
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? [join(d, e.name), ...walk(join(d, e.name))] : [join(d, e.name)],
      );
    for (const p of walk(root))
      expect(statSync(p).mode & 0o777).toBe(statSync(p).isDirectory() ? 0o700 : 0o600);
    const names = walk(join(root, 'objects')).map((p) => p.split('/').pop());
    for (const c of Object.values(files)) expect(names).not.toContain(sha(c));
  });

  it('frees on delete only what no other backup uses, and says exactly how much', async () => {
    const root = tmp();
    const repo = open(root);
    const shared = someFiles(5, 10_000);
    await backup(repo, 'b1', { ...shared, '/data/only1': randomBytes(30_000) });
    await backup(repo, 'b2', { ...shared, '/data/only2': randomBytes(40_000) });
    const before = await repo.storedBytes();
    const r = await repo.delete('b1');
    const after = await repo.storedBytes();
    expect(r.freed_bytes).toBe(before - after);
    expect(r.objects_removed).toBe(1);
    expect(repo.ids()).toEqual(['b2']);
    expect((await verifyBackup(repo, 'b2')).verified).toBe(true);
    await expect(repo.delete('b1')).rejects.toMatchObject({ code: 'BACKUP_NOT_FOUND' });
  });

  it('finds a flipped bit, a truncated object and a forged manifest', async () => {
    const root = tmp();
    const repo = open(root);
    const files = someFiles(3, 50_000);
    await backup(repo, 'b1', files);
    const objs = readdirSync(join(root, 'objects')).flatMap((f) =>
      readdirSync(join(root, 'objects', f)).map((n) => join(root, 'objects', f, n)),
    );
    const a = readFileSync(objs[0]!);
    a[a.length - 100]! ^= 1;
    writeFileSync(objs[0]!, a);
    writeFileSync(objs[1]!, readFileSync(objs[1]!).subarray(0, 1000));
    const v = await verifyBackup(repo, 'b1');
    expect(v.verified).toBe(false);
    expect(v.errors).toHaveLength(2);
    expect(repo.lastVerification('b1')?.verified).toBe(false);
    // A manifest signed by another site key is read but not trusted.
    const other = new BackupRepository(root, repo.key, loadSiteKey(tmp()));
    expect(other.load('b1').signature_valid).toBe(false);
  });

  it('refuses a backup under another key, and restores to a folder byte for byte', async () => {
    const root = tmp();
    const repo = open(root);
    const files = someFiles(4, 3000);
    await backup(repo, 'b1', files);
    const stranger = new BackupRepository(root, generateBackupKey(), repo.site);
    expect(() => stranger.load('b1')).toThrow(
      expect.objectContaining({ code: 'ENCRYPTION_ERROR' }),
    );
    const out = join(tmp(), 'restored');
    const r = await restoreToFolder(repo, 'b1', out);
    expect(r.files).toBe(4);
    for (const [p, c] of Object.entries(files)) {
      expect(readFileSync(join(out, p)).equals(c)).toBe(true);
      expect(statSync(join(out, p)).mode & 0o777).toBe(0o640);
    }
  });

  it('an aborted backup leaves nothing listed and removes only what it added', async () => {
    const repo = open(tmp());
    const files = someFiles(2, 1000);
    await backup(repo, 'b1', files);
    const before = await repo.storedBytes();
    const w = repo.begin('b2', true);
    expect(w.known(sha(Object.values(files)[0]!))).toBe(true);
    await w.put([randomBytes(5000)]);
    expect(w.abort().removed_bytes).toBeGreaterThan(5000);
    expect(repo.ids()).toEqual(['b1']);
    expect(await repo.storedBytes()).toBe(before);
    expect((await verifyBackup(repo, 'b1')).verified).toBe(true);
  });

  it('streams content too large to hold in memory, both ways, and finds damage in it', async () => {
    const root = tmp();
    const repo = open(root);
    const big = randomBytes(9 * 1024 * 1024 + 123);
    const pieces = Array.from({ length: 10 }, (_, i) =>
      big.subarray(i * 1_000_000, (i + 1) * 1_000_000),
    );
    pieces.push(big.subarray(10_000_000));
    await backup(repo, 'big', { '/data/small': Buffer.from('x') });
    const w = repo.begin('big2', true);
    const r = await w.put(pieces, { sha256: sha(big), size: big.length });
    expect(r).toMatchObject({ added: true, size: big.length });
    await expect(w.put([big.subarray(1)], { sha256: sha(big) })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    w.abort();
    expect(repo.ids()).toEqual(['big']);
    const files = { '/data/big.bin': big };
    await backup(repo, 'big3', files);
    expect((await verifyBackup(repo, 'big3')).verified).toBe(true);
    const out = join(tmp(), 'out');
    await restoreToFolder(repo, 'big3', out);
    expect(readFileSync(join(out, 'data', 'big.bin')).equals(big)).toBe(true);
    const obj = repo.sealed!.pathOf(repo.sealed!.name(sha(big)));
    const raw = readFileSync(obj);
    raw[5 * 1024 * 1024]! ^= 4;
    writeFileSync(obj, raw);
    expect(await verifyBackup(repo, 'big3')).toMatchObject({ verified: false });
  });

  it('sweeps what a crash left: objects no backup names and side files without a manifest', async () => {
    const root = tmp();
    const repo = open(root);
    await backup(repo, 'kept', someFiles(2, 1000));
    writeFileSync(join(root, 'manifests', 'ghost.refs'), 'abc\n', { mode: 0o600 });
    writeFileSync(join(root, 'manifests', 'ghost.sig'), 'xyz', { mode: 0o600 });
    const w = repo.begin('crashed', true);
    await w.put([randomBytes(3000)]);
    // The process "dies" here: the writer is never committed nor aborted.
    (w as unknown as { close(): void }).close();
    const before = await repo.storedBytes();
    const r = await repo.sweep();
    expect(r.objects_removed).toBe(1);
    expect(r.freed_bytes).toBe(before - (await repo.storedBytes()));
    expect(readdirSync(join(root, 'manifests')).sort()).toEqual([
      'kept.manifest',
      'kept.refs',
      'kept.sig',
    ]);
    expect((await verifyBackup(repo, 'kept')).verified).toBe(true);
  });

  it('takes no objects while another process is writing a backup, and frees them after', async () => {
    const root = tmp();
    const repo = open(root);
    await backup(repo, 'b1', someFiles(3, 5000));
    // A real other process (the CLI, say) holding a writer lock on this store.
    const other = spawn('sleep', ['60']);
    try {
      writeFileSync(
        join(root, 'locks', `${other.pid}-cli.lock`),
        JSON.stringify({ pid: other.pid }),
      );
      const r = await repo.delete('b1');
      expect(r.objects_removed).toBe(0);
      expect(repo.ids()).toEqual([]);
    } finally {
      other.kill();
      await new Promise((res) => other.once('exit', res));
    }
    const later = await repo.sweep();
    expect(later.objects_removed).toBe(3);
    expect(readdirSync(join(root, 'locks'))).toEqual([]);
  });

  it('works unencrypted too (encrypt: false), objects named by their SHA-256', async () => {
    const root = tmp();
    const repo = new BackupRepository(root, null, loadSiteKey(root));
    const files = someFiles(2, 1000);
    await backup(repo, 'plain', files);
    expect(repo.load('plain').signature_valid).toBe(true);
    expect((await verifyBackup(repo, 'plain')).verified).toBe(true);
  });
});
