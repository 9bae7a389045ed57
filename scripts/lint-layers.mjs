import { posix } from 'node:path';

/**
 * The layering rules of ARCHITECTURE.md as ESLint config blocks, for eslint.config.mjs.
 *
 * `no-restricted-imports` sees only the import's text, not the file it names, so whether `../x`
 * leaves a layer depends on how deep the importing file sits: each layer gets one block per
 * folder depth. Every import form counts: `import`/`export ... from` (no-restricted-imports),
 * `import()`, `require()` and `typeof import()` types (no-restricted-syntax, same regexes).
 */

/** Deeper than any folder in src/ today; a file below it gets the layer's depth-agnostic rules. */
const MAX_DEPTH = 8;

/**
 * A relative import from a file `depth` folders below the layer's root that climbs out of the
 * root and lands anywhere but the root itself or one of `reaches` (src-relative folders).
 */
function escapeRegex(root, reaches, depth) {
  const parent = posix.dirname(root);
  const allowed = [posix.basename(root), ...reaches.map((r) => posix.relative(parent, r))]
    .map((p) => p.replace(/\./g, '\\.').replace(/\//g, '[/]'))
    .join('|');
  return `^(\\.\\.[/]){${depth + 1}}(?!(${allowed})([/]|$))`;
}

/** The two rules that forbid every import whose source matches one of `restricted`. */
function restrict(restricted) {
  const syntax = ({ regex, message }) => [
    { selector: `ImportExpression[source.value=/${regex}/]`, message },
    { selector: `CallExpression[callee.name='require'][arguments.0.value=/${regex}/]`, message },
    { selector: `TSImportType[argument.literal.value=/${regex}/]`, message },
    { selector: `TSImportType[source.value=/${regex}/]`, message },
  ];
  return {
    'no-restricted-imports': [
      'error',
      { patterns: restricted.map(({ regex, message }) => ({ regex, message })) },
    ],
    'no-restricted-syntax': ['error', ...restricted.flatMap(syntax)],
  };
}

/** What one layer forbids: project code outside it (but `reaches`), and its modules. */
function forbidden(layer, depth, modules) {
  return [
    ...(depth === null
      ? []
      : [{ regex: escapeRegex(layer.root, layer.reaches, depth), message: layer.message }]),
    ...modules.map((m) => ({
      regex: m.regex,
      message: m.message ?? `${layer.message} (not ${m.what})`,
    })),
  ];
}

/**
 * The config blocks of one layer: `{ name, root, reaches, modules, message, ignores?, except? }`,
 * `except` naming one file with its own list of forbidden modules.
 */
export function layerBlocks(layer) {
  const ignores = layer.ignores ?? [];
  const blocks = [
    // Any depth: the modules (a file deeper than MAX_DEPTH keeps at least these).
    {
      files: [`${layer.root}/**`],
      ignores,
      rules: restrict(forbidden(layer, null, layer.modules)),
    },
  ];
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    blocks.push({
      files: [`${layer.root}/${'*/'.repeat(depth)}*`],
      ignores,
      rules: restrict(forbidden(layer, depth, layer.modules)),
    });
  }
  if (layer.except) {
    const { file, modules } = layer.except;
    const depth = posix.relative(layer.root, posix.dirname(file)).split('/').filter(Boolean).length;
    blocks.push({ files: [file], rules: restrict(forbidden(layer, depth, modules)) });
  }
  return blocks;
}
