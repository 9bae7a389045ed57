import { describe, expect, it } from 'vitest';
import type { RiggerBridge } from '../../../../src/shared/api-client';
import { RiggerError } from '../../../../src/shared/errors';
import { createIpcClient } from '../../../../src/renderer/src/api/ipc-client';

/** A fake preload bridge (named as such): answers with the envelope the test gives. */
function fakeBridge(answer: Awaited<ReturnType<RiggerBridge['call']>> | Error) {
  const calls: Array<[string, unknown]> = [];
  const listeners: Array<[string, (e: unknown) => void]> = [];
  const bridge: RiggerBridge = {
    async call(op, input) {
      calls.push([op, input]);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    on(type, handler) {
      const entry: [string, (e: unknown) => void] = [type, handler];
      listeners.push(entry);
      return () => void listeners.splice(listeners.indexOf(entry), 1);
    },
  };
  return { bridge, calls, listeners };
}

describe('Electron ApiClient', () => {
  it('unwraps the value of an ok envelope', async () => {
    const { bridge, calls } = fakeBridge({ ok: true, value: [1] });
    expect(await createIpcClient(bridge).call('gateways.list', {})).toEqual([1]);
    expect(calls).toEqual([['gateways.list', {}]]);
  });

  it('rejects with the RiggerError of an error envelope', async () => {
    const { bridge } = fakeBridge({
      ok: false,
      error: {
        error: true,
        code: 'HOST_KEY_UNKNOWN',
        message: 'first',
        details: { offered_fingerprint: 'SHA256:x' },
        suggested_actions: [],
      },
    });
    const err = await createIpcClient(bridge)
      .call('gateways.status', { name: 'g' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RiggerError);
    expect(err).toMatchObject({
      code: 'HOST_KEY_UNKNOWN',
      details: { offered_fingerprint: 'SHA256:x' },
    });
  });

  it('turns an envelope without seed data, or a failed bridge, into INTERNAL', async () => {
    await expect(
      createIpcClient(fakeBridge({ ok: false, error: 'boom' }).bridge).call('app.info', {}),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(
      createIpcClient(fakeBridge(new Error('gone')).bridge).call('app.info', {}),
    ).rejects.toMatchObject({ code: 'INTERNAL', suggestedActions: ['Restart Rigger'] });
  });

  it('passes event subscriptions through to the bridge', () => {
    const { bridge, listeners } = fakeBridge({ ok: true, value: null });
    const got: unknown[] = [];
    createIpcClient(bridge).on('gateways_changed', (e) => got.push(e));
    listeners[0]![1]({ type: 'gateways_changed' });
    expect(listeners[0]![0]).toBe('gateways_changed');
    expect(got).toEqual([{ type: 'gateways_changed' }]);
  });

  it('offers the file dialog and drop paths only where the preload has them', async () => {
    const { bridge } = fakeBridge({ ok: true, value: null });
    expect(createIpcClient(bridge).openFile).toBeUndefined();
    expect(createIpcClient(bridge).pathForFile).toBeUndefined();
    const asked: unknown[] = [];
    const desktop = createIpcClient({
      ...bridge,
      openFile: async (input) => (asked.push(input), { ok: true, value: { path: '/m/b.tar' } }),
      pathForFile: () => '',
    });
    expect(await desktop.openFile!({ title: 'Import' })).toEqual({ path: '/m/b.tar' });
    expect(asked).toEqual([{ title: 'Import' }]);
    // An empty path (a file not from disk) is no path.
    expect(desktop.pathForFile!({})).toBeNull();
  });

  it('rejects a refused file dialog with its RiggerError', async () => {
    const { bridge } = fakeBridge({ ok: true, value: null });
    const client = createIpcClient({
      ...bridge,
      openFile: async () => ({
        ok: false,
        error: {
          error: true,
          code: 'VALIDATION_ERROR',
          message: 'bad',
          details: {},
          suggested_actions: [],
        },
      }),
    });
    await expect(client.openFile!({})).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});
