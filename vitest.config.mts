import { configDefaults, defineConfig } from 'vitest/config';

/**
 * One run, four projects: unit tests beside nothing but code; integration tests against the
 * test gateway's real sshd, brokers and servers, two files at a time (they mostly wait on their
 * peers, each of which has its own ports and folders); then the integration files that need the
 * machine to themselves (ALONE), one at a time, beside the end-to-end tests in Chromium, one
 * file at a time; last, the end-to-end files with a QEMU board (E2E_BOARD), one at a time.
 * Groups run in `sequence.groupOrder`; projects of one group run together.
 * docs/testing.md, "Which files run side by side", says how to mark a file.
 */

/**
 * Integration files that run alone: real U-Boot under QEMU takes a whole core, and Rigger
 * reads a console by its timing (quiet periods, the autoboot countdown), so two QEMU boards
 * side by side on these 2-core machines would test the load, not Rigger. test/helpers refuses
 * to start QEMU in a file not listed here.
 */
const ALONE = [
  'test/integration/serial/**/*.test.ts',
  'test/integration/transfer/uboot-tftp.test.ts',
  'test/integration/cli/console-cli.test.ts',
  'test/integration/backup/console-recovery.test.ts',
];

/**
 * End-to-end files that drive real U-Boot under QEMU through the UI: after the ALONE files, so
 * never two QEMU boards at once (beside an ALONE file one waited 60 s for U-Boot's prompt).
 */
const E2E_BOARD = [
  'test/e2e/console.test.ts',
  'test/e2e/console-flash.test.ts',
  'test/e2e/serial-gateway.test.ts',
];

/** Integration files side by side: 2 (RIGGER_INTEGRATION_WORKERS=1 runs them one at a time). */
const INTEGRATION_WORKERS = Number(process.env.RIGGER_INTEGRATION_WORKERS ?? 2);

const integration = {
  environment: 'node' as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
  setupFiles: ['test/helpers/integration-setup.ts'],
};

const e2e = {
  environment: 'node' as const,
  env: { RIGGER_TEST_LANE: 'alone' },
  testTimeout: 120_000,
  hookTimeout: 180_000,
  fileParallelism: false,
};

export default defineConfig({
  test: {
    reporters: ['default', './test/reporters/summary-line.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          ...integration,
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/gateway-sim/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE],
          env: { RIGGER_TEST_LANE: 'shared' },
          maxWorkers: INTEGRATION_WORKERS,
          // After the unit tests (a group of its own: its worker count differs from theirs).
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...integration,
          name: 'integration-alone',
          include: ALONE,
          env: { RIGGER_TEST_LANE: 'alone' },
          // One file at a time, after the side-by-side files (beside one e2e file, as before).
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          ...e2e,
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...E2E_BOARD],
          // Projects without a group would all start at once: e2e waits for the side-by-side files.
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          ...e2e,
          name: 'e2e-board',
          include: E2E_BOARD,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
