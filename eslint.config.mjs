import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { layerBlocks } from './scripts/lint-layers.mjs';

/**
 * Lint, including every layering rule of ARCHITECTURE.md (scripts/lint-layers.mjs writes them
 * out per folder depth; test/unit/lint/layers.test.ts lints probe files against them).
 */

/** A module name, or any of its subpaths (`fs` and `fs/promises`). A `[/]` is a slash in a regex
 * that ESLint's selectors (esquery) can read too. */
const anyOf = (names) =>
  `^(${names.map((n) => n.replace(/[.+*?^$()|{}\\]/g, '\\$&').replace(/\//g, '[/]')).join('|')})([/].*)?$`;

/** Node's own modules, with and without the `node:` prefix. */
const nodeBuiltins = {
  regex: `^node:|${anyOf([...new Set(builtinModules.map((m) => m.split('/')[0]))])}`,
  what: 'Node built-ins',
};
/** npm packages that only run in Node. */
const nodePackages = {
  regex: anyOf([
    'ssh2',
    'better-sqlite3',
    'serialport',
    '@serialport',
    'usb',
    'ws',
    'tar',
    'commander',
    'cli-progress',
    'mime-types',
  ]),
  what: 'Node-only packages',
};
const electron = { regex: anyOf(['electron']), what: 'electron' };
const react = { regex: anyOf(['react', 'react-dom', 'zustand']), what: 'React' };
/** The device libraries with native parts: loaded only by the lazy loader. */
const devices = {
  regex: anyOf(['serialport', '@serialport', 'usb']),
  what: 'serialport or usb',
  message:
    'serialport and usb load only through the lazy loader: loadSerialPort/loadUsb in src/main/core/util/native.ts.',
};

const layers = [
  {
    name: 'shared',
    root: 'src/shared',
    reaches: [],
    modules: [electron, react, nodeBuiltins, nodePackages],
    message:
      'src/shared is the pure contract: no electron, Node, React, DOM or other project code.',
  },
  {
    name: 'core',
    root: 'src/main/core',
    reaches: ['src/shared'],
    modules: [electron, devices],
    message:
      'The core is plain Node: it imports only itself, src/shared, Node and libraries; never electron, the shell (ipc, cli, index, ...), the preload or the renderer.',
    // The lazy loader is the one place the device libraries are named.
    except: { file: 'src/main/core/util/native.ts', modules: [electron] },
  },
  {
    name: 'shell',
    root: 'src/main',
    ignores: ['src/main/core/**'],
    reaches: ['src/shared'],
    modules: [devices],
    message:
      'The Electron shell imports the core, src/shared, electron and Node; never the renderer or the preload.',
  },
  {
    name: 'preload',
    root: 'src/preload',
    reaches: ['src/shared'],
    modules: [nodeBuiltins, nodePackages, react],
    message: 'The preload imports only electron and src/shared.',
  },
  {
    name: 'renderer',
    root: 'src/renderer',
    reaches: ['src/shared'],
    modules: [electron, nodeBuiltins, nodePackages],
    message:
      'The renderer runs in the browser: no Node or electron, and it reaches the core only through its ApiClient (src/shared).',
  },
];

export default tseslint.config(
  // The seed's JavaScript clients are kept verbatim (test/e2e/seed-clients): not restyled here.
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'test/e2e/seed-clients/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location'].map(
          (name) => ({ name, message: 'src/shared is pure: no DOM.' }),
        ),
        ...['process', 'Buffer', '__dirname', '__filename', 'require'].map((name) => ({
          name,
          message: 'src/shared is pure: no Node.',
        })),
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...layers.flatMap(layerBlocks),
);
