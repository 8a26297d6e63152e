import { CosearchError, SearchSpace, asObject, numberField, rejectUnknownKeys, type Candidate, type Metrics } from '@cosearch/core';
import { CORE_METRICS, registerProblem, type CandidateEvaluator, type LayerCost, type MetricInfo, type Problem } from '@cosearch/runner';

/**
 * `roofline-gemm-v1`: an example problem plug-in (see the runner README, "Writing a problem").
 * A systolic array runs a fixed MLP (784-256-256-10, batch `roofline.batch`) layer by layer:
 *   latency of a layer = max(compute, DRAM) — the roofline:
 *     compute = ⌈M/rows⌉·⌈N/cols⌉·(K + rows + cols) cycles / f (output-stationary tiles, with fill/drain),
 *     DRAM    = (weights + inputs + outputs) bytes / 12.8 GB/s (LPDDR4-3200, 32-bit bus);
 *   energy = MACs·E_mac(bits) + DRAM bits · 20 pJ/bit (Horowitz, ISSCC 2014, 45 nm: 8-bit mult
 *            0.2 pJ, 8-bit add 0.03 pJ, multiplier energy ∝ bits²; DRAM 1.3–2.6 nJ per 64 bits);
 *   area = PEs · (282 + 36) µm² · (bits/8)² + SRAM at 0.7 µm²/bit (45 nm 8-bit mult 282 µm², add 36 µm²;
 *          6T cell ≈ 0.35 µm² plus as much again for periphery);
 *   accuracy = an illustrative quantisation model, 0.98 − 0.3·4^(−(bits−2)) (not measured: the
 *          point of this file is the plug-in mechanism, not the number).
 * A design whose SRAM cannot hold the largest layer's weights fails (the error path).
 */
const LAYERS = [{ k: 784, n: 256 }, { k: 256, n: 256 }, { k: 256, n: 10 }];
const DRAM_BYTES_PER_S = 12.8e9;
const DRAM_J_PER_BIT = 20e-12;
const MULT8_J = 0.2e-12;
const ADD8_J = 0.03e-12;
const PE8_UM2 = 282 + 36;
const SRAM_UM2_PER_BIT = 0.7;

export const ROOFLINE_METRICS: readonly MetricInfo[] = [...CORE_METRICS, { name: 'utilisation', direction: 'max', unit: '1' }];

interface RooflineConfig {
  batch: number;
  delayMs: number;
}

function validate(raw: unknown): RooflineConfig {
  const o = asObject(raw ?? {}, 'roofline');
  rejectUnknownKeys(o, 'roofline', ['batch', 'delayMs']);
  return {
    batch: numberField(o, 'batch', 'roofline', { integer: true, min: 1, max: 4096 }, 16),
    delayMs: numberField(o, 'delayMs', 'roofline', { min: 0, max: 10_000 }, 0),
  };
}

function space(): SearchSpace {
  return new SearchSpace([
    { name: 'quant.bits', phase: 'network', choices: [4, 6, 8, 16] },
    { name: 'pe.rows', phase: 'hardware', choices: [4, 8, 16, 32] },
    { name: 'pe.cols', phase: 'hardware', choices: [4, 8, 16, 32] },
    { name: 'sram.KiB', phase: 'hardware', choices: [32, 64, 128, 256] },
    { name: 'clock.MHz', phase: 'system', choices: [200, 400, 800] },
  ]);
}

export function rooflineLayers(c: RooflineConfig, x: Candidate): LayerCost[] {
  const bits = Number(x['quant.bits']);
  const rows = Number(x['pe.rows']);
  const cols = Number(x['pe.cols']);
  const fHz = Number(x['clock.MHz']) * 1e6;
  const sramBits = Number(x['sram.KiB']) * 8192;
  const macJ = MULT8_J * (bits / 8) ** 2 + ADD8_J * (bits / 8);
  return LAYERS.map((l, i) => {
    if (l.k * l.n * bits > sramBits) throw new CosearchError(`fc${i}: ${l.k}×${l.n} weights at ${bits} bits do not fit ${x['sram.KiB']} KiB of SRAM`);
    const m = c.batch;
    const computeS = (Math.ceil(m / rows) * Math.ceil(l.n / cols) * (l.k + rows + cols)) / fHz;
    const dramBits = (l.k * l.n + m * l.k + m * l.n) * bits;
    const dramS = dramBits / 8 / DRAM_BYTES_PER_S;
    return { layer: `fc${i}`, unit: 'ARRAY', latencyS: Math.max(computeS, dramS), energyJ: m * l.k * l.n * macJ + dramBits * DRAM_J_PER_BIT };
  });
}

export function rooflineMetrics(c: RooflineConfig, x: Candidate): Metrics {
  const layers = rooflineLayers(c, x);
  const bits = Number(x['quant.bits']);
  const pes = Number(x['pe.rows']) * Number(x['pe.cols']);
  const latencyS = layers.reduce((s, l) => s + l.latencyS, 0);
  const macs = LAYERS.reduce((s, l) => s + c.batch * l.k * l.n, 0);
  return {
    accuracy: 0.98 - 0.3 * 4 ** -(bits - 2),
    latencyS,
    energyJ: layers.reduce((s, l) => s + l.energyJ, 0),
    areaMm2: (pes * PE8_UM2 * (bits / 8) ** 2 + Number(x['sram.KiB']) * 8192 * SRAM_UM2_PER_BIT) * 1e-6,
    extra: { utilisation: macs / (pes * latencyS * Number(x['clock.MHz']) * 1e6) },
  };
}

class RooflineProblem implements Problem {
  readonly space = space();
  readonly metrics = ROOFLINE_METRICS;
  constructor(private readonly c: RooflineConfig) {}
  async createEvaluator(): Promise<CandidateEvaluator> {
    const c = this.c;
    return {
      async evaluate(x) {
        if (c.delayMs > 0) await new Promise((r) => setTimeout(r, c.delayMs));
        return { metrics: rooflineMetrics(c, x) };
      },
    };
  }
  breakdown(x: Candidate): LayerCost[] {
    return rooflineLayers(this.c, x);
  }
  describe() {
    return { problem: 'roofline-gemm-v1 (example plug-in)', batch: this.c.batch, candidates: this.space.cardinality() };
  }
}

registerProblem({
  name: 'roofline-gemm-v1',
  description: 'example plug-in (experiments/plugins): an MLP on a systolic array, roofline latency, Horowitz 45 nm energies',
  keys: ['roofline'],
  defaults: { roofline: { batch: 16, delayMs: 0 } },
  create: ({ config }) => new RooflineProblem(validate(config.sections.roofline)),
});
