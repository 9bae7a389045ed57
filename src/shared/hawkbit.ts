import { z } from 'zod';
import type { HawkbitImage, HawkbitInstallRecord, HawkbitRollout } from './hawkbit-offer';

/**
 * Eclipse hawkBit's Direct Device Integration (DDI) API v1 as Rigger reads and writes it
 * (models DdiControllerBase, DdiDeploymentBase, DdiCancel, DdiActionFeedback, DdiConfigData),
 * plus Rigger's own connection settings and sync report. Unknown fields from the server are
 * ignored, as hawkBit's own models do; the values Rigger relies on are checked.
 */

const link = z.object({ href: z.url().max(2048) });

/** `HH:MM:SS`, the form of `config.polling.sleep`. */
export const pollingSleep = z.string().regex(/^\d{2}:[0-5]\d:[0-5]\d$/, 'must be HH:MM:SS');

/** The base resource `GET /{tenant}/controller/v1/{controllerId}`. */
export const ddiControllerBaseSchema = z.object({
  config: z.object({ polling: z.object({ sleep: pollingSleep }) }),
  _links: z
    .object({
      deploymentBase: link.optional(),
      cancelAction: link.optional(),
      configData: link.optional(),
      installedBase: link.optional(),
    })
    .default({}),
});
export type DdiControllerBase = z.infer<typeof ddiControllerBaseSchema>;

