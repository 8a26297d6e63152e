#!/usr/bin/env node
// Entry point of `npx cosearch`. A published install runs the compiled dist/main.js; inside the
// monorepo (no build step) it re-runs node with the source export condition and tsx, so the
// TypeScript sources run directly.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const built = path.join(__dirname, '..', 'dist', 'main.js');
if (fs.existsSync(built)) {
  require(built);
} else {
  const src = path.join(__dirname, '..', 'src', 'main.ts');
  const result = spawnSync(
    process.execPath,
    ['--conditions=@cosearch/source', '--import', 'tsx', src, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  if (result.error) throw result.error;
  process.exit(result.status === null ? 1 : result.status);
}
