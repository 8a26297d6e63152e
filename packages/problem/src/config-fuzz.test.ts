import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, Rng } from '@cosearch/core';
import { prepareExperiment, readConfigFile, validateSuiteConfig, variantConfig } from '@cosearch/runner';
import './index';

/**
 * Config fuzzing: from each example experiment in experiments/ (and experiments/plugins), 1,000
 * seeded mutations — wrong types, out-of-range numbers, unknown names, missing keys, extra keys,
 * nested junk, huge arrays — each validated as `cosearch search` would (`prepareExperiment`;
 * a suite's mutants: the suite, then the variant the mutation touched, else one in turn:
 * runner fields, plug-ins, problem sections, reward, policy, stages). Each must either validate,
 * or fail with a `ConfigError` naming a field; never a TypeError or any other exception. A
 * mutant that validates must be runnable: its space samples, and the hardware model (the
 * problem's per-layer breakdown) prices at least one of 8 sampled designs — so no accepted
 * config makes every evaluation fail. Counts per kind and outcome are printed.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const DIR = path.join(ROOT, 'experiments');
const FILES = [...fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => path.join(DIR, f)), path.join(DIR, 'plugins', 'plugins.json')];
const N = 1000;
const KINDS = ['wrong-type', 'out-of-range', 'unknown-name', 'missing-key', 'extra-key', 'nested-junk', 'huge-array'] as const;
type Kind = (typeof KINDS)[number];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Every node's path (the root excluded). */
function paths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push([...at, i]); paths(x, [...at, i], out); });
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push([...at, k]); paths(x, [...at, k], out); }
  return out;
}

function get(v: Json, p: Path): Json {
  return p.reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], v);
}

function set(root: Json, p: Path, value: Json | undefined): void {
  const parent = get(root, p.slice(0, -1)) as Record<string | number, Json>;
  const k = p[p.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(k as number, 1);
    else delete parent[k];
  } else parent[k] = value;
}

const NAMES = ['bogus-v1', 'latencyMs', '', 'random-v2', 'cim', '../../etc/passwd', 'x'.repeat(300), 'mnist ', 'NaN'];
const NUMBERS = [-1, 0, 0.5, -0.001, 1e308, -1e308, 2 ** 53, 1e-320, 99, 3.7, 1e9, 5];

function junk(rng: Rng, depth: number): Json {
  if (depth === 0) return rng.pick<Json>([1, 'a', null, true, [], {}]);
  return rng.bernoulli(0.5) ? { a: junk(rng, depth - 1), metric: junk(rng, depth - 1) } : [junk(rng, depth - 1), junk(rng, depth - 1)];
}

function otherType(rng: Rng, v: Json): Json {
  const options: Json[] = [42, 'text', true, null, [1, 'a'], { k: 1 }, [], {}];
  const t = (x: Json) => (x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x);
  return rng.pick(options.filter((o) => t(o) !== t(v)));
}

