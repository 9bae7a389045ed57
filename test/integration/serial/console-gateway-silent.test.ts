import { existsSync, mkdtempSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rigger } from '../../helpers/cli';

describe('a gateway whose console says nothing', () => {
  it('status is a clear HOST_UNREACHABLE naming the port and what to check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigger-silent-'));
    const path = join(dir, 'ttySilent');
    // A pty whose other end never answers: a console with the gateway off or the wires crossed.
    const peer = spawn('socat', [`pty,raw,echo=0,link=${path}`, 'EXEC:sleep 600'], {
      stdio: 'ignore',
    });
    try {
      for (let i = 0; i < 100 && !existsSync(path); i++)
        await new Promise((r) => setTimeout(r, 50));
      const dataDir = mkdtempSync(join(tmpdir(), 'rigger-cgw-silent-'));
      const cli = (...args: string[]) => rigger('--data-dir', dataDir, ...args);
      expect(
        (await cli('gateway', 'add', 'crane-0', '--serial', path, '--profile', 'univa-gw-pro'))
          .code,
      ).toBe(0);
      const r = await cli('status', 'crane-0', '--json');
      expect(r.code).not.toBe(0);
      const err = JSON.parse(r.err) as {
        code: string;
        message: string;
        suggested_actions: string[];
      };
      expect(err.code).toBe('HOST_UNREACHABLE');
      expect(err.message).toContain(path);
      expect(err.message).toMatch(/silent/);
      expect(err.suggested_actions.join(' ')).toMatch(/TX to RX/);
    } finally {
      peer.kill('SIGTERM');
    }
  }, 60_000);
});
