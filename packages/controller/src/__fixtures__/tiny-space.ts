import { SearchSpace, type Candidate } from '@cosearch/core';

/** Tiny space (27 candidates) with a unique best: the reward counts decisions equal to the target. */
export const tinySpace = new SearchSpace([
  { name: 'a', phase: 'network', choices: [0, 1, 2] },
  { name: 'b', phase: 'network', choices: ['x', 'y', 'z'] },
  { name: 'c', phase: 'hardware', choices: [10, 20, 30] },
]);
export const tinyTarget: Candidate = { a: 2, b: 'y', c: 10 };
export const tinyReward = (c: Candidate): number => Object.keys(tinyTarget).filter((k) => c[k] === tinyTarget[k]).length;
