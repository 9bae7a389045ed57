import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { WithCore } from './context';
import { print } from './output';
import { readPin } from './safety';

/** A refusal that a PIN in the same request would lift (a change that lowers a gate). */
const wantsPin = (err: unknown): boolean =>
  err instanceof RiggerError && err.code === 'OTA_010' && Array.isArray(err.details?.weakening);

/** A value from the command line: JSON when it parses (numbers, booleans, lists), else text. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `section.field` into the nested patch `{section: {field: value}}`. */
export function patchFor(key: string, value: unknown): Record<string, unknown> {
  const parts = key.split('.').filter(Boolean);
  if (!parts.length)
    throw new RiggerError(
      'VALIDATION_ERROR',
      'Give a key like safety_constraints.minimum_battery_level',
    );
  return parts.reduceRight<unknown>((acc, k) => ({ [k]: acc }), value) as Record<string, unknown>;
}

/** `rigger settings [get KEY | set KEY VALUE]`. */
export function registerSettingsCommands(program: Command, withCore: WithCore): void {
  const settings = program
    .command('settings')
    .description("Rigger's settings (the seed's settings document)")
    .action(() =>
      withCore(async (core) => {
        // Settings are a nested document: JSON is their readable form too.
        print(true, await core.call('settings.get', {}), () => '');
      }),
    );
  settings
    .command('get <key>')
    .description('print one setting by its dotted key')
    .action((key: string) =>
      withCore(async (core) => {
        let v: unknown = await core.call('settings.get', {});
        for (const k of key.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
        if (v === undefined) throw new RiggerError('NOT_FOUND', `No setting ${key}`, { key });
        print(true, v, () => '');
      }),
    );
  settings
    .command('set <key> <value>')
    .description('change a setting; lowering a safety or trust gate asks for the PIN (RIGGER_PIN)')
    .action((key: string, value: string) =>
      withCore(async (core) => {
        const patch = patchFor(key, parseValue(value));
        const r = await core.call('settings.update', patch).catch(async (err: unknown) => {
          if (!wantsPin(err)) throw err;
          const pin = await readPin(`${(err as RiggerError).message}. PIN: `);
          return core.call('settings.update', { ...patch, pin });
        });
        print(
          false,
          r,
          () =>
            `${r.message}${Object.keys(r.changes).length ? `: ${Object.keys(r.changes).join(', ')}` : ''}`,
        );
      }),
    );
}
