import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { releasePorts } from './ports';

/*
 * Set up before every integration test file (vitest.config.mts, setupFiles). Files run side by
 * side, each in its own process: nothing of one may land where another looks. A CLI call without
 * --data-dir would use ~/.config/Rigger, shared by every file and the machine's own user, so
 * each file gets its own XDG_CONFIG_HOME; its ports go back to the pool once the file is done.
 */
const config = mkdtempSync(join(tmpdir(), 'rigger-xdg-'));
process.env.XDG_CONFIG_HOME = config;

// Registered before the file's own hooks, so it runs after them: its peers are stopped by then.
afterAll(() => {
  releasePorts();
  rmSync(config, { recursive: true, force: true });
});
