import { beforeEach, describe, expect, it } from 'vitest';
import { RiggerError } from '../../../../src/shared/errors';
import type { LibraryImage } from '../../../../src/shared/images';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { useImages } from '../../../../src/renderer/src/stores/images';
import { FakeApiClient } from '../fake-api-client';

let fake: FakeApiClient;
const sent: unknown[] = [];

beforeEach(() => {
  fake = new FakeApiClient();
  setClient(fake);
  sent.length = 0;
  useImages.setState({ chosenPath: null, notice: null, error: null, busy: null });
  fake
    .answer('images.list', () => [])
    .answer('images.usage', () => ({}) as never)
    .answer('keys.list', () => []);
});

describe('images store: a browser sends the file itself', () => {
  it('a dropped file is uploaded and imported (no path needed)', async () => {
    fake.uploadImage = async (file) => {
      sent.push(file);
      return { id: 'b-v5.0.5', version: 'v5.0.5', signature: 'verified' } as LibraryImage;
    };
    const file = { name: 'b.tar.gz' } as File;
    useImages.getState().dropFile(file);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([file]);
    expect(useImages.getState().notice).toBe(
      'Imported b-v5.0.5 (v5.0.5) from b.tar.gz, signature verified.',
    );
    expect(useImages.getState().chosenPath).toBeNull();
  });

  it('an untrusted signer is shown as the core said it (OTA_006)', async () => {
    fake.uploadImage = async () => {
      throw new RiggerError('OTA_006', 'The bundle is signed by a key this laptop does not trust');
    };
    await useImages.getState().uploadFile({ name: 'x.tar.gz' } as File);
    expect(useImages.getState().error).toMatchObject({ code: 'OTA_006' });
  });
});
