import { z } from 'zod';
import { profileBackupSchema } from './backup';

/** A gateway profile (GATEWAY-CONTRACT.md section 2): every path and command Rigger uses on one model. */

const absolutePath = z.string().regex(/^\//, 'must be an absolute path');
const command = z.string().trim().min(1, 'must not be empty');
export const SLOT_IDS = ['A', 'B'] as const;
export const slotIdSchema = z.enum(SLOT_IDS);
export type SlotId = z.infer<typeof slotIdSchema>;
export const BOOT_SCHEMES = ['bootcount', 'rauc', 'mender'] as const;
export type BootSchemeName = (typeof BOOT_SCHEMES)[number];

const slotSchema = z.strictObject({
  device: absolutePath,
  size_bytes: z.number().int().positive(),
  cmdline_match: z.string().min(1),
  partition: z.number().int().positive(),
});

const consoleSchema = z.strictObject({
  baud: z.number().int().positive().default(115200),
  uboot_prompt: z.string().min(1).default('=> '),
  block_command: z.string().min(1),
  block_device: z.string().min(1),
  block_size: z.number().int().positive().default(512),
  slot_start_block: z.strictObject({
    A: z.number().int().nonnegative(),
    B: z.number().int().nonnegative(),
  }),
  load_address: z.string().min(1).default('${loadaddr}'),
  max_load_bytes: z.number().int().positive(),
  /** Rigger's addition: the U-Boot command that boots the recovery system (e.g. "run recovery_boot"). */
  recovery_command: z.string().min(1).optional(),
  /**
   * How to address the board from U-Boot for a flash over its network (GATEWAY-CONTRACT.md
   * section 5): set in RAM only; the laptop serves the chunks over TFTP on `laptop_ip`.
   */
  net: z
    .strictObject({
      gateway_ip: z.ipv4(),
      laptop_ip: z.ipv4(),
      netmask: z.ipv4(),
    })
    .optional(),
});

/** Where plugins live and how they restart (GATEWAY-CONTRACT.md section 6). */
export const pluginsProfileSchema = z.strictObject({
  dir: absolutePath,
  config_dir: absolutePath,
  restart_command: command,
  min_free_bytes: z
    .number()
    .int()
    .nonnegative()
    .default(16 * 1024 * 1024),
});

/** The gateway's tool for the nodes behind it (section 7); `{node_id}` is replaced, quoted. */
export const nodesProfileSchema = z.strictObject({
  list_command: command,
  push_command: command.refine((c) => c.includes('{node_id}'), 'must contain {node_id}'),
  status_command: command.refine((c) => c.includes('{node_id}'), 'must contain {node_id}'),
});

export const profileSchema = z.strictObject({
  profile: z.literal(1),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, . _ - only'),
  model: z.string().min(1),
  identity_file: absolutePath,
  os_release_file: absolutePath,
  cmdline_file: absolutePath,
  /** The kernel's boot id: it changes at every boot, so it proves a reboot happened. */
  boot_id_file: absolutePath.default('/proc/sys/kernel/random/boot_id'),
  slots: z.strictObject({ A: slotSchema, B: slotSchema }),
  recovery: z.strictObject({ device: absolutePath }).optional(),
  status_file: absolutePath,
  data_paths: z.array(absolutePath).min(1),
  log_paths: z.array(absolutePath),
  bootloader: z.strictObject({
    fw_env_config: absolutePath,
    scheme: z.enum(BOOT_SCHEMES).default('bootcount'),
    vars: z
      .strictObject({
        slot: z.string().min(1).optional(),
        upgrade: z.string().min(1).optional(),
        count: z.string().min(1).optional(),
        limit: z.string().min(1).optional(),
      })
      .optional(),
    attempts: z.number().int().min(1).max(255).default(3),
  }),
  health_check: command,
  safety_command: command,
  factory_reset_command: command,
  reboot_command: command,
  console: consoleSchema.optional(),
  backup: profileBackupSchema.optional(),
  plugins: pluginsProfileSchema.optional(),
  nodes: nodesProfileSchema.optional(),
});

export type Profile = z.output<typeof profileSchema>;

/** What the UI lists of a profile. */
export const profileSummarySchema = z.object({
  name: z.string(),
  model: z.string(),
  scheme: z.enum(BOOT_SCHEMES),
  source: z.enum(['builtin', 'user']),
  path: z.string(),
});
export type ProfileSummary = z.infer<typeof profileSummarySchema>;
