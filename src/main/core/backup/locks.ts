import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, writeFileAtomic } from './files';

/**
 * Writer locks shared between processes (the desktop app and the CLI on one store): each backup
 * being written holds a lock file naming its process. A sweep in another process leaves objects
 * alone while such a lock is held, since it cannot see which objects that writer relies on.
 */
export class StoreLocks {
  readonly dir: string;

  constructor(root: string) {
    this.dir = ensureDir(join(root, 'locks'));
  }

  /** Take a writer lock; the returned function releases it. */
  take(): () => void {
    const file = join(this.dir, `${process.pid}-${randomBytes(4).toString('hex')}.lock`);
    writeFileAtomic(file, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
    return () => rmSync(file, { force: true });
  }

  /** Do writers of other, live processes hold locks? Locks of dead processes are removed. */
  othersWriting(): boolean {
    let others = false;
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.lock')) continue;
      let pid = 0;
      try {
        pid = (JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as { pid: number }).pid;
      } catch {
        continue; // Being written this very moment: counts as held.
      }
      if (pid === process.pid) continue;
      if (alive(pid)) others = true;
      else rmSync(join(this.dir, f), { force: true });
    }
    return others;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
