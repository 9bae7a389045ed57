import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { PluginTerminalEvent } from '../../../shared/events';
import type { InstalledPlugin, OtaProgress, OtaStartResponse } from '../../../shared/plugins';
import { api, asError } from './client';

const ENDED = new Set(['complete', 'error', 'not_found']);
const TEXT_MAX = 256 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The terminal's text of the operation followed now, and the terminals showing it.
let text = '';
const sinks = new Set<(data: string) => void>();
const write = (data: string) => {
  text = (text + data).slice(-TEXT_MAX);
  for (const s of sinks) s(data);
};
const asText = (l: { stream: string; line: string }) =>
  `${l.stream === 'rigger' ? '\x1b[36m» ' : l.stream === 'stderr' ? '\x1b[33m' : ''}${l.line}\x1b[0m\r\n`;

/** Subscribe a terminal to the followed operation's output (what came before it first). */
export function onPluginTerminal(sink: (data: string) => void): () => void {
  if (text) sink(text);
  sinks.add(sink);
  return () => sinks.delete(sink);
}

interface PluginsState {
  gateway: string | null;
  plugins: InstalledPlugin[] | null;
  loading: boolean;
  error: RiggerErrorData | null;
  /** The operation followed now (or last), with its progress as the seed's endpoint gives it. */
  running: { update_id: string; label: string; progress: OtaProgress | null } | null;
  load(gateway: string): Promise<void>;
  install(zipPath: string, unsigned: boolean): Promise<void>;
  configure(zipPath: string, unsigned: boolean): Promise<void>;
  rollback(name: string): Promise<void>;
}

/** A gateway's plugins, and one install, configure or rollback followed with its terminal. */
export const usePlugins = create<PluginsState>((set, get) => {
  /** Follow an operation: its lines live from the event stream, its progress until it ends. */
  const follow = async (label: string, start: () => Promise<OtaStartResponse>) => {
    text = '';
    for (const s of sinks) s('\x1bc');
    const early: PluginTerminalEvent[] = [];
    let id: string | null = null;
    let shown = 0;
    const show = (l: { stream: string; line: string }) => {
      shown++;
      write(asText(l));
    };
    const off = api().on('plugin_terminal', (e) => {
      if (id === null) early.push(e);
      else if (e.update_id === id) show(e);
    });
    try {
      set({ error: null, running: null });
      const started = await start();
      id = started.update_id;
      for (const e of early.filter((x) => x.update_id === id)) show(e);
      set({ running: { update_id: id, label, progress: null } });
      for (;;) {
        const progress = await api().call('plugins.progress', { update_id: id });
        set({ running: { update_id: id, label, progress } });
        if (ENDED.has(progress.status)) break;
        await sleep(400);
      }
      // Lines the event stream may have dropped (a reconnect) come from the operation itself.
      const rest = await api().call('plugins.terminal', { update_id: id, from: shown });
      for (const l of rest.lines) write(asText(l));
    } catch (err) {
      set({ error: asError(err) });
    } finally {
      off();
    }
    const gw = get().gateway;
    if (gw) await get().load(gw);
  };
  return {
    gateway: null,
    plugins: null,
    loading: false,
    error: null,
    running: null,
    async load(gateway) {
      if (get().gateway !== gateway) set({ gateway, plugins: null, running: null });
      set({ loading: true });
      try {
        set({ plugins: await api().call('plugins.list', { gateway }), loading: false });
      } catch (err) {
        set({ error: asError(err), loading: false });
      }
    },
    install: (zip_path, unsigned) =>
      follow(`Installing ${zip_path.split(/[\\/]/).pop()}`, () =>
        api().call('plugins.install', { gateway: get().gateway!, zip_path, unsigned }),
      ),
    configure: (zip_path, unsigned) =>
      follow(`Configuring from ${zip_path.split(/[\\/]/).pop()}`, () =>
        api().call('plugins.configure', { gateway: get().gateway!, zip_path, unsigned }),
      ),
    rollback: (name) =>
      follow(`Rolling back ${name}`, () =>
        api().call('plugins.rollback', { gateway: get().gateway!, name }),
      ),
  };
});
