import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new empty folder for one database. */
export const fresh = () => mkdtempSync(join(tmpdir(), 'rigger-db-'));
