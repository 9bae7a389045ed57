import { createHash, type Hash } from 'node:crypto';
import { blockHash, type BlockIndex } from './block-index';

/**
 * Proves bytes of the image, given in order with their offsets, block by block against the
 * block index; only whole blocks (or the image's short last one) are sent, so each is complete.
 */
export function blockProver(index: BlockIndex, mismatch: (actual: string) => Error) {
  const bs = index.blockSize;
  let h: Hash | null = null;
  let n = -1; // the block being hashed
  let filled = 0;
  const finish = () => {
    if (!h) return;
    const want = Math.min(bs, index.size - n * bs);
    const got = h.digest();
    if (filled !== want || !got.equals(blockHash(index, n))) throw mismatch(got.toString('hex'));
    h = null;
  };
  return {
    update(at: number, bytes: Buffer) {
      let off = at;
      let p = bytes;
      while (p.length) {
        const b = Math.floor(off / bs);
        if (b !== n) {
          finish();
          if (off % bs !== 0) throw mismatch('a send range not cut at a block');
          h = createHash('sha256');
          n = b;
          filled = 0;
        }
        const take = Math.min(p.length, (b + 1) * bs - off);
        h!.update(p.subarray(0, take));
        filled += take;
        off += take;
        p = p.subarray(take);
      }
    },
    end: finish,
  };
}
