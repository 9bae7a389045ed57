import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, portClaims, releasePorts } from '../../helpers/ports';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const CLAIMS = join(tmpdir(), 'rigger-test-ports');
const claimFile = (port: number) => join(CLAIMS, String(port));
/** A window of ports of its own for each test, so runs of this file beside others do not meet. */
const window = (offset: number, size: number) => {
  const first = 31_000 + ((process.pid * 7 + offset) % 1_400);
  return { first, last: first + size - 1, env: `${first}-${first + size - 1}` };
};

/** Ports claimed by another process, as a second test file running beside this one would. */
async function portsOfAnotherProcess(n: number, env: string): Promise<number[]> {
  const script = `const { freePort } = require('./test/helpers/ports.ts');
    (async () => {
      const ports = [];
      for (let i = 0; i < ${n}; i++) ports.push(await freePort());
      console.log(JSON.stringify(ports));
    })();`;
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const { stdout } = await run(tsx, ['-e', script], {
    cwd: ROOT,
    env: { ...process.env, RIGGER_TEST_PORTS: env },
  });
  return JSON.parse(stdout) as number[];
}

describe('test ports for files side by side (test/helpers/ports.ts)', () => {
  afterEach(() => {
    releasePorts();
    delete process.env.RIGGER_TEST_PORTS;
  });

  it('gives distinct ports below the ephemeral range, each claimed by this process', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(20);
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(20_000);
      expect(p).toBeLessThan(32_768);
      expect(readFileSync(claimFile(p), 'utf8')).toBe(String(process.pid));
    }
    expect(portClaims().mine).toEqual([...ports].sort((a, b) => a - b));
    releasePorts();
    for (const p of ports) expect(existsSync(claimFile(p))).toBe(false);
    expect(portClaims().mine).toEqual([]);
  });

  it('never hands another process a port this one holds; that process gives its ports back when it ends', async () => {
    // 60 ports: this process takes 20, the other 40, so without the claims they would meet.
    const w = window(0, 60);
    process.env.RIGGER_TEST_PORTS = w.env;
    const mine: number[] = [];
    for (let i = 0; i < 20; i++) mine.push(await freePort());
    const theirs = await portsOfAnotherProcess(40, w.env);
    expect(new Set(theirs).size).toBe(40);
    expect(theirs.filter((p) => mine.includes(p))).toEqual([]);
    expect([...mine, ...theirs].every((p) => p >= w.first && p <= w.last)).toBe(true);
    for (const p of theirs) expect(existsSync(claimFile(p))).toBe(false);
  });

  it('takes over the claim of a process that is gone, and skips a port something else listens on', async () => {
    const w = window(100, 2);
    process.env.RIGGER_TEST_PORTS = w.env;
    // The first port: claimed by a process that has ended. The second: a listener, no claim.
    const gone = Number(execFileSync('sh', ['-c', 'echo $$']).toString());
    mkdirSync(CLAIMS, { recursive: true });
    writeFileSync(claimFile(w.first), String(gone));
    const other = net.createServer();
    await new Promise<void>((r) => other.listen(w.last, '127.0.0.1', r));
    try {
      expect(await freePort()).toBe(w.first);
      expect(readFileSync(claimFile(w.first), 'utf8')).toBe(String(process.pid));
      await expect(freePort()).rejects.toThrow(/no free port/);
      expect(existsSync(claimFile(w.last))).toBe(false);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });
});
