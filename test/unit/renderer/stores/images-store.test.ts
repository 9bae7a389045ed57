import { beforeEach, describe, expect, it } from 'vitest';
import { RiggerError } from '../../../../src/shared/errors';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { hasFileDialog } from '../../../../src/renderer/src/stores/client';
import { useImages } from '../../../../src/renderer/src/stores/images';
import { FakeApiClient } from '../fake-api-client';

let fake: FakeApiClient;

beforeEach(() => {
  fake = new FakeApiClient();
  setClient(fake);
  useImages.setState({ chosenPath: null, notice: null, error: null });
});

describe('images store: choosing the file to import', () => {
  it('opens the desktop dialog through the ApiClient and keeps the chosen path', async () => {
    const asked: unknown[] = [];
    fake.openFile = async (input) => (asked.push(input), { path: '/media/usb/b.tar.gz' });
    expect(hasFileDialog()).toBe(true);
    await useImages.getState().pickFile();
    expect(useImages.getState().chosenPath).toBe('/media/usb/b.tar.gz');
    expect(asked[0]).toMatchObject({ filters: expect.any(Array) });
  });

  it('keeps the form as it was when the dialog is cancelled, and shows a refused call', async () => {
    useImages.setState({ chosenPath: '/before.tar' });
    fake.openFile = async () => ({ path: null });
    await useImages.getState().pickFile();
    expect(useImages.getState().chosenPath).toBe('/before.tar');
    fake.openFile = async () => {
      throw new RiggerError('VALIDATION_ERROR', 'bad');
    };
    await useImages.getState().pickFile();
    expect(useImages.getState().error).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('in a browser there is no dialog: it says to type the path', async () => {
    expect(hasFileDialog()).toBe(false);
    await useImages.getState().pickFile();
    expect(useImages.getState().notice).toMatch(/type the path/);
    useImages.getState().dropFile({ name: 'b.tar.gz' } as File);
    expect(useImages.getState().notice).toMatch(/type the path of b\.tar\.gz/);
    expect(useImages.getState().chosenPath).toBeNull();
  });

  it('takes a dropped file’s path in the desktop app', () => {
    fake.pathForFile = () => '/dropped/x.tar.gz';
    useImages.getState().dropFile({ name: 'x.tar.gz' } as File);
    expect(useImages.getState().chosenPath).toBe('/dropped/x.tar.gz');
  });
});
