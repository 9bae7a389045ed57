import type { z } from 'zod';
import { appOperations } from './app';
import { BACKUP_ROUTES, backupOperations } from './backup-api';
import { gatewayOperations } from './gateways-api';
import { imageOperations, keyOperations } from './images-api';
import { monitorOperations } from './monitor';
import { recoveryOperations } from './recovery';
import { serialOperations } from './serial';
import { settingsOperations } from './settings';
import { telemetryOperations } from './telemetry-api';
import { fleetOperations } from './fleet-api';
import { hawkbitOperations } from './hawkbit-api';
import { updateOperations } from './updates-api';
import { pluginOperations } from './plugins-api';
import { nodeOperations } from './nodes-api';
import { backupPlacesOperations } from './backup-places-api';

import { BACKUP_PLACES_ROUTES } from './backup-places-routes';

export { appInfoSchema, type AppInfo } from './app';

/**
 * The one contract of Rigger's API: every operation the UI, the CLI and the REST server may
 * call, with the zod schemas of its input and output. The IPC bridge, the HTTP server and the
 * ApiClient are generic over this table; nothing registers a handler by hand. Each area keeps
 * its part of the table in its own contract file.
 */

export const operations = {
  ...appOperations,
  ...gatewayOperations,
  ...settingsOperations,
  ...imageOperations,
  ...keyOperations,
  ...monitorOperations,
  ...updateOperations,
  ...recoveryOperations,
  ...serialOperations,
  ...telemetryOperations,
  ...pluginOperations,
  ...nodeOperations,
  ...backupOperations,
  ...backupPlacesOperations,
  ...fleetOperations,
  ...hawkbitOperations,
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationInput<K extends OperationName> = z.input<Operations[K]['input']>;
export type OperationParsedInput<K extends OperationName> = z.output<Operations[K]['input']>;
export type OperationOutput<K extends OperationName> = z.output<Operations[K]['output']>;
export const OPERATION_NAMES = Object.keys(operations) as OperationName[];

/** Is this string one of the API's operations? */
export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(operations, name);
}

/** The core's implementation of the contract: one async function per operation. */
export type ApiHandlers = {
  [K in OperationName]: (input: OperationParsedInput<K>) => Promise<OperationOutput<K>>;
};

/** One seed-compatible REST path, mapped to an operation. */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The seed's path; `{name}` segments become input fields of that name. */
  path: string;
  op: OperationName;
  /** Query parameters renamed on the way in (the seed's `gateway` is the registry's `name`). */
  rename?: Record<string, string>;
  /**
   * The body may also be a multipart form whose file part has this name (streamed to disk): into
   * the image library's upload folder, or backup imports' own (`into`), each with its own bound.
   */
  upload?: { field: string; as: string; into?: 'backup-imports' };
  /** Query parameters that carry a comma-separated list. */
  lists?: string[];
}

