import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering rules of ARCHITECTURE.md, checked by linting small probe sources (they exist only
 * as text, at the path they claim) with the project's own eslint.config.mjs.
 */

const root = resolve(__dirname, '../../..');
const LAYER_RULES = new Set([
  'no-restricted-imports',
  'no-restricted-syntax',
  'no-restricted-globals',
]);
/** Linting dozens of probes is slow on a busy machine; this is a bound, not a speed check. */
const LINT_TIMEOUT = 120_000;
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: resolve(root, 'eslint.config.mjs') });
}, LINT_TIMEOUT);

/** The layering complaints about `code` as if it were the file `filePath`. */
async function layerErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal, `${filePath} parses`).toEqual([]);
  return result!.messages.filter((m) => LAYER_RULES.has(m.ruleId ?? '')).map((m) => m.message);
}

/** Every way a file can name a module: import, export-from, import(), require(), an import type. */
const forms = (spec: string) => ({
  import: `import '${spec}';\n`,
  'export from': `export * from '${spec}';\n`,
  'import()': `export const m = import('${spec}');\n`,
  'require()': `export const m = require('${spec}');\n`,
  'import type': `export type M = typeof import('${spec}');\n`,
});

interface Case {
  file: string;
  forbidden: string[];
  allowed: string[];
  /** Forms forbidden whatever they name (src/shared has no `require` at all). */
  noForms?: string[];
}

const NODE = ['fs', 'node:fs', 'path', 'node:path', 'events', 'node:events', 'zlib', 'node:zlib'];
const NODE_MORE = ['fs/promises', 'crypto', 'child_process', 'node:stream/promises', 'tar', 'ws'];

const cases: Record<string, Case[]> = {
  'the core': [
    {
      file: 'src/main/core/probe.ts',
      forbidden: [
        'electron',
        '../ipc',
        '../cli/program',
        '../index',
        '../menu',
        '../cli',
        '../../renderer/src/api/client',
        '../../preload/index',
        'serialport',
        'usb',
        '@serialport/bindings-cpp',
      ],
      allowed: [
        '../../shared/errors',
        './util/native',
        'node:fs',
        'fs',
        'ssh2',
        'better-sqlite3',
        'p-retry',
      ],
    },
    {
      file: 'src/main/core/ota/probe.ts',
      forbidden: [
        '../../ipc',
        '../../cli/program',
        '../../index',
        '../../protocol',
        'electron/main',
        'serialport',
      ],
      allowed: [
        '../../../shared/errors',
        '../util/native',
        '../gateways/session',
        './writer',
        'node:crypto',
      ],
    },
    {
      file: 'src/main/core/a/b/c/probe.ts',
      forbidden: ['../../../../ipc', '../../../../../renderer/src/x', 'usb'],
      allowed: ['../../../util/native', '../../../../../shared/errors'],
    },
  ],
  'the lazy native loader': [
    {
      file: 'src/main/core/util/native.ts',
      forbidden: ['electron', '../../ipc'],
      allowed: ['serialport', 'usb', 'node:module', '../../../shared/errors'],
    },
  ],
  'the Electron shell': [
    {
      file: 'src/main/probe.ts',
      forbidden: ['../renderer/src/api/client', '../preload/index', 'serialport', 'usb'],
      allowed: ['electron', './core/core', './ipc', '../shared/errors', 'node:fs'],
    },
    {
      file: 'src/main/cli/probe.ts',
      forbidden: ['../../renderer/src/api/client', 'serialport'],
      allowed: ['../core/core', '../../shared/errors', './output', 'commander', 'cli-progress'],
    },
  ],
  'the preload': [
    {
      file: 'src/preload/probe.ts',
      forbidden: [...NODE, ...NODE_MORE, '../main/core/core', '../main/ipc', '../renderer/src/x'],
      allowed: ['electron', '../shared/api', '../shared/errors'],
    },
  ],
  'the renderer': [
    {
      file: 'src/renderer/src/probe.ts',
      forbidden: [
        ...NODE,
        ...NODE_MORE,
        'electron',
        'ssh2',
        '../../main/core/core',
        '../../preload/index',
      ],
      allowed: ['react', 'zustand', '../../shared/api', './stores/jobs', '@xterm/xterm'],
    },
    {
      file: 'src/renderer/src/pages/jobs/probe.tsx',
      forbidden: [
        'node:events',
        'events',
        '../../../../main/core/jobs/engine',
        '../../../../main/ipc',
      ],
      allowed: ['../../../../shared/jobs', '../../stores/jobs', 'react-dom'],
    },
  ],
  'src/shared': [
    {
      file: 'src/shared/probe.ts',
      forbidden: [
        ...NODE,
        ...NODE_MORE,
        'electron',
        'react',
        'react-dom/client',
        'zustand',
        '../main/core/core',
        '../renderer/src/x',
        '../preload/index',
      ],
      allowed: ['zod', './errors', './jobs'],
      noForms: ['require()'],
    },
  ],
};

for (const [layer, list] of Object.entries(cases)) {
  describe(`layering: ${layer}`, () => {
    for (const c of list) {
      it(
        `${c.file} may not import ${c.forbidden.join(', ')}, in any form`,
        async () => {
          for (const spec of c.forbidden) {
            for (const [form, code] of Object.entries(forms(spec))) {
              expect(await layerErrors(code, c.file), `${form} '${spec}'`).not.toEqual([]);
            }
          }
        },
        LINT_TIMEOUT,
      );
      it(
        `${c.file} may import ${c.allowed.join(', ')}`,
        async () => {
          for (const spec of c.allowed) {
            for (const [form, code] of Object.entries(forms(spec))) {
              if (c.noForms?.includes(form)) continue;
              expect(await layerErrors(code, c.file), `${form} '${spec}'`).toEqual([]);
            }
          }
        },
        LINT_TIMEOUT,
      );
    }
  });
}

describe('layering: src/shared and the DOM', () => {
  it(
    'src/shared may not use the DOM or Node globals; the renderer may use the DOM',
    async () => {
      for (const g of [
        'window.rigger',
        'document.title',
        'localStorage.length',
        'process.env',
        'Buffer.from',
      ])
        expect(await layerErrors(`export const v = ${g};\n`, 'src/shared/probe.ts'), g).not.toEqual(
          [],
        );
      expect(
        await layerErrors('export const v = document.title;\n', 'src/renderer/src/probe.ts'),
      ).toEqual([]);
    },
    LINT_TIMEOUT,
  );
});
