import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Issue 16, part 1: each library installs on its own. `npm pack` the packages, install the
 * tarballs into an empty project in the temp folder (no workspace, no source condition), then
 * take the first ```ts block of each README's "Use" / "Use alone" section, type-check it with tsc
 * against the installed declarations, compile it and run it with plain `node`; the same snippet
 * run inside the monorepo (sources, through tsx) must print exactly the same.
 * Needs the packages built (`npm test` runs `npm run build` first).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const TARGETS = ['core', 'hardware', 'controller', 'datasets', 'cim-training'];
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The environment of a child npm: none of the `npm test` run's npm_* settings (workspace, prefix ...). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function sh(cmd: string, args: string[], opts: SpawnSyncOptions): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} (in ${opts.cwd}) exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  return String(r.stdout);
}

/** The first ```ts block after the README heading "## Use" or "## Use alone". */
export function useSnippet(readme: string): string {
  const m = /^## Use( alone)?\s*$[\s\S]*?^```ts\n([\s\S]*?)^```/m.exec(readme);
  if (!m) throw new Error('no ```ts block under "## Use" / "## Use alone"');
  return m[2];
}

/** Workspace folders of the @cosearch packages `names` need (themselves and their @cosearch dependencies). */
function closure(names: string[]): string[] {
  const out = new Set<string>();
  const visit = (dir: string) => {
    if (out.has(dir)) return;
    out.add(dir);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages', dir, 'package.json'), 'utf8'));
    for (const d of Object.keys(pkg.dependencies ?? {})) if (d.startsWith('@cosearch/')) visit(d.slice('@cosearch/'.length));
  };
  names.forEach(visit);
  return [...out];
}

describe('packages installed from npm pack tarballs outside the repository', () => {
  let project = '';
  let mono = '';
  const packed: Record<string, string> = {};
  const inRepo: Record<string, string> = {};

  beforeAll(() => {
    const check = spawnSync(process.execPath, [path.join(ROOT, 'tools', 'build.mjs'), '--check', ...TARGETS], { cwd: ROOT, encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`the packages are not built or out of date: ${check.stderr.trim()}`);
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-pack-'));
    mono = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.cache-cosearch-snippets-'));
    const env = cleanEnv();
    const dirs = closure(TARGETS);
    const tarballs = (JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', project, ...dirs.map((d) => path.join(ROOT, 'packages', d))], { cwd: ROOT, env })) as { filename: string }[])
      .map((t) => `./${t.filename}`);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'cosearch-pack-test', version: '0.0.0', private: true }, null, 2));
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs], { cwd: project, env });
    // Files the snippets read by a path relative to the working directory (hardware's network).
    fs.cpSync(path.join(ROOT, 'experiments', 'networks'), path.join(project, 'experiments', 'networks'), { recursive: true });

    const files = TARGETS.map((t) => {
      const code = useSnippet(fs.readFileSync(path.join(ROOT, 'packages', t, 'README.md'), 'utf8'));
      fs.writeFileSync(path.join(project, `${t}.ts`), code);
      fs.writeFileSync(path.join(mono, `${t}.ts`), code);
      return `${t}.ts`;
    });
    // Type-check against the installed declarations (dist/*.d.ts) and compile to CommonJS.
    sh(process.execPath, [TSC, '--strict', '--target', 'es2022', '--module', 'node16', '--moduleResolution', 'node16', '--esModuleInterop', '--skipLibCheck',
      '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules', '@types'), '--outDir', 'out', ...files], { cwd: project, env });
    for (const t of TARGETS) {
      packed[t] = sh(process.execPath, [path.join('out', `${t}.js`)], { cwd: project, env });
      inRepo[t] = sh(process.execPath, ['--conditions=@cosearch/source', '--import', 'tsx', path.join(mono, `${t}.ts`)], { cwd: ROOT, env });
    }
  }, 900_000);

  afterAll(() => {
    for (const d of [project, mono]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('installs only dist, declarations and sources of each package (no tests, no build stamps)', () => {
    for (const t of closure(TARGETS)) {
      const dir = path.join(project, 'node_modules', '@cosearch', t);
      expect(fs.existsSync(path.join(dir, 'dist', 'index.js'))).toBe(true);
      expect(fs.existsSync(path.join(dir, 'dist', 'index.d.ts'))).toBe(true);
      const all = fs.readdirSync(dir, { recursive: true }).map(String);
      expect(all.filter((f) => /\.test\.(js|ts|d\.ts)$|\.build-stamp$/.test(f))).toEqual([]);
    }
  });

  it.each(TARGETS)('%s: the README snippet prints the same installed (plain node) as in the monorepo', (t) => {
    expect(packed[t].trim().length).toBeGreaterThan(0);
    expect(packed[t]).toBe(inRepo[t]);
  });
});
