import { RiggerError } from '../../../shared/errors';
import type {
  ConnectionTest,
  ConnectionTestInput,
  TestProblem,
} from '../../../shared/gateway-test';
import { TEST_PROBLEMS } from '../../../shared/gateway-test';
import type { Gateway } from '../../../shared/gateways';
import type { SettingsService } from '../settings';
import { judgeHostKey, sameFingerprint } from './host-key';
import { readPrivateKey } from './key-check';
import { parseKeyValue } from './key-value';
import type { ProfileCatalog } from './profile';
import type { GatewayRegistry } from './registry';
import { shq } from './session';
import { envSecret } from './service';
import { connectSsh, type SshTarget } from './ssh-session';

type Ssh = Extract<Gateway['connection'], { type: 'ssh' }>;
type Found = Omit<ConnectionTest, 'ok' | 'problem' | 'target'>;

interface Deps {
  registry: GatewayRegistry;
  profiles: ProfileCatalog;
  settings: SettingsService;
}

/** The problem a RiggerError stands for in a test's answer. */
function problemOf(err: unknown, fallback: TestProblem): ConnectionTest['problem'] {
  const e =
    err instanceof RiggerError ? err : new RiggerError('INTERNAL', (err as Error).message ?? '');
  const r = e.details.reason;
  const byCode: Partial<Record<string, TestProblem>> = {
    HOST_KEY_CHANGED: 'host_key_changed',
    HOST_KEY_UNKNOWN: 'host_key_new',
    SECRET_UNAVAILABLE: 'secret_unavailable',
  };
  const reason =
    typeof r === 'string' && (TEST_PROBLEMS as readonly string[]).includes(r)
      ? (r as TestProblem)
      : (byCode[e.code] ?? fallback);
  return { reason, code: e.code, message: e.message, suggested_actions: e.suggestedActions };
}

/**
 * Connect with a gateway's fields, save nothing, and say what was found: reachable, the host key
 * and whether it is new, known or changed, whether the login worked, and the gateway's identity.
 * No login is tried before its host key is pinned or accepted: a password never goes to an
 * unverified machine.
 */
export async function testConnection(d: Deps, input: ConnectionTestInput): Promise<ConnectionTest> {
  const known = input.name && d.registry.has(input.name) ? d.registry.get(input.name) : undefined;
  const connection = input.connection ?? known?.connection;
  if (!connection || connection.type !== 'ssh')
    throw new RiggerError(
      'VALIDATION_ERROR',
      connection
        ? 'A gateway on a serial console is tested from its Console page'
        : 'Give the connection to test, or the name of a registered gateway',
      { field: 'connection' },
    );
  // A profile that cannot be used is wrong input, said before any connection.
  const profileRef = input.profile ?? known?.profile;
  if (profileRef) d.profiles.resolve(profileRef);
  const c: Ssh = { ...connection, port: connection.port ?? 22 };
  const target = `${c.user}@${c.host}:${c.port}`;
  const pinned = pinnedFor(d.registry, c, known);
  const s = d.settings.get().rigger;
  const options = {
    connectTimeoutMs: s.ssh_connect_timeout_ms,
    commandTimeoutMs: s.ssh_command_timeout_ms,
  };
  const found: Found = { reachable: null, host_key: null, login: null, identity: null };
  const answer = (problem: ConnectionTest['problem']): ConnectionTest => ({
    target,
    ok: problem === null && found.login === true,
    ...found,
    problem,
  });
  const keyState = (algorithm: string, fingerprint: string) => {
    const ref = pinned?.fingerprint ?? input.accept_fingerprint ?? null;
    found.host_key = {
      algorithm,
      fingerprint,
      state: !ref ? 'new' : sameFingerprint(ref, fingerprint) ? 'known' : 'changed',
      pinned_fingerprint: ref,
    };
    if (!pinned && found.host_key.state === 'known') found.host_key.state = 'new';
  };

  // Credentials first: a wrong key file is the file's fault, whatever the network says.
  let creds: Pick<SshTarget, 'privateKeyFile' | 'passphrase' | 'password'> | null = null;
  let credProblem: unknown = null;
  try {
    creds = credentials(d.registry, c, known);
  } catch (err) {
    credProblem = err;
  }

  // Without usable credentials, or before the key is accepted, only the host key is read.
  const verify = pinned
    ? { pinned, acceptNew: false }
    : { pinned: null, acceptNew: false, expected: input.accept_fingerprint };
  const base = { host: c.host, port: c.port, user: c.user };
  try {
    if (!creds || (!pinned && !input.accept_fingerprint)) {
      await connectSsh(base, { pinned: null, acceptNew: false }, options);
      throw new RiggerError('INTERNAL', 'the gateway accepted a connection without a host key');
    }
    const session = await connectSsh({ ...base, ...creds }, verify, options);
    found.reachable = true;
    keyState(session.hostKey.algorithm, session.hostKey.fingerprint);
    found.login = true;
    try {
      found.identity = await readIdentity(session, d.profiles, input.profile ?? known?.profile);
    } catch (err) {
      return answer(problemOf(err, 'identity_unreadable'));
    } finally {
      await session.close();
    }
    return answer(null);
  } catch (err) {
    const e = err instanceof RiggerError ? err : null;
    const offered = e?.details.offered_fingerprint;
    if (typeof offered === 'string') {
      found.reachable = true;
      keyState(String(e!.details.algorithm ?? 'unknown'), offered);
    }
    if (e?.code === 'HOST_UNREACHABLE') found.reachable = false;
    if (e?.code === 'AUTH_FAILED' && e.details.reason === 'auth_refused') {
      found.reachable = true;
      found.login = false;
    }
    const hk = found.host_key;
    if (hk?.state === 'changed') {
      const pin = { fingerprint: hk.pinned_fingerprint! };
      return answer(
        problemOf(judgeHostKey(hk, { pinned: pin, acceptNew: false }, c), 'host_key_changed'),
      );
    }
    if (credProblem && found.reachable !== false)
      return answer(problemOf(credProblem, 'key_format'));
    if (e?.code === 'HOST_KEY_UNKNOWN') return answer(newKeyProblem(found.host_key!.fingerprint));
    return answer(problemOf(err, 'unreachable'));
  }
}

