import { describe, expect, it } from 'vitest';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { onPluginTerminal, usePlugins } from '../../../../src/renderer/src/stores/plugins';
import type { OtaProgress } from '../../../../src/shared/plugins';
import { FakeApiClient } from '../fake-api-client';

const line = (update_id: string, text: string) => ({
  type: 'plugin_terminal' as const,
  update_id,
  stream: 'stdout' as const,
  line: text,
  at: '2026-12-01T15:00:00Z',
});

describe('plugins store', () => {
  it("shows the operation's lines, early ones included, others' not, and fetches what the stream dropped", async () => {
    const fake = new FakeApiClient();
    let polls = 0;
    fake
      .answer('plugins.list', () => [])
      .answer('plugins.install', () => {
        // Lines may come before the answer that names the operation.
        fake.emit(line('u1', 'staging'));
        fake.emit(line('other', 'not ours'));
        return {
          success: true,
          update_id: 'u1',
          message: 'queued',
          status: 'pending',
          progress: 0,
        };
      })
      .answer('plugins.progress', (): OtaProgress => {
        polls++;
        if (polls === 1) {
          fake.emit(line('u1', 'proving'));
          return { success: true, status: 'in_progress', progress: 40, message: 'Proving' };
        }
        return { success: true, status: 'complete', progress: 100, message: 'done' };
      })
      .answer('plugins.terminal', (input) => {
        expect(input).toEqual({ update_id: 'u1', from: 2 });
        return {
          lines: [{ update_id: 'u1', stream: 'rigger', line: 'restarted', at: 'x' }],
          next: 3,
          status: 'complete',
        };
      });
    setClient(fake);
    await usePlugins.getState().load('gw');
    let shown = '';
    const off = onPluginTerminal((d) => (shown += d));
    await usePlugins.getState().install('/media/usb/p.zip', false);
    off();
    const ESC = String.fromCharCode(27);
    const text = shown
      .split(ESC)
      .map((p) => p.replace(/^(\[[0-9;]*m|c)/, ''))
      .join('');
    expect(text).toBe('staging\r\nproving\r\n» restarted\r\n');
    expect(usePlugins.getState().running).toMatchObject({
      update_id: 'u1',
      progress: { status: 'complete' },
    });
    expect(fake.listeners('plugin_terminal')).toBe(0);
    expect(fake.calls.find((c) => c.op === 'plugins.install')?.input).toEqual({
      gateway: 'gw',
      zip_path: '/media/usb/p.zip',
      unsigned: false,
    });
  });
});
