#!/usr/bin/env node
// `npm run build` (and the root `prepare` script, so `npm ci` on a fresh clone ends with a build):
// compiles every workspace package that has a `build` script to its dist/ (JavaScript + .d.ts),
// in dependency order, so each package compiles against the declarations of the @cosearch/*
// packages it depends on, as an outside consumer does. Nothing to configure for a new package:
// a workspace with a `build` script and its @cosearch/* dependencies in package.json is picked up.
//
// A package is skipped when its dist/.build-stamp is newer than every file of its src/, its
// package.json and tsconfig files, and than the stamps of its dependencies (make-like).
//   node tools/build.mjs            build what changed
//   node tools/build.mjs --force    rebuild everything
//   node tools/build.mjs --check    exit 1 (and say which) if some package is out of date
//   node tools/build.mjs core cli   only these packages and what they depend on
//   node tools/build.mjs --lenient  (the root `prepare` script, run by `npm ci`/`npm install`) a
//                                   failed package is reported and the build stops with exit 0:
//                                   the cosearch bin then runs from sources, and `npm test`
//                                   (which builds strictly) reports the error
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP = '.build-stamp';

/** The workspace packages (root package.json `workspaces`, `dir/*` patterns), with their @cosearch deps. */
export function workspaces(root = ROOT) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const dirs = [];
  for (const pattern of pkg.workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const base = join(root, pattern.slice(0, -2));
      for (const d of readdirSync(base).sort()) if (existsSync(join(base, d, 'package.json'))) dirs.push(join(base, d));
    } else if (existsSync(join(root, pattern, 'package.json'))) {
      dirs.push(join(root, pattern));
    }
  }
  const all = dirs.map((dir) => {
    const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const deps = Object.keys({ ...p.dependencies, ...p.devDependencies, ...p.peerDependencies, ...p.optionalDependencies });
    return { dir, name: p.name, build: p.scripts?.build, deps };
  });
  const names = new Set(all.map((w) => w.name));
  for (const w of all) w.deps = w.deps.filter((d) => names.has(d));
  return all;
}

/** Dependency order (dependencies first); throws on a cycle, naming it. */
export function buildOrder(all) {
  const byName = new Map(all.map((w) => [w.name, w]));
  const done = new Set();
  const visiting = [];
  const order = [];
  const visit = (w) => {
    if (done.has(w.name)) return;
    if (visiting.includes(w.name)) throw new Error(`dependency cycle: ${[...visiting.slice(visiting.indexOf(w.name)), w.name].join(' -> ')}`);
    visiting.push(w.name);
    for (const d of w.deps) visit(byName.get(d));
    visiting.pop();
    done.add(w.name);
    order.push(w);
  };
  for (const w of all) visit(w);
  return order;
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of readdirSync(path)) m = Math.max(m, newestMtime(join(path, e)));
  return m;
}

/** Newest input of a package: its src/ and types/ folders, package.json and tsconfig*.json. */
export function inputsMtime(dir) {
  let m = Math.max(newestMtime(join(dir, 'src')), newestMtime(join(dir, 'types')), newestMtime(join(dir, 'package.json')));
  for (const f of readdirSync(dir)) if (/^tsconfig.*\.json$/.test(f)) m = Math.max(m, statSync(join(dir, f)).mtimeMs);
  return Math.max(m, newestMtime(join(ROOT, 'tsconfig.base.json')));
}

export function stampMtime(dir) {
  const f = join(dir, 'dist', STAMP);
  return existsSync(f) ? statSync(f).mtimeMs : 0;
}

function main() {
  const force = process.argv.includes('--force');
  const check = process.argv.includes('--check');
  const lenient = process.argv.includes('--lenient');
  // Optional package names (`@cosearch/core` or `core`): only these and their dependencies.
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  let order = buildOrder(workspaces()).filter((w) => w.build);
  if (wanted.length) {
    const byName = new Map(order.map((w) => [w.name, w]));
    const keep = new Set();
    const add = (n) => {
      const w = byName.get(n) ?? order.find((x) => x.dir.endsWith(`/${n}`));
      if (!w) throw new Error(`build: no workspace package ${n}`);
      if (keep.has(w.name)) return;
      keep.add(w.name);
      w.deps.forEach(add);
    };
    wanted.forEach(add);
    order = order.filter((w) => keep.has(w.name));
  }
  const stamps = new Map();
  const stale = [];
  const t0 = Date.now();
  for (const w of order) {
    const rel = relative(ROOT, w.dir);
    const depStamp = Math.max(0, ...w.deps.map((d) => stamps.get(d) ?? 0));
    const own = stampMtime(w.dir);
    const upToDate = !force && own > 0 && own >= inputsMtime(w.dir) && own >= depStamp;
    if (upToDate) {
      stamps.set(w.name, own);
      continue;
    }
    if (check) {
      stale.push(rel);
      stamps.set(w.name, Infinity);
      continue;
    }
    const t = Date.now();
    rmSync(join(w.dir, 'dist'), { recursive: true, force: true });
    const r = spawnSync(w.build, { cwd: w.dir, shell: true, stdio: 'inherit', env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}` } });
    if (r.status !== 0) {
      console.error(`build: ${w.name} failed (${rel}: ${w.build})${lenient ? '; packages depending on it are not built either (the cosearch bin runs from sources)' : ''}`);
      process.exit(lenient ? 0 : 1);
    }
    writeFileSync(join(w.dir, 'dist', STAMP), `${new Date().toISOString()}\n`);
    stamps.set(w.name, stampMtime(w.dir));
    console.error(`build: ${w.name} ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  if (check) {
    if (stale.length) {
      console.error(`build: out of date: ${stale.join(', ')} (npm run build)`);
      process.exit(1);
    }
    return;
  }
  console.error(`build: ${order.length} packages up to date (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
