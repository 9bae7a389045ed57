import type { RestRoute } from './api';

/** The seed's paths of backup places (backup-recovery-api.rst sections 4, 6, 7, 8 and 10). */
export const BACKUP_PLACES_ROUTES: ReadonlyArray<RestRoute> = [
  { method: 'GET', path: '/cloud-integration/backup/schedules', op: 'backupPlaces.schedules' },
  {
    method: 'POST',
    path: '/cloud-integration/backup/schedules/update',
    op: 'backupPlaces.scheduleUpdate',
  },
  {
    method: 'POST',
    path: '/cloud-integration/backup/schedules/toggle',
    op: 'backupPlaces.scheduleToggle',
  },
  {
    method: 'POST',
    path: '/cloud-integration/backup/import',
    op: 'backupPlaces.import',
    upload: { field: 'file', as: 'upload', into: 'backup-imports' },
  },
  {
    method: 'POST',
    path: '/cloud-integration/backup/import/validate',
    op: 'backupPlaces.importValidate',
    upload: { field: 'file', as: 'upload', into: 'backup-imports' },
  },
  {
    method: 'GET',
    path: '/cloud-integration/backup/export/config',
    op: 'backupPlaces.exportConfig',
  },
  { method: 'GET', path: '/cloud-integration/backup/storage', op: 'backupPlaces.storage' },
  {
    method: 'POST',
    path: '/cloud-integration/backup/storage/update',
    op: 'backupPlaces.storageUpdate',
  },
  {
    method: 'POST',
    path: '/cloud-integration/backup/storage/sync',
    op: 'backupPlaces.storageSync',
  },
  {
    method: 'GET',
    path: '/cloud-integration/backup/storage/backups',
    op: 'backupPlaces.storageBackups',
  },
  { method: 'POST', path: '/cloud-integration/backup/cleanup', op: 'backupPlaces.cleanup' },
  {
    method: 'POST',
    path: '/cloud-integration/backup/cleanup/execute',
    op: 'backupPlaces.cleanupExecute',
  },
  { method: 'GET', path: '/cloud-integration/backup/statistics', op: 'backupPlaces.statistics' },
  { method: 'GET', path: '/cloud-integration/backup/report/generate', op: 'backupPlaces.report' },
];
