import type { ActionState, DdiControllerBase, DdiDeploymentBase } from '../../../shared/hawkbit';
import type { HawkbitRollout } from '../../../shared/hawkbit-offer';
import type { Database } from '../store/database';

export interface JournalAction {
  controllerId: string;
  actionId: string;
  gateway: string;
  deployment: DdiDeploymentBase;
  state: ActionState;
  files: string[];
  error: string | null;
  fetchedAt: string;
  cancelRequestedAt: string | null;
  /** Library image ids its artifacts became (empty until the library took them). */
  images: string[];
  /** Why the library did not take an artifact, when it did not. */
  libraryNote: string | null;
  rollout: HawkbitRollout | null;
}

export type OutboxChannel = 'deploymentBase' | 'cancelAction' | 'assignedDS';

export interface OutboxRow {
  id: number;
  controllerId: string;
  gateway: string;
  actionId: string | null;
  channel: OutboxChannel;
  body: unknown;
  dedupe: string;
  createdAt: string;
  sentAt: string | null;
  notReported: string | null;
}

export interface ControllerState {
  etag: string | null;
  base: DdiControllerBase | null;
  nextPollAt: string | null;
}

/**
 * The courier's memory in SQLite: what each controller's last poll said, the actions fetched
 * before a visit, and an outbox of everything still to tell hawkBit. Writes are single
 * statements or transactions, so a laptop that dies between an install and a sync loses nothing.
 */
export interface HawkbitJournal {
  controller(controllerId: string): ControllerState;
  savePoll(
    controllerId: string,
    gateway: string,
    etag: string | null,
    base: DdiControllerBase,
    at: string,
    nextPollAt: string,
  ): void;
  /** Record an action as fetched (a known one keeps its state). */
  saveAction(
    controllerId: string,
    gateway: string,
    d: DdiDeploymentBase,
    at: string,
  ): JournalAction;
  action(controllerId: string, actionId: string): JournalAction | null;
  actions(filter?: { controllerId?: string; gateway?: string }): JournalAction[];
  setState(
    controllerId: string,
    actionId: string,
    state: ActionState,
    extra?: { files?: string[]; error?: string | null },
  ): void;
  markCancelRequested(controllerId: string, actionId: string, at: string): void;
  /** The library images an action's artifacts became, and why one was refused. */
  setImages(controllerId: string, actionId: string, images: string[], note: string | null): void;
  setRollout(controllerId: string, actionId: string, rollout: HawkbitRollout): void;
  /** Queue a message once: false when its `dedupe` key was queued before. */
  queue(row: Omit<OutboxRow, 'id' | 'sentAt' | 'notReported'>): boolean;
  queued(dedupe: string): OutboxRow | null;
  /** Unsent messages of a controller: cancel answers first, then oldest first (not-reported ones included). */
  pending(controllerId: string): OutboxRow[];
  outbox(filter?: { gateway?: string }): OutboxRow[];
  markSent(id: number, at: string): void;
  markNotReported(id: number, reason: string): void;
  /** Run `fn` in one transaction. */
  atomically<T>(fn: () => T): T;
}

interface ActionRow {
  controller_id: string;
  action_id: string;
  gateway: string;
  deployment: string;
  state: ActionState;
  files: string;
  error: string | null;
  fetched_at: string;
  cancel_requested_at: string | null;
  images: string;
  library_note: string | null;
  rollout: string | null;
}
interface OutRow {
  id: number;
  controller_id: string;
  gateway: string;
  action_id: string | null;
  channel: OutboxChannel;
  body: string;
  dedupe: string;
  created_at: string;
  sent_at: string | null;
  not_reported: string | null;
}

const toAction = (r: ActionRow): JournalAction => ({
  controllerId: r.controller_id,
  actionId: r.action_id,
  gateway: r.gateway,
  deployment: JSON.parse(r.deployment) as DdiDeploymentBase,
  state: r.state,
  files: JSON.parse(r.files) as string[],
  error: r.error,
  fetchedAt: r.fetched_at,
  cancelRequestedAt: r.cancel_requested_at,
  images: JSON.parse(r.images) as string[],
  libraryNote: r.library_note,
  rollout: r.rollout ? (JSON.parse(r.rollout) as HawkbitRollout) : null,
});
const toOut = (r: OutRow): OutboxRow => ({
  id: r.id,
  controllerId: r.controller_id,
  gateway: r.gateway,
  actionId: r.action_id,
  channel: r.channel,
  body: JSON.parse(r.body) as unknown,
  dedupe: r.dedupe,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  notReported: r.not_reported,
});

