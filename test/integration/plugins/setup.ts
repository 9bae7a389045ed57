import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../../src/main/core/audit';
import { connectSsh, type SshSession } from '../../../src/main/core/gateways/ssh-session';
import type { TrustAnchors } from '../../../src/main/core/images/signature';
import { profileSchema, type Profile } from '../../../src/shared/profile';
import type { GatewaySim } from '../../gateway-sim';

/** A real SSH session to the test gateway and its parsed profile, for the plugin and node services. */
export async function simSession(
  sim: GatewaySim,
): Promise<{ profile: Profile; session: SshSession }> {
  const session = await connectSsh(
    { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
    { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
    { connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 },
  );
  return { profile: profileSchema.parse(sim.profile), session };
}

/** Deps for createPluginService against one test gateway; the audit entries are kept to read. */
export function pluginDeps(sim: GatewaySim, anchors: TrustAnchors) {
  const audit: AuditEntry[] = [];
  const sessions: SshSession[] = [];
  return {
    audit,
    sessions,
    deps: {
      async session() {
        const s = await simSession(sim);
        sessions.push(s.session);
        return s;
      },
      anchors: () => anchors,
      audit: { record: (e: AuditEntry) => void audit.push(e) },
      tempDir: mkdtempSync(join(tmpdir(), 'rigger-plugins-')),
    },
  };
}
