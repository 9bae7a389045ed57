import { ACTIVE_STATUSES } from '../../../shared/jobs';
import type { MonitorStatus } from '../../../shared/recovery';
import { shq } from '../gateways/session';
import { seedSize } from '../../../shared/format/bytes';
import { seedTime } from '../../../shared/format/time';
import type { RecoveryDeps } from './context';

/** The seed's monitor/status for one gateway: Rigger's jobs on it, its health and resources. */
export async function monitorStatus(
  d: RecoveryDeps,
  gateway: string,
  lastCatalog: string | null,
): Promise<MonitorStatus> {
  const jobs = d.engine.store.list({ gateway, limit: 100 });
  const active = jobs.filter((j) => ACTIVE_STATUSES.includes(j.status) && j.status !== 'pending');
  const queued = jobs.filter((j) => j.status === 'pending' || j.status === 'downloaded');
  const status = await d.gateways.status(gateway, 'pinned-only');
  const { profile, session } = await d.gateways.session(gateway);
  const recovery = profile.recovery?.device;
  const r = await session.exec(
    [
      `df -Pk ${shq(profile.data_paths[0] ?? '/')} | tail -n 1`,
      `grep MemAvailable /proc/meminfo`,
      recovery ? `[ -e ${shq(recovery)} ] && echo recovery-present` : 'true',
    ].join('; '),
    { timeoutMs: 15000 },
  );
  const out = r.stdout.toString('utf8');
  const avail = Number(out.split('\n')[0]?.trim().split(/\s+/)[3]);
  const mem = /MemAvailable:\s+(\d+)/.exec(out);
  const safety = await d.safety.status(gateway).catch(() => null);
  const settings = d.settings.get();
  const enabled = Object.values(settings.safety_constraints).some((v) => v === true);
  const now = active[0];
  return {
    system_status: now ? now.status : 'idle',
    current_operation: now ? now.operation : 'none',
    last_update_check: lastCatalog ? seedTime(new Date(lastCatalog)) : null,
    next_check: null,
    auto_update: settings.auto_update.enabled ? 'enabled' : 'disabled',
    active_jobs: active.length,
    queued_jobs: queued.length,
    health: {
      system: status.warnings.length ? 'degraded' : 'healthy',
      partitions:
        status.boot === null ? 'unknown' : status.boot.consistent ? 'healthy' : 'degraded',
      recovery: !recovery ? 'missing' : out.includes('recovery-present') ? 'ready' : 'missing',
      safety: safety?.overridden.length ? 'overridden' : enabled ? 'enabled' : 'disabled',
    },
    resources: {
      disk_free: Number.isFinite(avail) ? seedSize(avail * 1024) : null,
      memory_free: mem ? seedSize(Number(mem[1]) * 1024) : null,
      cpu_idle: status.system.cpu_usage === null ? null : 100 - status.system.cpu_usage,
      network_available:
        status.system.network_status === null ? null : status.system.network_status === 'connected',
    },
  };
}
