import { Rng, SearchSpace, type Candidate, type EvalResult, type Metrics, type Policy, type PolicyContext } from '@cosearch/core';
import { policyRegistry } from './registry';

/**
 * The conformance suite every policy — built-in or a user's — must pass (issue: controller):
 * the same seed gives the same proposals; proposals are always valid and feasible; save → JSON
 * → load → continue gives exactly what continuing without the round trip gives (taken in the
 * middle of a batch, with asked-but-not-told candidates outstanding); tell accepts results in
 * any order, in chunks of any size (including empty and spanning several asks), failed
 * evaluations, and results for candidates it never proposed.
 *
 * Use from jest:  `runPolicyConformance('my-policy-v1', (seed) => ({ space, seed }))`, or call
 * the `check*` functions (they throw an Error describing the first violation).
 */
export type MakeContext = (seed: number) => PolicyContext;

/** A small two-phase space with constraints (exercises masking and multi-phase schedules). */
export function conformanceSpace(): SearchSpace {
  return new SearchSpace(
    [
      { name: 'depth', phase: 'network', choices: [1, 2, 3, 4] },
      { name: 'width', phase: 'network', choices: [8, 16, 32] },
      { name: 'kernel', phase: 'network', choices: [3, 5, 7] },
      { name: 'rows', phase: 'hardware', choices: [64, 128, 256] },
      { name: 'adcBits', phase: 'hardware', choices: [4, 6, 8] },
      { name: 'dvfs', phase: 'system', choices: ['low', 'mid', 'high'] },
    ],
    [
      {
        name: 'width-fits-rows',
        decisions: ['width', 'rows'],
        check: (c) => (c.width !== undefined && c.rows !== undefined && (c.width as number) * 4 > (c.rows as number) ? 'width·4 > rows' : null),
      },
      {
        name: 'deep-needs-adc',
        decisions: ['depth', 'adcBits'],
        check: (c) => (c.depth === 4 && c.adcBits === 4 ? 'depth 4 needs adcBits ≥ 6' : null),
      },
    ],
  );
}

/** A deterministic reward + metrics for any candidate of `space` (some evaluations fail). */
export function conformanceEvaluate(space: SearchSpace, candidate: Candidate): EvalResult {
  const idx = space.encode(candidate);
  let r = 0;
  idx.forEach((k, i) => (r += Math.sin(1.7 * (i + 1) * (k + 1)) + 0.1 * k * (idx[(i + 1) % idx.length] ?? 0)));
  const sum = idx.reduce((s, k) => s + k, 0);
  if ((sum * 31 + idx.length) % 11 === 0) return { candidate, reward: -5, error: 'simulated evaluation failure' };
  const metrics: Metrics = { accuracy: 0.5 + 0.05 * Math.tanh(r), latencyS: 1e-3 * (1 + sum), energyJ: 1e-6 * (2 + idx[0]), areaMm2: 1 + (idx[idx.length - 1] ?? 0) };
  return { candidate, reward: r, metrics };
}

interface DriveLog {
  proposals: string[];
}

/**
 * A scripted run: each step asks 1–6 candidates, then tells a random subset of everything
 * outstanding in shuffled order and random chunk sizes (sometimes an empty tell, sometimes a
 * result for a foreign candidate). `swap(step, policy)` runs right after a step's ask.
 */
function drive(policy: Policy, space: SearchSpace, steps: number, swap?: (step: number, p: Policy) => Policy): DriveLog {
  const rng = new Rng(12345);
  const log: DriveLog = { proposals: [] };
  let outstanding: Candidate[] = [];
  for (let step = 0; step < steps; step++) {
    const asked = policy.ask(1 + rng.int(6));
    for (const c of asked) {
      space.validate(c);
      const v = space.violations(c);
      if (v.length) throw new Error(`${policy.name} proposed an infeasible candidate ${JSON.stringify(c)}: ${v.join('; ')}`);
      log.proposals.push(space.key(c));
    }
    if (swap) policy = swap(step, policy);
    outstanding.push(...asked);
    rng.shuffle(outstanding);
    const last = step === steps - 1;
    const k = last ? outstanding.length : rng.int(outstanding.length + 1);
    const now = outstanding.slice(0, k);
    outstanding = outstanding.slice(k);
    if (step % 5 === 2) now.push(space.sample(rng)); // a result the policy never asked for
    while (now.length > 0 || rng.bernoulli(0.2)) {
      const chunk = now.splice(0, rng.int(now.length + 1));
      policy.tell(chunk.map((c) => conformanceEvaluate(space, c)));
      if (now.length === 0) break;
    }
  }
  return log;
}