/** A mutant and the path it changed (a suite's mutant is checked on the variant it touched). */
function mutate(base: Json, kind: Kind, rng: Rng): { mutant: Json; at: Path } {
  const c = structuredClone(base);
  const all = paths(c);
  let at: Path = [];
  const pick = (filter: (p: Path) => boolean = () => true) => {
    const l = all.filter(filter);
    const p = l.length ? rng.pick(l) : null;
    if (p) at = p;
    return p;
  };
  switch (kind) {
    case 'wrong-type': {
      const p = pick()!;
      set(c, p, otherType(rng, get(c, p)));
      break;
    }
    case 'out-of-range': {
      const p = pick((q) => typeof get(c, q) === 'number') ?? pick()!;
      set(c, p, rng.pick(NUMBERS));
      break;
    }
    case 'unknown-name': {
      const p = pick((q) => typeof get(c, q) === 'string') ?? pick()!;
      const v = get(c, p);
      set(c, p, rng.bernoulli(0.3) && typeof v === 'string' ? `${v}x` : rng.pick(NAMES));
      break;
    }
    case 'missing-key': {
      const top = Object.keys(c as object);
      if (rng.bernoulli(0.3)) delete (c as Record<string, Json>)[rng.pick(top)];
      else set(c, pick()!, undefined);
      break;
    }
    case 'extra-key': {
      const p = pick((q) => { const v = get(c, q); return v !== null && typeof v === 'object' && !Array.isArray(v); });
      const target = (p ? get(c, p) : c) as Record<string, Json>;
      target[rng.pick(['extra', 'budjet', 'seed2', 'plugin', 'voltageV', '__proto__x'])] = rng.pick<Json>([1, 'x', [], {}, null]);
      break;
    }
    case 'nested-junk': {
      const p = pick()!;
      set(c, p, junk(rng, 1 + rng.int(5)));
      break;
    }
    case 'huge-array': {
      const p = pick((q) => Array.isArray(get(c, q))) ?? pick()!;
      const n = rng.pick([1000, 100_000]);
      const fill = rng.pick<Json>([1, 'mesh', 0.7, 8]);
      set(c, p, Array.from({ length: n }, (_, i) => (typeof fill === 'number' ? fill + i : fill)));
      break;
    }
  }
  return { mutant: c, at };
}

/** Validates a mutant (a suite: its `i`-th variant, in turn); an accepted one must price a design. */
function check(raw: Json, file: string, i = 0): void {
  let c: unknown = raw;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'suite' in raw) {
    const s = validateSuiteConfig(raw, file);
    c = variantConfig(s, s.variants[i % s.variants.length], s.seeds[0]);
  }
  const { problem } = prepareExperiment(c, { progress: null, baseDir: path.dirname(file) });
  const rng = new Rng(7);
  // up to 8 sampled designs until one prices (~28 % of default-space designs have an NPU mapping
  // that does not fit their array: 8 failures in a row by chance ≈ 4e-5)
  const errors: string[] = [];
  for (let k = 0; k < 8; k++) {
    const d = problem.space.sample(rng);
    if (!problem.breakdown) break;
    try {
      problem.breakdown(d);
      return;
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length === 8) throw new Error(`accepted, but every sampled design fails: ${errors[0]}`);
}

describe('config fuzzing', () => {
  it.each(FILES.map((f) => path.relative(ROOT, f)))('%s: 1,000 mutations validate or fail with a ConfigError naming a field', (rel) => {
    const file = path.join(ROOT, rel);
    const base = readConfigFile(file) as Json;
    check(base, file); // the example itself is valid
    const rng = new Rng(20261204).fork(rel);
    const counts = Object.fromEntries(KINDS.map((k) => [k, { tried: 0, valid: 0, rejected: 0 }]));
    const bad: string[] = [];
    for (let i = 0; i < N; i++) {
      const kind = KINDS[i % KINDS.length];
      const { mutant: m, at } = mutate(base, kind, rng);
      const variant = at[0] === 'variants' && typeof at[1] === 'number' ? at[1] : i;
      counts[kind].tried += 1;
      try {
        check(m, file, variant);
        counts[kind].valid += 1;
      } catch (err) {
        if (err instanceof ConfigError && err.field.length > 0 && !/\n/.test(err.message)) counts[kind].rejected += 1;
        else bad.push(`#${i} ${kind}: ${(err as Error).constructor.name}: ${(err as Error).message.slice(0, 300)}\n  mutant: ${JSON.stringify(m).slice(0, 300)}`);
      }
    }
    const total = Object.values(counts).reduce((s, x) => s + x.tried, 0);
    process.stdout.write(`${rel}: ${total} mutations — ${KINDS.map((k) => `${k} ${counts[k].tried} (${counts[k].valid} valid, ${counts[k].rejected} ConfigError)`).join('; ')}; other failures ${bad.length}\n`);
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(bad.slice(0, 10)).toEqual([]);
  });
});
