#!/usr/bin/env node
// The `rigger` command: the CLI built by `npm run build` into out/main/cli.js.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(built)) {
  process.stderr.write('Rigger is not built: run `npm run build` first.\n');
  process.exit(2);
}
require(built);
