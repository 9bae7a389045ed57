import type { SlotId } from '../../../shared/profile';

/** The slot that is not `s`. */
export const otherSlot = (s: SlotId): SlotId => (s === 'A' ? 'B' : 'A');
