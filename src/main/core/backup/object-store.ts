import { createHash, createHmac, hkdfSync, webcrypto } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { open, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import { openObjectAsync } from './chunk-format';
import { decryptStream, encryptBuffer, encryptStream } from './chunk-stream';
import { FILE_MODE, ensureDir, partialName, storageError } from './files';
import type { BackupKey } from './keys';

export const SHA256_RE = /^[0-9a-f]{64}$/;
/** Content up to this size is sealed and checked in memory, whole. */
const SMALL_OBJECT = 4 * 1024 * 1024;

/** What `put` did: `added` is false when the content was there already (deduplicated). */
export interface PutResult {
  sha256: string;
  size: number;
  name: string;
  stored_bytes: number;
  added: boolean;
}

/** A SHA-256 tap: passes bytes on and counts and hashes them. */
export function hashTap(): Transform & { digest(): { sha256: string; size: number } } {
  const h = createHash('sha256');
  let size = 0;
  const t = new Transform({
    transform(chunk: Buffer, _e, cb) {
      h.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  return Object.assign(t, { digest: () => ({ sha256: h.digest('hex'), size }) });
}

/**
 * Content-addressed objects: one file per distinct content, found by the SHA-256 of its
 * plaintext. Encrypted objects are named by an HMAC of that hash under a key derived from the
 * backup key, so the store's file names do not let anyone confirm a guess of a file's content.
 */
export class ObjectStore {
  readonly dir: string;
  private readonly nameKey: Buffer | null;
  /** Fan-out folders known to exist, so a put does not make them again. */
  private readonly fans = new Set<string>();

  constructor(
    root: string,
    private readonly key: BackupKey | null,
  ) {
    this.dir = ensureDir(join(root, 'objects'));
    this.nameKey = key
      ? Buffer.from(
          hkdfSync('sha256', key.key, Buffer.alloc(0), 'rigger-backup v1 object names', 32),
        )
      : null;
  }

  get encrypted(): boolean {
    return this.key !== null;
  }

  /** The file name of the object holding content `sha256`. */
  name(sha256: string): string {
    if (!SHA256_RE.test(sha256)) throw new RiggerError('VALIDATION_ERROR', `Bad SHA-256 ${sha256}`);
    return this.nameKey ? createHmac('sha256', this.nameKey).update(sha256).digest('hex') : sha256;
  }

  /** Where an object of this name lives (two-level fan-out, like git and restic). */
  pathOf(name: string): string {
    return join(this.dir, name.slice(0, 2), name);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(this.name(sha256)));
  }

  /**
   * Store a stream's content. With `expect`, the content must hash to it and be that long, or
   * nothing is stored and the error says so; the object appears only when whole. Small content
   * (its size announced) is held in memory and sealed at once: no stream per chunk, and no
   * write at all when the store has it already. Durability comes at commit (`flush`).
   */
  async put(
    source: Iterable<Buffer> | AsyncIterable<Buffer> | Readable,
    expect?: { sha256?: string; size?: number; what?: string },
    /** Called with the object's name the moment it is known, before it can be seen on disk. */
    claim?: (name: string) => void,
  ): Promise<PutResult> {
    const tmp = partialName(join(this.dir, 'x'));
    try {
      let got: { sha256: string; size: number };
      if (expect?.size !== undefined && expect.size <= SMALL_OBJECT) {
        const h = createHash('sha256');
        const parts: Buffer[] = [];
        let size = 0;
        for await (const c of source as AsyncIterable<Buffer>) {
          size += c.length;
          if (size > expect.size) break;
          h.update(c);
          parts.push(c);
        }
        got = { sha256: h.digest('hex'), size };
        this.expectMatches(got, expect);
        claim?.(this.name(got.sha256));
        if (this.has(got.sha256)) return this.found(got);
        const plain = Buffer.concat(parts, size);
        await writeFile(tmp, this.key ? encryptBuffer(this.key, plain) : plain, {
          mode: FILE_MODE,
          flag: 'wx',
        });
      } else {
        const tap = hashTap();
        const stages: NodeJS.ReadWriteStream[] = [tap];
        if (this.key) stages.push(encryptStream(this.key));
        await pipeline(
          source instanceof Readable ? source : Readable.from(source),
          ...(stages as [Transform]),
          createWriteStream(tmp, { mode: FILE_MODE, flags: 'wx' }),
        );
        got = tap.digest();
        this.expectMatches(got, expect);
      }
      const name = this.name(got.sha256);
      const path = this.pathOf(name);
      claim?.(name);
      if (existsSync(path)) {
        rmSync(tmp, { force: true });
        return this.found(got);
      }
      const stored = statSync(tmp).size;
      const fan = name.slice(0, 2);
      if (!this.fans.has(fan)) {
        ensureDir(join(this.dir, fan));
        this.fans.add(fan);
      }
      renameSync(tmp, path);
      return { ...got, name, stored_bytes: stored, added: true };
    } catch (err) {
      rmSync(tmp, { force: true });
      throw storageError(err, this.dir);
    }
  }

  private found(got: { sha256: string; size: number }): PutResult {
    return { ...got, name: this.name(got.sha256), stored_bytes: 0, added: false };
  }

  private expectMatches(
    got: { sha256: string; size: number },
    expect?: { sha256?: string; size?: number; what?: string },
  ): void {
    if (expect?.size !== undefined && expect.size !== got.size)
      throw new RiggerError(
        'BACKUP_FAILED',
        `${expect.what ?? 'content'} is not the ${expect.size} bytes announced`,
        { expected_size: expect.size },
      );
    if (expect?.sha256 && expect.sha256 !== got.sha256)
      throw mismatch(expect.what ?? 'content', expect.sha256, got.sha256);
  }

  /** Make objects durable before a manifest names them: fsyncs in parallel, so they batch. */
  async flush(names: Iterable<string>): Promise<void> {
    const queue = [...names];
    const worker = async () => {
      for (let n = queue.pop(); n !== undefined; n = queue.pop()) {
        const fh = await open(this.pathOf(n), 'r');
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
  }

  /** The plaintext of an object (authenticated chunk by chunk; the caller checks the hash). */
  read(name: string): Readable {
    const path = this.pathOf(name);
    if (!existsSync(path))
      throw new RiggerError('BACKUP_NOT_FOUND', `Object ${name} is missing from the backup store`, {
        object: name,
      });
    const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
    if (!this.key) return file;
    const dec = decryptStream(this.keyFor(name));
    file.on('error', (e) => dec.destroy(e));
    return file.pipe(dec);
  }

  /**
   * Read an object whole and check it hashes to `sha256`: its size, or a clear error. Small
   * objects are decrypted and hashed on libuv's pool (WebCrypto), so several checks can run at
   * once; larger ones stream.
   */
  async check(sha256: string): Promise<number> {
    const name = this.name(sha256);
    let got: string;
    let size = 0;
    if (this.storedSize(name) <= SMALL_OBJECT * 2) {
      const raw = await readFile(this.pathOf(name));
      const plain = this.key ? await openObjectAsync(this.keyFor(name), raw) : raw;
      got = Buffer.from(await webcrypto.subtle.digest('SHA-256', plain)).toString('hex');
      size = plain.length;
    } else {
      const h = createHash('sha256');
      for await (const c of this.read(name) as AsyncIterable<Buffer>) {
        h.update(c);
        size += c.length;
      }
      got = h.digest('hex');
    }
    if (got !== sha256) throw mismatch(`object ${name}`, sha256, got);
    return size;
  }

  /** The key lookup for an object's header: only this store's key opens it. */
  private keyFor(name: string) {
    const key = this.key!;
    return (id: string) => {
      if (id !== key.id)
        throw new RiggerError('ENCRYPTION_ERROR', `Object ${name} is sealed with key ${id}`, {
          key_id: id,
        });
      return key;
    };
  }

  /** Bytes an object takes on disk (0 when absent). */
  storedSize(name: string): number {
    try {
      return statSync(this.pathOf(name)).size;
    } catch {
      return 0;
    }
  }

  /** Remove an object; the bytes freed. */
  remove(name: string): number {
    const size = this.storedSize(name);
    rmSync(this.pathOf(name), { force: true });
    return size;
  }

  /** Every object name on disk (leftover partial files included, as `.partial-*`). */
  async names(): Promise<string[]> {
    const out: string[] = [];
    for (const fan of await readdir(this.dir)) {
      if (fan.startsWith('.partial-')) {
        out.push(fan);
        continue;
      }
      for (const n of await readdir(join(this.dir, fan))) out.push(n);
    }
    return out;
  }

  /** Path of a name as `names` lists it (partial files sit at the top). */
  listedPath(name: string): string {
    return name.startsWith('.partial-') ? join(this.dir, name) : this.pathOf(name);
  }
}

/** Content that is not what the gateway (or the manifest) said it is. */
export const mismatch = (what: string, expected: string, got: string) =>
  new RiggerError(
    'VALIDATION_ERROR',
    `${what} does not match its SHA-256: expected ${expected.slice(0, 16)}…, got ${got.slice(0, 16)}…`,
    { expected_sha256: expected, sha256: got },
    ['Back up again: the file changed while it was read, or the copy is damaged'],
  );
