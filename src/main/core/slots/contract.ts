import type { Readable } from 'node:stream';
import type { RiggerError } from '../../../shared/errors';
import type { JobStatus } from '../../../shared/jobs';
import type { Profile, SlotId } from '../../../shared/profile';
import type { GatewaySession, SessionCapabilities } from '../gateways/session';
import type { JobContext } from '../jobs/engine';
import type { BlockIndex } from '../transfer/block-index';

/**
 * The one verified slot writer's seam. Updates, snapshot slot restores, disaster recovery and
 * compressed or delta transfers all hand it a source, a target slot, a way to the gateway and a
 * job; it keeps the contract's rules (target unbootable first, checkpoints and resume, the
 * gateway's own read-back of the whole range, the status record last) in one place.
 */

/** A half-open range of slot bytes, `[start, start + length)`. */
export interface ByteRange {
  start: number;
  length: number;
}

/** The bytes that go into the slot: what they are and how to read them again. */
export interface SlotSource {
  /** Library image id, or `snapshot:<id>` for a snapshot's slot image. */
  readonly id: string;
  readonly version: string | null;
  /** Bytes that land in the slot. */
  readonly size: number;
  /** SHA-256 of those bytes: what the gateway's read-back must equal. */
  readonly sha256: string;
  /** A fresh stream of the slot bytes (uncompressed): all of them, or one range (resume, delta). */
  open(range?: ByteRange): Readable;
  /**
   * The bytes as stored on this laptop, when that differs from the slot bytes: a transfer that
   * lets the gateway decompress (`gzip -dc | dd`) sends these as they are.
   */
  readonly stored: { compression: 'gzip' | 'none'; size: number; open(): Readable };
}

/**
 * Where each range of the target slot's new contents comes from. `send`: over the wire from the
 * source; `copy`: on the gateway from another slot (a delta's blocks the booted slot already
 * holds); `keep`: the target already holds them, proven by the gateway's hash.
 */
export type PlanRange =
  | ({ kind: 'send' } & ByteRange)
  | ({ kind: 'copy'; from: { slot: SlotId; offset: number } } & ByteRange)
  | ({ kind: 'keep' } & ByteRange);

/** How a write gets the source into the slot: ranges covering `[0, size)` in order. */
export interface WritePlan {
  /** How `send` ranges travel: raw, or compressed for the gateway to decompress. */
  wire: 'raw' | 'gzip';
  ranges: PlanRange[];
  /** Why this plan, in words the job shows ("full write", "3% new, 9% copied"). */
  reason: string;
  /**
   * The new image's block index, for a delta: its `send` bytes are proven against it block by
   * block on the way out (the index names the image's SHA-256), so the laptop reads only them.
   */
  index?: BlockIndex;
  /**
   * The gateway's proof, still to run, that the slots a delta keeps and copies blocks from hold
   * what their status file claims: the delta runs it beside its staging and places nothing
   * before it resolves. It throws when a slot differs (the job then writes the full image).
   */
  prove?: (session: GatewaySession) => Promise<void>;
}

/**
 * A checkpoint the gateway may prove it holds: the first `offset` bytes of the slot hash to
 * `sha256`. A delta's `stage` checkpoints count instead the bytes of its staged blocks (kept past
 * the image in the target slot until they are placed).
 */
export interface Checkpoint {
  offset: number;
  sha256: string;
  region?: 'stage';
}

/** How the writer reaches the gateway: a live session (reconnecting after a drop) and the profile. */
export interface SlotLink {
  open(): Promise<{ profile: Profile; session: GatewaySession }>;
  /** Forget a dead session so the next `open` reconnects. */
  drop(): void;
}

/** What a transfer gets to put a plan's bytes into the device. */
export interface TransferArgs {
  link: SlotLink;
  device: string;
  source: SlotSource;
  plan: WritePlan;
  /** Checkpoint spacing in bytes (a multiple of the transfer's block). */
  every: number;
  /** Checkpoints journaled by an earlier attempt or run, to resume from. */
  known: Checkpoint[];
  signal: AbortSignal;
  maxRetries: number;
  backoffMs(attempt: number): number;
  /** `wire`: bytes that crossed the link so far in this write (all attempts). */
  onProgress(bytes: number, speed: number, wire?: number): void;
  onCheckpoint(cp: Checkpoint): void;
  onRetry(err: unknown, resumeAt: number): void;
  /** The error when bytes read from the source are not the source's (`actual`: their SHA-256). */
  sentMismatch(actual: string): Error;
  /** The link dropped: retry `attempt` of `maxRetries` starts, meant to resume at `resumeAt`. */
  onLinkLost?(err: unknown, attempt: number, resumeAt: number): void;
}

/** What a transfer did. `sha256` is Rigger's own hash of the slot bytes it put on the way. */
export interface TransferResult {
  sha256: string;
  resumedFrom: number[];
  /** Bytes that crossed the link (compressed or delta transfers send fewer than `size`). */
  bytesOnWire: number;
}

/** One way of moving a plan's bytes into a slot (today: the streamed `dd` full write). */
export interface SlotTransfer {
  readonly name: string;
  /** What the session must declare for this transfer to run. */
  readonly needs: readonly (keyof SessionCapabilities)[];
  /** Can it carry this plan? A plan it cannot carry is refused before anything is written. */
  carries(plan: WritePlan): boolean;
  write(args: TransferArgs): Promise<TransferResult>;
}

/** The job's names for the writer's steps: an update and a restore journal them differently. */
export interface SlotWriteJournal {
  steps: { disable: string; write: string; verify: string; record: string };
  /** State key set once the target is unbootable, so a resumed job does not repeat it. */
  disabledKey: string;
  /** The job status and operation shown while the bytes travel. */
  writing: { status: JobStatus; operation: string };
}

/** Everything one verified slot write needs. */
export interface SlotWriteRequest {
  ctx: JobContext;
  link: SlotLink;
  source: SlotSource;
  target: SlotId;
  booted: SlotId;
  /** What the status file's entry names once the gateway proved the slot (hash and size added). */
  record: { version?: string; image_id: string };
  /** Default: the full write of the whole source. */
  plan?: WritePlan;
  /** Default: the streamed full write. */
  transfer?: SlotTransfer;
  timings: { checkpointBytes: number; writeRetries: number };
  journal: SlotWriteJournal;
  /** The error when what Rigger sent does not hash to the source's SHA-256. */
  sentMismatch(actual: string): RiggerError;
  /** The error when the gateway's read-back differs. */
  readBackMismatch(actual: string): RiggerError;
  /** Told once the gateway's read-back proved the slot, before the record is written. */
  onVerified?(): void;
  /** Told after a dropped link, before the write resumes at `resumeAt`. */
  onLinkRetry?(err: unknown, resumeAt: number): void;
}

/** A slot written and proven by the gateway's read-back, its record in the status file. */
export interface SlotWriteResult {
  target: SlotId;
  device: string;
  sha256: string;
  size: number;
  resumedFrom: number[];
  bytesOnWire: number;
  plan: WritePlan;
}
