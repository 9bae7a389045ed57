import { join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import type {
  HawkbitConfig,
  HawkbitConfigInput,
  HawkbitStatus,
  HawkbitSync,
} from '../../../shared/hawkbit-api';
import type { GatewayStatus } from '../../../shared/status';
import type { SecretStore } from '../secrets';
import type { SettingsService } from '../settings';
import type { Database } from '../store/database';
import { assignmentsOf, pendingReports } from './assignments';
import { syncGatewayOf } from './attributes';
import { createInstallPort } from './install-port';
import { createHawkbitJournal } from './journal';
import { createSealedSecrets, type HawkbitSecretName } from './sealed-secrets';
import { syncHawkbit } from './sync';

export interface HawkbitCourierDeps {
  db: Database;
  dataDir: string;
  settings: SettingsService;
  secrets: SecretStore;
  gatewayNames: () => string[];
  /** A gateway's status read (its identity id and attributes); null when it cannot be read. */
  gatewayStatus: (name: string) => Promise<GatewayStatus | null>;
  /** Hand a downloaded artifact to the image library (bundles verified and signature-checked). */
  importArtifact: (path: string) => Promise<unknown>;
  env?: NodeJS.ProcessEnv;
}

/**
 * The hawkBit courier of the core: its connection from the settings and the keychain (or the
 * environment), a sync over every gateway, and the install port the OTA jobs feed.
 */
export function createHawkbitCourier(d: HawkbitCourierDeps) {
  const journal = createHawkbitJournal(d.db);
  const sealed = createSealedSecrets(join(d.dataDir, 'hawkbit', 'secrets.json'), d.secrets);
  const env = d.env ?? process.env;
  const cfg = () => d.settings.get().hawkbit;
  const secret = (name: HawkbitSecretName) => {
    const variable = cfg()[`${name}_env`];
    const fromEnv = variable ? env[variable] : undefined;
    if (fromEnv) return { value: fromEnv, source: 'environment' as const };
    const kept = sealed.get(name);
    return kept
      ? { value: kept, source: 'keychain' as const }
      : { value: null, source: 'missing' as const };
  };
  const config = (): HawkbitConfig => {
    const c = cfg();
    return {
      url: c.url,
      tenant: c.tenant,
      ca_pinned: !!c.ca_pem,
      controllers: c.controllers,
      management_user: c.management_user,
      gateway_token: secret('gateway_token').source,
      management_password: secret('management_password').source,
    };
  };
  /** The controllerId a gateway was synced under (its mapping, else what the journal learned). */
  const controllerOf = (gateway: string) =>
    cfg().controllers[gateway] ?? journal.actions({ gateway })[0]?.controllerId ?? gateway;
  const port = createInstallPort(journal, controllerOf);

  return {
    journal,
    port,
    /** Is a hawkBit server set up (installs are journaled only then)? */
    configured: () => cfg().url !== null,
    config,
    async configure(input: HawkbitConfigInput): Promise<HawkbitConfig> {
      const { gateway_token, management_password, controllers, ...fields } = input;
      // Seal first: a keychain that refuses leaves the settings as they were.
      if (gateway_token || management_password) sealed.put({ gateway_token, management_password });
      const patch = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      await d.settings.update({
        hawkbit: { ...patch, ...(controllers ? { controllers } : {}) },
      });
      return config();
    },
    async sync(input: { force: boolean; gateways?: string[] }): Promise<HawkbitSync> {
      const c = cfg();
      if (!c.url)
        throw new RiggerError('VALIDATION_ERROR', 'No hawkBit server is set up', {}, [
          'rigger hawkbit config --url URL --tenant T --gateway-token-env VAR',
        ]);
      const token = secret('gateway_token').value;
      if (!token)
        throw new RiggerError(
          'SECRET_UNAVAILABLE',
          c.gateway_token_env
            ? `The hawkBit gateway token is not in ${c.gateway_token_env}`
            : 'No hawkBit gateway token is set',
          { gateway_token_env: c.gateway_token_env },
          [
            c.gateway_token_env
              ? `export ${c.gateway_token_env}=… before the sync`
              : 'rigger hawkbit config --gateway-token-env VAR',
          ],
        );
      const known = d.gatewayNames();
      const unknown = (input.gateways ?? []).filter((g) => !known.includes(g));
      if (unknown.length)
        throw new RiggerError('NOT_FOUND', `No gateway ${unknown.join(', ')}`, {
          gateways: unknown,
        });
      const names = input.gateways ?? known;
      const gateways = await Promise.all(
        names.map(async (name) => {
          const g = syncGatewayOf(name, await d.gatewayStatus(name).catch(() => null));
          // Unreachable from the office: the id it was synced under before.
          return g.identityId
            ? g
            : { ...g, identityId: journal.actions({ gateway: name })[0]?.controllerId };
        }),
      );
      const pw = secret('management_password').value;
      const reports = await syncHawkbit({
        connection: {
          url: c.url,
          tenant: c.tenant,
          gatewayToken: token,
          caPem: c.ca_pem ?? undefined,
          controllers: c.controllers,
        },
        journal,
        gateways,
        downloadDir: join(d.dataDir, 'hawkbit'),
        management: c.management_user && pw ? { user: c.management_user, password: pw } : undefined,
        force: input.force,
        onDownloaded: async ({ files }) => {
          for (const f of files) await d.importArtifact(f);
        },
      });
      return { synced_at: new Date().toISOString(), gateways: reports };
    },
    status(gateway?: string): HawkbitStatus {
      return {
        config: config(),
        assignments: assignmentsOf(journal, gateway),
        pending: pendingReports(journal, gateway),
      };
    },
  };
}
export type HawkbitCourier = ReturnType<typeof createHawkbitCourier>;
