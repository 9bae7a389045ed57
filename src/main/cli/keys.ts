import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createBundle, generateSigningKeys } from '../core/images/bundle-create';
import type { WithCore } from './context';
import { print } from './output';

/** `rigger keys …` and `rigger bundle create`: trust, and making bundles a site can import. */
export function registerKeyCommands(
  program: Command,
  withCore: WithCore,
  onError: (err: unknown, json?: boolean) => void,
): void {
  const keys = program
    .command('keys')
    .description('keys and CA certificates trusted to sign images');
  keys
    .command('add <file>')
    .description('trust an Ed25519 public key (PEM) or a CA certificate (PEM)')
    .option('--json', 'print JSON')
    .action((file: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const k = await core.call('keys.add', { path: resolve(file) });
        print(o.json, k, () => `Trusted ${k.kind} ${k.name}\n  fingerprint ${k.fingerprint}`);
      }),
    );
  keys
    .command('list')
    .description('the trusted keys and CA certificates, with their fingerprints')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withCore(async (core) => {
        const list = await core.call('keys.list', {});
        print(o.json, list, () =>
          list.length
            ? list.map((k) => `${k.fingerprint}  ${k.kind.padEnd(8)} ${k.name}`).join('\n')
            : 'No trusted keys yet: rigger keys add FILE',
        );
      }),
    );
  keys
    .command('remove <fingerprint>')
    .description('stop trusting a key')
    .option('--json', 'print JSON')
    .action((fp: string, o: { json?: boolean }) =>
      withCore(async (core) =>
        print(
          o.json,
          await core.call('keys.remove', { fingerprint: fp }),
          () => `No longer trusted: ${fp}`,
        ),
      ),
    );
  keys
    .command('generate')
    .description('make an Ed25519 signing key pair for a site')
    .requiredOption('--out <dir>', 'folder for the .key and .pub files')
    .option('--json', 'print JSON')
    .action((o: { out: string; json?: boolean }) => {
      try {
        const r = generateSigningKeys(resolve(o.out));
        print(
          o.json,
          r,
          () =>
            `Private key ${r.privateKey} (keep it secret)\nPublic key  ${r.publicKey} (trust it: rigger keys add)\nFingerprint ${r.fingerprint}`,
        );
      } catch (err) {
        onError(err, o.json);
      }
    });

  program
    .command('bundle')
    .description('make signed bundles')
    .command('create')
    .description('sign an image into a bundle Rigger imports (manifest filled in, signed)')
    .requiredOption('--image <file>', '.img / .squashfs, optionally .gz')
    .requiredOption('--manifest <file>', 'manifest JSON; size and hashes are filled in')
    .requiredOption('--key <file>', 'private key (PEM)')
    .option('--cert <file>', 'signer certificate chain (PEM), for X.509 signing')
    .requiredOption('-o, --out <file>', 'the bundle to write (.tar.gz or .tar)')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        image: string;
        manifest: string;
        key: string;
        cert?: string;
        out: string;
        json?: boolean;
      }) => {
        try {
          const r = await createBundle(o);
          print(
            o.json,
            r,
            () => `Wrote ${r.path}: ${r.manifest.id} ${r.manifest.version}, signed by ${r.signer}`,
          );
        } catch (err) {
          onError(err, o.json);
        }
      },
    );
}
