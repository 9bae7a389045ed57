import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { ConsoleAction, ConsoleSessionInfo, SerialPortInfo } from '../../../shared/serial';
import type { SlotId } from '../../../shared/profile';
import { api, asError } from './client';

interface ConsoleState {
  ports: SerialPortInfo[];
  session: ConsoleSessionInfo | null;
  busy: string | null;
  error: RiggerErrorData | null;
  env: Record<string, string> | null;
  notice: string | null;
  /** An adapter just plugged in (the banner offers to open its console). */
  plugged: { message: string; port: string } | null;
  adapterEvent(e: { event: string; message: string; port?: string }): void;
  loadPorts(): Promise<void>;
  open(path: string, baud: number, gateway?: string): Promise<void>;
  type(data: string): void;
  act(action: ConsoleAction, slot?: SlotId): Promise<void>;
  detect(): Promise<void>;
  /** A debug bundle from the console (its capture, U-Boot's environment at the prompt). */
  bundle(): Promise<void>;
  close(): Promise<void>;
}

/** Bytes for the terminal: kept out of React state (a terminal writes them itself). */
const sinks = new Set<(data: string) => void>();
let offData: (() => void) | null = null;
/** What arrived before a terminal was there to show it (the first prompt, say). */
let backlog = '';
/** Keystrokes not yet sent, and whether a write is on its way. */
let typed = '';
let sending = false;
const BACKLOG_MAX = 256 * 1024;

/** Subscribe a terminal to the open session's bytes (what came before it first); the unsubscribe. */
export function onConsoleData(sink: (data: string) => void): () => void {
  if (backlog) sink(backlog);
  sinks.add(sink);
  return () => sinks.delete(sink);
}

/** The serial console: ports, one open session, typing, and U-Boot quick actions. */
export const useConsole = create<ConsoleState>((set, get) => {
  const run = async (label: string, fn: () => Promise<void>) => {
    set({ busy: label, error: null, notice: null });
    try {
      await fn();
    } catch (err) {
      set({ error: asError(err) });
    } finally {
      set({ busy: null });
    }
  };
  return {
    ports: [],
    session: null,
    busy: null,
    error: null,
    env: null,
    notice: null,
    plugged: null,
    adapterEvent(e) {
      if (e.event === 'serial_adapter_connected' && e.port) {
        set({ plugged: { message: e.message, port: e.port } });
        void get().loadPorts();
      } else if (e.event === 'serial_adapter_disconnected') {
        set({ plugged: null });
        void get().loadPorts();
      }
    },
    async loadPorts() {
      try {
        set({ ports: (await api().call('serial.ports', {})).ports });
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    open: (path, baud, gateway) =>
      run('Opening the console and listening', async () => {
        offData?.();
        backlog = '';
        offData = api().on('console_data', (e) => {
          const open = get().session;
          // Bytes may come before open() has answered: keep them for the terminal.
          if (open && e.session_id !== open.session_id) return;
          backlog = (backlog + e.data).slice(-BACKLOG_MAX);
          for (const s of sinks) s(e.data);
        });
        const { backlog: past, ...session } = await api().call('console.open', {
          path,
          baud,
          ...(gateway ? { gateway } : {}),
        });
        // Joining a console already open (the gateway's status uses it): show its past first.
        if (past) {
          backlog = past.slice(-BACKLOG_MAX);
          for (const s of sinks) s(past);
        }
        set({ session, env: null });
      }),
    type(data) {
      const s = get().session;
      if (!s || get().busy) return;
      typed += data;
      if (sending) return;
      // One write at a time, in order: keystrokes sent as parallel requests could overtake
      // each other. What is typed meanwhile goes in the next write.
      sending = true;
      void (async () => {
        try {
          while (typed) {
            const chunk = typed.slice(0, 4096);
            typed = typed.slice(chunk.length);
            await api().call('console.write', { session_id: s.session_id, data: chunk });
          }
        } catch (err) {
          typed = '';
          set({ error: asError(err) });
        } finally {
          sending = false;
        }
      })();
    },
    act: (action, slot) =>
      run(action.replace(/_/g, ' '), async () => {
        const s = get().session;
        if (!s) return;
        const r = await api().call('console.action', {
          session_id: s.session_id,
          action,
          ...(slot ? { slot } : {}),
        });
        set({ notice: r.output, ...(r.env ? { env: r.env } : {}) });
        set({ session: await api().call('console.detect', { session_id: s.session_id }) });
      }),
    detect: () =>
      run('Listening', async () => {
        const s = get().session;
        if (s) set({ session: await api().call('console.detect', { session_id: s.session_id }) });
      }),
    bundle: () =>
      run('Capturing a debug bundle from the console', async () => {
        const s = get().session;
        if (!s) return;
        const b = await api().call('console.debug', { session_id: s.session_id });
        set({
          notice: `Debug bundle saved: ${b.path}${b.missing.length ? ` (not included: ${b.missing.map((m) => `${m.item}, ${m.reason}`).join('; ')})` : ''}`,
        });
      }),
    async close() {
      const s = get().session;
      offData?.();
      offData = null;
      set({ session: null, env: null, notice: null });
      if (s)
        await api()
          .call('console.close', { session_id: s.session_id })
          .catch(() => undefined);
    },
  };
});
