import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the shipped resources are: RIGGER_RESOURCES if set, else the first `resources/`
 * found walking up from this module (source tree, built `out/`, or an unpacked package).
 */
export function findResourcesDir(): string {
  if (process.env.RIGGER_RESOURCES) return resolve(process.env.RIGGER_RESOURCES);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, 'profiles'))) return candidate;
    dir = dirname(dir);
  }
  return resolve('resources');
}
