import { create } from 'zustand';
import type { AlertEvent } from '../../../shared/telemetry';

/** A short message over every page; an alert that fires stays until dismissed or cleared. */
export interface Toast {
  id: string;
  level: 'error' | 'info';
  title: string;
  text: string;
  /** The alert it tells of (its clearing replaces it), if any. */
  alertKey: string | null;
}

export interface ToastState {
  toasts: Toast[];
  /** An alert rule with a `notification` action fired or cleared. */
  fromAlert(e: AlertEvent): void;
  dismiss(id: string): void;
}

/** At most this many at once: the oldest go first. */
const MAX_TOASTS = 5;
/** How long the word that an alert cleared stays. */
export const CLEARED_TOAST_MS = 15_000;

let next = 1;

/** The toasts of this window. */
export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  fromAlert(e) {
    if (!e.notify) return;
    const alertKey = `${e.rule_id}\n${e.device_id}`;
    const what = `${e.device_id}: ${e.metric} ${e.value} (threshold ${e.threshold})`;
    const toast: Toast =
      e.state === 'firing'
        ? { id: `t${next++}`, level: 'error', title: `Alert: ${e.name}`, text: what, alertKey }
        : { id: `t${next++}`, level: 'info', title: `Cleared: ${e.name}`, text: what, alertKey };
    set((s) => ({
      toasts: [...s.toasts.filter((t) => t.alertKey !== alertKey), toast].slice(-MAX_TOASTS),
    }));
    if (e.state === 'cleared') setTimeout(() => get().dismiss(toast.id), CLEARED_TOAST_MS);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
