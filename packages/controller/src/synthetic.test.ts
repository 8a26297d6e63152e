import { bruteForceOptimum, syntheticProblem } from './index';
import { EvolutionPolicy } from './evolution';

test.each([0, 1, 2, 3])('the dynamic-programming optimum of the synthetic problem equals brute force (seed %i)', (seed) => {
  const prob = syntheticProblem({ decisions: 7, choices: 4, seed, interaction: 1.5 });
  const bf = bruteForceOptimum(prob.space, prob.reward);
  expect(prob.optimum).toBeCloseTo(bf.value, 12);
  expect(prob.reward(prob.best)).toBeCloseTo(prob.optimum, 12);
  expect(prob.best).toEqual(bf.best);
});

test('regularised evolution: FIFO population of fixed size, random until full, then mutants of one decision', () => {
  const prob = syntheticProblem({ decisions: 6, choices: 3, seed: 1 });
  const p = new EvolutionPolicy({ space: prob.space, seed: 1, params: { population: 5, sampleSize: 2 } });
  const first = p.ask(5);
  p.tell(first.map((c) => ({ candidate: c, reward: prob.reward(c) })));
  const child = p.ask(1)[0];
  const diffs = (a: Record<string, unknown>) => prob.space.names().filter((n) => a[n] !== child[n]).length;
  expect(Math.min(...first.map(diffs))).toBe(1);
  p.tell([{ candidate: child, reward: prob.reward(child) }]);
  expect(p.members().length).toBe(5);
  expect(p.members()[0].candidate).toEqual(first[1]); // the oldest left, not the worst
  expect(p.members()[4].candidate).toEqual(child);
});
