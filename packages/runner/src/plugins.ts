import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ConfigError, CosearchError } from '@cosearch/core';
import { DEFAULT_PROBLEM } from './config';
import { problemRegistry } from './problem';

/**
 * Plug-in modules: files or packages that, when loaded, register policies, problems, rewards,
 * hardware models, datasets or executors in the registries of their packages. An experiment
 * config lists them in `plugins` (paths relative to the config file, or package names); the CLI
 * adds its built-ins (`@cosearch/problem`, `@cosearch/queue`) and `--plugin FILE`. Loading is
 * synchronous (`require`), once per module per thread; a run's `config.json` stores the
 * resolved list (absolute paths, package names as they are), so `resume`, `report`, `suite`,
 * worker threads and queue workers load the same modules before building the experiment.
 *
 * A plug-in is a CommonJS module, or TypeScript when the process runs under tsx (as the cosearch
 * CLI does from sources) or jest.
 */

/** A plug-in that could not be loaded (its own error, in one line). */
export class PluginError extends CosearchError {}

/** Loaded modules: resolved id (absolute path or package name) → the spec as written. */
const loaded = new Map<string, string>();
/** Problem name → the module that registered it (what worker threads must load to rebuild it). */
const problemModules = new Map<string, string>();

function isPath(spec: string): boolean {
  return spec.startsWith('.') || path.isAbsolute(spec);
}

/**
 * Resolves one spec: a path (relative to `baseDir`) must exist (extension optional: .ts, .js,
 * .cjs, /index.*); a package name is kept as written. Throws a `ConfigError` naming `field`.
 */
export function resolvePlugin(raw: unknown, baseDir: string, field: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ConfigError(field, raw, 'a module path (relative to the config file) or a package name');
  let spec: string = raw;
  // `dir/file.ts` without "./": a file when one exists there (package names rarely look like files)
  if (!isPath(spec) && /\.[cm]?[jt]s$/.test(spec) && fs.existsSync(path.resolve(baseDir, spec))) spec = `./${spec}`;
  if (!isPath(spec)) {
    if (!/^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(spec)) {
      throw new ConfigError(field, spec, 'a module path starting with "./", "../" or "/", or a package name');
    }
    return spec;
  }
  const abs = path.resolve(baseDir, spec);
  const tries = [abs, ...['.ts', '.js', '.cjs'].map((e) => abs + e), ...['index.ts', 'index.js'].map((f) => path.join(abs, f))];
  const hit = tries.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (!hit) throw new ConfigError(field, spec, `an existing module file (looked for ${abs}[.ts|.js|.cjs])`);
  return hit;
}

/** Validates a config's `plugins` field (absent = none) and resolves each entry against `baseDir`. */
export function resolvePlugins(raw: unknown, baseDir: string, field = 'plugins'): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ConfigError(field, raw, 'a list of module paths (relative to the config file) or package names');
  if (raw.length > 64) throw new ConfigError(field, `${raw.length} entries`, 'at most 64 plug-in modules');
  return raw.map((s, i) => resolvePlugin(s, baseDir, `${field}[${i}]`));
}

/**
 * A TypeScript plug-in in a process without a TypeScript loader (the CLI built to JavaScript):
 * registers tsx's CommonJS hook once, when tsx is installed (the cosearch CLI depends on it).
 */
function ensureTypeScript(id: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!/\.[cm]?ts$/.test(id) || require.extensions['.ts'] !== undefined) return;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('tsx/cjs/api') as { register: () => unknown }).register();
  } catch {
    throw new PluginError(`the plug-in ${id} is TypeScript: install tsx (npm i tsx) or compile it to JavaScript`);
  }
}

function requireId(id: string): void {
  if (path.isAbsolute(id)) {
    ensureTypeScript(id);
    require(id);
    return;
  }
  try {
    require(id); // the workspace's (and the runner's) node_modules
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String((err as Error).message).includes(id)) throw err;
    createRequire(path.join(process.cwd(), 'package.json'))(id); // a package installed in the user's project
  }
}

/**
 * Loads plug-in modules (each once per thread) and returns their resolved ids. `specs` are
 * resolved first (paths relative to `baseDir`, default the working directory). A module that
 * fails to load is a `PluginError` naming it; a `CosearchError` it throws passes unchanged.
 */
export function loadPlugins(specs: readonly unknown[], opts: { baseDir?: string; field?: string } = {}): string[] {
  const ids = resolvePlugins([...specs], opts.baseDir ?? process.cwd(), opts.field);
  ids.forEach((id, i) => {
    if (loaded.has(id)) return;
    const before = new Set(problemRegistry.names());
    try {
      requireId(id);
    } catch (err) {
      if (err instanceof CosearchError) throw err;
      const code = (err as NodeJS.ErrnoException)?.code;
      if (!path.isAbsolute(id) && code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes(`'${id}'`)) {
        throw new ConfigError(`${opts.field ?? 'plugins'}[${i}]`, specs[i], 'an installed package name or a module path (relative to the config file)');
      }
      const m = (err as Error)?.message ?? String(err);
      throw new PluginError(`cannot load plug-in ${opts.field ?? 'plugins'}[${i}] "${specs[i]}": ${m.split('\n')[0]}`);
    }
    loaded.set(id, String(specs[i]));
    for (const n of problemRegistry.names()) if (!before.has(n) && !problemModules.has(n)) problemModules.set(n, id);
  });
  return ids;
}

/** Every plug-in module loaded in this thread so far (resolved ids, in load order). */
export function loadedPlugins(): string[] {
  return [...loaded.keys()];
}

/**
 * The module a worker thread must load to have problem `name` registered: the one named by its
 * registry entry (`module`), or the plug-in during whose loading it was registered.
 */
export function problemModule(name: string): string | undefined {
  if (!problemRegistry.has(name)) return undefined;
  return (problemRegistry.get(name) as { module?: string }).module ?? problemModules.get(name);
}

/**
 * What a worker thread loads before rebuilding the problem of a raw config: the config's
 * plug-ins (already absolute in a run's config.json) and the module that registered its problem.
 */
export function workerModules(raw: unknown): string[] {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const out = Array.isArray(o.plugins) ? o.plugins.filter((s): s is string => typeof s === 'string') : [];
  const m = problemModule(typeof o.problem === 'string' ? o.problem : DEFAULT_PROBLEM);
  if (m && !out.includes(m)) out.push(m);
  return out;
}

/** Relative `plugins` entries of a raw config made absolute against the config file's folder (other fields unchanged). */
export function anchorPlugins(raw: unknown, dir: string): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const o = raw as Record<string, unknown>;
  if (!Array.isArray(o.plugins)) return raw;
  const anchor = (s: unknown) =>
    typeof s === 'string' && (s.startsWith('.') || (/\.[cm]?[jt]s$/.test(s) && !path.isAbsolute(s) && fs.existsSync(path.resolve(dir, s)))) ? path.resolve(dir, s) : s;
  return { ...o, plugins: o.plugins.map(anchor) };
}
