import type { ProfileBackup } from '../../../shared/backup';
import { RiggerError } from '../../../shared/errors';
import type { Profile } from '../../../shared/profile';

export interface ComponentSpec {
  paths: string[];
  quiesce_command?: string;
}

/**
 * The file components a profile offers for backup (GATEWAY-CONTRACT.md section 9): its `backup`
 * section's, or, without one, `config` = `data_paths`. `system` (the booted slot) is not a file
 * component: it is always offered and handled apart.
 */
export function fileComponents(
  profile: Pick<Profile, 'data_paths'> & { backup?: ProfileBackup },
): Record<string, ComponentSpec> {
  if (profile.backup) return { ...profile.backup.components };
  return { config: { paths: [...profile.data_paths] } };
}

/** The components a request names, checked against what the profile offers. */
export function pickComponents(
  offered: Record<string, ComponentSpec>,
  wanted: string[] | undefined,
): Record<string, ComponentSpec> {
  const names = (wanted ?? Object.keys(offered)).filter((n) => n !== 'system');
  const unknown = names.filter((n) => !offered[n]);
  if (unknown.length)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `This gateway's profile has no backup component ${unknown.join(', ')}`,
      { unknown, offered: ['system', ...Object.keys(offered)] },
      [`Choose among: system, ${Object.keys(offered).join(', ')}`],
    );
  return Object.fromEntries(names.map((n) => [n, offered[n]!]));
}
