import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { GatewayNode, OtaCheckResponse } from '../../../shared/nodes';
import { api, asError } from './client';

const ENDED = new Set(['success', 'failed', 'rejected']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface NodesState {
  gateway: string | null;
  nodes: GatewayNode[] | null;
  loading: boolean;
  error: RiggerErrorData | null;
  /** What the library offers each node, by node id. */
  offers: Record<string, OtaCheckResponse>;
  /** The last job of each node pushed from here, followed to its end (or a batch's word on it). */
  jobs: Record<string, { status: string; additional_info: string }>;
  pushing: string | null;
  load(gateway: string): Promise<void>;
  push(nodeId: string): Promise<void>;
  /** Every node of a type, one after another; the first failure stops the rest unless told. */
  pushAll(type: string, continueOnFailure: boolean): Promise<void>;
}

/** The nodes behind a gateway: what the library offers each, and pushes followed to their end. */
export const useNodes = create<NodesState>((set, get) => ({
  gateway: null,
  nodes: null,
  loading: false,
  error: null,
  offers: {},
  jobs: {},
  pushing: null,
  async load(gateway) {
    if (get().gateway !== gateway) set({ gateway, nodes: null, offers: {}, jobs: {} });
    set({ loading: true, error: null });
    try {
      const nodes = await api().call('nodes.list', { gateway });
      const offers: Record<string, OtaCheckResponse> = {};
      for (const n of nodes)
        offers[n.node_id] = await api().call('nodes.check', { node_id: n.node_id });
      set({ nodes, offers, loading: false });
    } catch (err) {
      set({ error: asError(err), loading: false });
    }
  },
  async push(node_id) {
    const offer = get().offers[node_id];
    if (!offer?.ota_available || get().pushing) return;
    const ref = { node_id, ota_job_id: offer.ota_job_id };
    set({ pushing: node_id, error: null });
    try {
      await api().call('nodes.push', ref);
      // Never the push alone: followed until the node confirms, rolls back or refuses.
      for (;;) {
        const s = await api().call('nodes.status', ref);
        set({ jobs: { ...get().jobs, [node_id]: s } });
        if (ENDED.has(s.status)) break;
        await sleep(700);
      }
    } catch (err) {
      set({ error: asError(err) });
    } finally {
      set({ pushing: null });
    }
    const gw = get().gateway;
    if (gw) await get().load(gw);
  },
  async pushAll(type, continue_on_failure) {
    const gateway = get().gateway;
    if (!gateway || get().pushing) return;
    set({ pushing: `all ${type}`, error: null });
    try {
      const results = await api().call('nodes.pushAll', { gateway, type, continue_on_failure });
      const jobs = { ...get().jobs };
      for (const r of results) jobs[r.node_id] = r;
      set({ jobs });
    } catch (err) {
      set({ error: asError(err) });
    } finally {
      set({ pushing: null });
    }
    await get().load(gateway);
  },
}));