/** The key pinned for this address: the gateway's own, else another record's at the same address. */
function pinnedFor(registry: GatewayRegistry, c: Ssh, own: Gateway | undefined) {
  const same = (g: Gateway) =>
    g.connection.type === 'ssh' && g.connection.host === c.host && g.connection.port === c.port;
  if (own && same(own) && own.host_key) return own.host_key;
  return registry.list().find((g) => same(g) && g.host_key)?.host_key ?? null;
}

/** What the login needs; a password left out of an edit is the stored one. */
function credentials(
  registry: GatewayRegistry,
  c: Ssh,
  own: Gateway | undefined,
): Pick<SshTarget, 'privateKeyFile' | 'passphrase' | 'password'> {
  const auth = c.auth;
  if (auth.method === 'key') {
    const passphrase =
      auth.passphrase ??
      (auth.passphrase_env
        ? envSecret(own?.name, auth.passphrase_env, 'key passphrase')
        : own?.connection.auth.method === 'key'
          ? registry.keyPassphrase(own)
          : undefined);
    readPrivateKey(auth.key_file, passphrase);
    return { privateKeyFile: auth.key_file, passphrase };
  }
  if (auth.method === 'password-env')
    return { password: envSecret(own?.name, auth.password_env, 'password') };
  if (auth.password !== undefined) return { password: auth.password };
  if (own?.connection.auth.method === 'password') return { password: registry.password(own) };
  throw new RiggerError('VALIDATION_ERROR', 'Enter the password to test with', {
    issues: [{ field: 'connection.auth.password', problem: 'required' }],
  });
}

function newKeyProblem(fingerprint: string): ConnectionTest['problem'] {
  return {
    reason: 'host_key_new',
    code: 'HOST_KEY_UNKNOWN',
    message: `First connection: the gateway's host key is ${fingerprint}. Nothing was logged in yet.`,
    suggested_actions: [
      "Compare it with the gateway's own key (on the gateway: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)",
      'If they match, accept it: the login is then tested, and saving pins exactly this key',
    ],
  };
}

/** The gateway's identity and booted version, read with its profile; nulls where unknown. */
async function readIdentity(
  session: { exec(c: string): Promise<{ code: number | null; stdout: Buffer }> },
  profiles: ProfileCatalog,
  ref: string | undefined,
): Promise<ConnectionTest['identity']> {
  if (!ref) return null;
  const profile = profiles.resolve(ref);
  const read = async (file: string) => {
    const r = await session.exec(`cat ${shq(file)} 2>/dev/null`);
    return r.code === 0 ? parseKeyValue(r.stdout.toString('utf8')) : {};
  };
  const id = await read(profile.identity_file);
  const os = await read(profile.os_release_file);
  return {
    gateway_id: id.GATEWAY_ID ?? null,
    name: id.GATEWAY_NAME ?? null,
    model: id.MODEL ?? null,
    hardware_revision: id.HARDWARE_REVISION ?? null,
    serial_number: id.SERIAL_NUMBER ?? null,
    version: os.VERSION_ID ?? null,
  };
}
