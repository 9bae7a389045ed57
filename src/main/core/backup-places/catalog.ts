import type { BackupRecord } from '../../../shared/backup-places';
import type { StorageLocation } from './storage/location';
import type { SyncItemResult, SyncOptions } from './storage/sync';

/** A backup a location holds that this store lacks, as its signed manifest describes it. */
export interface RemoteOnlyBackup {
  id: string;
  gateway: string;
  type: BackupRecord['type'];
  created_at: string;
  size: number;
  signature_valid: boolean;
}

/**
 * What this area needs of the backup store: its records, removing one (freeing only what no
 * other backup uses), the sizes of its content-addressed blobs, and noting a copy elsewhere.
 * The backup store implements it; nothing here knows its format.
 */
export interface BackupCatalog {
  list(): Promise<BackupRecord[]>;
  remove(id: string): Promise<void>;
  blobSizes(): Promise<Map<string, number>>;
  /** Record that a location now holds a verified copy of the backup. */
  addLocation(id: string, location: string): Promise<void>;
  /** The backups a location holds (by id), for a sync into this store. */
  remoteIds?(source: StorageLocation, asked: string[]): Promise<string[]>;
  /** Bring backups a location holds into this store, each committed only when whole. */
  pull?(source: StorageLocation, ids: string[], opts: SyncOptions): Promise<SyncItemResult[]>;
  /** What a location holds that this store does not. */
  remoteOnly?(source: StorageLocation): Promise<RemoteOnlyBackup[]>;
}
