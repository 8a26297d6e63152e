import { ConfigError, SearchSpace } from '@cosearch/core';
import { createPolicy, type ReinforcePolicy } from './index';

// 27 candidates; a reward that varies so the policy keeps learning while it samples.
const space = new SearchSpace([
  { name: 'a', phase: 'network', choices: [0, 1, 2] },
  { name: 'b', phase: 'network', choices: ['x', 'y', 'z'] },
  { name: 'c', phase: 'hardware', choices: [10, 20, 30] },
]);
const reward = (c: Record<string, unknown>) => (c.a as number) + (c.c as number) / 10 + (c.b === 'y' ? 1 : 0);

function proposals(resample: number, n: number): string[] {
  const p = createPolicy('reinforce-v1', { space, seed: 5, params: { resample, batchSize: 3, learningRate: 0.05 } }) as ReinforcePolicy;
  const keys: string[] = [];
  while (keys.length < n) {
    const cs = p.ask(3);
    cs.forEach((c) => keys.push(space.key(c)));
    p.tell(cs.map((c) => ({ candidate: c, reward: reward(c) })));
  }
  return keys;
}

test('resample > 0 samples without replacement: 27 proposals cover all 27 candidates', () => {
  const keys = proposals(1000, 27);
  expect(new Set(keys).size).toBe(27);
});

test('resample = 0 (plain sampling) repeats candidates on the same run length', () => {
  expect(new Set(proposals(0, 27)).size).toBeLessThan(27);
});

test('once every candidate has been proposed it falls back to repeats (bounded redraws)', () => {
  const keys = proposals(20, 36);
  expect(new Set(keys.slice(0, 27)).size).toBeGreaterThan(20);
  expect(new Set(keys).size).toBeLessThanOrEqual(27);
});

test('resample is validated', () => {
  for (const bad of [-1, 1.5, 'many', 1e9]) {
    expect(() => createPolicy('reinforce-v1', { space, seed: 0, params: { resample: bad } })).toThrow(ConfigError);
  }
});

test('no redraws once every candidate of the space has been proposed', () => {
  // After all 27 candidates are seen, further draws are plain samples: the same as a policy
  // whose redraws are disabled from the same state (same RNG stream, no extra draws consumed).
  const a = createPolicy('reinforce-v1', { space, seed: 2, params: { resample: 1000, batchSize: 100 } }) as ReinforcePolicy;
  const seen = new Set<string>();
  while (seen.size < 27) a.ask(1).forEach((c) => seen.add(space.key(c)));
  const state = a.save();
  const b = createPolicy('reinforce-v1', { space, seed: 2, params: { resample: 0, batchSize: 100 } }) as ReinforcePolicy;
  b.load({ ...state });
  expect(a.ask(10)).toEqual(b.ask(10));
});
