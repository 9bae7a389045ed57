import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import { ask } from './ask';
import type { WithCore } from './context';
import { print } from './output';

/** Ask on a terminal whether the fingerprint shown is the other site's. */
async function askTrust(fingerprint: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const typed = await ask(
    `Fingerprint ${fingerprint}\nIs this the other site's key (compare it with them)? Type yes: `,
  );
  return typed.toLowerCase() === 'yes';
}

/** `rigger backup trust list|add|revoke|show`: other sites whose backups may be imported here. */
export function addTrustCommands(backup: Command, withCore: WithCore): void {
  const trust = backup
    .command('trust')
    .description("other sites' backup signing keys: their backups import as verified");
  trust
    .command('list')
    .description('the other sites whose backups import as verified')
    .option('--json')
    .action((o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('backupPlaces.trustedSites', {});
        print(o.json, r, () =>
          r.sites.length
            ? r.sites.map((s) => `${s.name}  ${s.fingerprint}  since ${s.added_at}`).join('\n')
            : 'No other site is trusted: backups they signed are refused on import.',
        );
      }),
    );
  trust
    .command('add <file>')
    .description("trust another site's site-signing.pub after comparing its fingerprint")
    .option('--name <name>', 'what to call that site')
    .option('--fingerprint <fp>', 'the fingerprint you compared (no question asked)')
    .option('--json')
    .action((file: string, o: { name?: string; fingerprint?: string; json?: boolean }) =>
      withCore(async (core) => {
        const input = { file: resolve(file), ...(o.name ? { name: o.name } : {}) };
        let r = await core.call('backupPlaces.trustSite', {
          ...input,
          ...(o.fingerprint ? { confirm_fingerprint: o.fingerprint } : {}),
        });
        if (r.status === 'confirm' && !o.fingerprint && (await askTrust(r.fingerprint)))
          r = await core.call('backupPlaces.trustSite', {
            ...input,
            confirm_fingerprint: r.fingerprint,
          });
        if (r.status === 'confirm')
          throw new RiggerError(
            'VALIDATION_ERROR',
            `Not trusted: the key's fingerprint is ${r.fingerprint}`,
            { fingerprint: r.fingerprint },
            [
              `Compare it with the other site's (rigger backup trust show there), then: rigger backup trust add ${file} --fingerprint ${r.fingerprint}`,
            ],
          );
        print(o.json, r, () =>
          r.already
            ? `Already trusted as ${r.name}`
            : `Trusted ${r.name} (${r.fingerprint}): its backups now import`,
        );
      }),
    );
  trust
    .command('revoke <fingerprint>')
    .description("stop trusting a site's key")
    .option('--json')
    .action((fingerprint: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('backupPlaces.revokeSite', { fingerprint });
        print(o.json, r, () => `${r.name} is no longer trusted; backups already imported stay`);
      }),
    );
  trust
    .command('show')
    .description("this site's own backup signing key, to give to another site")
    .description("this site's own signing key, to give to a site that imports its backups")
    .option('--json')
    .action((o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('backupPlaces.siteKey', {});
        print(o.json, r, () => `${r.pem.trim()}\nFingerprint ${r.fingerprint}`);
      }),
    );
}
