import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const electron = (await import('electron')) as unknown as FakeElectron;
const { registerBridge, dialogHandlers, CALL_CHANNEL } = await import('../../../src/main/ipc');
const { appOrigins } = await import('../../../src/main/protocol');
const { createCore } = await import('../../../src/main/core/core');

type Answer = { ok: boolean; value?: unknown; error?: { code: string; message: string } };

const dataDir = mkdtempSync(join(tmpdir(), 'rigger-ipc-dialog-'));
const core = createCore({ dataDir, mode: 'test' });
afterAll(async () => {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const { BrowserWindow, ipcMain, dialog } = electron;
const win = new BrowserWindow({});
registerBridge(
  ipcMain as never,
  core,
  () => win as never,
  appOrigins(),
  dialogHandlers(dialog as never),
);
const call = (sender: unknown, frame: unknown, op: unknown, input?: unknown) =>
  ipcMain.handlers.get(CALL_CHANNEL)!({ sender, senderFrame: frame }, op, input) as Promise<Answer>;
const own = () => [win.webContents, win.webContents.mainFrame.twin()] as const;

describe('dialog.openFile over the one IPC bridge (fake electron)', () => {
  it('still registers one handler on one channel', () => {
    expect([...ipcMain.handlers.keys()]).toEqual([CALL_CHANNEL]);
  });

  it("opens a native dialog on the app's window and answers the chosen path", async () => {
    dialog.picks.push('/media/usb/univa-gw-pro-v5.0.5.tar.gz');
    const filters = [{ name: 'Bundles and images', extensions: ['tar', 'gz', 'img'] }];
    expect(await call(...own(), 'dialog.openFile', { title: 'Import', filters })).toEqual({
      ok: true,
      value: { path: '/media/usb/univa-gw-pro-v5.0.5.tar.gz' },
    });
    expect(dialog.openDialogs.at(-1)).toEqual({
      win,
      options: { title: 'Import', filters, properties: ['openFile'] },
    });
  });

  it('answers null when the user cancels, and takes no input at all', async () => {
    dialog.picks.push(null);
    expect(await call(...own(), 'dialog.openFile')).toEqual({ ok: true, value: { path: null } });
  });

  it('validates the input with the shared schema before any dialog opens', async () => {
    const shown = dialog.openDialogs.length;
    for (const bad of [
      { title: 'x', properties: ['openDirectory', 'multiSelections'] },
      { filters: [{ name: 'x', extensions: ['.tar.gz'] }] },
      { filters: 'all' },
      { title: 'x'.repeat(500) },
    ]) {
      const r = await call(...own(), 'dialog.openFile', bad);
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    }
    expect(dialog.openDialogs.length).toBe(shown);
  });

  it('refuses another window and a foreign page', async () => {
    const shown = dialog.openDialogs.length;
    const other = new BrowserWindow({});
    expect(
      await call(other.webContents, other.webContents.mainFrame, 'dialog.openFile', {}),
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    win.webContents.mainFrame.url = 'https://evil.example/';
    expect(await call(...own(), 'dialog.openFile', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    win.webContents.mainFrame.url = 'app://rigger/index.html';
    expect(dialog.openDialogs.length).toBe(shown);
  });

  it('is unknown to a bridge without shell handlers, and to the core', async () => {
    const fresh = (await import('./fake-electron')).createFakeElectron();
    const w = new fresh.BrowserWindow({});
    registerBridge(fresh.ipcMain as never, core, () => w as never, appOrigins());
    const r = (await fresh.ipcMain.handlers.get(CALL_CHANNEL)!(
      { sender: w.webContents, senderFrame: w.webContents.mainFrame.twin() },
      'dialog.openFile',
      {},
    )) as Answer;
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await expect(core.callUntrusted('dialog.openFile', {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reads a backup file for the core only when it is the one the person picked in the dialog', async () => {
    const file = join(dataDir, 'not-a-backup.tar');
    writeFileSync(file, 'hello');
    const before = await call(...own(), 'backupPlaces.importValidate', { file });
    expect(before).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(before.error!.message).toMatch(/cannot be chosen here/);
    dialog.picks.push(file);
    await call(...own(), 'dialog.openFile', {});
    const after = await call(...own(), 'backupPlaces.importValidate', { file });
    // The core itself now judges the file (not a backup), rather than the bridge refusing it.
    expect(JSON.stringify(after)).not.toMatch(/cannot be chosen here/);
    const other = await call(...own(), 'backupPlaces.importValidate', { file: '/etc/passwd' });
    expect(other.error?.message).toMatch(/cannot be chosen here/);
  });
});
