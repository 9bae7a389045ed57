import { Transform, type Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { RiggerError } from '../../../shared/errors';
import { kindOf } from './importer';
import { verifyManifestSignature, type TrustAnchors } from './signature';

const SIGNATURE_MEMBERS = new Set(['manifest.json', 'manifest.sig', 'manifest.crt']);
/** The manifest members are at most 1 MiB each (the bundle format); past that the reader refuses. */
const MEMBER_LIMIT = 1024 * 1024;

/** Marks the error of a refusal made while the upload was still arriving. */
const EARLY_REFUSAL = 'refused_while_uploading';

/** Did this refusal happen before the upload was read to its end? */
export const isEarlyRefusal = (err: unknown): boolean =>
  err instanceof RiggerError && err.details[EARLY_REFUSAL] === true;

/**
 * Watch a bundle upload as it streams in and refuse it as soon as its signer is known to be
 * untrusted, before the rest (the image) is read. The signature sits in `manifest.sig` next to
 * `manifest.json` (and `manifest.crt` for X.509); `rigger bundle create` writes them before the
 * image. The verdict is given as soon as it is certain:
 *
 * - with `manifest.crt`: once the three members are in (the certificate chain is checked);
 * - without: once the image member begins (no certificate came first). An Ed25519 signature
 *   names no key, so "untrusted" means no trusted key verifies it; it is certain early only when
 *   no trusted CA exists, since a certificate after the image could still chain to one.
 *
 * A bundle that puts the image first, or a loose image, is only checked at the end, as before.
 * Returns the stream to read instead of `body`: it errors with the import's own OTA_006 (marked
 * as refused while uploading, with the bytes read so far).
 */
export function watchSigner(
  filename: string,
  body: Readable,
  anchors: () => TrustAnchors,
): Readable {
  let bundle = false;
  try {
    bundle = kindOf(filename).bundle;
  } catch {
    // Not a known kind: the import says so with its own error.
  }
  if (!bundle) return body;

  const small = new Map<string, Buffer>();
  let imageBegun = false;
  let decided = false;
  let refusal: RiggerError | null = null;
  let seen = 0;

  const judge = () => {
    if (decided) return;
    const manifest = small.get('manifest.json');
    const sig = small.get('manifest.sig');
    const crt = small.get('manifest.crt') ?? null;
    if (!manifest || !sig || (!crt && !imageBegun)) return;
    const a = anchors();
    try {
      verifyManifestSignature(manifest, sig, crt?.toString('utf8') ?? null, a);
      decided = true; // trusted: the import verifies everything again at the end
    } catch (err) {
      if (!(err instanceof RiggerError) || err.code !== 'OTA_006') return void (decided = true);
      // Without a certificate, a CA could still vouch for a certificate that comes later.
      if (!crt && a.cas.length > 0) return void (decided = true);
      decided = true;
      refusal = new RiggerError(
        'OTA_006',
        `${err.message} The upload was refused after its first ${seen} bytes, before the image was read; nothing was imported.`,
        { ...err.details, [EARLY_REFUSAL]: true, bytes_read: seen },
        err.suggestedActions,
      );
    }
  };

  const parser = new Parser();
  parser.on('entry', (entry: ReadEntry) => {
    if (decided || !SIGNATURE_MEMBERS.has(entry.path)) {
      if (!SIGNATURE_MEMBERS.has(entry.path)) imageBegun = true;
      judge();
      return entry.resume();
    }
    const parts: Buffer[] = [];
    let size = 0;
    entry.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MEMBER_LIMIT) parts.push(c);
    });
    entry.on('end', () => {
      if (size <= MEMBER_LIMIT) small.set(entry.path, Buffer.concat(parts));
      judge();
    });
  });
  // The real reader reports a damaged archive; here a parse problem only ends the watching.
  parser.on('error', () => (decided = true));
  parser.on('warn', () => undefined);

  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (!decided) parser.write(chunk);
      if (refusal) return done(refusal);
      done(null, chunk);
    },
    flush(done) {
      if (!decided) parser.end();
      done(refusal);
    },
  });
  body.on('error', (err) => tap.destroy(err));
  return body.pipe(tap);
}
