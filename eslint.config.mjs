import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Lint, including the layering rules of ARCHITECTURE.md:
 * shared imports nothing of the project or platform; core never imports electron;
 * the renderer never imports Node, core, main or preload code.
 */
const nodeModules = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'net',
  'crypto',
  'stream',
  'ssh2',
  'better-sqlite3',
  'serialport',
  'usb',
  'ws',
];
const restrict = (patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**'] },
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
      'no-restricted-imports': restrict([
        {
          group: ['electron', 'react', 'react-dom', ...nodeModules],
          message: 'src/shared is pure: no electron, Node or React.',
        },
        {
          group: ['**/main/**', '**/renderer/**', '**/preload/**', '../*'],
          message: 'src/shared imports nothing of the project.',
        },
      ]),
    },
  },
  {
    files: ['src/main/core/**'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['electron', 'electron/*'],
          message: 'The core is plain Node: it never imports electron.',
        },
        {
          group: ['**/renderer/**', '**/preload/**'],
          message: 'The core never imports the renderer or the preload.',
        },
      ]),
    },
  },
  {
    files: ['src/main/**'],
    ignores: ['src/main/core/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/renderer/**'], message: 'The shell never imports the renderer.' },
      ]),
    },
  },
  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['**/main/**', '**/renderer/**'],
          message: 'The preload imports only shared and electron.',
        },
      ]),
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict([
        {
          group: ['electron', ...nodeModules],
          message: 'The renderer runs in the browser: no Node or electron.',
        },
        {
          group: ['**/main/**', '**/preload/**'],
          message: 'The renderer talks to the core only through its ApiClient.',
        },
      ]),
    },
  },
);
