import type { GatewayStatus } from '../../../shared/status';
import type { CatalogEntry, LibraryImage } from '../../../shared/images';
import { megabytes } from '../../../shared/format/bytes';
import { compareVersions, meetsAll, parseVersion } from './versions';

export interface Fit {
  model: string | null;
  hardware_revision: string | null;
  version: string | null;
}

/** What an update needs to know of the gateway, from its status. */
export const fitOf = (s: GatewayStatus): Fit => ({
  model: s.gateway.model,
  hardware_revision: s.gateway.hardware_revision,
  version: s.gateway.os_version,
});

/** Does an image or catalog entry fit the gateway: model, hardware revision, prerequisites? */
export function fits(
  compatible: { models: string[]; hardware_revisions: string[] } | null,
  prerequisites: string[],
  g: Fit,
): boolean {
  if (!compatible || !g.model || !g.hardware_revision) return false;
  return (
    compatible.models.includes(g.model) &&
    compatible.hardware_revisions.includes(g.hardware_revision) &&
    meetsAll(g.version, prerequisites)
  );
}

/** Is `version` newer than the booted one? Unknown booted version: not provably newer. */
export function newer(version: string, booted: string | null): boolean {
  if (!booted || !parseVersion(booted) || !parseVersion(version)) return false;
  return compareVersions(version, booted) > 0;
}

/** A library image as an entry of the seed's updates/check answer. */
export function offerFromImage(i: LibraryImage, g: Fit) {
  return {
    id: i.id,
    version: i.version,
    type: i.type,
    severity: i.severity,
    size: megabytes(i.size),
    size_unit: 'MB' as const,
    released: i.released,
    description: i.description,
    changelog: i.changelog,
    signature: i.signature,
    compatible: fits(i.compatible, i.prerequisites, g),
    prerequisites: i.prerequisites,
    checksum: `sha256:${i.sha256}`,
    download_url: null,
    downloaded: true,
  };
}

/** A catalog entry not downloaded yet; its signature is judged only once the bundle is imported. */
export function offerFromCatalog(e: CatalogEntry, url: string, g: Fit) {
  return {
    id: e.id,
    version: e.version,
    type: e.type,
    severity: e.severity,
    size: megabytes(e.size),
    size_unit: 'MB' as const,
    released: e.released,
    description: e.description,
    changelog: e.changelog,
    signature: null,
    compatible: fits(e.compatible, e.prerequisites, g),
    prerequisites: e.prerequisites,
    checksum: `sha256:${e.bundle_sha256}`,
    download_url: url,
    downloaded: false,
  };
}
