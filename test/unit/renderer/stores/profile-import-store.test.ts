import { beforeEach, describe, expect, it } from 'vitest';
import { hasFileDialog, setClient } from '../../../../src/renderer/src/stores/client';
import { useGateways } from '../../../../src/renderer/src/stores/gateways';
import type { ProfileSummary } from '../../../../src/shared/profile';
import { MAX_PROFILE_BYTES } from '../../../../src/shared/profile-import';
import { FakeApiClient } from '../fake-api-client';

// The core's side (validation, storage) is tested in test/unit/core/gateways/profile-import.test.ts.
const summary: ProfileSummary = {
  name: 'site-gw',
  model: 'Site-GW',
  scheme: 'rauc',
  source: 'user',
  path: '/data/profiles/site-gw.json',
};

let fake: FakeApiClient;
beforeEach(() => {
  fake = new FakeApiClient()
    .answer('profiles.import', () => summary)
    .answer('gateways.list', () => [])
    .answer('profiles.list', () => [summary]);
  setClient(fake);
});

describe('gateways store: a profile from a file', () => {
  it('the desktop app: its dialog (JSON files) through the ApiClient, then the path is imported', async () => {
    const asked: unknown[] = [];
    fake.openFile = async (input) => (asked.push(input), { path: '/media/usb/site.json' });
    expect(hasFileDialog()).toBe(true);
    await expect(useGateways.getState().importProfile('dialog')).resolves.toEqual(summary);
    expect(asked[0]).toMatchObject({ filters: [{ extensions: ['json'] }] });
    expect(fake.calls.find((c) => c.op === 'profiles.import')?.input).toEqual({
      path: '/media/usb/site.json',
    });
    // The list is read again, so the form offers the new profile by name.
    expect(useGateways.getState().profiles).toEqual([summary]);
  });

  it('a cancelled dialog imports nothing', async () => {
    fake.openFile = async () => ({ path: null });
    await expect(useGateways.getState().importProfile('dialog')).resolves.toBeNull();
    expect(fake.ops()).not.toContain('profiles.import');
  });

  it("a browser: the file's content is sent, and a file too large is refused before reading", async () => {
    expect(hasFileDialog()).toBe(false);
    const file = new File(['{"profile":1}'], 'site.json');
    await useGateways.getState().importProfile({ file }, true);
    expect(fake.calls.find((c) => c.op === 'profiles.import')?.input).toEqual({
      file_name: 'site.json',
      content: '{"profile":1}',
      replace: true,
    });
    const big = new File([new Uint8Array(MAX_PROFILE_BYTES + 1)], 'big.json');
    await expect(useGateways.getState().importProfile({ file: big })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    expect(fake.calls.filter((c) => c.op === 'profiles.import')).toHaveLength(1);
  });
});
