import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import { profileSchema, type Profile, type ProfileSummary } from '../../../shared/profile';
import type { ProfileImportInput } from '../../../shared/profile-import';
import { parseOrThrow } from '../../../shared/validation';
import { importProfile } from './profile-import';

/** Parse and validate a profile's JSON text; a bad one names the wrong field. */
export function parseProfile(text: string, source: string): Profile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new RiggerError(
      'PROFILE_INVALID',
      `Profile ${source} is not valid JSON: ${(err as Error).message}`,
      {
        source,
      },
    );
  }
  const profile = parseOrThrow(profileSchema, raw, `Profile ${source}`, 'PROFILE_INVALID');
  if (profile.slots.A.device === profile.slots.B.device) {
    throw new RiggerError(
      'PROFILE_INVALID',
      `Profile ${source}: field "slots.B.device": slots A and B name the same device`,
      {
        source,
        issues: [{ field: 'slots.B.device', problem: 'same device as slot A' }],
      },
    );
  }
  return profile;
}

/** Read a profile file from disk and validate it. */
export function loadProfileFile(path: string): Profile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RiggerError(
      'NOT_FOUND',
      `Profile file ${path} cannot be read: ${(err as Error).message}`,
      { path },
    );
  }
  return parseProfile(text, path);
}

/** Finds profiles by name among the shipped ones and the user's, or by file path. */
export interface ProfileCatalog {
  list(): ProfileSummary[];
  /** A profile by name, or by absolute/relative file path. */
  resolve(ref: string): Profile;
  /** Check a profile file (by path or content) and keep it among the user's profiles. */
  import(input: ProfileImportInput): ProfileSummary;
}

/** The shipped profiles (resources/profiles) and the user's (dataDir/profiles). User files win. */
export function createProfileCatalog(builtinDir: string, userDir: string): ProfileCatalog {
  const scan = (): Array<{ path: string; source: 'builtin' | 'user' }> => {
    const out: Array<{ path: string; source: 'builtin' | 'user' }> = [];
    for (const [dir, source] of [
      [builtinDir, 'builtin'],
      [userDir, 'user'],
    ] as const) {
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort())
        if (f.endsWith('.json')) out.push({ path: join(dir, f), source });
    }
    return out;
  };
  return {
    list() {
      const byName = new Map<string, ProfileSummary>();
      for (const { path, source } of scan()) {
        try {
          const p = loadProfileFile(path);
          byName.set(p.name, {
            name: p.name,
            model: p.model,
            scheme: p.bootloader.scheme,
            source,
            path,
          });
        } catch (err) {
          console.warn(`skipping invalid profile ${path}: ${(err as Error).message}`);
        }
      }
      return [...byName.values()];
    },
    import(input) {
      return importProfile(userDir, this.list(), input);
    },
    resolve(ref) {
      if (ref.endsWith('.json') || isAbsolute(ref) || ref.includes('/'))
        return loadProfileFile(resolve(ref));
      const found = this.list().find((p) => p.name === ref);
      if (!found) {
        throw new RiggerError(
          'NOT_FOUND',
          `No profile named "${ref}"`,
          {
            profile: ref,
            known: this.list().map((p) => p.name),
          },
          ['Pick one of the known profiles', 'Give the path of a profile JSON file'],
        );
      }
      return loadProfileFile(found.path);
    },
  };
}
