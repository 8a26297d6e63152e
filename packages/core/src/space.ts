import { CandidateError, ConfigError, showValue } from './errors';
import type { Rng } from './rng';

/** A value a decision can take. Plain JSON scalars so candidates serialise as they are. */
export type Choice = string | number | boolean;

/** A candidate: one choice for every decision of a space, by decision name. */
export type Candidate = Record<string, Choice>;

/**
 * One decision of a joint search space. `phase` groups decisions for multi-phase controllers
 * (e.g. `network`, `hardware`, `system`); any string is allowed.
 */
export interface Decision {
  readonly name: string;
  readonly phase: string;
  readonly choices: readonly Choice[];
  /** One line for reports and `--help` style listings. */
  readonly description?: string;
}

/**
 * A rule that marks (partial) candidates infeasible, so policies can mask choices instead of
 * sampling them and being punished (RHNAS / CORE lesson, REFERENCES §1).
 *
 * Contract: `check` receives a partial candidate (decisions assigned so far, in the space's
 * decision order) and returns `null` when it is still feasible, or a message naming the
 * violated rule. It must return `null` whenever a decision it needs is not yet assigned.
 */
export interface Constraint {
  readonly name: string;
  readonly decisions: readonly string[];
  check(partial: Readonly<Partial<Candidate>>): string | null;
}

/** The ordered set of decisions a policy chooses from, plus feasibility constraints. */
export class SearchSpace {
  readonly decisions: readonly Decision[];
  readonly constraints: readonly Constraint[];
  private readonly byName: Map<string, { index: number; decision: Decision; choiceIndex: Map<string, number> }>;

  constructor(decisions: readonly Decision[], constraints: readonly Constraint[] = []) {
    this.byName = new Map();
    decisions.forEach((decision, index) => {
      if (!decision.name) throw new ConfigError(`decisions[${index}].name`, decision.name, 'a non-empty string');
      if (this.byName.has(decision.name)) {
        throw new ConfigError(`decisions[${index}].name`, decision.name, 'a name not used by another decision');
      }
      if (!Array.isArray(decision.choices) || decision.choices.length === 0) {
        throw new ConfigError(`decisions.${decision.name}.choices`, decision.choices, 'a non-empty list of choices');
      }
      const choiceIndex = new Map<string, number>();
      decision.choices.forEach((c, i) => {
        const key = choiceKey(c);
        if (choiceIndex.has(key)) throw new ConfigError(`decisions.${decision.name}.choices[${i}]`, c, 'distinct choices');
        choiceIndex.set(key, i);
      });
      this.byName.set(decision.name, { index, decision, choiceIndex });
    });
    // Set before checking constraints: the error message below lists this.names().
    this.decisions = [...decisions];
    for (const c of constraints) {
      for (const d of c.decisions) {
        if (!this.byName.has(d)) throw new ConfigError(`constraints.${c.name}.decisions`, d, `one of ${this.names().join(', ')}`);
      }
    }
    this.constraints = [...constraints];
  }

  /** Concatenate spaces (e.g. the network fragment and the hardware fragment). */
  static merge(...spaces: SearchSpace[]): SearchSpace {
    return new SearchSpace(
      spaces.flatMap((s) => s.decisions),
      spaces.flatMap((s) => s.constraints),
    );
  }

  names(): string[] {
    return this.decisions.map((d) => d.name);
  }

