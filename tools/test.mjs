#!/usr/bin/env node
// `npm test`: build every package (tools/build.mjs), type-check every package, then run every package's jest tests in one jest
// process (root jest.config.ts lists the projects), and end with the plain line
// `N passed, N failed` that CI reads (it cannot read jest's own summary).
// Extra arguments are passed to jest (e.g. `npm test -- packages/core`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

// Build every package to dist/ (incremental: a no-op after `npm ci`, whose `prepare` built them);
// the pack test installs the built packages, and the cosearch bin runs them.
const t0 = Date.now();
const build = spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit', env });
const buildFailed = build.status !== 0;
if (buildFailed) console.error('build failed (see errors above)');
else console.error(`build: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit', env });
const typeFailed = tsc.status !== 0;
if (typeFailed) console.error('type-check failed (see errors above)');

const out = join(mkdtempSync(join(tmpdir(), 'cosearch-jest-')), 'results.json');
const jest = spawnSync(
  process.execPath,
  ['node_modules/jest/bin/jest.js', '--ci', '--json', `--outputFile=${out}`, ...args],
  { stdio: 'inherit', env },
);

let passed = 0;
let failed = 0;
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  // A suite that fails to load (syntax error, missing module) has no failed tests: count it.
  failed += r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed')).length;
} else {
  failed += 1;
}
if (typeFailed) failed += 1;
if (buildFailed) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || jest.status !== 0 || typeFailed || buildFailed ? 1 : 0);
