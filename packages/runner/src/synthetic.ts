import {
  CosearchError,
  SearchSpace,
  asObject,
  hashString,
  numberField,
  rejectUnknownKeys,
  type Candidate,
  type Decision,
} from '@cosearch/core';
import { CORE_METRICS, registerProblem, type CandidateEvaluator, type LayerCost, type MetricInfo, type Problem } from './problem';

/**
 * `synthetic-v1`: a small closed-form co-search problem (no dataset, no tfjs), for tests,
 * examples and checking the runner itself. It has the shape of the real problem: per-layer
 * widths (phase `network`), NPU size, CIM arrays and per-layer NPU/CIM mapping (phase
 * `hardware`) and clock (phase `system`); accuracy grows with capacity and loses a little per
 * CIM-mapped layer; latency and energy are sums over layers of MACs / throughput and
 * MACs × energy per MAC; area grows with NPU and CIM size. A layer mapped to CIM on a design
 * without CIM arrays fails (exercises the error path). `delayMs` makes each evaluation slow.
 */
export interface SyntheticConfig {
  layers: number;
  delayMs: number;
}

const WIDTHS = [8, 16, 32, 64];
const PES = [16, 64, 256];
const ARRAYS = [0, 2, 4, 8];
const FREQ_MHZ = [200, 400, 800];
/** Energy per MAC (J): NPU 1 pJ, CIM 0.1 pJ — the usual ~10× CIM advantage at 8 bit. */
const NPU_MAC_J = 1e-12;
const CIM_MAC_J = 1e-13;

export class EvaluationError extends CosearchError {}

export function validateSynthetic(raw: unknown): SyntheticConfig {
  const o = asObject(raw ?? {}, 'synthetic');
  rejectUnknownKeys(o, 'synthetic', ['layers', 'delayMs']);
  return {
    layers: numberField(o, 'layers', 'synthetic', { integer: true, min: 1, max: 16 }, 4),
    delayMs: numberField(o, 'delayMs', 'synthetic', { min: 0, max: 60_000 }, 0),
  };
}

export function syntheticSpace(c: SyntheticConfig): SearchSpace {
  const d: Decision[] = [];
  for (let i = 0; i < c.layers; i++) d.push({ name: `layer${i}.width`, phase: 'network', choices: WIDTHS });
  d.push({ name: 'npu.pes', phase: 'hardware', choices: PES });
  d.push({ name: 'cim.arrays', phase: 'hardware', choices: ARRAYS });
  for (let i = 0; i < c.layers; i++) d.push({ name: `layer${i}.unit`, phase: 'hardware', choices: ['npu', 'cim'] });
  d.push({ name: 'frequencyMHz', phase: 'system', choices: FREQ_MHZ });
  return new SearchSpace(d);
}

/** Per-layer costs of a candidate (pure). */
export function syntheticLayers(c: SyntheticConfig, x: Candidate): LayerCost[] {
  const fHz = Number(x.frequencyMHz) * 1e6;
  const pes = Number(x['npu.pes']);
  const arrays = Number(x['cim.arrays']);
  const out: LayerCost[] = [];
  let inWidth = 8;
  for (let i = 0; i < c.layers; i++) {
    const w = Number(x[`layer${i}.width`]);
    const macs = inWidth * w * 100;
    inWidth = w;
    if (x[`layer${i}.unit`] === 'cim') {
      if (arrays === 0) throw new EvaluationError(`layer${i} is mapped to CIM but the design has no CIM arrays`);
      // each array does a 64×64 MVM per cycle
      out.push({ layer: `layer${i}`, unit: 'cim', latencyS: macs / (arrays * 4096 * 0.05 * fHz), energyJ: macs * CIM_MAC_J });
    } else {
      out.push({ layer: `layer${i}`, unit: 'npu', latencyS: macs / (pes * fHz), energyJ: macs * NPU_MAC_J * (1 + 0.1 * Math.log2(pes / 16)) });
    }
  }
  return out;
}

export function syntheticMetrics(c: SyntheticConfig, x: Candidate) {
  const layers = syntheticLayers(c, x);
  let capacity = 0;
  let netKey = '';
  for (let i = 0; i < c.layers; i++) {
    capacity += Math.log2(Number(x[`layer${i}.width`]));
    netKey += `${x[`layer${i}.width`]},`;
  }
  const bump = (hashString(netKey) % 1000) / 1000; // a fixed, bumpy landscape over networks
  const cimLayers = layers.filter((l) => l.unit === 'cim').length;
  const accuracy = 0.6 + 0.37 * (1 - Math.exp(-capacity / (2 * c.layers))) + 0.01 * bump - 0.004 * cimLayers;
  const fScale = Number(x.frequencyMHz) / 400;
  return {
    accuracy,
    latencyS: layers.reduce((s, l) => s + l.latencyS, 0),
    // dynamic energy grows with V², and V with f (DVFS)
    energyJ: layers.reduce((s, l) => s + l.energyJ, 0) * (0.7 + 0.3 * fScale * fScale),
    areaMm2: 1 + Number(x['npu.pes']) * 0.01 + Number(x['cim.arrays']) * 0.3,
    extra: { cimLayers },
  };
}

/** What a synthetic-v1 evaluation produces. */
export const SYNTHETIC_METRICS: readonly MetricInfo[] = [...CORE_METRICS, { name: 'cimLayers', direction: 'min', unit: '1' }];

class SyntheticProblem implements Problem {
  readonly space: SearchSpace;
  readonly metrics = SYNTHETIC_METRICS;
  constructor(readonly config: SyntheticConfig) {
    this.space = syntheticSpace(config);
  }
  async createEvaluator(): Promise<CandidateEvaluator> {
    const c = this.config;
    return {
      async evaluate(x) {
        const t0 = performance.now();
        if (c.delayMs > 0) await new Promise((r) => setTimeout(r, c.delayMs));
        const metrics = syntheticMetrics(c, x);
        return { metrics, timing: { modelS: (performance.now() - t0) / 1000 } };
      },
    };
  }
  breakdown(x: Candidate): LayerCost[] {
    return syntheticLayers(this.config, x);
  }
  describe() {
    return { problem: 'synthetic-v1', layers: this.config.layers, candidates: this.space.cardinality() };
  }
}

registerProblem({
  name: 'synthetic-v1',
  description: 'closed-form NPU+CIM co-search problem (no data, no tfjs) for tests and examples',
  keys: ['synthetic'],
  defaults: { synthetic: { layers: 4, delayMs: 0 } },
  create: ({ config }) => new SyntheticProblem(validateSynthetic(config.sections.synthetic)),
});
