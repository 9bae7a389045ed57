import { RiggerError } from '../../../shared/errors';
import {
  connectionSchema,
  type Connection,
  type Gateway,
  type GatewayAddInput,
  type GatewayEditInput,
  gatewayAddSchema,
  gatewayEditSchema,
} from '../../../shared/gateways';
import { parseOrThrow } from '../../../shared/validation';
import type { SecretStore } from '../secrets';
import type { Database } from '../store/database';
import { createAuditLog } from '../audit';
import { nowIso } from '../util/time';
import { addressChange } from './address-change';
import type { ProfileCatalog } from './profile';

export interface GatewayRow {
  id: number;
  name: string;
  profile: string;
  connection: string;
  secret: string | null;
  host_key_algorithm: string | null;
  host_key_fingerprint: string | null;
  host_key_pinned_at: string | null;
  created_at: string;
  updated_at: string;
  last_seen: string | null;
}

function toGateway(row: GatewayRow): Gateway {
  return {
    id: row.id,
    name: row.name,
    profile: row.profile,
    connection: connectionSchema.parse(JSON.parse(row.connection)),
    host_key:
      row.host_key_fingerprint && row.host_key_algorithm && row.host_key_pinned_at
        ? {
            algorithm: row.host_key_algorithm,
            fingerprint: row.host_key_fingerprint,
            pinned_at: row.host_key_pinned_at,
          }
        : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_seen: row.last_seen,
  };
}

/** The known gateways: add / list / edit / remove, host keys, and the sealed password. */
export interface GatewayRegistry {
  list(): Gateway[];
  /** Is a gateway of this name registered (names are compared without case, as `get` does)? */
  has(name: string): boolean;
  get(name: string): Gateway;
  add(input: GatewayAddInput): Gateway;
  edit(input: GatewayEditInput): Gateway;
  remove(name: string): void;
  pinHostKey(name: string, algorithm: string, fingerprint: string): Gateway;
  markSeen(name: string): void;
  /** The gateway's password in plain text, only for the moment of connecting. */
  password(gateway: Gateway): string;
  /** The passphrase typed for its key, if one is stored (only for the moment of connecting). */
  keyPassphrase(gateway: Gateway): string | undefined;
}

