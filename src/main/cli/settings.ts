import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { WithCore } from './context';
import { print } from './output';

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
  settings.command('get <key>').action((key: string) =>
    withCore(async (core) => {
      let v: unknown = await core.call('settings.get', {});
      for (const k of key.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
      if (v === undefined) throw new RiggerError('NOT_FOUND', `No setting ${key}`, { key });
      print(true, v, () => '');
    }),
  );
  settings.command('set <key> <value>').action((key: string, value: string) =>
    withCore(async (core) => {
      const r = await core.call('settings.update', patchFor(key, parseValue(value)));
      print(
        false,
        r,
        () =>
          `${r.message}${Object.keys(r.changes).length ? `: ${Object.keys(r.changes).join(', ')}` : ''}`,
      );
    }),
  );
}
