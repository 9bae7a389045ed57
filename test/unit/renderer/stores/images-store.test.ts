import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { canPickFile, useImages } from '../../../../src/renderer/src/stores/images';
import { FakeApiClient } from '../fake-api-client';

type Win = { rigger?: Record<string, unknown> };
const g = globalThis as unknown as { window?: Win };

beforeEach(() => {
  setClient(new FakeApiClient());
  useImages.setState({ chosenPath: null, notice: null, error: null });
});
afterEach(() => {
  delete g.window;
});

describe('images store: choosing the file to import', () => {
  it('opens the desktop dialog through the bridge and keeps the chosen path', async () => {
    const asked: unknown[] = [];
    g.window = {
      rigger: {
        openFile: async (input: unknown) => (
          asked.push(input),
          { ok: true, value: { path: '/media/usb/b.tar.gz' } }
        ),
      },
    };
    expect(canPickFile()).toBe(true);
    await useImages.getState().pickFile();
    expect(useImages.getState().chosenPath).toBe('/media/usb/b.tar.gz');
    expect(asked[0]).toMatchObject({ filters: expect.any(Array) });
  });

  it('keeps the form as it was when the dialog is cancelled, and shows a refused call', async () => {
    useImages.setState({ chosenPath: '/before.tar' });
    g.window = { rigger: { openFile: async () => ({ ok: true, value: { path: null } }) } };
    await useImages.getState().pickFile();
    expect(useImages.getState().chosenPath).toBe('/before.tar');
    g.window = {
      rigger: {
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
      },
    };
    await useImages.getState().pickFile();
    expect(useImages.getState().error).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('in a browser there is no dialog: it says to type the path', async () => {
    expect(canPickFile()).toBe(false);
    await useImages.getState().pickFile();
    expect(useImages.getState().notice).toMatch(/type the path/);
    g.window = {};
    expect(canPickFile()).toBe(false);
    useImages.getState().dropFile({ name: 'b.tar.gz' } as File);
    expect(useImages.getState().notice).toMatch(/type the path of b\.tar\.gz/);
    expect(useImages.getState().chosenPath).toBeNull();
  });

  it('takes a dropped file’s path in the desktop app', () => {
    g.window = { rigger: { pathForFile: () => '/dropped/x.tar.gz' } };
    useImages.getState().dropFile({ name: 'x.tar.gz' } as File);
    expect(useImages.getState().chosenPath).toBe('/dropped/x.tar.gz');
  });
});
