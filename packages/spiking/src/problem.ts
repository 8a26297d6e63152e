import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  asObject, hashString, numberField, oneOf, rejectUnknownKeys, Rng, SearchSpace, type Candidate, type Metrics,
} from '@cosearch/core';
import { loadDataset, stratifiedSample, subset, type ImageSet } from '@cosearch/datasets';
import { devicePresets, resolveDevice } from '@cosearch/cim-training';
import { spikingTileCost, validateSpikingTileConfig, type SpikingTileResult } from '@cosearch/hardware';
import { CORE_METRICS, registerProblem, type CandidateEvaluator, type LayerCost, type MetricInfo, type Problem, type ProblemContext } from '@cosearch/runner';
import { layerShapes, toSpikingNetwork, type SnnArch } from './arch';
import { programNetwork } from './crossbar';
import { ENCODINGS } from './config';
import { evaluateSnn, networkLayerSpecs, type SnnEvaluation, type SpikingNetwork } from './network';

/**
 * `spiking-v1`: co-search of a spiking network and its spiking CIM tile. Network decisions: the
 * conv filters F and hidden units of the default topology (conv 5×5/2 ×F → conv 3×3/2 ×2F →
 * dense → classes), the input
 * encoding, T, the threshold (× the balanced threshold 1) and the leak; hardware decisions: the
 * crossbar size, the device preset and the read pulse. The ANN of every (filters, units) pair is
 * trained and converted (threshold balancing) once in `prepare` and cached; a candidate's
 * accuracy is that of the converted SNN programmed onto one simulated chip of the chosen device
 * (seeded by the candidate), on a fixed stratified validation subset; latency, energy and area
 * come from @cosearch/hardware's spiking tile with the activity (spikes, row reads, Σ G) measured
 * on those images. Extra metrics: spikes and energy per image, energy per spike, power.
 */
export interface SpikingProblemConfig {
  dataset: 'mnist' | 'fashion-mnist';
  epochs: number;
  augmentShift: number;
  /** Validation images each candidate is scored on (stratified, seeded). */
  valImages: number;
  weightBits: number;
  seed: number;
}

const DEFAULTS: SpikingProblemConfig = { dataset: 'mnist', epochs: 8, augmentShift: 1, valImages: 300, weightBits: 4, seed: 0 };

export function validateSpikingProblem(raw: unknown): SpikingProblemConfig {
  const o = asObject(raw ?? {}, 'spiking');
  rejectUnknownKeys(o, 'spiking', Object.keys(DEFAULTS));
  return {
    dataset: o.dataset === undefined ? DEFAULTS.dataset : oneOf(o.dataset, 'spiking.dataset', ['mnist', 'fashion-mnist'] as const),
    epochs: numberField(o, 'epochs', 'spiking', { integer: true, min: 1, max: 200 }, DEFAULTS.epochs),
    augmentShift: numberField(o, 'augmentShift', 'spiking', { integer: true, min: 0, max: 4 }, DEFAULTS.augmentShift),
    valImages: numberField(o, 'valImages', 'spiking', { integer: true, min: 10 }, DEFAULTS.valImages),
    weightBits: numberField(o, 'weightBits', 'spiking', { integer: true, min: 2, max: 8 }, DEFAULTS.weightBits),
    seed: numberField(o, 'seed', 'spiking', { integer: true }, DEFAULTS.seed),
  };
}

export const SPIKING_SPACE = {
  'snn.convFilters': [8, 16],
  'snn.hiddenUnits': [64, 128],
  'snn.encoding': [...ENCODINGS],
  'snn.steps': [8, 16, 32],
  'snn.threshold': [0.75, 1, 1.5],
  'snn.leak': [1, 0.95],
  'spike.crossbar': [64, 128, 256],
  'spike.device': ['rram-neurram-v1', 'reram-sb-aihwkit-v1'],
  'spike.readPulseS': [5e-9, 10e-9, 20e-9],
} as const;

export function spikingSpace(): SearchSpace {
  return new SearchSpace(
    Object.entries(SPIKING_SPACE).map(([name, choices]) => ({ name, phase: name.startsWith('snn.') ? 'network' : 'hardware', choices: [...choices] })),
  );
}

