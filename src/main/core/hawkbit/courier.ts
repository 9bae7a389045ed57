import { basename, join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import type {
  HawkbitConfig,
  HawkbitConfigInput,
  HawkbitStatus,
  HawkbitSync,
} from '../../../shared/hawkbit-api';
import type { HawkbitImage } from '../../../shared/hawkbit-offer';
import type { UpdatesCheck } from '../../../shared/images';
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

type UpdateOffer = UpdatesCheck['updates'][number];

export interface HawkbitCourierDeps {
  db: Database;
  dataDir: string;
  settings: SettingsService;
  secrets: SecretStore;
  gatewayNames: () => string[];
  /** A gateway's status read (its identity id and attributes); null when it cannot be read. */
  gatewayStatus: (name: string) => Promise<GatewayStatus | null>;
  /** Hand a downloaded artifact to the image library (bundles verified and signature-checked). */
  importArtifact: (path: string) => Promise<{ id: string }>;
  /** A library image as the Updates page offers it, judged against the gateway's status. */
  imageOffer: (gateway: string, imageId: string) => Promise<UpdateOffer>;
  /** A library image by id, null when the library no longer holds it. */
  imageOf: (id: string) => HawkbitImage | null;
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
  /**
   * An action whose artifact is not in the library (removed since, or the laptop stopped
   * between download and import) is fetched again by the next sync while hawkBit still offers it.
   */
  const refetchMissing = (gateways: string[]) => {
    for (const g of gateways)
      for (const a of journal.actions({ gateway: g })) {
        if (a.state !== 'downloaded' || a.cancelRequestedAt) continue;
        const lost = a.images.length
          ? a.images.some((id) => !d.imageOf(id))
          : a.libraryNote === null;
        if (lost) journal.setState(a.controllerId, a.actionId, 'open');
      }
  };

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
      refetchMissing(names);
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
        onDownloaded: async ({ controllerId, actionId, files }) => {
          const ids: string[] = [];
          const refused: string[] = [];
          for (const f of files) {
            try {
              ids.push((await d.importArtifact(f)).id);
            } catch (err) {
              refused.push(`${basename(f)}: ${(err as Error).message}`);
            }
          }
          const note = refused.length ? refused.join('; ').slice(0, 2000) : null;
          journal.setImages(controllerId, actionId, ids, note);
          if (note) throw new Error(note);
        },
      });
      return { synced_at: new Date().toISOString(), gateways: reports };
    },
    status(gateway?: string): HawkbitStatus {
      return {
        config: config(),
        assignments: assignmentsOf(journal, gateway, { imageOf: d.imageOf }),
        pending: pendingReports(journal, gateway),
      };
    },
    /** An offered action as its library image's offer, judged against the gateway like any other. */
    async offer(gateway: string, actionId: string) {
      const a = assignmentsOf(journal, gateway, { imageOf: d.imageOf }).find(
        (x) => x.action_id === actionId,
      );
      if (!a)
        throw new RiggerError(
          'NOT_FOUND',
          `hawkBit action ${actionId} was never fetched for ${gateway}`,
          { gateway, action_id: actionId },
          ['Sync with hawkBit before the visit: rigger hawkbit sync'],
        );
      if (!a.offered || !a.image)
        throw new RiggerError(
          a.state === 'canceled' ? 'VALIDATION_ERROR' : 'NOT_FOUND',
          `hawkBit action ${actionId} cannot be installed: ${a.problem ?? 'its image is not known'}`,
          { gateway, action_id: actionId, state: a.state },
          a.state === 'open' ? ['rigger hawkbit sync'] : [],
        );
      return { assignment: a, offer: await d.imageOffer(gateway, a.image.id) };
    },
  };
}
export type HawkbitCourier = ReturnType<typeof createHawkbitCourier>;
