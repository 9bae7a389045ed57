import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CLEARED_TOAST_MS,
  NEWS_TOAST_MS,
  useToasts,
} from '../../../../src/renderer/src/stores/toasts';
import type { AlertEvent } from '../../../../src/shared/telemetry';

const alert = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  type: 'alert',
  rule_id: 'ALERT-1',
  name: 'Hot hoist',
  device_id: 'crane-7',
  metric: 'temperature',
  state: 'firing',
  value: 95,
  threshold: 80,
  timestamp: '2026-12-01T10:00:00.000Z',
  notify: true,
  ...over,
});

describe('toasts from alerts', () => {
  beforeEach(() => useToasts.setState({ toasts: [] }));

  it('shows a firing alert until dismissed, and its clearing replaces it for a while', () => {
    vi.useFakeTimers();
    try {
      useToasts.getState().fromAlert(alert());
      expect(useToasts.getState().toasts).toMatchObject([
        {
          level: 'error',
          title: 'Alert: Hot hoist',
          text: 'crane-7: temperature 95 (threshold 80)',
        },
      ]);
      useToasts.getState().fromAlert(alert({ state: 'cleared', value: 60 }));
      expect(useToasts.getState().toasts).toMatchObject([
        { level: 'info', title: 'Cleared: Hot hoist' },
      ]);
      vi.advanceTimersByTime(CLEARED_TOAST_MS);
      expect(useToasts.getState().toasts).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores alerts of rules without a notification action', () => {
    useToasts.getState().fromAlert(alert({ notify: false }));
    expect(useToasts.getState().toasts).toEqual([]);
  });

  it('keeps the five newest when many devices alert at once', () => {
    for (let i = 0; i < 7; i++) useToasts.getState().fromAlert(alert({ device_id: `crane-${i}` }));
    expect(useToasts.getState().toasts.map((t) => t.text.split(':')[0])).toEqual([
      'crane-2',
      'crane-3',
      'crane-4',
      'crane-5',
      'crane-6',
    ]);
    useToasts.getState().dismiss(useToasts.getState().toasts[0]!.id);
    expect(useToasts.getState().toasts).toHaveLength(4);
  });
});

describe('toasts from any part of the app', () => {
  beforeEach(() => useToasts.setState({ toasts: [] }));

  it('lets news go after a while and a toast of the same key replace the earlier one', () => {
    vi.useFakeTimers();
    try {
      const { push } = useToasts.getState();
      push({ level: 'ok', title: 'Backups', text: 'Sync 1 finished', key: 'sync' });
      push({ level: 'warn', title: 'Backups', text: 'Sync 1 retried', key: 'sync' });
      push({ level: 'error', title: 'Backups', text: 'Disk full', stayMs: null });
      expect(useToasts.getState().toasts.map((t) => t.text)).toEqual([
        'Sync 1 retried',
        'Disk full',
      ]);
      vi.advanceTimersByTime(NEWS_TOAST_MS);
      expect(useToasts.getState().toasts.map((t) => t.text)).toEqual(['Disk full']);
    } finally {
      vi.useRealTimers();
    }
  });
});
