import { dirname } from 'node:path/posix';
import type { Profile, SlotId } from '../../../shared/profile';
import { run, shq, type GatewaySession } from '../gateways/session';
import type { SlotRecord } from '../gateways/status-file';

/** Read Rigger's status file on the gateway; missing or unreadable is `{}`. */
export async function readRecords(
  session: GatewaySession,
  path: string,
): Promise<Record<string, unknown>> {
  const r = await session.exec(`cat ${shq(path)}`);
  if (r.code !== 0) return {};
  try {
    const v: unknown = JSON.parse(r.stdout.toString('utf8'));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Set (or with null, remove) one slot's entry of the status file, atomically: the whole file
 * goes to a temporary name, is flushed to storage (dd's fsync: that file only, not a global
 * `sync` that would wait for everything else dirty) and is `mv`ed over the old one, so a cut
 * never leaves half a file.
 */
export async function writeSlotRecord(
  session: GatewaySession,
  profile: Profile,
  slot: SlotId,
  record: SlotRecord | null,
): Promise<void> {
  const path = profile.status_file;
  const all = await readRecords(session, path);
  if (record) all[slot] = record;
  else delete all[slot];
  const tmp = `${path}.tmp`;
  await run(
    session,
    `mkdir -p ${shq(dirname(path))} && dd of=${shq(tmp)} conv=fsync 2>/dev/null && mv ${shq(tmp)} ${shq(path)}`,
    { stdin: JSON.stringify(all, null, 2) + '\n' },
  );
}
