import { z } from 'zod';

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

export const serialOperations = {
  'serial.ports': {
    input: z.strictObject({}),
    output: z.object({ ports: z.array(serialPortSchema), source: z.enum(['serialport', 'sysfs']) }),
  },
} as const;