/** Seed-compatible REST paths served in browser mode, mapped to operations. */
export const REST_ROUTES: ReadonlyArray<RestRoute> = [
  {
    method: 'GET',
    path: '/cloud-integration/gateway/status',
    op: 'gateways.status',
    rename: { gateway: 'name' },
  },
  { method: 'GET', path: '/cloud-integration/settings', op: 'settings.get' },
  { method: 'POST', path: '/cloud-integration/settings/update', op: 'settings.update' },
  { method: 'GET', path: '/cloud-integration/updates/check', op: 'updates.check' },
  { method: 'GET', path: '/cloud-integration/monitor/logs', op: 'monitor.logs' },
  { method: 'GET', path: '/cloud-integration/monitor/debug', op: 'monitor.debug' },
  {
    method: 'POST',
    path: '/cloud-integration/upload/verify',
    op: 'upload.verify',
    upload: { field: 'file', as: 'upload' },
  },
  { method: 'GET', path: '/cloud-integration/updates/plan', op: 'updates.plan' },
  { method: 'POST', path: '/cloud-integration/updates/download', op: 'updates.download' },
  { method: 'GET', path: '/cloud-integration/updates/progress', op: 'updates.progress' },
  { method: 'POST', path: '/cloud-integration/updates/install', op: 'updates.install' },
  { method: 'POST', path: '/cloud-integration/upload/deploy', op: 'upload.deploy' },
  { method: 'GET', path: '/cloud-integration/safety/status', op: 'safety.status' },
  { method: 'POST', path: '/cloud-integration/safety/override', op: 'safety.override' },
  { method: 'GET', path: '/cloud-integration/jobs', op: 'jobs.list' },
  { method: 'POST', path: '/cloud-integration/jobs/cancel', op: 'jobs.cancel' },
  { method: 'GET', path: '/cloud-integration/history/updates', op: 'history.updates' },
  { method: 'GET', path: '/cloud-integration/recovery/status', op: 'recovery.status' },
  { method: 'POST', path: '/cloud-integration/recovery/rollback', op: 'recovery.rollback' },
  { method: 'POST', path: '/cloud-integration/recovery/restore', op: 'recovery.restore' },
  { method: 'POST', path: '/cloud-integration/recovery/factory', op: 'recovery.factory' },
  { method: 'POST', path: '/cloud-integration/monitor/snapshot', op: 'monitor.snapshot' },
  { method: 'GET', path: '/cloud-integration/monitor/status', op: 'monitor.status' },
  // The seed's telemetry service (devices-ota-telemetry-api.md), on the admin server.
  { method: 'GET', path: '/api/v1/telemetry/alerts', op: 'alerts.list' },
  { method: 'GET', path: '/api/v1/telemetry/alerts/history', op: 'alerts.history' },
  { method: 'POST', path: '/api/v1/telemetry/alerts', op: 'alerts.add' },
  { method: 'DELETE', path: '/api/v1/telemetry/alerts/{id}', op: 'alerts.remove' },
  { method: 'POST', path: '/api/v1/telemetry/fleet/analytics', op: 'telemetry.fleetAnalytics' },
  {
    method: 'GET',
    path: '/api/v1/telemetry/fleet/analytics',
    op: 'telemetry.fleetAnalytics',
    lists: ['metrics'],
  },
  {
    method: 'GET',
    path: '/api/v1/telemetry/{device_id}',
    op: 'telemetry.query',
    lists: ['metrics'],
  },
  { method: 'POST', path: '/api/v1/telemetry/{device_id}/aggregate', op: 'telemetry.aggregate' },
  {
    method: 'GET',
    path: '/api/v1/telemetry/{device_id}/aggregate',
    op: 'telemetry.aggregate',
    lists: ['metrics', 'aggregation'],
  },
  ...BACKUP_ROUTES,
  ...BACKUP_PLACES_ROUTES,
  // The seed's device and OTA services (devices-ota-telemetry-api.md), on the admin server.
  { method: 'POST', path: '/api/v1/devices', op: 'devices.register' },
  { method: 'GET', path: '/api/v1/devices', op: 'devices.list' },
  { method: 'GET', path: '/api/v1/devices/{device_id}', op: 'devices.get' },
  { method: 'PATCH', path: '/api/v1/devices/{device_id}', op: 'devices.update' },
  { method: 'POST', path: '/api/v1/devices/{device_id}/decommission', op: 'devices.decommission' },
  {
    method: 'POST',
    path: '/api/v1/ota/firmware',
    op: 'firmware.add',
    upload: { field: 'file', as: 'upload' },
  },
  { method: 'GET', path: '/api/v1/ota/firmware', op: 'firmware.list' },
  { method: 'GET', path: '/api/v1/ota/check', op: 'ota.check' },
  { method: 'POST', path: '/api/v1/ota/devices/{device_id}/update', op: 'ota.trigger' },
  { method: 'GET', path: '/api/v1/ota/devices/{device_id}/status', op: 'ota.status' },
  { method: 'POST', path: '/api/v1/ota/devices/{device_id}/rollback', op: 'ota.rollback' },
  { method: 'POST', path: '/api/v1/ota/batch-update', op: 'ota.batchUpdate' },
  { method: 'GET', path: '/api/v1/ota/rollouts', op: 'rollouts.list' },
  { method: 'GET', path: '/api/v1/ota/rollouts/{rollout_id}', op: 'rollouts.get' },
  { method: 'POST', path: '/api/v1/ota/rollouts/{rollout_id}/pause', op: 'rollouts.pause' },
  { method: 'POST', path: '/api/v1/ota/rollouts/{rollout_id}/resume', op: 'rollouts.resume' },
  { method: 'POST', path: '/api/v1/ota/rollouts/{rollout_id}/cancel', op: 'rollouts.cancel' },
  {
    method: 'POST',
    path: '/api/v1/ota/rollouts/{rollout_id}/devices/{device_id}/skip',
    op: 'rollouts.skip',
  },
];
