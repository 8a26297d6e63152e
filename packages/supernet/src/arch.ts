import { asObject, CandidateError, checkNumber, ConfigError, oneOf, SearchSpace, type Candidate, type Choice, type Decision, type Rng } from '@cosearch/core';
import { maxOf, type BlockType, type SupernetConfig } from './config';

export interface MbconvArch { type: 'mbconv'; kernel: number; expansion: number }
export interface VitArch { type: 'vit'; heads: number; mlpRatio: number }
export type BlockArch = MbconvArch | VitArch;
/** One stage of a subnet: its width and its active blocks (depth = blocks.length). */
export interface StageArch { width: number; blocks: BlockArch[] }
/** A subnet of the supernet: every elastic dimension fixed. Plain JSON. */
export interface SubnetArch { stages: StageArch[] }

export const NETWORK_PHASE = 'network';

function name(stage: number, slot: number | null, field: string): string {
  return slot === null ? `s${stage + 1}.${field}` : `s${stage + 1}.b${slot + 1}.${field}`;
}

/**
 * The network half of the search space (phase `network`). Per stage: `sN.width`, `sN.depth`;
 * per block slot: `sN.bM.type` and the type's own choices (`kernel`, `expand` for MBConv;
 * `heads`, `mlp` for ViT). Decisions with a single choice are left out. Choices of inactive
 * slots (beyond the depth) or of the other block type are ignored by `archFromCandidate`, so the
 * cardinality counts some subnets more than once.
 */
export function supernetSpace(cfg: SupernetConfig): SearchSpace {
  const ds: Decision[] = [];
  const add = (n: string, choices: readonly Choice[], description: string) => {
    if (choices.length > 1) ds.push({ name: n, phase: NETWORK_PHASE, choices: [...choices], description });
  };
  cfg.stages.forEach((s, i) => {
    add(name(i, null, 'width'), s.widths, `stage ${i + 1} width (channels)`);
    add(name(i, null, 'depth'), s.depths, `stage ${i + 1} active block slots`);
    for (let j = 0; j < maxOf(s.depths); j++) {
      add(name(i, j, 'type'), s.blockTypes, `stage ${i + 1} slot ${j + 1} block type`);
      if (s.blockTypes.includes('mbconv')) {
        add(name(i, j, 'kernel'), s.kernels, `stage ${i + 1} slot ${j + 1} MBConv depthwise kernel`);
        add(name(i, j, 'expand'), s.expansions, `stage ${i + 1} slot ${j + 1} MBConv expansion ratio`);
      }
      if (s.blockTypes.includes('vit')) {
        add(name(i, j, 'heads'), s.heads, `stage ${i + 1} slot ${j + 1} ViT attention heads`);
        add(name(i, j, 'mlp'), s.mlpRatios, `stage ${i + 1} slot ${j + 1} ViT MLP ratio`);
      }
    }
  });
  return new SearchSpace(ds);
}

/** The subnet a candidate describes; other phases' decisions in the candidate are ignored. */
export function archFromCandidate(cfg: SupernetConfig, candidate: Readonly<Candidate>): SubnetArch {
  const get = (n: string, choices: readonly number[] | readonly string[]): Choice => {
    if (choices.length === 1) return choices[0];
    if (!(n in candidate)) throw new CandidateError(`missing decision ${n}; allowed: ${choices.join(', ')}`);
    const v = candidate[n];
    if (!(choices as readonly Choice[]).includes(v)) throw new CandidateError(`decision ${n}: ${JSON.stringify(v)} is not allowed; allowed: ${choices.join(', ')}`);
    return v;
  };
  return {
    stages: cfg.stages.map((s, i) => {
      const depth = get(name(i, null, 'depth'), s.depths) as number;
      const blocks: BlockArch[] = [];
      for (let j = 0; j < depth; j++) {
        const type = get(name(i, j, 'type'), s.blockTypes) as BlockType;
        blocks.push(type === 'mbconv'
          ? { type, kernel: get(name(i, j, 'kernel'), s.kernels) as number, expansion: get(name(i, j, 'expand'), s.expansions) as number }
          : { type, heads: get(name(i, j, 'heads'), s.heads) as number, mlpRatio: get(name(i, j, 'mlp'), s.mlpRatios) as number });
      }
      return { width: get(name(i, null, 'width'), s.widths) as number, blocks };
    }),
  };
}

/** A candidate for an arch (inactive slots get the slot's first choices), inverse of `archFromCandidate`. */
export function candidateFromArch(cfg: SupernetConfig, arch: SubnetArch): Candidate {
  const out: Candidate = {};
  for (const d of supernetSpace(cfg).decisions) out[d.name] = d.choices[0];
  arch.stages.forEach((st, i) => {
    out[name(i, null, 'width')] = st.width;
    out[name(i, null, 'depth')] = st.blocks.length;
    st.blocks.forEach((b, j) => {
      out[name(i, j, 'type')] = b.type;
      if (b.type === 'mbconv') { out[name(i, j, 'kernel')] = b.kernel; out[name(i, j, 'expand')] = b.expansion; }
      else { out[name(i, j, 'heads')] = b.heads; out[name(i, j, 'mlp')] = b.mlpRatio; }
    });
  });
  const space = supernetSpace(cfg);
  for (const k of Object.keys(out)) if (!space.has(k)) delete out[k];
  return out;
}

