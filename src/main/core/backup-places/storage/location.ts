import { Transform } from 'node:stream';
import type { LocationHealth, LocationType } from '../../../../shared/backup-places';
import { RiggerError } from '../../../../shared/errors';

export interface StoredObject {
  path: string;
  size: number;
}

export interface PutOptions {
  /** Bytes written so far (including what a resumed upload found already there). */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

export interface PutResult {
  size: number;
  /** Bytes that were already at the location from an earlier, interrupted put. */
  resumed_from: number;
}

export interface HealthReport {
  health: LocationHealth;
  used?: number;
  available?: number;
  total?: number;
  /** Percent of the quota (or disk) in use. */
  utilization?: number;
  detail?: string;
}

/**
 * A place backups are kept: this laptop's disk, a file server over SFTP, an S3 bucket. Paths are
 * relative, '/'-separated. A put that was cut resumes where it stopped the next time.
 */
export interface StorageLocation {
  readonly id: string;
  readonly type: LocationType;
  put(localFile: string, path: string, opts?: PutOptions): Promise<PutResult>;
  get(path: string, localFile: string): Promise<void>;
  list(prefix?: string): Promise<StoredObject[]>;
  delete(path: string): Promise<void>;
  stat(path: string): Promise<StoredObject | null>;
  /** SHA-256 (hex) of the stored bytes, read back from the location. */
  hash(path: string): Promise<string>;
  /** Never throws: a location that cannot be reached says so here. */
  health(): Promise<HealthReport>;
  close(): Promise<void>;
}

const MAX_PATH = 512;

/** A stored file's path: relative, no `..`, no empty or hidden-temp segments. */
export function checkObjectPath(path: string): string {
  const segments = path.split('/');
  const ok =
    path.length > 0 &&
    path.length <= MAX_PATH &&
    segments.every((s) => s.length > 0 && s !== '.' && s !== '..' && !s.endsWith('.partial')) &&
    /^[A-Za-z0-9_.\-/]+$/.test(path);
  if (!ok) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `"${path.slice(0, 80)}" is not a stored file path`,
      {
        path: path.slice(0, MAX_PATH),
      },
      ['Paths are relative, with letters, digits, _ . - and / only'],
    );
  }
  return path;
}

/** The health a utilisation maps to: warning from the cleanup threshold, critical from 95 %. */
export function healthOfUse(utilization: number, threshold: number): LocationHealth {
  if (utilization >= 95) return 'critical';
  if (utilization >= threshold) return 'warning';
  return 'good';
}

/**
 * A pass-through that counts the bytes of a (resumed) upload from `start`, telling `onProgress`
 * the bytes sent so far of `total` as they go by.
 */
export function progressCounter(
  start: number,
  total: number,
  onProgress?: (sent: number, total: number) => void,
): Transform {
  let sent = start;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      sent += chunk.length;
      onProgress?.(sent, total);
      cb(null, chunk);
    },
  });
}
