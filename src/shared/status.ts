import { z } from 'zod';
import { BOOT_SCHEMES, slotIdSchema } from './profile';

/**
 * The answer of `GET /cloud-integration/gateway/status` (seeds/gateway-ota-recovery-api.rst),
 * field for field. What the gateway cannot tell is null, never invented. Rigger adds `boot`
 * (the raw slot state behind the seed's figures), `connection` and `warnings`.
 */

const nstr = z.string().nullable();
const nnum = z.number().nullable();

export const partitionStatusSchema = z.object({
  id: slotIdSchema.nullable(),
  version: nstr,
  /** healthy | unhealthy | trying (booted, not committed) | ready | unbootable | empty | unknown */
  status: z.enum(['healthy', 'unhealthy', 'trying', 'ready', 'unbootable', 'empty', 'unknown']),
  boot_count: nnum,
  next_boot: z.boolean().nullable(),
  size: nstr,
  used: nstr,
  /** good | bad | null when no health check could run */
  health: z.enum(['good', 'bad']).nullable(),
});
export type PartitionStatus = z.infer<typeof partitionStatusSchema>;

export const slotBootStateSchema = z.object({
  bootable: z.boolean().nullable(),
  attempts_left: nnum,
});

export const bootStateSchema = z.object({
  scheme: z.enum(BOOT_SCHEMES),
  booted_slot: slotIdSchema.nullable(),
  /** The slot U-Boot will pick at the next boot, as the environment says. */
  next_slot: slotIdSchema.nullable(),
  /** A new slot is on trial (bootcount/mender: upgrade_available=1). */
  upgrade_pending: z.boolean().nullable(),
  slots: z.object({ A: slotBootStateSchema, B: slotBootStateSchema }),
  /** Environment and cmdline agree, so writes are allowed. */
  consistent: z.boolean(),
  env: z.record(z.string(), z.string()),
  /** The kernel's boot id, read in the same exec as the cmdline and env (null: unreadable). */
  boot_id: z.string().nullable().optional(),
});
export type BootState = z.infer<typeof bootStateSchema>;

export const gatewayStatusSchema = z.object({
  status: z.enum(['online', 'offline', 'bootloader']),
  gateway: z.object({
    id: nstr,
    name: nstr,
    model: nstr,
    os_version: nstr,
    kernel: nstr,
    uptime: nstr,
    bootloader: nstr,
    last_ota: nstr,
    serial_number: nstr,
    hardware_revision: nstr,
  }),
  partitions: z.object({
    active: partitionStatusSchema,
    inactive: partitionStatusSchema,
    auto_rollback: z.boolean().nullable(),
    rollback_retries: nnum,
    rollback_count: nnum,
  }),
  system: z.object({
    cpu_usage: nnum,
    memory_usage: nnum,
    disk_usage: nnum,
    temperature: nnum,
    network_status: nstr,
  }),
  boot: bootStateSchema.nullable(),
  connection: z.object({ type: z.enum(['ssh', 'console']), target: z.string() }),
  warnings: z.array(z.string()),
  checked_at: z.string(),
});
export type GatewayStatus = z.infer<typeof gatewayStatusSchema>;
