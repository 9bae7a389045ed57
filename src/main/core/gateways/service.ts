import { RiggerError } from '../../../shared/errors';
import type { Gateway } from '../../../shared/gateways';
import type { Profile } from '../../../shared/profile';
import type { GatewayStatus } from '../../../shared/status';
import type { AuditLog } from '../audit';
import type { CoreEvents } from '../events';
import type { SettingsService } from '../settings';
import { gatherFacts } from './facts';
import { sameFingerprint } from './host-key';
import type { ProfileCatalog } from './profile';
import type { GatewayRegistry } from './registry';
import type { GatewaySession } from './session';
import { connectSsh, type SshSession, type SshTarget } from './ssh-session';
import { assembleStatus } from './status';

/** What the serial console side gives the gateway service for gateways on a console. */
export interface ConsoleHooks {
  status(gateway: Gateway, profile: Profile): Promise<GatewayStatus>;
  session(gateway: Gateway): Promise<GatewaySession>;
}

/** `pinned-only`: a first host key is refused (HOST_KEY_UNKNOWN); `accept-new`: pinned on first use. */
export type HostKeyPolicy = 'pinned-only' | 'accept-new';

export interface GatewayService {
  /** A live session to the gateway, reusing one that is still open. */
  session(
    name: string,
    policy?: HostKeyPolicy,
  ): Promise<{ gateway: Gateway; profile: Profile; session: GatewaySession }>;
  status(name: string, policy: HostKeyPolicy): Promise<GatewayStatus>;
  /** Trust the fingerprint the user confirmed: connect, check the gateway offers exactly it, pin it. */
  pinHostKey(name: string, fingerprint: string): Promise<Gateway>;
  /** Drop the cached session of a gateway that was edited or removed. */
  forget(name: string): void;
  closeAll(): Promise<void>;
  /** How the gateway is reached, from its record (no connection is made). */
  via(name: string): Gateway['connection']['type'];
}

interface Deps {
  registry: GatewayRegistry;
  profiles: ProfileCatalog;
  settings: SettingsService;
  events: CoreEvents;
  audit: AuditLog;
  /**
   * The console side, for gateways registered with a serial connection. A provider: the console
   * is composed after this service (it needs the job engine and images, which need gateways).
   */
  consoles: () => ConsoleHooks;
}

/** A secret read from the environment at connect time; SECRET_UNAVAILABLE when unset. */
export function envSecret(gateway: string | undefined, variable: string, what: string): string {
  const value = process.env[variable];
  if (value === undefined)
    throw new RiggerError(
      'SECRET_UNAVAILABLE',
      `The ${what}${gateway ? ` of "${gateway}"` : ''} is read from $${variable}, which is not set`,
      { ...(gateway ? { gateway } : {}), variable },
      [`export ${variable}=… before running Rigger`],
    );
  return value;
}

/** Sessions and status for the registered gateways. */
export function createGatewayService({
  registry,
  profiles,
  settings,
  audit,
  consoles: viaConsole,
}: Deps): GatewayService {
  const sessions = new Map<string, SshSession>();

  const sshTarget = (g: Gateway): SshTarget => {
    if (g.connection.type !== 'ssh') {
      throw new RiggerError('INTERNAL', `Gateway "${g.name}" is not reached over SSH`);
    }
    const { host, port, user, auth } = g.connection;
    if (auth.method === 'key')
      return {
        host,
        port,
        user,
        privateKeyFile: auth.key_file,
        passphrase: auth.passphrase_env
          ? envSecret(g.name, auth.passphrase_env, 'key passphrase')
          : registry.keyPassphrase(g),
      };
    if (auth.method === 'password-env')
      return { host, port, user, password: envSecret(g.name, auth.password_env, 'password') };
    return { host, port, user, password: registry.password(g) };
  };

  const connect = async (
    g: Gateway,
    policy: HostKeyPolicy,
    expected?: string,
  ): Promise<SshSession> => {
    const s = settings.get().rigger;
    const session = await connectSsh(
      sshTarget(g),
      { pinned: g.host_key, acceptNew: policy === 'accept-new', expected },
      { connectTimeoutMs: s.ssh_connect_timeout_ms, commandTimeoutMs: s.ssh_command_timeout_ms },
    );
    if (!g.host_key) {
      registry.pinHostKey(g.name, session.hostKey.algorithm, session.hostKey.fingerprint);
      audit.record({
        gatewayId: g.id,
        action: 'host_key.pin',
        outcome: 'ok',
        details: {
          fingerprint: session.hostKey.fingerprint,
          algorithm: session.hostKey.algorithm,
          confirmed: expected ?? 'accept-new',
        },
      });
    }
    registry.markSeen(g.name);
    return session;
  };

  const open = async (
    name: string,
    policy: HostKeyPolicy = 'pinned-only',
  ): Promise<{ gateway: Gateway; profile: Profile; session: GatewaySession }> => {
    const gateway = registry.get(name);
    const profile = profiles.resolve(gateway.profile);
    if (gateway.connection.type === 'serial') {
      const session = await viaConsole().session(gateway);
      registry.markSeen(name);
      return { gateway, profile, session };
    }
    let session = sessions.get(name);
    if (!session || session.closed) {
      session = await connect(gateway, policy);
      sessions.set(name, session);
    }
    return { gateway, profile, session };
  };

  return {
    session: open,
    async status(name, policy) {
      const g = registry.get(name);
      if (g.connection.type === 'serial') {
        const status = await viaConsole().status(g, profiles.resolve(g.profile));
        registry.markSeen(name);
        return status;
      }
      // One retry on a fresh connection: a cached session may have died since its last use.
      for (let attempt = 0; ; attempt++) {
        const gateway = registry.get(name);
        const profile = profiles.resolve(gateway.profile);
        let session = sessions.get(name);
        if (!session || session.closed) {
          session = await connect(gateway, policy);
          sessions.set(name, session);
        }
        try {
          const facts = await gatherFacts(session, profile);
          registry.markSeen(gateway.name);
          return assembleStatus(facts, profile, { type: 'ssh', target: session.target });
        } catch (err) {
          if (attempt === 0 && session.closed) {
            sessions.delete(name);
            continue;
          }
          throw err;
        }
      }
    },
    async pinHostKey(name, fingerprint) {
      const gateway = registry.get(name);
      if (gateway.host_key && sameFingerprint(gateway.host_key.fingerprint, fingerprint))
        return gateway;
      // Replacing a pinned key is deliberate: connect expecting exactly the confirmed key.
      const session = await connect({ ...gateway, host_key: null }, 'pinned-only', fingerprint);
      if (gateway.host_key) {
        audit.record({
          gatewayId: gateway.id,
          action: 'host_key.replace',
          outcome: 'ok',
          details: { old: gateway.host_key.fingerprint, new: session.hostKey.fingerprint },
        });
      }
      sessions.get(name)?.close();
      sessions.set(name, session);
      return registry.get(name);
    },
    forget(name) {
      const s = sessions.get(name);
      sessions.delete(name);
      void s?.close();
    },
    via(name) {
      return registry.get(name).connection.type;
    },
    async closeAll() {
      await Promise.all([...sessions.values()].map((s) => s.close()));
      sessions.clear();
    },
  };
}
