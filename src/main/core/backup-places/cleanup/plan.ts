import { createHash } from 'node:crypto';
import type { BackupRecord, CleanupRequest } from '../../../../shared/backup-places';
import { RiggerError } from '../../../../shared/errors';
import { parseSize } from '../size-text';
import { applyRules, parseRule } from './retention';

/** What a schedule's retention still needs: its newest `retention_count` backups per gateway. */
export interface RetentionNeed {
  schedule_id: string;
  gateway?: string;
  site?: string;
  type: string;
  retention_count: number;
}

export interface PlanInput {
  records: BackupRecord[];
  request: CleanupRequest;
  now: Date;
  /** Size of each content-addressed blob; a blob not listed counts its file's size. */
  blobSizes?: Map<string, number>;
  /** Free bytes where the backups lie, for `min_free_space`. */
  freeBytes?: number;
  schedules?: RetentionNeed[];
  timeZone?: string;
}

export interface PlannedRemoval {
  id: string;
  gateway: string;
  created_at: string;
  reasons: string[];
}

export interface CleanupPlanBody {
  /** Digest of the backups the plan was made from: any change makes the plan stale. */
  fingerprint: string;
  total_backups: number;
  remove: PlannedRemoval[];
  keep: string[];
  protected: { id: string; reasons: string[] }[];
  bytes_freed: number;
  /** Bytes still missing to reach `min_free_space` after every removable backup is gone. */
  shortfall_bytes: number;
}

/** Digest of the set of backups (id and flags), so a plan knows when it no longer fits. */
export function fingerprintOf(records: BackupRecord[]): string {
  const lines = records
    .map((r) => `${r.id}|${r.verified ? 1 : 0}|${r.protected ? 1 : 0}|${r.status}`)
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

function blobsOf(r: BackupRecord): { id: string; size: number }[] {
  if (r.blobs) return r.blobs.map((b) => ({ id: b, size: -1 }));
  return r.files.map((f) => ({ id: f.sha256, size: f.size }));
}

/** Bytes referenced by the removed backups and by no other backup: what deleting them frees. */
export function bytesFreed(
  all: BackupRecord[],
  removed: Set<string>,
  blobSizes: Map<string, number> = new Map(),
): number {
  const stillUsed = new Set<string>();
  for (const r of all) if (!removed.has(r.id)) for (const b of blobsOf(r)) stillUsed.add(b.id);
  const freed = new Map<string, number>();
  for (const r of all) {
    if (!removed.has(r.id)) continue;
    for (const b of blobsOf(r)) {
      if (stillUsed.has(b.id) || freed.has(b.id)) continue;
      freed.set(b.id, blobSizes.get(b.id) ?? Math.max(0, b.size));
    }
  }
  let sum = 0;
  for (const v of freed.values()) sum += v;
  return sum;
}

function protections(records: BackupRecord[], needs: RetentionNeed[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (id: string, why: string) => out.set(id, [...(out.get(id) ?? []), why]);
  const newestFirst = [...records].sort((a, b) => b.created_at.localeCompare(a.created_at));
  const lastVerified = new Set<string>();
  for (const r of newestFirst) {
    if (r.protected) add(r.id, 'marked protected');
    if (r.verified && !lastVerified.has(r.gateway)) {
      lastVerified.add(r.gateway);
      add(r.id, 'last verified backup of its gateway');
    }
  }
  for (const need of needs) {
    const perGateway = new Map<string, number>();
    for (const r of newestFirst) {
      if (r.type !== need.type) continue;
      if (need.gateway && r.gateway !== need.gateway) continue;
      if (need.site && r.site !== need.site) continue;
      const n = perGateway.get(r.gateway) ?? 0;
      if (n >= need.retention_count) continue;
      perGateway.set(r.gateway, n + 1);
      add(r.id, `retention of schedule ${need.schedule_id}`);
    }
  }
  return out;
}

/**
 * The cleanup a request asks for, computed and nothing done: which backups go (and why), which
 * are protected, and exactly how many bytes their removal frees. Rules apply per gateway;
 * failed backups hold no data and take no part.
 */
export function planCleanup(input: PlanInput): CleanupPlanBody {
  const { request, now } = input;
  const rulesText = request.retention_policy;
  const rules = (Array.isArray(rulesText) ? rulesText : rulesText ? [rulesText] : []).map(
    parseRule,
  );
  if (!rules.length && request.max_age_days === undefined && !request.min_free_space) {
    throw new RiggerError('VALIDATION_ERROR', 'A cleanup needs at least one policy', {}, [
      'Give retention_policy (keep_last_N, keep_daily_N, …), max_age_days or min_free_space',
    ]);
  }
  const inScope = input.records.filter(
    (r) =>
      r.status === 'completed' &&
      (!request.storage_locations ||
        !r.locations ||
        r.locations.some((l) => request.storage_locations!.includes(l))),
  );
  const guarded = protections(inScope, input.schedules ?? []);
  const reasons = new Map<string, string[]>();
  const byGateway = new Map<string, BackupRecord[]>();
  for (const r of inScope) byGateway.set(r.gateway, [...(byGateway.get(r.gateway) ?? []), r]);
  for (const group of byGateway.values()) {
    const kept = rules.length ? applyRules(group, rules, input.timeZone) : null;
    for (const r of group) {
      const why: string[] = [];
      if (kept && !kept.has(r.id))
        why.push(`not kept by ${rules.map((x) => `keep_${x.kind}_${x.count}`).join(', ')}`);
      const ageDays = (now.getTime() - Date.parse(r.created_at)) / 86_400_000;
      if (request.max_age_days !== undefined && ageDays > request.max_age_days)
        why.push(`older than ${request.max_age_days} days`);
      if (why.length && !guarded.has(r.id)) reasons.set(r.id, why);
    }
  }
  const removed = new Set(reasons.keys());
  let freed = bytesFreed(input.records, removed, input.blobSizes);
  let shortfall = 0;
  if (request.min_free_space && input.freeBytes !== undefined) {
    const want = parseSize(request.min_free_space);
    const oldestFirst = [...inScope].sort((a, b) => a.created_at.localeCompare(b.created_at));
    for (const r of oldestFirst) {
      if (input.freeBytes + freed >= want) break;
      if (removed.has(r.id) || guarded.has(r.id)) continue;
      removed.add(r.id);
      reasons.set(r.id, [`to reach ${request.min_free_space} free`]);
      freed = bytesFreed(input.records, removed, input.blobSizes);
    }
    shortfall = Math.max(0, want - (input.freeBytes + freed));
  }
  const remove = inScope
    .filter((r) => removed.has(r.id))
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .map((r) => ({
      id: r.id,
      gateway: r.gateway,
      created_at: r.created_at,
      reasons: reasons.get(r.id)!,
    }));
  return {
    fingerprint: fingerprintOf(input.records),
    total_backups: inScope.length,
    remove,
    keep: inScope.filter((r) => !removed.has(r.id)).map((r) => r.id),
    protected: [...guarded].map(([id, why]) => ({ id, reasons: why })),
    bytes_freed: freed,
    shortfall_bytes: shortfall,
  };
}
