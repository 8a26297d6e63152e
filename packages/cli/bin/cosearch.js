#!/usr/bin/env node
// Entry point of `npx cosearch` (and of `npm start`). It runs the compiled dist/main.js in this
// process (built by `npm ci` through the root `prepare` script, or by `npm run build`). Inside the
// monorepo, when a workspace's sources are newer than its build (or nothing is built yet, or
// COSEARCH_FROM_SOURCE=1), it runs the TypeScript sources instead: a child node with the
// `@cosearch/source` export condition and tsx, to which SIGINT/SIGTERM/SIGHUP are forwarded; this
// process then exits as the child did (same code, or killed by the same signal).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { spawn } = require('node:child_process');

const pkgDir = path.join(__dirname, '..');
const built = path.join(pkgDir, 'dist', 'main.js');
const STAMP = '.build-stamp'; // written by tools/build.mjs after a package compiled

function newest(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}

/** The name of the first workspace whose build is missing or older than its sources, else null. */
function staleWorkspace(root) {
  const dir = path.join(root, 'packages');
  for (const name of fs.readdirSync(dir)) {
    const pkg = path.join(dir, name);
    let manifest;
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (!manifest.scripts || !manifest.scripts.build) continue;
    const stamp = newest(path.join(pkg, 'dist', STAMP));
    if (stamp === 0 || stamp < Math.max(newest(path.join(pkg, 'src')), newest(path.join(pkg, 'package.json')))) return manifest.name;
  }
  return null;
}

function useBuild() {
  if (process.env.COSEARCH_FROM_SOURCE === '1' || !fs.existsSync(built)) return false;
  const root = path.join(pkgDir, '..', '..');
  const inRepo = fs.existsSync(path.join(root, 'tools', 'build.mjs')) && fs.existsSync(path.join(pkgDir, 'src', 'main.ts'));
  if (!inRepo) return true; // an installed package: dist is what was published
  const stale = staleWorkspace(root);
  if (stale && process.stderr.isTTY) process.stderr.write(`cosearch: ${stale} changed since the last build; running from sources (npm run build for a fast start)\n`);
  return stale === null;
}

/**
 * Under `npx cosearch` / `npm start` this process is a child of `sh -c`, itself a child of npm.
 * npm forwards SIGINT/SIGTERM to that shell only; the shell dies and leaves this process running
 * (npm then exits 130/143 itself). So: when the parent shell goes away, stop as if SIGTERM had
 * come (the run checkpoints and exits). The poll is unref'd: it never keeps the process alive.
 */
function onParentExit(stop) {
  if (!process.env.npm_command && !process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      stop();
    }
  }, 200);
  timer.unref();
}

if (useBuild()) {
  onParentExit(() => process.kill(process.pid, 'SIGTERM'));
  require(built);
} else {
  const src = path.join(pkgDir, 'src', 'main.ts');
  // tsx as a file URL: a bare `--import tsx` would resolve from the working directory
  const tsx = require('node:url').pathToFileURL(require.resolve('tsx')).href;
  const child = spawn(process.execPath, ['--conditions=@cosearch/source', '--import', tsx, src, ...process.argv.slice(2)], { stdio: 'inherit' });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, forward);
  onParentExit(() => forward('SIGTERM'));
  child.on('error', (err) => {
    process.stderr.write(`cosearch: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const s of signals) process.off(s, forward);
    if (signal) process.kill(process.pid, signal); // die of the same signal (default action restored)
    else process.exit(code === null ? 1 : code);
  });
}
