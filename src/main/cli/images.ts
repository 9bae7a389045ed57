import { resolve } from 'node:path';
import { registerPlanCommand } from './update-plan';
import type { Command } from 'commander';
import { progressFigures } from '../../shared/progress-details';
import type { LibraryImage } from '../../shared/images';
import type { WithCore } from './context';
import { formatBytes } from '../../shared/format/bytes';
import { connectsToGateway } from './host-key';
import { print } from './output';
import { terminalBar } from './progress-bar';

const row = (i: LibraryImage) =>
  `${i.id.padEnd(28)} ${i.version.padEnd(14)} ${`${i.type ?? '-'}/${i.severity ?? '-'}`.padEnd(18)} ${(i.channel ?? '-').padEnd(8)} ${formatBytes(i.size).padEnd(8)} ${i.signature.padEnd(9)} ${i.signer_name ?? ''}`;

/** `rigger images …`: the offline image library. */
export function registerImageCommands(program: Command, withCore: WithCore): void {
  const images = program.command('images').description("Rigger's offline library of signed images");
  images
    .command('import <file>')
    .description(
      'import a bundle (.tar, .tar.gz) or, with --unsigned, a loose image (.img, .squashfs, optionally .gz)',
    )
    .option('--unsigned', 'import a loose image without a signature (recorded in the audit log)')
    .option('--version <v>', 'the version of a loose image')
    .option('--json', 'print JSON')
    .action((file: string, o: { unsigned?: boolean; version?: string; json?: boolean }) =>
      withCore(async (core) => {
        const bar = terminalBar('Importing');
        // The API operation itself, so its zod schema checks the input exactly as for the UI and
        // the REST server (a bad --version is refused here too); the bar follows its progress.
        let seen = 0;
        const off = core.events.on('progress_update', (e) => {
          const d = progressFigures(e.details);
          if (e.current_operation !== 'importing_image' || d.done === null) return;
          bar.add(d.done - seen, d.total ?? undefined);
          seen = d.done;
        });
        let img: LibraryImage;
        try {
          img = await core.call('images.import', {
            path: resolve(file),
            ...(o.unsigned ? { unsigned: true } : {}),
            ...(o.version !== undefined ? { version: o.version } : {}),
          });
        } finally {
          off();
        }
        bar.done();
        print(
          o.json,
          img,
          () =>
            `Imported ${img.id} (${img.version}), signature ${img.signature}${img.signer_name ? ` by ${img.signer_name}` : ''}.`,
        );
      }),
    );
  images
    .command('list')
    .description('the images in the library, newest first')
    .option('--channel <c>')
    .option('--json', 'print JSON')
    .action((o: { channel?: string; json?: boolean }) =>
      withCore(async (core) => {
        const list = await core.call('images.list', o.channel ? { channel: o.channel } : {});
        const usage = await core.call('images.usage', {});
        print(o.json, list, () =>
          list.length
            ? [
                ...list.map(row),
                '',
                `${usage.images} images, ${formatBytes(usage.bytes)} on disk${usage.free_bytes !== null ? `, ${formatBytes(usage.free_bytes)} free` : ''}`,
              ].join('\n')
            : 'The library is empty. Import a bundle with: rigger images import FILE',
        );
      }),
    );
  images
    .command('show <id>')
    .description("one image's manifest, signature and hashes")
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const i = await core.call('images.get', { id });
        print(o.json, i, () =>
          [
            row(i),
            `  ${i.description}`,
            ...i.changelog.map((c) => `  - ${c}`),
            `  fits ${i.compatible ? `${i.compatible.models.join(', ')} ${i.compatible.hardware_revisions.join(', ')}` : 'unknown'}; needs ${i.prerequisites.join(', ') || 'nothing'}`,
            `  sha256 ${i.sha256}  signer ${i.signer ?? 'none'}  from ${i.source} ${i.source_name} at ${i.imported_at}`,
          ].join('\n'),
        );
      }),
    );
  images
    .command('remove <id>')
    .description('remove an image from the library')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withCore(async (core) =>
        print(
          o.json,
          await core.call('images.remove', { id }),
          () => `Removed ${id} from the library.`,
        ),
      ),
    );
  images
    .command('verify <id>')
    .description('re-read a stored image and check it against its manifest')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('images.verify', { id });
        print(o.json, r, () =>
          r.ok
            ? `${id}: intact (sha256 ${r.actual})`
            : `${id}: DAMAGED: expected ${r.expected}, got ${r.actual}`,
        );
        if (!r.ok) process.exitCode = 1;
      }),
    );
  images
    .command('sync')
    .description(
      "refresh the channel's catalog from the update server and download what is missing",
    )
    .option('--channel <c>')
    .option('--server <url>')
    .option('--json', 'print JSON')
    .action((o: { channel?: string; server?: string; json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('images.sync', {
          channel: o.channel,
          server: o.server,
          download: true,
        });
        print(o.json, r, () =>
          [
            `Catalog ${r.channel} from ${r.server}: ${r.updates} updates (refreshed ${r.refreshed_at}).`,
            `Downloaded: ${r.downloaded.join(', ') || 'none'}; already here: ${r.already_present.join(', ') || 'none'}`,
            ...r.failed.map((f) => `FAILED ${f.id}: [${f.code}] ${f.message}`),
          ].join('\n'),
        );
        if (r.failed.length) process.exitCode = 1;
      }),
    );

  const updates = program.command('updates').description('updates that fit a gateway');
  registerPlanCommand(updates, withCore);
  connectsToGateway(updates.command('check <gateway>'))
    .description('what in the library fits this gateway, and whether it may be installed now')
    .option('--channel <c>')
    .option('--force', 'refresh the catalog first when online')
    .option('--json', "print the seed's updates/check shape")
    .action((gateway: string, o: { channel?: string; force?: boolean; json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('updates.check', {
          gateway,
          channel: o.channel,
          force: !!o.force,
        });
        print(o.json, r, () =>
          r.updates.length
            ? r.updates
                .map(
                  (u) =>
                    `${u.version.padEnd(12)} ${u.id.padEnd(28)} ${formatBytes(u.size * 1_000_000)}  ${u.downloaded ? (u.signature ?? '') : 'not downloaded yet'}`,
                )
                .join('\n')
            : `No update fits ${gateway} (running ${r.gateway_version ?? 'an unknown version'}). Catalog refreshed ${r.last_checked ?? 'never'}.`,
        );
      }),
    );
}
