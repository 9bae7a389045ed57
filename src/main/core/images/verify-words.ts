import type { UploadVerify } from '../../../shared/images';

type Flags = UploadVerify['validation'];

const words: Record<keyof Flags, { false: string; null: string }> = {
  signature_valid: {
    false: 'its signature does not verify',
    null: 'it is not signed by a trusted key',
  },
  checksum_valid: {
    false: 'its bytes do not match its manifest',
    null: 'it has no manifest to check its bytes against',
  },
  partition_layout_valid: {
    false: 'its layout does not fit the slots',
    null: 'its layout could not be checked',
  },
  bootloader_compatible: {
    false: "the gateway's boot setup cannot try-boot it",
    null: 'the gateway did not answer, so its boot setup is unchecked',
  },
  hardware_compatible: {
    false: 'it is made for another model or hardware revision',
    null: 'it names no compatible hardware to check',
  },
  size_adequate: { false: 'it is larger than the slot', null: 'its size could not be checked' },
};

/** Why an upload is not `verified`, in words (the seed's clients print `error`); null when it is. */
export function whyNotVerified(validation: Flags): string | null {
  const reasons = (Object.keys(words) as Array<keyof Flags>)
    .filter((k) => validation[k] !== true)
    .map((k) => words[k][validation[k] === false ? 'false' : 'null']);
  return reasons.length ? `Not verified: ${reasons.join('; ')}` : null;
}
