import { createHash } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ZipFile } from 'yauzl';
import { RiggerError } from '../../../shared/errors';
import { pluginManifestSchema, type PluginManifest } from '../../../shared/plugins';
import { parseOrThrow } from '../../../shared/validation';
import { verifyManifestSignature, type TrustAnchors } from '../images/signature';
import { inflate, invalidZip, readCentralDirectory, type ZipMember } from './zip-entries';

export const META = ['plugin.json', 'plugin.sig', 'plugin.crt'] as const;
const META_LIMIT = 1024 * 1024;
/** Default bound on a plugin's unpacked size. */
export const DEFAULT_MAX_PLUGIN_BYTES = 256 * 1024 * 1024;

export interface PluginZipOptions {
  anchors: TrustAnchors;
  /** The user's explicit choice to take a ZIP without a valid signature (audited by the caller). */
  unsigned?: boolean;
  maxBytes?: number;
  /** A fresh folder on the laptop where the proven files land, ready to travel as a tar stream. */
  stageDir: string;
}

export interface CheckedPlugin {
  manifest: PluginManifest;
  signature: 'verified' | 'unsigned';
  signer: string | null;
  signer_name: string | null;
  /** `stageDir`: `plugin.json`, its signature and every listed file, each proven. */
  dir: string;
  /** Every path in `dir`, `plugin.json` first, as the gateway's sha256sum will be asked for. */
  members: Array<{ path: string; size: number; sha256: string }>;
  /** Bytes the version takes on the gateway. */
  bytes: number;
}

async function readSmall(zip: ZipFile, m: ZipMember): Promise<Buffer> {
  if (m.size > META_LIMIT)
    throw invalidZip(`${m.name} declares ${m.size} bytes (at most 1 MiB)`, { member: m.name });
  const parts: Buffer[] = [];
  for await (const c of inflate(zip, m, m.size)) parts.push(c);
  return Buffer.concat(parts);
}

/** Inflate a member into `dest`, counting and hashing as it goes. */
async function extract(zip: ZipFile, m: ZipMember, dest: string): Promise<string> {
  mkdirSync(dirname(dest), { recursive: true });
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  await pipeline(inflate(zip, m, m.size), tap, createWriteStream(dest, { flags: 'wx' }));
  chmodSync(dest, m.mode);
  return hash.digest('hex');
}

function signatureOf(
  json: Buffer,
  sig: Buffer | null,
  crt: Buffer | null,
  opts: PluginZipOptions,
): { signature: 'verified' | 'unsigned'; signer: string | null; signer_name: string | null } {
  try {
    if (!sig) throw new RiggerError('OTA_006', 'The plugin ZIP holds no plugin.sig');
    const v = verifyManifestSignature(json, sig, crt?.toString('utf8') ?? null, opts.anchors);
    return { signature: 'verified', ...v };
  } catch (err) {
    if (!(err instanceof RiggerError) || err.code !== 'OTA_006') throw err;
    if (opts.unsigned) return { signature: 'unsigned', signer: null, signer_name: null };
    throw new RiggerError(
      'OTA_006',
      err.message
        .replace(/manifest\.sig/g, 'plugin.sig')
        .replace(/manifest\.crt/g, 'plugin.crt')
        .replace(/bundle/g, 'plugin ZIP'),
      err.details,
      err.suggestedActions.map((s) => s.replace(/bundle/g, 'plugin ZIP')),
    );
  }
}

/**
 * Check a plugin ZIP on the laptop before anything travels (GATEWAY-CONTRACT.md section 6):
 * the central directory first (names, links, duplicates, declared sizes: a ZIP bomb is refused
 * here, uninflated), then the signature over `plugin.json`, then every member against it while
 * it is inflated into `stageDir`.
 */
