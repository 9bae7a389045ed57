import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { LogEntry, LogsAnswer } from '../../../shared/monitor';
import { api, asError } from './client';

export type LogLevel = LogEntry['level'];
export type LogSource = LogEntry['source'];

export interface LogQuery {
  level?: LogLevel;
  source?: LogSource;
  since?: string;
  until?: string;
  limit: number;
}

interface LogsState {
  gateway: string | null;
  query: LogQuery;
  /** Oldest first, as a terminal shows them: the newest line is at the bottom. */
  lines: LogEntry[];
  answer: Omit<LogsAnswer, 'logs'> | null;
  loading: boolean;
  follow: boolean;
  fetchedAt: string | null;
  error: RiggerErrorData | null;
  open(gateway: string): Promise<void>;
  setQuery(patch: Partial<LogQuery>): Promise<void>;
  setFollow(on: boolean): void;
  refresh(): Promise<void>;
}

export const FOLLOW_EVERY_MS = 4000;
let timer: ReturnType<typeof setInterval> | null = null;

/** One gateway's logs merged with Rigger's own record, with the seed's filters; follow polls. */
export const useLogs = create<LogsState>((set, get) => ({
  gateway: null,
  query: { limit: 1000 },
  lines: [],
  answer: null,
  loading: false,
  follow: false,
  fetchedAt: null,
  error: null,
  async open(gateway) {
    if (get().gateway !== gateway) set({ gateway, lines: [], answer: null, error: null });
    await get().refresh();
  },
  async setQuery(patch) {
    set({ query: { ...get().query, ...patch } });
    await get().refresh();
  },
  setFollow(on) {
    if (timer) clearInterval(timer);
    timer = on ? setInterval(() => void get().refresh(), FOLLOW_EVERY_MS) : null;
    set({ follow: on });
    if (on) void get().refresh();
  },
  async refresh() {
    const { gateway, query, loading } = get();
    if (!gateway || loading) return;
    set({ loading: true });
    try {
      const { logs, ...answer } = await api().call('monitor.logs', {
        gateway,
        ...query,
      });
      // The API answers newest first; the list reads top to bottom in time.
      set({ lines: logs.reverse(), answer, error: null, fetchedAt: new Date().toISOString() });
    } catch (err) {
      set({ error: asError(err) });
    } finally {
      set({ loading: false });
    }
  },
}));
