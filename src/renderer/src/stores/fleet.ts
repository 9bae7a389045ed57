import { create } from 'zustand';
import type { Device } from '../../../shared/devices';
import type { RiggerErrorData } from '../../../shared/errors';
import type { Rollout } from '../../../shared/fleet-ota';
import type { AggregateResult, AlertHistoryEntry, AlertRule } from '../../../shared/telemetry';
import { api, asError } from './client';

export type Aggregation = 'avg' | 'min' | 'max' | 'sum' | 'count' | 'percentile_95';
export type Interval = '1m' | '5m' | '1h' | '1d';

/** How far back the chart looks for each bucket size. */
export const PERIOD_MS: Record<Interval, number> = {
  '1m': 2 * 3_600_000,
  '5m': 12 * 3_600_000,
  '1h': 7 * 86_400_000,
  '1d': 90 * 86_400_000,
};

interface FleetState {
  devices: Device[];
  rollouts: Rollout[];
  alerts: AlertRule[];
  /** The latest firings and clearings, newest first. */
  history: AlertHistoryEntry[];
  error: RiggerErrorData | null;
  device: string | null;
  aggregation: Aggregation;
  interval: Interval;
  series: AggregateResult | null;
  metrics: string[];
  telemetryError: RiggerErrorData | null;
  load(): Promise<void>;
  /** Read again when the page has been shown (after an event), else nothing. */
  refresh(): Promise<void>;
  pick(p: { device?: string; aggregation?: Aggregation; interval?: Interval }): Promise<void>;
}

/** The fleet: devices, rollouts as waves, alert rules, and one device's telemetry per interval. */
export const useFleet = create<FleetState>((set, get) => ({
  devices: [],
  rollouts: [],
  alerts: [],
  history: [],
  error: null,
  device: null,
  aggregation: 'avg',
  interval: '1h',
  series: null,
  metrics: [],
  telemetryError: null,
  async load() {
    set({ error: null });
    try {
      const [d, r, a, h] = await Promise.all([
        api().call('devices.list', {}),
        api().call('rollouts.list', {}),
        api().call('alerts.list', {}),
        api().call('alerts.history', { limit: 20 }),
      ]);
      set({ devices: d.devices, rollouts: r.rollouts, alerts: a.alerts, history: h.events });
      if (!get().device && d.devices[0]) await get().pick({ device: d.devices[0].device_id });
    } catch (err) {
      set({ error: asError(err) });
    }
  },
  async refresh() {
    if (get().devices.length || get().rollouts.length) await get().load();
  },
  async pick(p) {
    set({ ...p, telemetryError: null });
    const { device, aggregation, interval } = get();
    if (!device) return;
    const to = new Date();
    const from = new Date(to.getTime() - PERIOD_MS[interval]);
    try {
      const raw = await api().call('telemetry.query', {
        device_id: device,
        from: from.toISOString(),
        to: to.toISOString(),
        limit: 2000,
      });
      const metrics = [...new Set(raw.data.flatMap((x) => Object.keys(x.metrics)))].sort();
      if (!metrics.length) return set({ series: null, metrics: [] });
      const series = await api().call('telemetry.aggregate', {
        device_id: device,
        metrics: metrics.slice(0, 8),
        aggregation,
        interval,
        from: from.toISOString(),
        to: to.toISOString(),
      });
      set({ series, metrics: metrics.slice(0, 8) });
    } catch (err) {
      set({ telemetryError: asError(err), series: null });
    }
  },
}));
