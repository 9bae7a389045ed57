import { z } from 'zod';
import type { SlotId } from '../../../shared/profile';
import type { Fact } from './facts';

/** One slot's entry in Rigger's status file on the gateway (GATEWAY-CONTRACT.md section 2). */
const slotRecordSchema = z.object({
  version: z.string().optional(),
  sha256: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  installed_at: z.string().optional(),
  image_id: z.string().optional(),
});
export type SlotRecord = z.infer<typeof slotRecordSchema>;

/** Read the status file fact. Missing means unknown (no warning); unreadable JSON warns. */
export function readStatusFile(
  fact: Fact | undefined,
  path: string,
): { slots: Partial<Record<SlotId, SlotRecord>>; warning?: string } {
  if (!fact || fact.rc !== 0 || !fact.out.trim()) return { slots: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(fact.out);
  } catch {
    return {
      slots: {},
      warning: `Rigger's status file ${path} on the gateway is not valid JSON: slot versions unknown.`,
    };
  }
  const slots: Partial<Record<SlotId, SlotRecord>> = {};
  for (const s of ['A', 'B'] as SlotId[]) {
    const r = slotRecordSchema.safeParse((raw as Record<string, unknown>)?.[s]);
    if (r.success) slots[s] = r.data;
  }
  return { slots };
}
