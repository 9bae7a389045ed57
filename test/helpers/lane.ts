/*
 * Test files run two at a time in the `integration` project; files listed in ALONE in
 * vitest.config.mts run one at a time, with nothing else of the suite beside them (the
 * `integration-alone` and `e2e` projects). vitest.config.mts tells each project's files their
 * lane in RIGGER_TEST_LANE.
 */

/** Refuse to start `what` in a file that shares the machine: it must be listed in ALONE. */
export function needsMachineAlone(what: string): void {
  if (process.env.RIGGER_TEST_LANE !== 'shared') return;
  throw new Error(
    `${what} needs the machine to itself: add this test file to ALONE in vitest.config.mts ` +
      '(docs/testing.md, "Which files run side by side")',
  );
}
