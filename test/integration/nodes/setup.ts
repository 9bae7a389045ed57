import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../../src/main/core/audit';
import {
  createFirmwareLibrary,
  type FirmwareLibrary,
} from '../../../src/main/core/nodes/firmware-library';
import { importNodeFirmware } from '../../../src/main/core/nodes/firmware-import';
import { createNodeService, type NodeService } from '../../../src/main/core/nodes/service';
import type { SshSession } from '../../../src/main/core/gateways/ssh-session';
import type { GatewaySim } from '../../gateway-sim';
import { makeSigningKey } from '../../unit/core/plugins/plugin-zip';
import { simSession } from '../plugins/setup';
import { makeFirmwareBundle } from './firmware-bundle';

export const vendor = makeSigningKey();

/** A node service over one test gateway named `gw`, with a fresh firmware library. */
export function nodeRig(sim: GatewaySim, timings = { pollMs: 100, confirmTimeoutMs: 3000 }) {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-nodes-'));
  const library: FirmwareLibrary = createFirmwareLibrary(join(dir, 'library'));
  const audit: AuditEntry[] = [];
  const sessions: SshSession[] = [];
  const svc: NodeService = createNodeService({
    gateways: () => ['gw'],
    async session() {
      const s = await simSession(sim);
      sessions.push(s.session);
      return s;
    },
    library,
    audit: { record: (e) => void audit.push(e) },
    timings,
  });
  const add = (type: string, version: string, size?: number, prerequisites?: string[]) =>
    importNodeFirmware(
      makeFirmwareBundle(dir, { key: vendor.privateKey, type, version, size, prerequisites }).path,
      {
        library,
        trust: { anchors: () => vendor.anchors },
      },
    );
  return {
    dir,
    library,
    audit,
    svc,
    add,
    async close() {
      for (const s of sessions) await s.close();
    },
  };
}
