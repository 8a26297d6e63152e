import type { Candidate } from '@cosearch/core';
import type { LayerCost, Problem } from '../problem';

/**
 * Which decisions of a design matter, derived from the problem itself rather than from a list
 * of names: a decision is *active* for a candidate when changing it alone — to any other choice
 * the space's constraints allow, every other decision kept — changes the problem's per-layer
 * breakdown (`Problem.breakdown`: the layers that run, the unit each runs on, their latency or
 * energy) or makes the design fail to evaluate. Otherwise it is *inactive*: e.g. the block
 * decisions of slots beyond a stage's chosen depth, the ViT knobs of an MBConv block, crossbar
 * knobs of a design that maps nothing to CIM. Caveat: a decision that only changes chip totals
 * outside the per-layer breakdown (the area of idle CIM tiles) is listed as inactive too.
 *
 * Cost: one breakdown per alternative choice of each decision, stopping at the first change
 * (≈ 150 hardware-model calls for the 45-decision default space, well under a second).
 */
export interface Activity {
  active: string[];
  inactive: string[];
}

function signature(rows: readonly LayerCost[]): string {
  return JSON.stringify(rows.map((r) => [r.layer, r.unit, r.latencyS, r.energyJ]));
}

/**
 * Active and inactive decisions of `candidate`, in space order; null when the problem has no
 * breakdown or the candidate itself fails to evaluate (nothing to compare against).
 */
export function decisionActivity(problem: Problem, candidate: Readonly<Candidate>): Activity | null {
  if (!problem.breakdown) return null;
  const breakdown = problem.breakdown.bind(problem);
  const space = problem.space;
  const sig = (c: Candidate): string | null => {
    try {
      return signature(breakdown(c));
    } catch {
      return null; // the design fails to evaluate: distinct from any successful breakdown
    }
  };
  const base = sig({ ...candidate });
  if (base === null) return null;
  const out: Activity = { active: [], inactive: [] };
  for (const d of space.decisions) {
    const changes = d.choices.some((v) => {
      if (v === candidate[d.name]) return false;
      const alt = { ...candidate, [d.name]: v };
      if (!space.isFeasible(alt)) return false;
      return sig(alt) !== base;
    });
    (changes ? out.active : out.inactive).push(d.name);
  }
  return out;
}
