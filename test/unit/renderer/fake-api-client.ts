import type { OperationInput, OperationName, OperationOutput } from '../../../src/shared/api';
import type { ApiClient } from '../../../src/shared/api-client';
import type { RiggerEvent } from '../../../src/shared/events';
import type { GatewayStatus } from '../../../src/shared/status';
import type { Gateway } from '../../../src/shared/gateways';

type Answer<K extends OperationName> = (
  input: OperationInput<K>,
) => OperationOutput<K> | Promise<OperationOutput<K>>;

/**
 * A fake ApiClient (named as such): answers each operation as the test says, records every call,
 * and lets the test emit events as the core would.
 */
export class FakeApiClient implements ApiClient {
  readonly calls: Array<{ op: OperationName; input: unknown }> = [];
  private readonly answers = new Map<OperationName, (input: unknown) => unknown>();
  private readonly handlers = new Map<string, Set<(e: RiggerEvent) => void>>();
  /** The desktop app's file dialog, when the test gives one (a browser has none). */
  openFile?: ApiClient['openFile'];
  /** A dropped file's path, when the test gives one (a browser keeps it secret). */
  pathForFile?: ApiClient['pathForFile'];
  /** The browser's streamed import, when the test gives one (the desktop app imports by path). */
  uploadImage?: ApiClient['uploadImage'];

  /** Say how an operation answers (a thrown error rejects the call). */
  answer<K extends OperationName>(op: K, fn: Answer<K>): this {
    this.answers.set(op, fn as (input: unknown) => unknown);
    return this;
  }

  async call<K extends OperationName>(
    op: K,
    input: OperationInput<K>,
  ): Promise<OperationOutput<K>> {
    this.calls.push({ op, input });
    const fn = this.answers.get(op);
    if (!fn) throw new Error(`FakeApiClient: no answer for ${op}`);
    return (await fn(input)) as OperationOutput<K>;
  }

  on<T extends RiggerEvent['type']>(
    type: T,
    handler: (event: Extract<RiggerEvent, { type: T }>) => void,
  ): () => void {
    const set = this.handlers.get(type) ?? new Set();
    this.handlers.set(type, set);
    set.add(handler as (e: RiggerEvent) => void);
    return () => set.delete(handler as (e: RiggerEvent) => void);
  }

  private readonly resyncHandlers = new Set<() => void>();

  onResync(handler: () => void): () => void {
    this.resyncHandlers.add(handler);
    return () => this.resyncHandlers.delete(handler);
  }

  /** Tell the listeners events may have been missed, as a reconnected event stream would. */
  resync(): void {
    this.resyncHandlers.forEach((h) => h());
  }

  /** How many resync listeners there are. */
  resyncListeners(): number {
    return this.resyncHandlers.size;
  }

  /** Deliver an event to the listeners, as the core would push it. */
  emit(event: RiggerEvent): void {
    this.handlers.get(event.type)?.forEach((h) => h(event));
  }

  /** How many listeners an event type has. */
  listeners(type: string): number {
    return this.handlers.get(type)?.size ?? 0;
  }

  /** The operations called, in order. */
  ops(): OperationName[] {
    return this.calls.map((c) => c.op);
  }
}

/** A registry record of an SSH gateway, for tests. */
export function sampleGateway(over: Partial<Gateway> = {}): Gateway {
  return {
    id: 1,
    name: 'crane-7',
    profile: 'univa-gw-pro',
    connection: {
      type: 'ssh',
      host: '10.0.0.5',
      port: 22,
      user: 'root',
      auth: { method: 'key', key_file: '/k/id' },
    },
    host_key: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    last_seen: null,
    ...over,
  };
}

/** A gateway status as the core answers it: slot A booted and committed, B ready. */
export function sampleStatus(): GatewayStatus {
  return {
    status: 'online',
    gateway: {
      id: 'gw-01',
      name: 'Gateway 01',
      model: 'Univa-GW-Pro',
      os_version: 'v5.0.4',
      kernel: '6.1',
      uptime: '1h',
      bootloader: 'U-Boot 2024.01',
      last_ota: null,
      serial_number: 'SN1',
      hardware_revision: 'RevB',
    },
    partitions: {
      active: {
        id: 'A',
        version: 'v5.0.4',
        status: 'healthy',
        boot_count: 0,
        next_boot: true,
        size: '64MB',
        used: '1MB',
        health: 'good',
      },
      inactive: {
        id: 'B',
        version: 'v5.0.3',
        status: 'ready',
        boot_count: null,
        next_boot: false,
        size: '64MB',
        used: null,
        health: null,
      },
      auto_rollback: true,
      rollback_retries: 3,
      rollback_count: null,
    },
    system: {
      cpu_usage: 0,
      memory_usage: 4.66,
      disk_usage: null,
      temperature: null,
      network_status: 'connected',
    },
    boot: {
      scheme: 'bootcount',
      booted_slot: 'A',
      next_slot: 'A',
      upgrade_pending: false,
      slots: {
        A: { bootable: true, attempts_left: null },
        B: { bootable: false, attempts_left: null },
      },
      consistent: true,
      env: {},
    },
    connection: { type: 'ssh', target: 'root@10.0.0.5:22' },
    warnings: [],
    checked_at: '2026-01-01T10:00:00Z',
  };
}
