import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { isGatewayCommand } from '../../../../src/main/cli/host-key';
import { buildProgram } from '../../../../src/main/cli/program';

const ROOT = join(__dirname, '..', '..', '..', '..');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );

/** The text of a string or template literal, `${…}` parts as NAME; an identifier's const string. */
function textOf(node: ts.Node, consts: Map<string, string>): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((s) => 'NAME' + s.literal.text).join('');
  if (ts.isIdentifier(node)) return consts.get(node.text) ?? null;
  return null;
}

/** Every suggested action (4th argument of `new RiggerError`) in one file that names a `--flag`. */
function suggestionsIn(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const consts = new Map<string, string>();
  const found: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      const t = textOf(n.initializer, consts);
      if (t !== null) consts.set(n.name.text, t);
    }
    if (ts.isNewExpression(n) && n.expression.getText(sf) === 'RiggerError') {
      const actions = n.arguments?.[3];
      if (actions && ts.isArrayLiteralExpression(actions))
        for (const a of actions.elements) {
          const t = textOf(a, consts);
          if (t?.includes('--')) found.push(t);
        }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

const flagsOf = (text: string) => [...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]);

/** The flags a command takes: its own and its parents' (the program's --data-dir). */
function accepts(cmd: Command, flag: string): boolean {
  for (let c: Command | null = cmd; c; c = c.parent)
    if (
      c.options.some(
        (o) => o.long === flag || (flag.startsWith('--no-') && o.negate && o.long === flag),
      )
    )
      return true;
  return false;
}

/** The command a `rigger a b …` text names: the longest path of subcommand names. */
function commandNamed(program: Command, words: string[]): Command | null {
  let cmd: Command = program;
  let matched = false;
  for (const w of words) {
    const next = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (!next) break;
    cmd = next;
    matched = true;
  }
  return matched ? cmd : null;
}

const allCommands = (c: Command): Command[] => [c, ...c.commands.flatMap(allCommands)];

describe('flags named in suggested actions', () => {
  const program = buildProgram(() => undefined);
  const gatewayCommands = allCommands(program).filter(isGatewayCommand);
  const suggestions = [join(ROOT, 'src', 'main'), join(ROOT, 'src', 'shared')]
    .flatMap(sources)
    .flatMap((f) => suggestionsIn(f).map((text) => ({ file: relative(ROOT, f), text })));

  it('finds the suggestions that name flags, and the commands that connect to gateways', () => {
    expect(suggestions.length).toBeGreaterThan(5);
    expect(suggestions.map((s) => s.text).join('\n')).toContain('--accept-new-host-key');
    expect(gatewayCommands.map((c) => c.name())).toEqual(
      expect.arrayContaining(['status', 'flash', 'check', 'debug-bundle', 'rollback', 'logs']),
    );
  });

  it('are accepted by the command the suggestion names, or by every gateway command', () => {
    const wrong: string[] = [];
    for (const { file, text } of suggestions) {
      // Text before any `rigger …` comes with an error any gateway command can print.
      const [free = '', ...named] = text.split(/\brigger /);
      for (const flag of flagsOf(free))
        for (const c of gatewayCommands)
          if (!accepts(c, flag)) wrong.push(`${file}: rigger ${c.name()} does not take ${flag}`);
      for (const part of named) {
        const cmd = commandNamed(program, part.split(/\s+/));
        if (!cmd) {
          wrong.push(`${file}: "rigger ${part}" names no command`);
          continue;
        }
        for (const flag of flagsOf(part))
          if (!accepts(cmd, flag))
            wrong.push(`${file}: rigger ${cmd.name()} does not take ${flag}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
