import type { BrowserWindow, Dialog } from 'electron';
import { describe, expect, it } from 'vitest';
import { closeWarning, guardClose, type RunningJob } from '../../../src/main/close-guard';
import { createFakeElectron, FakeBrowserWindow, preventable } from './fake-electron';

const writing: RunningJob = {
  id: 'OTA-JOB-1',
  gateway: 'crane-7',
  status: 'downloading',
  operation: 'writing_image',
  progress: 45.2,
  state: { target: 'B' },
};
const switched: RunningJob = {
  ...writing,
  id: 'OTA-JOB-2',
  gateway: 'crane-8',
  status: 'verifying_boot',
  operation: 'waiting_for_gateway',
  state: { switched: true },
};

describe('closing Rigger during a job', () => {
  it('says nothing when no job runs', () => {
    expect(closeWarning([])).toBeNull();
  });

  it('says what happens to a write and to a switched gateway', () => {
    const w = closeWarning([writing, switched])!;
    expect(w.message).toBe('2 jobs are running. Close Rigger anyway?');
    expect(w.detail).toContain('crane-7: writing image (45%)');
    expect(w.detail).toMatch(/stays unbootable.*resume/s);
    expect(w.detail).toMatch(/crane-8.*bootloader goes back to the old one/s);
  });

  it('keeps the window open unless the technician chooses to interrupt', () => {
    const electron = createFakeElectron();
    const win = new FakeBrowserWindow({});
    let jobs: RunningJob[] = [writing];
    guardClose(win as unknown as BrowserWindow, () => jobs, electron.dialog as unknown as Dialog);

    const kept = preventable();
    win.emit('close', kept);
    expect(kept.prevented).toBe(true);
    expect(electron.dialog.boxes[0]).toMatchObject({
      buttons: ['Keep Rigger open', 'Close and interrupt'],
      defaultId: 0,
      cancelId: 0,
      message: 'A job is running on crane-7. Close Rigger anyway?',
    });

    electron.dialog.answers.push(1);
    const closed = preventable();
    win.emit('close', closed);
    expect(closed.prevented).toBe(false);

    jobs = [];
    const idle = preventable();
    win.emit('close', idle);
    expect(idle.prevented).toBe(false);
    expect(electron.dialog.boxes).toHaveLength(2);
  });
});
