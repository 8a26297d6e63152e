import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The runner's module graph: no circle of value imports (type-only imports are erased; the one
 * type-only circle left is suite.ts ↔ stats/suite-stats.ts, which shares the suite's types), and
 * no package outside its declared dependencies (the co-search problem lives in
 * @cosearch/problem, which depends on the runner, not the other way round).
 */
const SRC = __dirname;
const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []));

function imports(file: string, values = false): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^((?:import|export)\s[^'";]*?)from\s+'([^']+)'|^import\s+'([^']+)'/gm)]
    .filter((m) => !values || !/^(import|export)\s+type\s/.test(m[1] ?? ''))
    .map((m) => m[2] ?? m[3]);
}

function resolveLocal(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(f)) return f;
  throw new Error(`${from}: cannot resolve ${spec}`);
}

describe('runner module graph', () => {
  const all = files(SRC);
  const graph = new Map(all.map((f) => [f, imports(f, true).filter((s) => s.startsWith('.')).map((s) => resolveLocal(f, s))]));

  it('has no import circle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, stack: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(f)), f].map((x) => path.relative(SRC, x)).join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const g of graph.get(f) ?? []) visit(g, [...stack, f]);
      state.set(f, 'done');
    };
    for (const f of all) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('imports only its declared dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(SRC, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set(Object.keys(pkg.dependencies));
    const outside = all.flatMap((f) => imports(f).filter((s) => !s.startsWith('.') && !s.startsWith('node:')).map((s) => ({ f, pkg: s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0] })));
    expect(outside.filter((x) => !allowed.has(x.pkg)).map((x) => `${path.relative(SRC, x.f)}: ${x.pkg}`)).toEqual([]);
    expect(Object.keys(pkg.dependencies).filter((d) => d.startsWith('@cosearch/')).sort()).toEqual(['@cosearch/controller', '@cosearch/core']);
  });
});
