#!/usr/bin/env node
// The same node_modules serves Node (CLI, tests, browser mode) and Electron (the desktop app),
// whose native ABIs differ. `npm start` rebuilds the native modules for Electron; this puts them
// back for Node when they no longer load here, so `npm test` and the CLI keep working.
const { execFileSync } = require('node:child_process');

const NATIVE = ['better-sqlite3', '@serialport/bindings-cpp', 'usb'];

function loads() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return true;
  } catch (err) {
    if (
      /NODE_MODULE_VERSION|was compiled against a different Node.js version|invalid ELF|Could not locate the bindings/.test(
        String(err.message),
      )
    ) {
      return false;
    }
    throw err;
  }
}

if (!loads()) {
  process.stderr.write('Native modules were built for Electron; rebuilding them for Node…\n');
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['rebuild', ...NATIVE], {
    stdio: 'inherit',
  });
}