export const HANDLING = ['skip', 'attempt', 'forced'] as const;
export type Handling = (typeof HANDLING)[number];

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${n}}$`));

/** Largest artifact Rigger takes from a server: a root filesystem image, with room. */
export const MAX_ARTIFACT_BYTES = 16 * 1024 ** 3;

export const ddiArtifactSchema = z.object({
  filename: z
    .string()
    .min(1)
    .max(255)
    .refine((f) => !/[/\\]/.test(f) && f !== '.' && f !== '..', 'a file name, not a path'),
  hashes: z.object({ sha1: hex(40), md5: hex(32), sha256: hex(64).optional() }),
  size: z.number().int().min(0).max(MAX_ARTIFACT_BYTES),
  _links: z.object({ download: link.optional(), 'download-http': link.optional() }),
});
export type DdiArtifact = z.infer<typeof ddiArtifactSchema>;

export const ddiChunkSchema = z.object({
  part: z.string().max(128),
  version: z.string().max(128),
  name: z.string().max(256),
  artifacts: z.array(ddiArtifactSchema).max(64).default([]),
  metadata: z
    .array(z.object({ key: z.string().max(256), value: z.string().max(4096) }))
    .max(64)
    .optional(),
});
export type DdiChunk = z.infer<typeof ddiChunkSchema>;

/** `GET …/deploymentBase/{actionId}`. */
export const ddiDeploymentBaseSchema = z.object({
  id: z.string().regex(/^\d{1,19}$/),
  deployment: z.object({
    download: z.enum(HANDLING).optional(),
    update: z.enum(HANDLING).optional(),
    maintenanceWindow: z.enum(['available', 'unavailable']).optional(),
    chunks: z.array(ddiChunkSchema).max(32),
  }),
});
export type DdiDeploymentBase = z.infer<typeof ddiDeploymentBaseSchema>;

/** `GET …/cancelAction/{actionId}`. */
export const ddiCancelSchema = z.object({
  id: z.string().regex(/^\d{1,19}$/),
  cancelAction: z.object({ stopId: z.string().regex(/^\d{1,19}$/) }),
});
export type DdiCancel = z.infer<typeof ddiCancelSchema>;

export const EXECUTIONS = [
  'closed',
  'proceeding',
  'canceled',
  'scheduled',
  'rejected',
  'resumed',
  'downloaded',
  'download',
] as const;
export type Execution = (typeof EXECUTIONS)[number];
export type Finished = 'success' | 'failure' | 'none';

/**
 * DdiActionFeedback. `time` is the ISO time the step happened (older servers' field) and
 * `timestamp` the same in epoch milliseconds (newer servers' field); each server reads its own
 * and ignores the other.
 */
export interface DdiFeedback {
  time: string;
  timestamp: number;
  status: {
    execution: Execution;
    result: { finished: Finished; progress?: { cnt: number; of: number } };
    code?: number;
    details: string[];
  };
}

/** DdiConfigData: the controller attributes Rigger pushes. */
export interface DdiConfigData {
  mode: 'merge' | 'replace' | 'remove';
  data: Record<string, string>;
}

/** A hawkBit connection as settings keep it (the gateway token lives in the keychain). */
export const hawkbitConnectionSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2048),
  tenant: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tenant is letters, digits, _ and -')
    .default('DEFAULT'),
  /** PEM of a private CA the server's certificate must chain to. */
  ca_pem: z
    .string()
    .max(64 * 1024)
    .optional(),
  /** Rigger gateway name → hawkBit controllerId; unmapped gateways use their identity id. */
  controllers: z
    .record(
      z.string().min(1).max(128),
      z.string().regex(/^[A-Za-z0-9._:-]{1,256}$/, 'a controllerId'),
    )
    .default({}),
  /** Management API user for offline reports; its password lives in the keychain. */
  management_user: z.string().min(1).max(128).optional(),
});
export type HawkbitConnection = z.infer<typeof hawkbitConnectionSchema>;

/** What a sync did for one gateway. */
export interface HawkbitGatewaySync {
  gateway: string;
  controller_id: string;
  ok: boolean;
  error?: { code: string; message: string; status?: number };
  /** Actions fetched (or already known) and what became of their download. */
  actions: Array<{
    action_id: string;
    state: ActionState;
    version: string;
    forced: boolean;
    maintenance_window?: 'available' | 'unavailable';
    files: string[];
  }>;
  /** Every DDI feedback sent, in order. */
  sent: Array<{
    action_id: string;
    channel: 'deploymentBase' | 'cancelAction';
    execution: Execution;
    finished: Finished;
  }>;
  config_data_sent: boolean;
  offline_reported: Array<{ version: string; distribution_set_id: number }>;
  not_reported: Array<{ version: string; reason: string }>;
  next_poll_at?: string;
  /** What went wrong without failing the sync (an artifact the image library would not take). */
  warnings: string[];
}

export const ACTION_STATES = [
  'open',
  'downloaded',
  'failed',
  'canceled',
  'installed',
  'closed',
] as const;
export type ActionState = (typeof ACTION_STATES)[number];

/** An install done at the crane, as the OTA wiring records it for the next sync. */
export const installOutcomeSchema = z.strictObject({
  gateway: z.string().min(1).max(128),
  /** The hawkBit action the install carried out; none for an update outside any action. */
  action_id: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
  version: z.string().min(1).max(128),
  result: z.enum(['success', 'failure']),
  started_at: z.iso.datetime({ offset: true }),
  finished_at: z.iso.datetime({ offset: true }),
  reason: z.string().max(2000).optional(),
  /** Set when the gateway fell back to its previous slot. */
  rollback: z
    .strictObject({ to_version: z.string().max(128), at: z.iso.datetime({ offset: true }) })
    .optional(),
  /** The install's steps with the times they happened. */
  steps: z
    .array(z.strictObject({ at: z.iso.datetime({ offset: true }), line: z.string().max(500) }))
    .max(200)
    .default([]),
  /** For an update outside any action: the hawkBit distribution set it is, where known. */
  distribution_set_id: z.number().int().positive().optional(),
});
export type InstallOutcome = z.infer<typeof installOutcomeSchema>;

/** An action hawkBit wants carried out on a gateway, as the Fleet page and the CLI show it. */
export interface HawkbitAssignment {
  gateway: string;
  controller_id: string;
  action_id: string;
  version: string;
  download: Handling;
  update: Handling;
  maintenance_window?: 'available' | 'unavailable';
  state: ActionState;
  chunks: Array<{ part: string; name: string; version: string }>;
  files: string[];
  fetched_at: string;
  cancel_requested: boolean;
  /** "hawkBit wants 5.0.5 on crane-7 (action 42, forced / attempt, maintenance window available)" */
  summary: string;
  /** The library image its artifact became (null until the library took it, or once removed). */
  image: HawkbitImage | null;
  /** Installable at the crane now (downloaded, not canceled, a verified image in the library). */
  offered: boolean;
  /** Why it is not offered and what to do, in words. */
  problem: string | null;
  /** The install done at the crane for it, as journaled for hawkBit. */
  install: HawkbitInstallRecord | null;
  /** The rollout hawkBit assigned it by (Management API only; DDI does not carry it). */
  rollout: HawkbitRollout | null;
}

/** A message to hawkBit still in the journal. */
export interface HawkbitPending {
  gateway: string;
  controller_id: string;
  action_id: string | null;
  channel: 'deploymentBase' | 'cancelAction' | 'assignedDS';
  queued_at: string;
  /** Why it cannot be sent yet (no Management credentials, no distribution set, ...). */
  not_reported: string | null;
}
