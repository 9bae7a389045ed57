import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HawkbitGatewaySync } from '../../../src/shared/hawkbit';
import { createInstallPort, type InstallPort } from '../../../src/main/core/hawkbit/install-port';
import { createHawkbitJournal, type HawkbitJournal } from '../../../src/main/core/hawkbit/journal';
import {
  controllerIdOf,
  syncHawkbit,
  type SyncGateway,
  type SyncOptions,
} from '../../../src/main/core/hawkbit/sync';
import { openDatabase, type Database } from '../../../src/main/core/store/database';
import { startHawkbitStandin, type HawkbitStandin } from '../../helpers/hawkbit-standin';

/** Two gateways of a site: crane-7 by its identity id, crane-8 mapped by hand. */
export const GATEWAYS: SyncGateway[] = [
  {
    name: 'crane-7',
    identityId: 'gw-0007',
    attributes: { model: 'CG-200', serial: 'SN7', hwRevision: 'B', slotA: '5.0.4', slotB: '5.0.3' },
  },
  { name: 'crane-8', identityId: 'gw-0008', attributes: { model: 'CG-200', serial: 'SN8' } },
];
export const CONTROLLERS = { 'crane-8': 'ctl-crane-8' };

/** One bundle-sized artifact per action, as hawkBit would hold them. */
export function assignBoth(hb: HawkbitStandin) {
  const images = { '42': randomBytes(200_000), '43': randomBytes(150_000) };
  hb.assign('gw-0007', {
    id: '42',
    version: '5.0.5',
    distributionSetId: 5,
    download: 'forced',
    update: 'forced',
    maintenanceWindow: 'available',
    chunks: [
      {
        part: 'os',
        name: 'crane-rootfs',
        version: '5.0.5',
        artifacts: [{ filename: 'crane-5.0.5.rbundle', content: images['42'] }],
      },
    ],
  });
  hb.assign('ctl-crane-8', {
    id: '43',
    version: '5.0.5',
    distributionSetId: 5,
    update: 'attempt',
    chunks: [
      {
        part: 'os',
        name: 'crane-rootfs',
        version: '5.0.5',
        artifacts: [{ filename: 'crane-5.0.5.rbundle', content: images['43'] }],
      },
    ],
  });
  return images;
}

export interface Courier {
  hb: HawkbitStandin;
  db: Database;
  journal: HawkbitJournal;
  port: InstallPort;
  sync: (extra?: Partial<SyncOptions>) => Promise<HawkbitGatewaySync[]>;
  connection: SyncOptions['connection'];
  dataDir: string;
}

/** A stand-in with both targets, a fresh database, and a sync bound to them. */
export async function courier(dataDirIn?: string): Promise<Courier> {
  const hb = await startHawkbitStandin({ management: { user: 'rigger', pass: 'm-secret' } });
  hb.addTarget('gw-0007');
  hb.addTarget('ctl-crane-8');
  const dataDir = dataDirIn ?? mkdtempSync(join(tmpdir(), 'rigger-hawkbit-'));
  const db: Database = openDatabase(dataDir);
  const journal = createHawkbitJournal(db);
  const byName = new Map(GATEWAYS.map((g) => [g.name, g]));
  const port = createInstallPort(journal, (name) =>
    controllerIdOf(byName.get(name) ?? { name }, CONTROLLERS),
  );
  const connection = {
    url: hb.url,
    tenant: hb.tenant,
    gatewayToken: hb.gatewayToken,
    controllers: CONTROLLERS,
  };
  const sync = (extra: Partial<SyncOptions> = {}) =>
    syncHawkbit({
      connection,
      journal,
      gateways: GATEWAYS,
      downloadDir: join(dataDir, 'hawkbit'),
      force: true,
      download: { backoffMs: 10 },
      ...extra,
    });
  return { hb, db, journal, port, sync, connection, dataDir };
}
