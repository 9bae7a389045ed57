import { create } from 'zustand';
import type { AlertEvent } from '../../../shared/telemetry';

/** How a toast looks: every level has its icon and words as well as its colour. */
export type ToastLevel = 'error' | 'warn' | 'info' | 'ok';

/** A short message over every page. */
export interface Toast {
  id: string;
  level: ToastLevel;
  title: string;
  text: string;
  /** What it tells of (a later toast with the same key replaces it), if anything. */
  key: string | null;
  /** The page where the technician can act on it. */
  link: { label: string; area: string } | null;
}

/** What a part of the app asks to show; `stayMs: null` stays until dismissed. */
export interface ToastRequest extends Omit<Toast, 'id' | 'key' | 'link'> {
  key?: string | null;
  link?: Toast['link'];
  stayMs?: number | null;
}

export interface ToastState {
  toasts: Toast[];
  /** Show a toast (replacing one with the same key); returns its id. */
  push(t: ToastRequest): string;
  /** An alert rule with a `notification` action fired or cleared. */
  fromAlert(e: AlertEvent): void;
  dismiss(id: string): void;
}

/** At most this many at once: the oldest go first. */
const MAX_TOASTS = 5;
/** How long the word that an alert cleared stays. */
export const CLEARED_TOAST_MS = 15_000;
/** How long news that needs no action stays. */
export const NEWS_TOAST_MS = 8_000;

let next = 1;

/** The toasts of this window: alerts, backups, syncs and imports share them. */
export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  push({ key = null, link = null, stayMs = NEWS_TOAST_MS, ...look }) {
    const toast: Toast = { id: `t${next++}`, key, link, ...look };
    set((s) => ({
      toasts: [...s.toasts.filter((t) => key === null || t.key !== key), toast].slice(-MAX_TOASTS),
    }));
    if (stayMs !== null) setTimeout(() => get().dismiss(toast.id), stayMs);
    return toast.id;
  },
  fromAlert(e) {
    if (!e.notify) return;
    const firing = e.state === 'firing';
    get().push({
      level: firing ? 'error' : 'info',
      title: `${firing ? 'Alert' : 'Cleared'}: ${e.name}`,
      text: `${e.device_id}: ${e.metric} ${e.value} (threshold ${e.threshold})`,
      key: `alert\n${e.rule_id}\n${e.device_id}`,
      link: { label: 'Open Fleet', area: 'fleet' },
      stayMs: firing ? null : CLEARED_TOAST_MS,
    });
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