/** Build the registry over the database, the profile catalog and the secret store. */
export function createGatewayRegistry(
  db: Database,
  profiles: ProfileCatalog,
  secrets: SecretStore,
): GatewayRegistry {
  const audit = createAuditLog(db);
  const row = (name: string): GatewayRow => {
    const r = db.prepare('SELECT * FROM gateways WHERE name = ?').get(name) as
      GatewayRow | undefined;
    if (!r) {
      throw new RiggerError('NOT_FOUND', `No gateway named "${name}"`, { gateway: name }, [
        'Check the name with `rigger gateway list`',
        'Add the gateway first',
      ]);
    }
    return r;
  };

  /** Split a connection into what is stored as JSON and the sealed secret, if any. */
  const storable = (connection: Connection, previousSecret: string | null) => {
    if (connection.auth.method === 'password') {
      const plain = connection.auth.password;
      const secret = plain !== undefined ? secrets.seal(plain) : previousSecret;
      if (!secret) {
        throw new RiggerError('VALIDATION_ERROR', 'Enter the password for this gateway', {
          issues: [{ field: 'connection.auth.password', problem: 'required' }],
        });
      }
      return { json: JSON.stringify({ ...connection, auth: { method: 'password' } }), secret };
    }
    if (connection.auth.method === 'key') {
      // A typed passphrase is sealed like a password; one from the environment replaces it.
      const { passphrase, ...auth } = connection.auth;
      const secret =
        passphrase !== undefined
          ? secrets.seal(passphrase)
          : auth.passphrase_env
            ? null
            : previousSecret;
      return { json: JSON.stringify({ ...connection, auth }), secret };
    }
    return { json: JSON.stringify(connection), secret: null };
  };

  const ensureUnique = (name: string, exceptId?: number) => {
    const other = db.prepare('SELECT id FROM gateways WHERE name = ?').get(name) as
      { id: number } | undefined;
    if (other && other.id !== exceptId) {
      throw new RiggerError(
        'ALREADY_EXISTS',
        `A gateway named "${name}" already exists`,
        { gateway: name },
        ['Choose another name', 'Edit the existing gateway instead'],
      );
    }
  };

  return {
    list() {
      return (db.prepare('SELECT * FROM gateways ORDER BY name').all() as GatewayRow[]).map(
        toGateway,
      );
    },
    has(name) {
      return db.prepare('SELECT 1 FROM gateways WHERE name = ?').get(name) !== undefined;
    },
    get(name) {
      return toGateway(row(name));
    },
    add(raw) {
      const input = parseOrThrow(gatewayAddSchema, raw, 'Gateway');
      ensureUnique(input.name);
      profiles.resolve(input.profile);
      const { json, secret } = storable(input.connection, null);
      const now = nowIso();
      db.prepare(
        `INSERT INTO gateways (name, profile, connection, secret, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(input.name, input.profile, json, secret, now, now);
      return toGateway(row(input.name));
    },
    edit(raw) {
      const {
        name,
        changes,
        confirm_new_address: confirmed,
      } = parseOrThrow(gatewayEditSchema, raw, 'Gateway change');
      const current = row(name);
      const newName = changes.name ?? current.name;
      ensureUnique(newName, current.id);
      if (changes.profile) profiles.resolve(changes.profile);
      const connection =
        changes.connection ?? connectionSchema.parse(JSON.parse(current.connection));
      const old = connectionSchema.parse(JSON.parse(current.connection));
      // A stored secret belongs to its login method: a password is never kept as a passphrase.
      const { json, secret } = storable(
        connection,
        old.auth.method === connection.auth.method ? current.secret : null,
      );
      // A different host or port is a different machine: its key must be confirmed again.
      const keepKey =
        old.type === 'ssh' &&
        connection.type === 'ssh' &&
        old.host === connection.host &&
        old.port === connection.port;
      const moved = addressChange(current, old, connection, confirmed === true);
      db.prepare(
        `UPDATE gateways SET name = ?, profile = ?, connection = ?, secret = ?, updated_at = ?,
           host_key_algorithm = CASE WHEN ? THEN host_key_algorithm END,
           host_key_fingerprint = CASE WHEN ? THEN host_key_fingerprint END,
           host_key_pinned_at = CASE WHEN ? THEN host_key_pinned_at END
         WHERE id = ?`,
      ).run(
        newName,
        changes.profile ?? current.profile,
        json,
        secret,
        nowIso(),
        +keepKey,
        +keepKey,
        +keepKey,
        current.id,
      );
      if (moved)
        audit.record({
          action: 'gateway.address_changed',
          outcome: 'ok',
          details: { gateway: newName, ...moved },
        });
      return toGateway(row(newName));
    },
    remove(name) {
      const r = row(name);
      db.prepare('DELETE FROM gateways WHERE id = ?').run(r.id);
    },
    pinHostKey(name, algorithm, fingerprint) {
      const r = row(name);
      db.prepare(
        'UPDATE gateways SET host_key_algorithm = ?, host_key_fingerprint = ?, host_key_pinned_at = ?, updated_at = ? WHERE id = ?',
      ).run(algorithm, fingerprint, nowIso(), nowIso(), r.id);
      return toGateway(row(name));
    },
    markSeen(name) {
      db.prepare('UPDATE gateways SET last_seen = ? WHERE name = ?').run(nowIso(), name);
    },
    keyPassphrase(gateway) {
      const r = row(gateway.name);
      if (gateway.connection.auth.method !== 'key' || !r.secret) return undefined;
      if (secrets.kind === 'none')
        throw new RiggerError(
          'SECRET_UNAVAILABLE',
          `The key passphrase of "${gateway.name}" was typed in the app and only the app can read it`,
          { gateway: gateway.name },
          [`rigger gateway edit ${gateway.name} --key FILE --key-passphrase-env VAR`],
        );
      return secrets.open(r.secret);
    },
    password(gateway) {
      const r = row(gateway.name);
      // A password typed in the app is sealed by the app: the command line can never open it.
      if (!r.secret || secrets.kind === 'none')
        throw new RiggerError(
          'SECRET_UNAVAILABLE',
          r.secret
            ? `The password of "${gateway.name}" was typed in the app and only the app can read it`
            : `No password is stored for "${gateway.name}"`,
          { gateway: gateway.name },
          [
            `Export the password in a variable and name it: rigger gateway edit ${gateway.name} --password-env VAR`,
            `Or log in with a key: rigger gateway edit ${gateway.name} --key FILE`,
          ],
        );
      return secrets.open(r.secret);
    },
  };
}
