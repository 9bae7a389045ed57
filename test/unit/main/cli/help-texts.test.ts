import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../../src/main/cli/program';

/** Every command below `root`, by its full name. */
function commands(root: Command, prefix = ''): { name: string; cmd: Command }[] {
  return root.commands.flatMap((c) => {
    const name = `${prefix}${c.name()}`;
    return [{ name, cmd: c }, ...commands(c, `${name} `)];
  });
}

describe('rigger --help', () => {
  it('says what every command and subcommand does', () => {
    const program = buildProgram(() => undefined);
    const silent = commands(program)
      .filter(({ cmd }) => !cmd.description().trim())
      .map(({ name }) => name);
    expect(silent).toEqual([]);
  });
});