/** The journal over Rigger's database (the hawkbit_* tables of its migration). */
export function createHawkbitJournal(db: Database): HawkbitJournal {
  const q = {
    controller: db.prepare(
      'SELECT etag, base, next_poll_at FROM hawkbit_controllers WHERE controller_id = ?',
    ),
    savePoll: db.prepare(`
      INSERT INTO hawkbit_controllers (controller_id, gateway, etag, base, polled_at, next_poll_at)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (controller_id) DO UPDATE SET gateway = excluded.gateway, etag = excluded.etag,
        base = excluded.base, polled_at = excluded.polled_at, next_poll_at = excluded.next_poll_at`),
    insertAction: db.prepare(`
      INSERT INTO hawkbit_actions (controller_id, action_id, gateway, deployment, state, fetched_at)
      VALUES (?, ?, ?, ?, 'open', ?)
      ON CONFLICT (controller_id, action_id) DO UPDATE SET deployment = excluded.deployment`),
    action: db.prepare('SELECT * FROM hawkbit_actions WHERE controller_id = ? AND action_id = ?'),
    actions: db.prepare(`
      SELECT * FROM hawkbit_actions
      WHERE (@c IS NULL OR controller_id = @c) AND (@g IS NULL OR gateway = @g COLLATE NOCASE)
      ORDER BY fetched_at, CAST(action_id AS INTEGER)`),
    setState: db.prepare(`
      UPDATE hawkbit_actions SET state = ?, files = COALESCE(?, files),
        error = CASE WHEN ? THEN ? ELSE error END
      WHERE controller_id = ? AND action_id = ?`),
    cancel: db.prepare(`
      UPDATE hawkbit_actions SET cancel_requested_at = COALESCE(cancel_requested_at, ?)
      WHERE controller_id = ? AND action_id = ?`),
    images: db.prepare(
      'UPDATE hawkbit_actions SET images = ?, library_note = ? WHERE controller_id = ? AND action_id = ?',
    ),
    rollout: db.prepare(
      'UPDATE hawkbit_actions SET rollout = ? WHERE controller_id = ? AND action_id = ?',
    ),
    queue: db.prepare(`
      INSERT OR IGNORE INTO hawkbit_outbox
        (controller_id, gateway, action_id, channel, body, dedupe, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    queued: db.prepare('SELECT * FROM hawkbit_outbox WHERE dedupe = ?'),
    pending: db.prepare(
      // A cancel's answer goes before the action's result, as hawkBit expects them.
      "SELECT * FROM hawkbit_outbox WHERE controller_id = ? AND sent_at IS NULL ORDER BY channel <> 'cancelAction', id",
    ),
    outbox: db.prepare(
      'SELECT * FROM hawkbit_outbox WHERE (@g IS NULL OR gateway = @g COLLATE NOCASE) ORDER BY id',
    ),
    sent: db.prepare('UPDATE hawkbit_outbox SET sent_at = ?, not_reported = NULL WHERE id = ?'),
    notReported: db.prepare('UPDATE hawkbit_outbox SET not_reported = ? WHERE id = ?'),
  };
  const journal: HawkbitJournal = {
    controller(cid) {
      const r = q.controller.get(cid) as
        { etag: string | null; base: string | null; next_poll_at: string | null } | undefined;
      return {
        etag: r?.etag ?? null,
        base: r?.base ? (JSON.parse(r.base) as DdiControllerBase) : null,
        nextPollAt: r?.next_poll_at ?? null,
      };
    },
    savePoll: (cid, gw, etag, base, at, next) =>
      void q.savePoll.run(cid, gw, etag, JSON.stringify(base), at, next),
    saveAction(cid, gw, d, at) {
      q.insertAction.run(cid, d.id, gw, JSON.stringify(d), at);
      return journal.action(cid, d.id) as JournalAction;
    },
    action(cid, aid) {
      const r = q.action.get(cid, aid) as ActionRow | undefined;
      return r ? toAction(r) : null;
    },
    actions: (f = {}) =>
      (q.actions.all({ c: f.controllerId ?? null, g: f.gateway ?? null }) as ActionRow[]).map(
        toAction,
      ),
    setState(cid, aid, state, extra = {}) {
      q.setState.run(
        state,
        extra.files ? JSON.stringify(extra.files) : null,
        extra.error !== undefined ? 1 : 0,
        extra.error ?? null,
        cid,
        aid,
      );
    },
    markCancelRequested: (cid, aid, at) => void q.cancel.run(at, cid, aid),
    setImages: (cid, aid, images, note) =>
      void q.images.run(JSON.stringify(images), note, cid, aid),
    setRollout: (cid, aid, r) => void q.rollout.run(JSON.stringify(r), cid, aid),
    queue: (r) =>
      q.queue.run(
        r.controllerId,
        r.gateway,
        r.actionId,
        r.channel,
        JSON.stringify(r.body),
        r.dedupe,
        r.createdAt,
      ).changes === 1,
    queued(dedupe) {
      const r = q.queued.get(dedupe) as OutRow | undefined;
      return r ? toOut(r) : null;
    },
    pending: (cid) => (q.pending.all(cid) as OutRow[]).map(toOut),
    outbox: (f = {}) => (q.outbox.all({ g: f.gateway ?? null }) as OutRow[]).map(toOut),
    markSent: (id, at) => void q.sent.run(at, id),
    markNotReported: (id, reason) => void q.notReported.run(reason, id),
    atomically: (fn) => db.transaction(fn)(),
  };
  return journal;
}
