import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportBackup } from '../../../src/main/core/backup/export';
import { backupRoot, openBackupStore } from '../../../src/main/core/backup/store';
import { storeBackup } from '../backup-places/store-backups';
import { rigger as run } from '../../helpers/cli';

const data = mkdtempSync(join(tmpdir(), 'rigger-trustcli-'));
const other = mkdtempSync(join(tmpdir(), 'rigger-trustcli-b-'));
const rigger = (...args: string[]) => run('--data-dir', data, 'backup', ...args);
const file = join(other, 'y1.tar');
const key = join(backupRoot(other), 'site-signing.pub');

beforeAll(async () => {
  await storeBackup(other, 'y1', { gateway: 'crane-9' });
  const repo = openBackupStore(other, { allowLocked: true, env: {} });
  await pipeline(exportBackup(repo, 'y1').stream, createWriteStream(file));
}, 60_000);

describe('rigger backup trust', () => {
  it('shows the fingerprint first, trusts only with it, then the import goes through', async () => {
    const refused = await rigger('import', file);
    expect(refused.code).toBe(1);
    expect(refused.out + refused.err).toMatch(/signature untrusted/);

    const asked = await rigger('trust', 'add', key, '--name', 'quay-2');
    expect(asked.code).toBe(1);
    const fp = /sha256:[0-9a-f]{64}/.exec(asked.err)![0];
    expect(asked.err).toContain(`--fingerprint ${fp}`);
    expect((await rigger('trust', 'list')).out).toMatch(/No other site is trusted/);

    const ok = await rigger('trust', 'add', key, '--name', 'quay-2', '--fingerprint', fp);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`Trusted quay-2 (${fp})`);
    expect((await rigger('trust', 'list')).out).toContain(`quay-2  ${fp}`);
    const imported = await rigger('import', file);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('Imported y1');

    const revoked = await rigger('trust', 'revoke', fp);
    expect(revoked.out).toMatch(/no longer trusted/);
    const shown = await rigger('trust', 'show', '--json');
    expect(JSON.parse(shown.out).pem).toContain('BEGIN PUBLIC KEY');
  });
});
