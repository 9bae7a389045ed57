import type { BackupRecord } from '../../../shared/backup-places';

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
}
