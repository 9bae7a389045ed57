import type { RiggerErrorData } from '../../../../shared/errors';

/** What a host-key error says of the keys involved, read defensively from its details. */
export interface HostKeyFacts {
  where: string | null;
  algorithm: string | null;
  offered: string | null;
  stored: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** The keys and address named in a HOST_KEY_UNKNOWN or HOST_KEY_CHANGED error. */
export function hostKeyFacts(error: RiggerErrorData): HostKeyFacts {
  const d = error.details;
  const host = str(d.host);
  const port = typeof d.port === 'number' || typeof d.port === 'string' ? String(d.port) : null;
  return {
    where: host ? (port ? `${host}:${port}` : host) : null,
    algorithm: str(d.algorithm),
    offered: str(d.offered_fingerprint),
    stored: str(d.stored_fingerprint),
  };
}

/** Is this error one of the host-key questions the overview answers itself? */
export const isHostKeyError = (e: RiggerErrorData | null): e is RiggerErrorData =>
  e?.code === 'HOST_KEY_UNKNOWN' || e?.code === 'HOST_KEY_CHANGED';
