import { nonDominatedIndices, SearchSpace, type Candidate, type EvalResult } from '@cosearch/core';
import { createPolicy, crowdingDistance, nonDominatedSort, Nsga2Policy } from './index';

// Two-objective toy (ZDT-like): minimise f1 = x0, minimise f2 = (7 − x0) + 2·(x1 + x2) + x3·(x3 − 1).
// Its Pareto front is the 8 designs with x1 = x2 = 0 and x3 ∈ {0, 1} giving equal f, i.e. 8 points.
const space = new SearchSpace([0, 1, 2, 3].map((i) => ({ name: `x${i}`, phase: 'p', choices: [0, 1, 2, 3, 4, 5, 6, 7] })));
const f = (c: Candidate) => {
  const x = space.encode(c);
  return [x[0], 7 - x[0] + 2 * (x[1] + x[2]) + x[3] * (x[3] - 1)];
};
const evalResult = (c: Candidate): EvalResult => {
  const [f1, f2] = f(c);
  return { candidate: c, reward: -(f1 + f2), metrics: { accuracy: 0, latencyS: f1, energyJ: f2, areaMm2: 1 } };
};

test("NSGA-II's front on a two-objective toy problem equals the brute-force Pareto front", () => {
  // Brute force over all 4096 designs.
  const all: Candidate[] = [];
  for (let i = 0; i < 4096; i++) all.push(space.decode([i & 7, (i >> 3) & 7, (i >> 6) & 7, (i >> 9) & 7]));
  const bf = new Set(nonDominatedIndices(all.map(f)).map((i) => f(all[i]).join(',')));
  expect(bf.size).toBe(8);
  const p = createPolicy('nsga2-v1', { space, seed: 2, params: { population: 24, objectives: ['latencyS', 'energyJ'] } }) as Nsga2Policy;
  for (let gen = 0; gen < 60; gen++) p.tell(p.ask(24).map(evalResult));
  const found = new Set(p.front().map((e) => e.values.join(',')));
  expect([...found].sort()).toEqual([...bf].sort());
});

test('non-dominated sorting and crowding distance by hand', () => {
  const pts = [[1, 4], [2, 2], [4, 1], [3, 3], [5, 5]];
  expect(nonDominatedSort(pts)).toEqual([[0, 1, 2], [3], [4]]);
  const d = crowdingDistance([[1, 4], [2, 2], [4, 1]]);
  expect(d[0]).toBe(Infinity);
  expect(d[2]).toBe(Infinity);
  expect(d[1]).toBeCloseTo((4 - 1) / 3 + (4 - 1) / 3, 12);
});

test('nsga2-v1 asks for metrics when an objective needs them', () => {
  const p = createPolicy('nsga2-v1', { space, seed: 1 });
  expect(() => p.tell([{ candidate: p.ask(1)[0], reward: 1 }])).toThrow(/needs metrics/);
});