function first<T>(a: readonly T[], b: readonly T[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

export interface ConformanceOptions {
  steps?: number;
}

/** Same seed → same proposals (two independent runs), and every proposal valid and feasible. */
export function checkDeterminism(name: string, makeCtx: MakeContext, opts: ConformanceOptions = {}): void {
  const steps = opts.steps ?? 16;
  const a = drive(policyRegistry.create(name, makeCtx(7)), makeCtx(7).space, steps);
  const b = drive(policyRegistry.create(name, makeCtx(7)), makeCtx(7).space, steps);
  const i = first(a.proposals, b.proposals);
  if (i >= 0) throw new Error(`${name}: same seed gave different proposal #${i}: ${a.proposals[i]} vs ${b.proposals[i]}`);
}

/** save() → JSON → load() into a fresh policy mid-run continues exactly like the original. */
export function checkSaveLoad(name: string, makeCtx: MakeContext, opts: ConformanceOptions = {}): void {
  const steps = opts.steps ?? 16;
  const space = makeCtx(3).space;
  for (const at of [0, Math.floor(steps / 2)]) {
    const plain = policyRegistry.create(name, makeCtx(3));
    const a = drive(plain, space, steps);
    let restored: Policy | undefined;
    const b = drive(policyRegistry.create(name, makeCtx(3)), space, steps, (step, p) => {
      if (step !== at) return p;
      const json = JSON.parse(JSON.stringify(p.save()));
      restored = policyRegistry.create(name, makeCtx(3));
      restored.load(json);
      return restored;
    });
    const i = first(a.proposals, b.proposals);
    if (i >= 0) throw new Error(`${name}: after save/load at step ${at}, proposal #${i} differs: ${a.proposals[i]} vs ${b.proposals[i]}`);
    const sa = JSON.stringify(plain.save()), sb = JSON.stringify(restored!.save());
    if (sa !== sb) throw new Error(`${name}: state after save/load at step ${at} differs from the uninterrupted run`);
  }
}

/** Tell in any order/chunking: the scripted run completes and the policy still proposes valid candidates. */
export function checkTellAnyOrder(name: string, makeCtx: MakeContext, opts: ConformanceOptions = {}): void {
  const ctx = makeCtx(11);
  const p = policyRegistry.create(name, ctx);
  drive(p, ctx.space, opts.steps ?? 16);
  // Results all at once for many asks, reversed.
  const many = p.ask(9).reverse();
  p.tell(many.map((c) => conformanceEvaluate(ctx.space, c)));
  p.tell([]);
  for (const c of p.ask(3)) if (!ctx.space.isFeasible(c)) throw new Error(`${name}: infeasible proposal after out-of-order tells`);
}

/** Registers the suite as jest tests (call inside a test file; uses jest's global describe/it). */
export function runPolicyConformance(name: string, makeCtx: MakeContext, opts: ConformanceOptions = {}): void {
  const g = globalThis as unknown as { describe: (n: string, f: () => void) => void; it: (n: string, f: () => void) => void };
  g.describe(`policy conformance: ${name}`, () => {
    g.it('same seed gives the same proposals, all valid and feasible', () => checkDeterminism(name, makeCtx, opts));
    g.it('save → load → continue equals continuing', () => checkSaveLoad(name, makeCtx, opts));
    g.it('tell accepts any order and batch size', () => checkTellAnyOrder(name, makeCtx, opts));
  });
}
