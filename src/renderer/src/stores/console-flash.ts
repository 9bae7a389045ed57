import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { ProgressUpdateEvent } from '../../../shared/events';
import { STOPPED_STATUSES, type Job } from '../../../shared/jobs';
import type { SlotId } from '../../../shared/profile';
import { api, asError } from './client';

/** TFTP or YMODEM as the user asked; `auto`: Rigger picks (TFTP where the board answers). */
export type FlashVia = 'auto' | 'tftp' | 'ymodem';

export interface FlashAsk {
  sessionId: string;
  imageId: string;
  slot: SlotId;
  via: FlashVia;
  /** The laptop's TFTP port; null for Rigger's default (unprivileged, told to U-Boot). */
  tftpPort: number | null;
  allowUnsigned: boolean;
}

/** What the page shows of a console flash: the path, the chunk, speed and ETA, the resume point. */
export interface FlashView {
  via: string | null;
  viaReason: string | null;
  chunk: number | null;
  chunks: number | null;
  resumedFromChunk: number | null;
  /** Chunks proven so far (a stopped flash goes on after them). */
  chunksDone: number | null;
}

interface ConsoleFlashState {
  job: Job | null;
  progress: ProgressUpdateEvent | null;
  error: RiggerErrorData | null;
  start(ask: FlashAsk): Promise<void>;
  /** Go on with a stopped flash from its first chunk not proven. */
  resume(): Promise<void>;
  /** Forget a finished flash (the form comes back). */
  clear(): void;
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The figures of a flash from its job and its last progress event. */
export function flashView(job: Job | null, progress: ProgressUpdateEvent | null): FlashView {
  const d = job?.details ?? {};
  const p = progress?.details ?? {};
  return {
    via: str(p.via) ?? str(d.via),
    viaReason: str(d.via_reason),
    chunk: num(p.chunk),
    chunks: num(p.chunks),
    resumedFromChunk: num(p.resumed_from_chunk),
    chunksDone: num(d.console_chunks_done),
  };
}

/** Whether the job still runs (its events keep coming). */
export const flashRunning = (job: Job | null) => !!job && !STOPPED_STATUSES.includes(job.status);

let off: (() => void) | null = null;

/**
 * A slot flash over the open console, followed by the core's events: progress moves it in
 * place, a new status or the job's end reads the job once. Nothing polls.
 */
export const useConsoleFlash = create<ConsoleFlashState>((set, get) => {
  const read = async (jobId: string) => {
    try {
      set({ job: await api().call('jobs.get', { job_id: jobId }) });
    } catch (err) {
      set({ error: asError(err) });
    }
  };
  const follow = (jobId: string) => {
    off?.();
    const offs = [
      api().on('progress_update', (e) => {
        if (e.job_id === jobId) set({ progress: e });
      }),
      api().on('status_change', (e) => {
        if (e.job_id === jobId) void read(jobId);
      }),
      api().on('job_complete', (e) => {
        if (e.job_id === jobId) void read(jobId);
      }),
      api().onResync(() => void read(jobId)),
    ];
    off = () => offs.forEach((o) => o());
  };
  return {
    job: null,
    progress: null,
    error: null,
    async start(a) {
      set({ error: null, progress: null, job: null });
      try {
        const { job_id } = await api().call('console.flash', {
          session_id: a.sessionId,
          image_id: a.imageId,
          slot: a.slot,
          allow_unsigned: a.allowUnsigned,
          ...(a.via === 'auto' ? {} : { via: a.via }),
          ...(a.tftpPort && a.via !== 'ymodem' ? { tftp_port: a.tftpPort } : {}),
        });
        follow(job_id);
        await read(job_id);
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    async resume() {
      const job = get().job;
      if (!job) return;
      set({ error: null, progress: null });
      try {
        follow(job.id);
        set({ job: await api().call('jobs.resume', { job_id: job.id }) });
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    clear() {
      off?.();
      off = null;
      set({ job: null, progress: null, error: null });
    },
  };
});
