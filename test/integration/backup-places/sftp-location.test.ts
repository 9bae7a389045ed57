import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSecrets } from '../../../src/main/core/backup-places/storage/secrets';
import { SftpLocation } from '../../../src/main/core/backup-places/storage/sftp';
import { startSftp, type SftpServer } from '../../helpers/sftp';

const MiB = 1024 * 1024;
let server: SftpServer;
let dir: string;

function location(over: { port?: number; keyFile?: string; fingerprint?: string } = {}) {
  return new SftpLocation({
    id: 'sftp',
    host: '127.0.0.1',
    port: over.port ?? server.port,
    user: 'root',
    hostKeyFingerprint: over.fingerprint ?? server.fingerprint,
    root: join(server.root, 'rigger'),
    credentialsRef: 'fileserver',
    secrets: envSecrets({ RIGGER_STORAGE_FILESERVER_KEY_FILE: over.keyFile ?? server.keyFile }),
    connectTimeoutMs: 10_000,
  });
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  server = await startSftp();
  dir = mkdtempSync(join(tmpdir(), 'rigger-sftp-test-'));
});
afterAll(async () => {
  await server?.stop();
});

describe('SFTP location against OpenSSH', () => {
  it('puts, lists, reads back, hashes and deletes; health from statvfs', async () => {
    const loc = location();
    const data = randomBytes(300 * 1024);
    const file = join(dir, 'a.bin');
    writeFileSync(file, data);
    expect(await loc.put(file, 'GW-001/b1/data.rbk')).toEqual({
      size: data.length,
      resumed_from: 0,
    });
    // The bytes are on the server's disk, where sftp-server wrote them.
    expect(readFileSync(join(server.root, 'rigger/GW-001/b1/data.rbk')).equals(data)).toBe(true);
    expect(await loc.list()).toEqual([{ path: 'GW-001/b1/data.rbk', size: data.length }]);
    expect(await loc.hash('GW-001/b1/data.rbk')).toBe(sha(data));
    const back = join(dir, 'back.bin');
    await loc.get('GW-001/b1/data.rbk', back);
    expect(readFileSync(back).equals(data)).toBe(true);
    const h = await loc.health();
    expect(h.health).toBe('connected');
    expect(h.available).toBeGreaterThan(0);
    await loc.delete('GW-001/b1/data.rbk');
    expect(await loc.stat('GW-001/b1/data.rbk')).toBeNull();
    await loc.close();
  });

  it('resumes an upload cut by the server going down, writing on from what it holds', async () => {
    const data = randomBytes(12 * MiB);
    const file = join(dir, 'big.bin');
    writeFileSync(file, data);
    const first = location();
    let cut = false;
    await expect(
      first.put(file, 'GW-001/b2/system.rbk', {
        onProgress: (sent) => {
          if (sent >= 4 * MiB && !cut) {
            cut = true;
            void server.crash();
          }
        },
      }),
    ).rejects.toBeTruthy();
    await first.close();
    await server.restart();
    const held = readFileSync(join(server.root, 'rigger/GW-001/b2/system.rbk.partial')).length;
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(data.length);
    const second = location();
    const out = await second.put(file, 'GW-001/b2/system.rbk');
    expect(out).toEqual({ size: data.length, resumed_from: held });
    expect(await second.hash('GW-001/b2/system.rbk')).toBe(sha(data));
    expect((await second.list('GW-001/b2/')).map((o) => o.path)).toEqual(['GW-001/b2/system.rbk']);
    await second.close();
  });

  it('refuses a server whose host key is not the pinned one, before any login', async () => {
    const impostor = await server.impostor();
    try {
      const loc = location({ port: impostor.port });
      const file = join(dir, 'c.bin');
      writeFileSync(file, 'c');
      await expect(loc.put(file, 'x.rbk')).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });
      expect(await loc.health()).toMatchObject({
        health: 'error',
        detail: expect.stringMatching(/host key/),
      });
    } finally {
      await impostor.stop();
    }
  });

  it('a refused login is AUTH_FAILED; a server that is down is offline in health', async () => {
    const refused = location({ keyFile: server.strangerKeyFile });
    expect(await refused.health()).toMatchObject({
      health: 'error',
      detail: expect.stringMatching(/refused the login/),
    });
    const file = join(dir, 'd.bin');
    writeFileSync(file, 'd');
    await expect(refused.put(file, 'x.rbk')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const down = location({ port: 1 });
    expect(await down.health()).toMatchObject({ health: 'offline' });
  });
});
