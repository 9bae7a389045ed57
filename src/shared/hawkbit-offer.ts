import { z } from 'zod';

/**
 * What Rigger shows of a hawkBit action at the crane beyond DDI's own fields: the rollout it
 * belongs to (the Management API's, as it was when fetched), the install recorded against it,
 * and the library image its artifact became.
 */

/** One group of a rollout (MgmtRolloutGroupResponseBody, the fields Rigger shows). */
export const hawkbitRolloutGroupSchema = z.object({
  id: z.number().int(),
  name: z.string().max(256),
  status: z.string().max(64),
  total_targets: z.number().int().min(0),
  target_percentage: z.number().min(0).max(100).optional(),
  /** The group this gateway's target was assigned to. */
  holds_target: z.boolean(),
});

/** A rollout as hawkBit assigned it (MgmtAction's `rollout`/`rolloutName`, then its deploygroups). */
export const hawkbitRolloutSchema = z.object({
  id: z.number().int(),
  name: z.string().max(256),
  groups: z.array(hawkbitRolloutGroupSchema).max(500),
  /** More groups than Rigger reads (it reads the first 100). */
  more_groups: z.boolean(),
  fetched_at: z.string(),
});
export type HawkbitRollout = z.infer<typeof hawkbitRolloutSchema>;

/** The install done at the crane for an action, as journaled for hawkBit (and whether it went). */
export const hawkbitInstallRecordSchema = z.object({
  result: z.enum(['success', 'failure']),
  finished_at: z.string(),
  /** Each step with the time it happened, then the reason, the rollback and the summary. */
  details: z.array(z.string()),
  /** When the next sync told hawkBit; null while it waits in the journal. */
  reported_at: z.string().nullable(),
});
export type HawkbitInstallRecord = z.infer<typeof hawkbitInstallRecordSchema>;

/** The library image an action's artifact became. */
export const hawkbitImageSchema = z.object({
  id: z.string(),
  version: z.string(),
  signature: z.string(),
});
export type HawkbitImage = z.infer<typeof hawkbitImageSchema>;