  phases(): string[] {
    return [...new Set(this.decisions.map((d) => d.phase))];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  decision(name: string): Decision {
    const entry = this.byName.get(name);
    if (!entry) throw new CandidateError(`unknown decision ${JSON.stringify(name)}; the space has: ${this.names().join(', ')}`);
    return entry.decision;
  }

  /** Number of distinct candidates, ignoring constraints (may exceed 2^53: then approximate). */
  cardinality(): number {
    return this.decisions.reduce((n, d) => n * d.choices.length, 1);
  }

  /** log10 of the cardinality, exact enough for reports of huge spaces. */
  log10Cardinality(): number {
    return this.decisions.reduce((s, d) => s + Math.log10(d.choices.length), 0);
  }

  /** Index of a choice within its decision, or -1. */
  indexOf(name: string, value: Choice): number {
    const entry = this.byName.get(name);
    if (!entry) return -1;
    return entry.choiceIndex.get(choiceKey(value)) ?? -1;
  }

  /** Candidate → choice indices in decision order. Throws on invalid candidates. */
  encode(candidate: Readonly<Candidate>): number[] {
    this.validate(candidate);
    return this.decisions.map((d) => this.indexOf(d.name, candidate[d.name]));
  }

  /** Choice indices in decision order → candidate. */
  decode(indices: readonly number[]): Candidate {
    if (indices.length !== this.decisions.length) {
      throw new CandidateError(`expected ${this.decisions.length} indices, got ${indices.length}`);
    }
    const out: Candidate = {};
    this.decisions.forEach((d, i) => {
      const k = indices[i];
      if (!Number.isInteger(k) || k < 0 || k >= d.choices.length) {
        throw new CandidateError(`index ${k} out of range for decision ${d.name} (0..${d.choices.length - 1})`);
      }
      out[d.name] = d.choices[k];
    });
    return out;
  }

  /** A stable string key for a candidate (decision order), for caches and dedup. */
  key(candidate: Readonly<Candidate>): string {
    return this.encode(candidate).join('.');
  }

  /** Throws `CandidateError` naming the decision, the value and the allowed ones. */
  validate(candidate: Readonly<Candidate>): void {
    for (const name of Object.keys(candidate)) {
      if (!this.byName.has(name)) {
        throw new CandidateError(`unknown decision ${JSON.stringify(name)}; the space has: ${this.names().join(', ')}`);
      }
    }
    for (const d of this.decisions) {
      if (!(d.name in candidate)) throw new CandidateError(`missing decision ${d.name}; allowed: ${d.choices.map(showValue).join(', ')}`);
      if (this.indexOf(d.name, candidate[d.name]) < 0) {
        throw new CandidateError(
          `decision ${d.name}: ${showValue(candidate[d.name])} is not allowed; allowed: ${d.choices.map(showValue).join(', ')}`,
        );
      }
    }
  }

  /** Constraint violations of a (partial) candidate; empty when feasible. */
  violations(partial: Readonly<Partial<Candidate>>): string[] {
    const out: string[] = [];
    for (const c of this.constraints) {
      const msg = c.check(partial);
      if (msg !== null) out.push(`${c.name}: ${msg}`);
    }
    return out;
  }

  isFeasible(partial: Readonly<Partial<Candidate>>): boolean {
    for (const c of this.constraints) if (c.check(partial) !== null) return false;
    return true;
  }

  /**
   * Feasibility mask of one decision given the decisions already assigned in `partial`: entry i
   * is true when choosing choice i keeps the partial candidate feasible. Policies that assign
   * decisions in space order use it to mask infeasible choices.
   */
  feasibleMask(partial: Readonly<Partial<Candidate>>, name: string): boolean[] {
    const d = this.decision(name);
    const relevant = this.constraints.filter((c) => c.decisions.includes(name));
    if (relevant.length === 0) return d.choices.map(() => true);
    const trial: Partial<Candidate> = { ...partial };
    return d.choices.map((choice) => {
      trial[name] = choice;
      return relevant.every((c) => c.check(trial) === null);
    });
  }

  /**
   * A uniformly random candidate, assigning decisions in order and drawing each among the
   * choices the constraints allow (uniform over choices, not over feasible candidates).
   * `fixed` pins some decisions (validated; constraints see them from the start). Throws when
   * some decision has no feasible choice left or the fixed choices break a constraint.
   */
  sample(rng: Rng, fixed: Readonly<Partial<Candidate>> = {}): Candidate {
    for (const [name, value] of Object.entries(fixed)) {
      const d = this.decision(name);
      if (this.indexOf(name, value as Choice) < 0) {
        throw new CandidateError(`decision ${name}: ${showValue(value)} is not allowed; allowed: ${d.choices.map(showValue).join(', ')}`);
      }
    }
    // Fixed choices are assigned first so the masks of the other decisions respect them too.
    const out: Partial<Candidate> = { ...fixed };
    for (const d of this.decisions) {
      if (d.name in fixed) continue;
      const mask = this.feasibleMask(out, d.name);
      const allowed = d.choices.filter((_, i) => mask[i]);
      if (allowed.length === 0) {
        throw new CandidateError(`no feasible choice for decision ${d.name} given ${showValue(out)}`);
      }
      out[d.name] = rng.pick(allowed);
    }
    // Fixed choices themselves are not masked; say so when they break a constraint.
    const broken = this.violations(out);
    if (broken.length) throw new CandidateError(`fixed choices ${showValue(fixed)} are infeasible: ${broken.join('; ')}`);
    const ordered: Candidate = {};
    for (const d of this.decisions) ordered[d.name] = out[d.name] as Choice;
    return ordered;
  }

  /** The sub-space of the decisions whose phase is in `phases` (constraints kept if all their decisions remain). */
  restrict(phases: readonly string[]): SearchSpace {
    const keep = this.decisions.filter((d) => phases.includes(d.phase));
    const names = new Set(keep.map((d) => d.name));
    return new SearchSpace(keep, this.constraints.filter((c) => c.decisions.every((n) => names.has(n))));
  }

  /** JSON-able description (constraints by name only). */
  toJSON(): { decisions: Decision[]; constraints: string[] } {
    return { decisions: this.decisions.map((d) => ({ ...d, choices: [...d.choices] })), constraints: this.constraints.map((c) => c.name) };
  }
}

function choiceKey(c: Choice): string {
  return `${typeof c}:${String(c)}`;
}