export function archOf(x: Candidate): SnnArch {
  return {
    inputShape: [28, 28, 1],
    hidden: [
      { kind: 'conv', filters: Number(x['snn.convFilters']), kernel: 5, stride: 2 },
      { kind: 'conv', filters: 2 * Number(x['snn.convFilters']), kernel: 3, stride: 2 },
      { kind: 'dense', units: Number(x['snn.hiddenUnits']) },
    ],
    classes: 10,
  };
}

export const SPIKING_METRICS: readonly MetricInfo[] = [
  ...CORE_METRICS,
  { name: 'spikesPerImage', direction: 'min', unit: '1' },
  { name: 'energyPerSpikeJ', direction: 'min', unit: 'J' },
  { name: 'powerW', direction: 'min', unit: 'W' },
];

function datasetOf(c: SpikingProblemConfig) {
  return c.dataset === 'mnist' ? loadDataset({ name: 'mnist', seed: c.seed, valFraction: 0.1, testFraction: 0.2 }) : loadDataset({ name: c.dataset, seed: c.seed, valFraction: 0.1 });
}

function cacheFile(c: SpikingProblemConfig, cacheDir: string, arch: SnnArch): string {
  const key = JSON.stringify({ v: 1, dataset: c.dataset, epochs: c.epochs, augmentShift: c.augmentShift, seed: c.seed, arch });
  return path.join(cacheDir, `spiking-v1-${c.dataset}-${hashString(key).toString(16).padStart(8, '0')}.json`);
}

interface CachedNet {
  arch: SnnArch;
  annValAccuracy: number;
  weights: number[][];
  biases: number[][];
}

class SpikingProblem implements Problem {
  readonly space = spikingSpace();
  readonly metrics = SPIKING_METRICS;
  constructor(readonly c: SpikingProblemConfig, readonly ctx: ProblemContext) {}

  private archs(): SnnArch[] {
    const out: SnnArch[] = [];
    for (const f of SPIKING_SPACE['snn.convFilters']) for (const u of SPIKING_SPACE['snn.hiddenUnits']) out.push(archOf({ 'snn.convFilters': f, 'snn.hiddenUnits': u }));
    return out;
  }

  check(): void {
    datasetOf(this.c);
  }

  /** Trains and converts the ANN of every topology once (cached across runs). */
  async prepare(): Promise<void> {
    const todo = this.archs().filter((a) => !existsSync(cacheFile(this.c, this.ctx.cacheDir, a)));
    if (!todo.length) return;
    // tfjs only here: evaluation needs no tfjs
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { initBackend } = require('@cosearch/backend') as typeof import('@cosearch/backend');
    const { trainAnn, annAccuracy, convertToSnn } = require('./convert') as typeof import('./convert');
    /* eslint-enable @typescript-eslint/no-require-imports */
    await initBackend({ quiet: true });
    const data = datasetOf(this.c);
    mkdirSync(this.ctx.cacheDir, { recursive: true });
    for (const arch of todo) {
      this.ctx.log(`spiking-v1: training the ANN ${JSON.stringify(arch.hidden)} (${this.c.epochs} epochs)`);
      const ann = await trainAnn(arch, data.train, { epochs: this.c.epochs, seed: this.c.seed, augmentShift: this.c.augmentShift });
      const { network } = convertToSnn(ann, data.train);
      const cached: CachedNet = {
        arch,
        annValAccuracy: annAccuracy(ann, data.val),
        weights: network.layers.map((l) => Array.from(l.weights)),
        biases: network.layers.map((l) => Array.from(l.bias)),
      };
      writeFileSync(cacheFile(this.c, this.ctx.cacheDir, arch), JSON.stringify(cached));
    }
  }