function extremeArch(cfg: SupernetConfig, pick: (xs: readonly number[]) => number): SubnetArch {
  return {
    stages: cfg.stages.map((s) => {
      const blocks: BlockArch[] = [];
      for (let j = 0; j < pick(s.depths); j++) {
        blocks.push(s.blockTypes.includes('mbconv')
          ? { type: 'mbconv', kernel: pick(s.kernels), expansion: pick(s.expansions) }
          : { type: 'vit', heads: pick(s.heads), mlpRatio: pick(s.mlpRatios) });
      }
      return { width: pick(s.widths), blocks };
    }),
  };
}

/** Every elastic dimension at its maximum, MBConv in every slot that allows it (the sandwich teacher). */
export function largestArch(cfg: SupernetConfig): SubnetArch {
  return extremeArch(cfg, maxOf);
}

/** Every elastic dimension at its minimum, MBConv in every slot that allows it. */
export function smallestArch(cfg: SupernetConfig): SubnetArch {
  return extremeArch(cfg, (xs) => xs[0]);
}

/**
 * A random subnet: width, depth, kernel, expansion, heads, MLP ratio uniform; each slot is a ViT
 * block with probability `vitProbability` where the stage allows both types (0 → CNN only).
 */
export function sampleArch(cfg: SupernetConfig, rng: Rng, vitProbability: number): SubnetArch {
  return {
    stages: cfg.stages.map((s) => {
      const width = rng.pick(s.widths);
      const depth = rng.pick(s.depths);
      const blocks: BlockArch[] = [];
      for (let j = 0; j < depth; j++) {
        const vit = !s.blockTypes.includes('mbconv') || (s.blockTypes.includes('vit') && rng.bernoulli(vitProbability));
        blocks.push(vit
          ? { type: 'vit', heads: rng.pick(s.heads), mlpRatio: rng.pick(s.mlpRatios) }
          : { type: 'mbconv', kernel: rng.pick(s.kernels), expansion: rng.pick(s.expansions) });
      }
      return { width, blocks };
    }),
  };
}

/** Stable string key of an arch (for caches). */
export function archKey(arch: SubnetArch): string {
  return arch.stages
    .map((s) => `${s.width}:` + s.blocks.map((b) => (b.type === 'mbconv' ? `m${b.kernel}x${b.expansion}` : `v${b.heads}h${b.mlpRatio}`)).join(','))
    .join('|');
}

/** Number of ViT blocks in an arch (0 = pure CNN). */
export function vitCount(arch: SubnetArch): number {
  return arch.stages.reduce((n, s) => n + s.blocks.filter((b) => b.type === 'vit').length, 0);
}

/** Validates an untrusted arch (JSON) against the config's choices. */
export function validateArch(cfg: SupernetConfig, raw: unknown, path = 'arch'): SubnetArch {
  const o = asObject(raw, path);
  if (!Array.isArray(o.stages) || o.stages.length !== cfg.stages.length) {
    throw new ConfigError(`${path}.stages`, o.stages, `a list of ${cfg.stages.length} stages`);
  }
  const inList = (v: unknown, p: string, xs: readonly number[]) => {
    checkNumber(v, p, { integer: true });
    if (!xs.includes(v as number)) throw new ConfigError(p, v, `one of ${xs.join(', ')}`);
    return v as number;
  };
  return {
    stages: o.stages.map((rs, i) => {
      const s = cfg.stages[i];
      const so = asObject(rs, `${path}.stages[${i}]`);
      const width = inList(so.width, `${path}.stages[${i}].width`, s.widths);
      if (!Array.isArray(so.blocks)) throw new ConfigError(`${path}.stages[${i}].blocks`, so.blocks, 'a list of blocks');
      inList(so.blocks.length, `${path}.stages[${i}].blocks.length`, s.depths);
      const blocks = so.blocks.map((rb, j): BlockArch => {
        const p = `${path}.stages[${i}].blocks[${j}]`;
        const bo = asObject(rb, p);
        const type = oneOf(bo.type, `${p}.type`, s.blockTypes);
        return type === 'mbconv'
          ? { type, kernel: inList(bo.kernel, `${p}.kernel`, s.kernels), expansion: inList(bo.expansion, `${p}.expansion`, s.expansions) }
          : { type, heads: inList(bo.heads, `${p}.heads`, s.heads), mlpRatio: inList(bo.mlpRatio, `${p}.mlpRatio`, s.mlpRatios) };
      });
      return { width, blocks };
    }),
  };
}
