import type { RiggerErrorData } from '../../../src/shared/errors';
import type { Job } from '../../../src/shared/jobs';
import type { UpdateProgress } from '../../../src/shared/ota';
import type { SafetyStatus } from '../../../src/shared/safety';
import type { Offer } from '../../../src/renderer/src/stores/updates';

/** A progress answer as the core gives it; `error` set for a job that ended badly. */
export function sampleProgress(
  status: UpdateProgress['status'],
  error: Partial<RiggerErrorData> | null = null,
  jobId = 'OTA-JOB-1',
): UpdateProgress {
  return {
    status,
    job_id: jobId,
    progress: {
      percentage: status === 'success' ? 100 : 40,
      current_operation: status === 'downloading' ? 'writing_image' : 'pending',
      speed: status === 'downloading' ? '12.5MB/s' : null,
      downloaded: '10MB',
      total: '24MB',
      eta: '00:02',
      elapsed: '00:01',
    },
    update: { version: 'v5.0.5', type: 'security', target_partition: 'B' },
    status_details: { bytes_downloaded: 0, bytes_total: 0, connections: 1, errors: 0, retries: 0 },
    error: error as Record<string, unknown> | null,
  };
}

/** A job row as `jobs.list` gives it. */
export function sampleJob(over: Partial<Job> = {}): Job {
  return {
    id: 'OTA-JOB-1',
    type: 'update',
    subtype: 'download',
    status: 'downloading',
    progress: 40,
    started: '2026-01-01 10:00:00',
    estimated_completion: null,
    update: { version: 'v5.0.5', size: '24MB' },
    user: 'local',
    cancelable: true,
    gateway: 'crane-7',
    current_operation: 'writing_image',
    resumable: false,
    error: null,
    ...over,
  };
}

const ok = (status: string) => ({ enabled: true, blocking: false, status });

/** The crane's signals, all clear unless `over` says otherwise. */
export function sampleSafety(over: Partial<SafetyStatus> = {}): SafetyStatus {
  return {
    constraints: {
      crane_motion: ok('idle'),
      acs_collision: ok('clear'),
      ups_battery: ok('95'),
      network_connectivity: ok('connected'),
      disk_space: ok('ok'),
    },
    force_override: false,
    update_allowed: true,
    safety_score: 100,
    recommendations: [],
    overridden: [],
    ...over,
  };
}

/** An offer of `updates.check`: downloaded, verified, fitting. */
export function sampleOffer(over: Partial<Offer> = {}): Offer {
  return {
    id: 'univa-gw-pro-v5.0.5',
    version: 'v5.0.5',
    type: 'security',
    severity: 'critical',
    size: 24,
    size_unit: 'MB',
    released: '2025-03-15',
    description: 'Security fixes',
    changelog: [],
    signature: 'verified',
    compatible: true,
    prerequisites: [],
    checksum: 'sha256:00',
    download_url: null,
    downloaded: true,
    ...over,
  };
}
