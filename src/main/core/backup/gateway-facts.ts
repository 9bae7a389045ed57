import { RiggerError } from '../../../shared/errors';
import type { Profile } from '../../../shared/profile';
import type { GatewayStatus } from '../../../shared/status';
import type { ProfileCatalog } from '../gateways/profile';
import type { GatewayRegistry } from '../gateways/registry';
import type { GatewayService } from '../gateways/service';
import type { GatewaySession } from '../gateways/session';
import type { ImageService } from '../images/types';
import { bootedSlotRecord } from './slot-record';
import { fileComponents, type ComponentSpec } from './components';
import type { GatewayIdentity } from './gateway-backup';
import type { SystemSlotRequest } from './system-slot';

export interface GatewayDeps {
  registry: GatewayRegistry;
  profiles: ProfileCatalog;
  gateways: GatewayService;
  images: ImageService;
}

/** The gateway a request means: the one named, or the only one Rigger knows. */
export function whichGateway(d: GatewayDeps, given: string | undefined): string {
  if (given) return d.registry.get(given).name;
  const known = d.registry.list();
  if (known.length === 1) return known[0]!.name;
  throw new RiggerError(
    'VALIDATION_ERROR',
    known.length
      ? `Name the gateway: Rigger knows ${known.map((g) => g.name).join(', ')}`
      : 'Rigger knows no gateway yet: add one first',
    { parameter: 'gateway', known: known.map((g) => g.name) },
    ['Add "gateway": NAME to the request'],
  );
}

/** The file components a gateway's profile offers, read without connecting. */
export function offeredComponents(d: GatewayDeps, name: string): Record<string, ComponentSpec> {
  return fileComponents(profileOf(d, name));
}

export function profileOf(d: GatewayDeps, name: string): Profile {
  return d.profiles.resolve(d.registry.get(name).profile);
}

export interface GatewayFacts {
  session: GatewaySession;
  profile: Profile;
  status: GatewayStatus;
  identity: GatewayIdentity;
  /** The booted slot as the `system` component sees it (null: not known for sure). */
  system: SystemSlotRequest | null;
}

/** Connect and learn what a backup or a recovery needs to know of the gateway. */
export async function gatewayFacts(d: GatewayDeps, name: string): Promise<GatewayFacts> {
  const { profile, session } = await d.gateways.session(name);
  const status = await d.gateways.status(name, 'pinned-only');
  const identity: GatewayIdentity = {
    name,
    gateway_id: status.gateway.id ?? name,
    model: status.gateway.model ?? profile.model,
    version: status.partitions.active.version ?? null,
    serial_number: status.gateway.serial_number ?? null,
  };
  const slot = status.boot?.consistent ? status.boot.booted_slot : null;
  let system: SystemSlotRequest | null = null;
  if (slot) {
    const record = await bootedSlotRecord(session, profile.status_file, slot).catch(() => null);
    const library = new Set(d.images.library.list().map((i) => i.sha256));
    system = {
      slot,
      device: profile.slots[slot].device,
      slot_size: profile.slots[slot].size_bytes,
      record,
      inLibrary: (sha) => library.has(sha),
    };
  }
  return { session, profile, status, identity, system };
}
