import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileSchema, type Profile } from '../../src/shared/profile';

/** The shipped Univa-GW-Pro profile, parsed, optionally with a different scheme. */
export function univaProfile(scheme: Profile['bootloader']['scheme'] = 'bootcount'): Profile {
  const raw = JSON.parse(
    readFileSync(join(__dirname, '../../resources/profiles/univa-gw-pro.json'), 'utf8'),
  );
  raw.bootloader.scheme = scheme;
  if (scheme !== 'bootcount') delete raw.bootloader.vars;
  return profileSchema.parse(raw);
}

/** The raw JSON of the shipped profile, to break in tests. */
export function univaProfileJson(): Record<string, unknown> {
  return JSON.parse(
    readFileSync(join(__dirname, '../../resources/profiles/univa-gw-pro.json'), 'utf8'),
  );
}
