import type { Candidate, Choice, Rng, SearchSpace } from '@cosearch/core';
import { CandidateError } from '@cosearch/core';

/**
 * Candidate helpers shared by the evolutionary policies: feasibility repair after a mutation or
 * crossover, and mutation of one decision. All randomness comes from the caller's `Rng`.
 */

/**
 * Walks the decisions in space order and keeps each value while the partial candidate stays
 * feasible; a value the constraints now forbid is replaced by a uniformly drawn allowed one.
 * A feasible input is returned unchanged (same values), so repair never moves a valid design.
 */
export function repair(space: SearchSpace, candidate: Readonly<Candidate>, rng: Rng): Candidate {
  const out: Partial<Candidate> = {};
  for (const d of space.decisions) {
    const mask = space.feasibleMask(out, d.name);
    const k = space.indexOf(d.name, candidate[d.name]);
    if (k >= 0 && mask[k]) {
      out[d.name] = d.choices[k];
      continue;
    }
    const allowed: Choice[] = d.choices.filter((_, i) => mask[i]);
    if (allowed.length === 0) throw new CandidateError(`no feasible choice for decision ${d.name} while repairing a candidate`);
    out[d.name] = rng.pick(allowed);
  }
  return out as Candidate;
}

/**
 * Regularised-evolution mutation (Real et al. 2019): one decision, drawn uniformly among those
 * with more than one choice, is set to a different choice; the result is then repaired.
 */
export function mutate(space: SearchSpace, parent: Readonly<Candidate>, rng: Rng): Candidate {
  const mutable = space.decisions.filter((d) => d.choices.length > 1);
  if (mutable.length === 0) return { ...parent };
  const d = rng.pick(mutable);
  const current = space.indexOf(d.name, parent[d.name]);
  let k = rng.int(d.choices.length - 1);
  if (k >= current) k += 1;
  return repair(space, { ...parent, [d.name]: d.choices[k] }, rng);
}

/** Copies a candidate's values for the decisions of `space` (drops the others). */
export function project(space: SearchSpace, candidate: Readonly<Candidate>): Candidate {
  const out: Candidate = {};
  for (const d of space.decisions) out[d.name] = candidate[d.name];
  return out;
}
