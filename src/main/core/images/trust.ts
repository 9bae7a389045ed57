import { createPublicKey, X509Certificate } from 'node:crypto';
import { RiggerError } from '../../../shared/errors';
import type { TrustedKey } from '../../../shared/images';
import type { Database } from '../store/database';
import { nowIso } from '../util/time';
import { parseTrustFile, type TrustAnchors } from './signature';

interface Row {
  fingerprint: string;
  kind: 'ed25519' | 'x509-ca';
  name: string;
  pem: string;
  added_at: string;
  not_after: string | null;
}

export interface TrustStore {
  list(): TrustedKey[];
  add(pem: string, name?: string): TrustedKey;
  remove(fingerprint: string): void;
  anchors(): TrustAnchors;
}

/** The trusted Ed25519 keys and CA certificates, in the database. */
export function createTrustStore(db: Database): TrustStore {
  const rows = () => db.prepare('SELECT * FROM trusted_keys ORDER BY added_at').all() as Row[];
  const view = ({ pem: _pem, ...rest }: Row): TrustedKey => rest;
  return {
    list: () => rows().map(view),
    add(pem, name) {
      const parsed = parseTrustFile(pem);
      const row: Row = { ...parsed, name: name ?? parsed.name, added_at: nowIso() };
      const existing = db
        .prepare('SELECT fingerprint FROM trusted_keys WHERE fingerprint = ?')
        .get(row.fingerprint);
      if (!existing) {
        db.prepare(
          'INSERT INTO trusted_keys (fingerprint, kind, name, pem, added_at, not_after) VALUES (@fingerprint, @kind, @name, @pem, @added_at, @not_after)',
        ).run(row);
      }
      return view(
        db.prepare('SELECT * FROM trusted_keys WHERE fingerprint = ?').get(row.fingerprint) as Row,
      );
    },
    remove(fingerprint) {
      const r = db.prepare('DELETE FROM trusted_keys WHERE fingerprint = ?').run(fingerprint);
      if (!r.changes)
        throw new RiggerError('NOT_FOUND', `No trusted key with fingerprint ${fingerprint}`, {
          fingerprint,
        });
    },
    anchors() {
      const all = rows();
      return {
        ed25519: all
          .filter((r) => r.kind === 'ed25519')
          .map((r) => ({ fingerprint: r.fingerprint, name: r.name, key: createPublicKey(r.pem) })),
        cas: all
          .filter((r) => r.kind === 'x509-ca')
          .map((r) => ({
            fingerprint: r.fingerprint,
            name: r.name,
            cert: new X509Certificate(r.pem),
          })),
      };
    },
  };
}