  async createEvaluator(): Promise<CandidateEvaluator> {
    const data = datasetOf(this.c);
    const val: ImageSet = subset(data.val, stratifiedSample(data.val.labels, data.val.numClasses, this.c.valImages, new Rng(this.c.seed).fork('val')));
    const nets = new Map<string, SpikingNetwork>();
    const netOf = (arch: SnnArch): SpikingNetwork => {
      const file = cacheFile(this.c, this.ctx.cacheDir, arch);
      let n = nets.get(file);
      if (!n) {
        const cached = JSON.parse(readFileSync(file, 'utf8')) as CachedNet;
        n = toSpikingNetwork(arch, cached.weights.map((w) => Float32Array.from(w)), cached.biases.map((b) => Float32Array.from(b)));
        nets.set(file, n);
      }
      return n;
    };
    return {
      evaluate: async (x) => {
        const t0 = performance.now();
        const { metrics } = this.score(x, netOf(archOf(x)), val);
        return { metrics, timing: { snnS: (performance.now() - t0) / 1000 } };
      },
    };
  }

  /** Accuracy on one chip of the candidate's device and the tile cost from the measured activity. */
  score(x: Candidate, net: SpikingNetwork, val: ImageSet): { metrics: Metrics; ev: SnnEvaluation; hw: SpikingTileResult } {
    const device = String(x['spike.device']);
    const steps = Number(x['snn.steps']);
    const chip = programNetwork(net, { device, weightBits: this.c.weightBits }, new Rng(this.c.seed).fork(`chip-${hashString(JSON.stringify(x))}`));
    const ev = evaluateSnn(chip, val.images, val.labels, {
      encoding: x['snn.encoding'] as (typeof ENCODINGS)[number], steps, threshold: Number(x['snn.threshold']), leak: Number(x['snn.leak']), seed: this.c.seed,
    });
    const dev = resolveDevice(device);
    const cfg = validateSpikingTileConfig({
      steps, crossbarRows: Number(x['spike.crossbar']), crossbarCols: Number(x['spike.crossbar']), readPulseS: Number(x['spike.readPulseS']),
      gMinSiemens: dev.gMinSiemens, gMaxSiemens: dev.gMaxSiemens,
    });
    const hw = spikingTileCost(networkLayerSpecs(net), cfg, ev.layerSpikesPerImage.map((out, l) => ({
      inputSpikes: l === 0 ? ev.inputSpikesPerImage : ev.layerSpikesPerImage[l - 1], outputSpikes: out, rowReads: ev.rowReadsPerImage[l], rowReadSiemens: ev.rowReadSiemensPerImage[l],
    })));
    return {
      ev, hw,
      metrics: {
        accuracy: ev.accuracy, latencyS: hw.latencyS, energyJ: hw.energyJ, areaMm2: hw.areaMm2,
        extra: { spikesPerImage: hw.spikesPerImage, energyPerSpikeJ: hw.energyPerSpikeJ, powerW: hw.powerW },
      },
    };
  }

  breakdown(x: Candidate): LayerCost[] {
    const arch = archOf(x);
    const none = layerShapes(arch).map(() => new Float32Array(0)); // shapes only
    const layers = networkLayerSpecs(toSpikingNetwork(arch, none, none));
    const dev = resolveDevice(String(x['spike.device']));
    const cfg = validateSpikingTileConfig({ steps: Number(x['snn.steps']), crossbarRows: Number(x['spike.crossbar']), crossbarCols: Number(x['spike.crossbar']), readPulseS: Number(x['spike.readPulseS']), gMinSiemens: dev.gMinSiemens, gMaxSiemens: dev.gMaxSiemens });
    return spikingTileCost(layers, cfg).perLayer.map((p) => ({ layer: p.name, unit: 'spiking-cim (default activity)', latencyS: p.latencyS, energyJ: p.energyJ }));
  }

  describe() {
    return { problem: 'spiking-v1', dataset: this.c.dataset, annEpochs: this.c.epochs, valImages: this.c.valImages, weightBits: this.c.weightBits, candidates: this.space.cardinality() };
  }
}

for (const d of SPIKING_SPACE['spike.device']) if (!devicePresets.has(d)) throw new Error(`spiking-v1: device preset ${d} is not registered`);

registerProblem({
  name: 'spiking-v1',
  description: 'spiking network (encoding, T, threshold, leak, widths) × spiking CIM tile (crossbar, device, read pulse); ANN→SNN conversion, accuracy on a simulated chip, spikes and energy per image',
  keys: ['spiking'],
  defaults: { spiking: { ...DEFAULTS } },
  create: ({ config, ctx }) => new SpikingProblem(validateSpikingProblem(config.sections.spiking), ctx),
});
