import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import type { ProfileSummary } from '../../../shared/profile';
import { MAX_PROFILE_BYTES, type ProfileImportInput } from '../../../shared/profile-import';
import { parseProfile } from './profile';

const tooLarge = (source: string, bytes: number) =>
  new RiggerError(
    'VALIDATION_ERROR',
    `${source} is ${bytes} bytes: a profile is at most ${MAX_PROFILE_BYTES / 1024} KiB, so this is not one`,
    { source, bytes, limit_bytes: MAX_PROFILE_BYTES },
    ['Choose the gateway profile JSON file'],
  );

/** The text and a name for messages, from a path (bounded before reading) or an upload. */
function readSource(input: ProfileImportInput): { text: string; source: string } {
  if ('content' in input) {
    const bytes = Buffer.byteLength(input.content, 'utf8');
    if (bytes > MAX_PROFILE_BYTES) throw tooLarge(input.file_name, bytes);
    return { text: input.content, source: basename(input.file_name) };
  }
  const path = resolve(input.path);
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new RiggerError(
      'NOT_FOUND',
      `Profile file ${path} cannot be read: ${(err as Error).message}`,
      {
        path,
      },
    );
  }
  if (size > MAX_PROFILE_BYTES) throw tooLarge(path, size);
  return { text: readFileSync(path, 'utf8'), source: path };
}

/** The same profile, whatever its formatting. */
const sameJson = (a: string, b: string) => {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
};

/**
 * Check a profile file and keep it in the user's profile folder as NAME.json. The same profile
 * again is a no-op; another one of a known name is refused unless `replace` (a shipped name is
 * then overridden by the user's, as the folder always did).
 */
export function importProfile(
  userDir: string,
  known: ProfileSummary[],
  input: ProfileImportInput,
): ProfileSummary {
  const { text, source } = readSource(input);
  const profile = parseProfile(text, source);
  const target = join(userDir, `${profile.name}.json`);
  const summary: ProfileSummary = {
    name: profile.name,
    model: profile.model,
    scheme: profile.bootloader.scheme,
    source: 'user',
    path: target,
  };
  const existing = known.find((p) => p.name === profile.name);
  if (existing) {
    if (sameJson(readFileSync(existing.path, 'utf8'), text)) return existing;
    if (!input.replace)
      throw new RiggerError(
        'ALREADY_EXISTS',
        `A different profile named "${profile.name}" is already known (${existing.source === 'builtin' ? 'shipped with Rigger' : existing.path})`,
        { profile: profile.name, source: existing.source, path: existing.path },
        [
          'Give your profile another "name" in the file, then choose it again',
          'Or replace the known one (gateways using it then read yours)',
        ],
      );
    if (existing.source === 'user' && existing.path !== target) rmSync(existing.path);
  }
  mkdirSync(userDir, { recursive: true });
  const part = `${target}.${process.pid}.part`;
  writeFileSync(part, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o644 });
  renameSync(part, target);
  return summary;
}
