import type { ConfigExport } from '../../../shared/backup-places-api';
import type { Gateway } from '../../../shared/gateways';
import type { BackupManifest } from '../backup/manifest';

/** Config-like components: what a configuration export is made of. */
const CONFIG_COMPONENTS = new Set(['config', 'network', 'acs', 'zoning', 'database']);

/**
 * The seed's "Export Configuration" for one gateway: its configuration components as its
 * newest backup recorded them (every file with its SHA-256, not its content), and Rigger's
 * settings for it, with each secret left out and named in `secrets_omitted`.
 */
export function exportConfig(d: {
  gateway: Gateway;
  model: string | null;
  latest: BackupManifest | null;
  exportedBy: string;
  reason?: string;
  now: Date;
}): ConfigExport {
  const g = d.gateway;
  const omitted: string[] = [];
  const connection: Record<string, unknown> = { ...g.connection };
  const auth = { ...(g.connection.auth as Record<string, unknown>) };
  if ('password' in auth) {
    delete auth.password;
    omitted.push('connection.auth.password');
  }
  connection.auth = auth;
  const modules: Record<string, unknown> = {};
  const m = d.latest;
  if (m) {
    for (const [name, c] of Object.entries(m.components)) {
      if (!CONFIG_COMPONENTS.has(name) && Object.keys(m.components).length > 1) continue;
      modules[name] = {
        from_backup: m.id,
        backed_up_at: m.created_at,
        paths: c.paths,
        files: m.entries
          .filter((e) => e.component === name && e.type === 'file')
          .slice(0, 10_000)
          .map((e) => ({ path: e.path, size: e.size, sha256: e.sha256, mode: e.mode })),
      };
    }
  }
  return {
    export_type: 'configuration',
    timestamp: d.now.toISOString(),
    gateway: {
      id: m?.gateway.gateway_id ?? g.name,
      version: m?.gateway.version ?? null,
      name: g.name,
    },
    modules,
    settings: {
      profile: g.profile,
      model: d.model,
      connection,
      host_key: g.host_key,
    },
    metadata: {
      exported_by: d.exportedBy,
      ...(d.reason ? { export_reason: d.reason } : {}),
      secrets_omitted: omitted,
      ...(m ? {} : { note: 'No backup of this gateway yet: modules are empty until one is taken' }),
    },
  };
}
