import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Every entry under `dir`: type, mode and content (or link target), for a byte-for-byte compare. */
export function snapshotTree(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const key = p.slice(base.length);
    const st = lstatSync(p);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out[key] = `link ${readlinkSync(p)}`;
    else if (st.isDirectory()) {
      out[key] = `dir ${mode}`;
      Object.assign(out, snapshotTree(p, base));
    } else if (st.isFile()) out[key] = `file ${mode} ${readFileSync(p).toString('base64')}`;
  }
  return out;
}
