import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handlePluginOta, uploadProblem } from '../../../../src/main/core/plugins/http';
import { createPluginService } from '../../../../src/main/core/plugins/service';
import { pluginZip } from './plugin-zip';

const dir = mkdtempSync(join(tmpdir(), 'rigger-phttp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { filename: name, path };
};

describe('plugin OTA HTTP answers', () => {
  it("gives the seed's 400 texts word for word", async () => {
    expect(uploadProblem(undefined)?.body).toMatchObject({
      success: false,
      error: 'No file provided',
    });
    expect(uploadProblem({ filename: '', path: '' })?.body).toMatchObject({
      error: 'No file selected',
    });
    const notZip = file('plugin.zip', Buffer.from('hello'));
    expect(uploadProblem(notZip)).toEqual({
      status: 400,
      body: {
        success: false,
        error: 'Invalid file type. Please upload a ZIP file',
        message: 'Invalid file type. Please upload a ZIP file',
      },
    });
    const zipNamedTxt = file('plugin.txt', await pluginZip());
    expect(uploadProblem(zipNamedTxt)?.status).toBe(400);
    expect(uploadProblem(file('ok.zip', await pluginZip()))).toBeNull();
  });

  it("answers 404 'Update not found' with status not_found for an unknown update", () => {
    const svc = createPluginService({
      session: () => Promise.reject(new Error('no gateway here')),
      anchors: () => ({ ed25519: [], cas: [] }),
      audit: { record: () => undefined },
      tempDir: dir,
    });
    expect(handlePluginOta(svc, { method: 'GET', path: '/ota-update-progress/abc' })).toEqual({
      status: 404,
      body: {
        success: false,
        status: 'not_found',
        progress: 0,
        message: 'Update not found',
        error: 'Update not found',
      },
    });
    expect(handlePluginOta(svc, { method: 'POST', path: '/ota-update' })?.body).toMatchObject({
      error: 'No file provided',
    });
    expect(handlePluginOta(svc, { method: 'GET', path: '/elsewhere' })).toBeNull();
  });
});
