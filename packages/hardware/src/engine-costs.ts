import { CosearchError, type LayerKind, type LayerSpec } from '@cosearch/core';
import type { Engine } from './config';
import type { Derived } from './derive';
import type { Shape } from './shape';
import type { EngineCost } from './result';

/**
 * Per-layer engine cost functions by (model, engine, layer kind), with priority fallback (issue
 * 13 item 4). `evaluate` asks this registry for the cost of each (layer, engine) it has not
 * memoised; everything around it — engine assignment, NoC streaming and crossings, DRAM
 * round trips, leakage, area — stays shared by every model. The built-in NPU, CIM and vector
 * models are registered in evaluate.ts for every model (`model: '*'`) at the default priority 0;
 * a table model registers entries for its own id at a higher priority and falls back to them
 * with `next()` or by returning null.
 */

/** The model an evaluation runs under: its id, a memo token (distinct per table/data), and its data. */
export interface EngineModel {
  id: string;
  /** Prefix of memo keys ('' for the analytical model): two evaluations share memoised costs only with equal tokens. */
  token: string;
  data?: unknown;
}

export const ANALYTICAL_ENGINE_MODEL: EngineModel = { id: 'analytical-v1', token: '' };
export const DEFAULT_ENGINE_COST_PRIORITY = 0;

export interface EngineCostInput {
  layer: LayerSpec;
  /** Canonical shape of a MAC layer; null for vector-unit layers. */
  shape: Shape | null;
  engine: Engine;
  derived: Derived;
  /** CIM: weights are programmed this inference; replication of resident weights. */
  program: boolean;
  replication: number;
  model: EngineModel;
  /** The cost the next entry of lower priority gives (ultimately the built-in analytical one). */
  next(): EngineCost;
}

export interface EngineCostEntry {
  /** Unique name, e.g. 'npu-analytical', 'lut-v1:npu'. */
  name: string;
  /** Model id served, or '*' for every model. */
  model: string;
  engine: Engine;
  /** Layer kinds served, or '*' for every kind. */
  kinds: readonly LayerKind[] | '*';
  /** Higher runs first; ties: model-specific before '*', kind-specific before '*', then registration order. */
  priority: number;
  /** The layer's cost on the engine, or null to let the next entry answer. Must be pure. */
  cost(x: EngineCostInput): EngineCost | null;
}

export class EngineCostRegistry {
  private readonly entries: EngineCostEntry[] = [];
  private readonly chains = new Map<string, EngineCostEntry[]>();
  /** Bumped by every (un)registration: part of evaluate's memo keys, so changed entries are never answered from a stale memo. */
  generation = 0;

  register(e: EngineCostEntry, options: { replace?: boolean } = {}): void {
    const i = this.entries.findIndex((x) => x.name === e.name);
    if (i >= 0 && !options.replace) throw new CosearchError(`engine cost ${JSON.stringify(e.name)} is already registered (pass { replace: true } to override)`);
    if (i >= 0) this.entries[i] = e;
    else this.entries.push(e);
    this.chains.clear();
    this.generation++;
  }

  unregister(name: string): void {
    const i = this.entries.findIndex((x) => x.name === name);
    if (i >= 0) this.entries.splice(i, 1);
    this.chains.clear();
    this.generation++;
  }

  /** Entries that serve (model, engine, kind), in the order they are tried. */
  chain(model: string, engine: Engine, kind: LayerKind): EngineCostEntry[] {
    const key = `${model}|${engine}|${kind}`;
    let c = this.chains.get(key);
    if (c === undefined) {
      const rank = (e: EngineCostEntry) => [e.priority, e.model === '*' ? 0 : 1, e.kinds === '*' ? 0 : 1];
      c = this.entries
        .filter((e) => (e.model === '*' || e.model === model) && e.engine === engine && (e.kinds === '*' || e.kinds.includes(kind)))
        .map((e, order) => ({ e, order, r: rank(e) }))
        .sort((a, b) => b.r[0] - a.r[0] || b.r[1] - a.r[1] || b.r[2] - a.r[2] || a.order - b.order)
        .map((x) => x.e);
      this.chains.set(key, c);
    }
    return c;
  }

  /** The first non-null answer down the chain of (x.model.id, x.engine, layer kind). */
  cost(x: Omit<EngineCostInput, 'next'>): EngineCost {
    const chain = this.chain(x.model.id, x.engine, x.layer.kind);
    const run = (from: number): EngineCost => {
      for (let j = from; j < chain.length; j++) {
        const r = chain[j].cost({ ...x, next: () => run(j + 1) });
        if (r !== null) return r;
      }
      throw new CosearchError(`no engine cost registered for model ${x.model.id}, engine ${x.engine}, layer kind ${x.layer.kind}`);
    };
    return run(0);
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }
}

/** The registry `evaluate` consults. */
export const engineCosts = new EngineCostRegistry();
