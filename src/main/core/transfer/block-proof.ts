import { createHash, type Hash } from 'node:crypto';
import { blockHash, type BlockIndex } from './block-index';

/**
 * Proves bytes of the image, given in order with their offsets, block by block against the
 * block index. Only whole blocks (or the image's short last one) may be given: each block is
 * judged the moment its last byte arrives, so bytes passed on after `update` returned belong to
 * proven blocks only, but for the block still filling. `end` says every block was whole.
 */
export function blockProver(index: BlockIndex, mismatch: (actual: string) => Error) {
  const bs = index.blockSize;
  let h: Hash | null = null;
  let n = -1; // the block being hashed
  let filled = 0;
  const want = (b: number) => Math.min(bs, index.size - b * bs);
  const unfinished = () => {
    if (h) throw mismatch(`block ${n} cut short at ${filled} of ${want(n)} bytes`);
  };
  return {
    update(at: number, bytes: Buffer) {
      let off = at;
      let p = bytes;
      while (p.length) {
        const b = Math.floor(off / bs);
        if (b !== n || !h) {
          unfinished();
          if (off % bs !== 0 || b * bs >= index.size) throw mismatch(`bytes at ${off}`);
          h = createHash('sha256');
          n = b;
          filled = 0;
        }
        const take = Math.min(p.length, (b + 1) * bs - off);
        h.update(p.subarray(0, take));
        filled += take;
        off += take;
        p = p.subarray(take);
        if (filled === want(b)) {
          const got = h.digest();
          h = null;
          if (!got.equals(blockHash(index, b))) throw mismatch(got.toString('hex'));
        }
      }
    },
    end: unfinished,
  };
}