export async function checkPluginZip(path: string, opts: PluginZipOptions): Promise<CheckedPlugin> {
  const { zip, members } = await readCentralDirectory(path);
  try {
    const byName = new Map(members.filter((m) => !m.directory).map((m) => [m.name, m]));
    const json = byName.get('plugin.json');
    if (!json) throw invalidZip('plugin.json is missing at the root of the ZIP');
    const jsonBytes = await readSmall(zip, json);
    const sigM = byName.get('plugin.sig');
    const crtM = byName.get('plugin.crt');
    const sig = sigM ? await readSmall(zip, sigM) : null;
    const crt = crtM ? await readSmall(zip, crtM) : null;
    const verdict = signatureOf(jsonBytes, sig, crt, opts);

    let raw: unknown;
    try {
      raw = JSON.parse(jsonBytes.toString('utf8'));
    } catch {
      throw invalidZip('plugin.json is not valid JSON');
    }
    const manifest = parseOrThrow(pluginManifestSchema, raw, 'plugin.json');
    const listed = new Map(manifest.files.map((f) => [f.path, f]));
    if (listed.size !== manifest.files.length) throw invalidZip('plugin.json lists a path twice');
    for (const p of listed.keys())
      if ((META as readonly string[]).includes(p))
        throw invalidZip(`plugin.json lists its own member "${p}"`, { member: p });
    const parents = new Set(
      manifest.files.flatMap((f) =>
        f.path
          .split('/')
          .slice(0, -1)
          .map((_, i, a) => a.slice(0, i + 1).join('/')),
      ),
    );
    for (const f of manifest.files)
      if (parents.has(f.path))
        throw invalidZip(`"${f.path}" is listed both as a file and as a folder`, {
          member: f.path,
        });
    for (const m of members) {
      if (m.directory) {
        if (!parents.has(m.name))
          throw invalidZip(`folder "${m.name}/" holds nothing plugin.json lists`, {
            member: m.name,
          });
        continue;
      }
      if ((META as readonly string[]).includes(m.name)) continue;
      const f = listed.get(m.name);
      if (!f)
        throw invalidZip(`member "${m.name}" is not listed in plugin.json`, { member: m.name });
      if (m.size !== f.size)
        throw invalidZip(
          `member "${m.name}" declares ${m.size} bytes, plugin.json says ${f.size}`,
          { member: m.name, declared: m.size, listed: f.size },
        );
    }
    for (const f of manifest.files)
      if (!byName.has(f.path))
        throw invalidZip(`"${f.path}" is listed in plugin.json but not in the ZIP`, {
          member: f.path,
        });
    const max = opts.maxBytes ?? DEFAULT_MAX_PLUGIN_BYTES;
    const bytes = manifest.files.reduce((n, f) => n + f.size, 0) + jsonBytes.length;
    if (bytes > max)
      throw invalidZip(`it unpacks to ${bytes} bytes (at most ${max})`, { bytes, max });

    const out: CheckedPlugin['members'] = [];
    const metaOut = (name: string, b: Buffer) => {
      out.push({
        path: name,
        size: b.length,
        sha256: createHash('sha256').update(b).digest('hex'),
      });
      mkdirSync(opts.stageDir, { recursive: true });
      writeFileSync(join(opts.stageDir, name), b, { flag: 'wx' });
    };
    metaOut('plugin.json', jsonBytes);
    if (sig) metaOut('plugin.sig', sig);
    if (crt) metaOut('plugin.crt', crt);
    for (const f of manifest.files) {
      const got = await extract(zip, byName.get(f.path)!, join(opts.stageDir, f.path));
      if (got !== f.sha256)
        throw new RiggerError(
          'OTA_007',
          `"${f.path}" does not match its SHA-256 in plugin.json`,
          { member: f.path, expected: f.sha256, actual: got },
          ['The ZIP is damaged or was altered: get it again'],
        );
      out.push({ path: f.path, size: f.size, sha256: got });
    }
    return { manifest, ...verdict, dir: opts.stageDir, members: out, bytes };
  } catch (err) {
    rmSync(opts.stageDir, { recursive: true, force: true });
    throw err;
  } finally {
    zip.close();
  }
}
