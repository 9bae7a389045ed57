import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { ZipFile } from 'yazl';
import { keyFingerprint } from '../../../../src/main/core/images/fingerprint';
import type { TrustAnchors } from '../../../../src/main/core/images/signature';

/** Test plugin ZIPs, honest and hostile, made with yazl (and byte patches yazl refuses to make). */

export interface SigningKey {
  privateKey: KeyObject;
  anchors: TrustAnchors;
}

/** A fresh Ed25519 key and the trust anchors that trust it. */
export function makeSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const fingerprint = keyFingerprint(publicKey);
  return {
    privateKey,
    anchors: { ed25519: [{ fingerprint, key: publicKey, name: 'test' }], cas: [] },
  };
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface PluginSpec {
  name?: string;
  version?: string;
  models?: string[];
  files?: Record<string, Buffer>;
  /** Sign with this key (default: a key nobody trusts); `null` = no plugin.sig. */
  key?: KeyObject | null;
  /** Change plugin.json's listing after the fact (then sign it). */
  edit?: (m: { files: Array<{ path: string; sha256: string; size: number }> }) => void;
  /** Extra members, added as they are (unlisted). */
  extra?: Array<{ name: string; data?: Buffer; mode?: number; dir?: boolean }>;
  /** Sign with an X.509 leaf (EC key, SHA-256) and ship its certificate as plugin.crt. */
  x509?: { key: KeyObject; certPem: string };
  /** Change plugin.json by one byte after it was signed. */
  tamper?: boolean;
  /** Leave plugin.json out of the ZIP. */
  noManifest?: boolean;
}

/** The default files of a plugin: a binary and its rules. */
export const defaultFiles = (version = '1.0.0') => ({
  'bin/zoning': Buffer.from(`#!/bin/sh\necho zoning ${version}\n`),
  'etc/zones.json': Buffer.from(JSON.stringify({ zones: [{ id: 1, radius_m: 12.5 }] })),
});

/** A plugin ZIP as bytes. */
export async function pluginZip(spec: PluginSpec = {}): Promise<Buffer> {
  const files = spec.files ?? defaultFiles(spec.version);
  const manifest = {
    plugin: 1,
    name: spec.name ?? 'acs-zoning',
    version: spec.version ?? '1.0.0',
    models: spec.models ?? ['Univa-GW-Pro'],
    description: 'ACS zoning rules',
    files: Object.entries(files).map(([path, b]) => ({ path, sha256: sha256(b), size: b.length })),
  };
  spec.edit?.(manifest);
  const json = Buffer.from(JSON.stringify(manifest, null, 2));
  const zip = new ZipFile();
  const key = spec.key === undefined ? generateKeyPairSync('ed25519').privateKey : spec.key;
  const sig = spec.x509
    ? Buffer.from(sign('sha256', json, spec.x509.key).toString('base64'))
    : key
      ? Buffer.from(sign(null, json, key).toString('base64'))
      : null;
  if (spec.x509) zip.addBuffer(Buffer.from(spec.x509.certPem), 'plugin.crt');
  if (spec.tamper) json[json.indexOf('"version"') + 1] = 'V'.charCodeAt(0);
  if (!spec.noManifest) zip.addBuffer(json, 'plugin.json');
  if (sig) zip.addBuffer(sig, 'plugin.sig');
  for (const [path, b] of Object.entries(files))
    zip.addBuffer(b, path, { mode: path.startsWith('bin/') ? 0o100755 : 0o100644 });
  for (const e of spec.extra ?? []) {
    if (e.dir) zip.addEmptyDirectory(e.name);
    else zip.addBuffer(e.data ?? Buffer.alloc(0), e.name, { mode: e.mode });
  }
  zip.end();
  const parts: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) parts.push(c);
  return Buffer.concat(parts);
}

/** Rename a member in place (same length): how a ZIP gets names yazl will not write. */
export function renameMember(zip: Buffer, from: string, to: string): Buffer {
  if (Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error('same length only');
  const out = Buffer.from(zip);
  const a = Buffer.from(from);
  for (let i = out.indexOf(a); i >= 0; i = out.indexOf(a, i + 1)) Buffer.from(to).copy(out, i);
  return out;
}

/** Make the central directory (and local header) claim `size` uncompressed bytes for `name`. */
export function lieAboutSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const n = Buffer.from(name);
  for (let i = 0; i < out.length - 46; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x02014b50 && out.subarray(i + 46, i + 46 + n.length).equals(n))
      out.writeUInt32LE(size, i + 24);
    if (sig === 0x04034b50 && out.subarray(i + 30, i + 30 + n.length).equals(n))
      out.writeUInt32LE(size, i + 22);
  }
  return out;
}

/** Write bytes to a file and return its path. */
export function writeZip(path: string, bytes: Buffer): string {
  writeFileSync(path, bytes);
  return path;
}
