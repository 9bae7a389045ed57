import { z } from 'zod';
import { slotIdSchema } from './profile';

/** What a console session can be asked to do at the prompt it is at. */
export const CONSOLE_ACTIONS = [
  'stop_autoboot',
  'printenv',
  'reset',
  'switch_slot',
  'boot_recovery',
] as const;
export type ConsoleAction = (typeof CONSOLE_ACTIONS)[number];

/** A serial port as Rigger lists it: where it is and, for USB adapters, what it is. */
export const serialPortSchema = z.object({
  path: z.string(),
  kind: z.enum(['usb', 'platform', 'unknown']),
  /** A known adapter by name ("FTDI FT232R", "Silicon Labs CP210x", "WCH CH34x", …). */
  adapter: z.string().nullable(),
  vendor_id: z.string().nullable(),
  product_id: z.string().nullable(),
  manufacturer: z.string().nullable(),
  serial_number: z.string().nullable(),
});
export type SerialPortInfo = z.infer<typeof serialPortSchema>;

export const CONSOLE_STATES = [
  'autoboot',
  'uboot',
  'kernel',
  'login',
  'shell',
  'silent',
  'garbled',
  'unknown',
] as const;

export const consoleSessionSchema = z.object({
  session_id: z.string(),
  path: z.string(),
  baud: z.number().int(),
  state: z.enum(CONSOLE_STATES),
  /** The file on this laptop that keeps everything the console printed (for debug bundles). */
  capture_path: z.string(),
  gateway: z.string().nullable(),
  /** A job drives the console: the terminal is read-only meanwhile. */
  busy: z.boolean(),
});
export type ConsoleSessionInfo = z.infer<typeof consoleSessionSchema>;

const sessionRef = z.strictObject({ session_id: z.string().min(1) });
/** A UDP port for the laptop's TFTP server (69 needs root or CAP_NET_BIND_SERVICE). */
const tftpPortSchema = z.number().int().min(1).max(65535);

export const serialOperations = {
  'serial.ports': {
    input: z.strictObject({}),
    output: z.object({ ports: z.array(serialPortSchema), source: z.enum(['serialport', 'sysfs']) }),
  },
  'console.open': {
    input: z.strictObject({
      path: z.string().min(1),
      baud: z.number().int().positive().default(115200),
      /** The gateway on the other end: its profile says the boot scheme and the prompt. */
      gateway: z.string().optional(),
    }),
    output: consoleSessionSchema.extend({
      /**
       * When the port was already open (the gateway's own operations use it): what it printed
       * so far, for the terminal. Empty for a freshly opened port (its bytes come as events).
       */
      backlog: z.string(),
    }),
  },
  'console.write': {
    input: z.strictObject({ session_id: z.string().min(1), data: z.string().max(4096) }),
    output: z.object({ written: z.number().int() }),
  },
  'console.detect': { input: sessionRef, output: consoleSessionSchema },
  'console.action': {
    input: z.strictObject({
      session_id: z.string().min(1),
      action: z.enum(CONSOLE_ACTIONS),
      slot: slotIdSchema.optional(),
    }),
    output: z.object({ output: z.string(), env: z.record(z.string(), z.string()).nullable() }),
  },
  'console.flash': {
    input: z.strictObject({
      session_id: z.string().min(1),
      image_id: z.string().min(1),
      slot: slotIdSchema,
      allow_unsigned: z.boolean().default(false),
      /** TFTP over U-Boot's network or YMODEM over the console; default: what the board offers. */
      via: z.enum(['tftp', 'ymodem']).optional(),
      /** The laptop's TFTP port; default an unprivileged one U-Boot is told with tftpdstp. */
      tftp_port: tftpPortSchema.optional(),
      /** false: raw chunks even where U-Boot has gzwrite. */
      compress: z.boolean().optional(),
    }),
    output: z.object({ job_id: z.string() }),
  },
  'console.debug': {
    input: sessionRef,
    output: z.object({
      bundle_id: z.string(),
      path: z.string(),
      size: z.number().int(),
      contents: z.array(z.string()),
      missing: z.array(z.object({ item: z.string(), reason: z.string() })),
    }),
  },
  'console.close': { input: sessionRef, output: z.object({ closed: z.literal(true) }) },
  /** A gateway registered on a serial port: boot `slot` from now on (U-Boot or Linux). */
  'console.switch': {
    input: z.strictObject({ gateway: z.string().min(1), slot: slotIdSchema }),
    output: z.object({
      slot: slotIdSchema,
      via: z.enum(['uboot', 'linux']),
      message: z.string(),
      env: z.record(z.string(), z.string()),
    }),
  },
  /** Flash a slot of a gateway registered on a serial port (at U-Boot; a job). */
  'console.flashGateway': {
    input: z.strictObject({
      gateway: z.string().min(1),
      image_id: z.string().min(1),
      /** Default: the slot U-Boot does not boot next. */
      slot: slotIdSchema.optional(),
      allow_unsigned: z.boolean().default(false),
      via: z.enum(['tftp', 'ymodem']).optional(),
      tftp_port: tftpPortSchema.optional(),
      compress: z.boolean().optional(),
    }),
    output: z.object({ job_id: z.string(), slot: slotIdSchema }),
  },
  /** Boot the recovery system with the profile's U-Boot command. */
  'console.recoveryBoot': {
    input: z.strictObject({ gateway: z.string().min(1) }),
    output: z.object({ command: z.string(), message: z.string(), output: z.string() }),
  },
} as const;
