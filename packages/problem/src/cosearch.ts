import {
  SearchSpace,
  type Candidate,
  type Metrics,
} from '@cosearch/core';
import { initBackend } from '@cosearch/backend';
import { loadDataset, take, type ImageSet } from '@cosearch/datasets';
import { applyHardwareCandidate, cimTileParams, evaluate as evaluateHardware, hardwareSpace, type HardwareResult } from '@cosearch/hardware';
import { Supernet, archFromCandidate, archKey, evaluateSubnet, subnetLayers, supernetSpace, type SubnetArch } from '@cosearch/supernet';
import { CORE_METRICS, registerProblem, type CandidateEvaluator, type LayerCost, type MetricInfo, type Problem, type ProblemContext } from '@cosearch/runner';
import { checkpointDir, validateCosearchSections, type CosearchSections } from './cosearch-config';
import { ensureSupernet } from './supernet-cache';
import { createCimAccuracy } from './cim-accuracy';

/**
 * `cosearch-v1`: joint network × hardware co-search. The space is the supernet's network
 * decisions (phase `network`) merged with the hardware model's decisions (phases `hardware`,
 * `system`). A candidate is evaluated by
 *   accuracy — the subnet's inherited accuracy on a fixed subset of the validation split (BN
 *              re-calibrated), or with `accuracy.cim`, the mean over simulated chips of the
 *              accuracy with the CIM-mapped layers run on the candidate's own tile
 *              (cim-accuracy.ts: tile-accurate by default, or programmed weights only);
 *   latency, energy, area — the hardware model on the subnet's layer list and the candidate's
 *              hardware configuration (preset + decisions).
 * Accuracy depends only on the network (and, with CIM, on which layers the design maps to CIM
 * and on the tile and device), so it is memoised per worker.
 */
/** What a cosearch-v1 evaluation produces (core four, then `metrics.extra`). */
export const COSEARCH_METRICS: readonly MetricInfo[] = [
  ...CORE_METRICS,
  { name: 'powerW', direction: 'min', unit: 'W' },
  { name: 'macs', direction: 'min', unit: '1' },
  { name: 'cimLayers', direction: 'min', unit: '1' },
  { name: 'cleanAccuracy', direction: 'max', unit: '1' },
  // with accuracy.cim, for designs with CIM-mapped layers
  { name: 'cimAccuracyStd', direction: 'min', unit: '1', optional: true },
  // with accuracy.cim.samples, for designs with CIM-mapped layers
  { name: 'cleanAccuracyCimImages', direction: 'max', unit: '1', optional: true },
  { name: 'cimAccuracyCimImages', direction: 'max', unit: '1', optional: true },
];

class CosearchProblem implements Problem {
  readonly space: SearchSpace;
  readonly metrics = COSEARCH_METRICS;

  constructor(
    readonly s: CosearchSections,
    readonly ctx: ProblemContext,
  ) {
    this.space = SearchSpace.merge(supernetSpace(s.network.supernet), hardwareSpace({ ...s.hardware.space, base: s.hardware.base }));
  }

  arch(c: Candidate): SubnetArch {
    return archFromCandidate(this.s.network.supernet, c);
  }

  hardware(c: Candidate): HardwareResult {
    const layers = subnetLayers(this.s.network.supernet, this.arch(c), { bits: this.s.network.bits });
    return evaluateHardware(layers, applyHardwareCandidate(this.s.hardware.base, c));
  }

  check(): void {
    loadDataset(this.s.dataset); // a missing or corrupt dataset fails here, before anything is written
  }

  async prepare(): Promise<void> {
    await ensureSupernet(this.s, checkpointDir(this.s, this.ctx.cacheDir), this.ctx.log);
  }

  async createEvaluator(): Promise<CandidateEvaluator> {
    await initBackend({ quiet: true });
    const s = this.s;
    const data = loadDataset(s.dataset);
    const split = s.accuracy.split === 'val' ? data.val : data.test;
    const evalSet: ImageSet = take(split, Math.min(s.accuracy.samples, split.n));
    const calibration: ImageSet = take(data.train, Math.min(s.accuracy.calibrationSamples, data.train.n));
    const net = await Supernet.load(checkpointDir(s, this.ctx.cacheDir));
    const accuracyMemo = new Map<string, { accuracy: number; std: number; clean: number }>();
    const problem = this;

    const cleanAccuracy = async (arch: SubnetArch, set = evalSet): Promise<number> => {
      const key = `clean:${set.n}:${archKey(arch)}`;
      const hit = accuracyMemo.get(key);
      if (hit) return hit.accuracy;
      const r = await evaluateSubnet(net, arch, set, { calibration });
      accuracyMemo.set(key, { accuracy: r.accuracy, std: 0, clean: r.accuracy });
      return r.accuracy;
    };

    // CIM accuracy (tile-accurate: hundreds of times a clean evaluation) may use the head of the subset
    const cimSet = s.accuracy.cim?.samples ? take(evalSet, Math.min(s.accuracy.cim.samples, evalSet.n)) : evalSet;
    const cimAccuracy = s.accuracy.cim ? createCimAccuracy(net, cimSet, calibration, s.accuracy.cim) : null;

    return {
      async evaluate(c: Candidate) {
        const arch = problem.arch(c);
        const t0 = performance.now();
        const hw = problem.hardware(c);
        const t1 = performance.now();
        const clean = await cleanAccuracy(arch);
        const t2 = performance.now();
        const cimLayers = hw.perLayer.filter((l) => l.engine === 'cim').map((l) => l.name);
        let accuracy = clean;
        const extra: Record<string, number> = {
          powerW: hw.powerW, macs: hw.macs, cimLayers: cimLayers.length, cleanAccuracy: clean,
        };
        if (cimAccuracy && cimLayers.length > 0) {
          const r = await cimAccuracy(arch, cimLayers, cimTileParams(applyHardwareCandidate(s.hardware.base, c)), clean);
          accuracy = r.accuracy;
          extra.cimAccuracyStd = r.std;
          if (cimSet !== evalSet) {
            // CIM measured on the head of the subset: the tile's loss there (clean − CIM on the same
            // images) is subtracted from the clean accuracy on the whole subset, so that CIM and
            // NPU-only designs are scored on the same images (a difference estimator; the head may
            // be easier or harder than the whole)
            const cleanHead = await cleanAccuracy(arch, cimSet);
            extra.cleanAccuracyCimImages = cleanHead;
            extra.cimAccuracyCimImages = r.accuracy;
            accuracy = Math.min(1, Math.max(0, clean - (cleanHead - r.accuracy)));
          }
        }
        const t3 = performance.now();
        const metrics: Metrics = { accuracy, latencyS: hw.latencyS, energyJ: hw.energyJ, areaMm2: hw.areaMm2, extra };
        return { metrics, timing: { hardwareS: (t1 - t0) / 1000, supernetS: (t2 - t1) / 1000, cimS: (t3 - t2) / 1000 } };
      },
      dispose: () => net.dispose(),
    };
  }

  breakdown(c: Candidate): LayerCost[] {
    return this.hardware(c)
      .perLayer.filter((l) => l.latencyS > 0 || l.energyJ > 0)
      .map((l) => ({
        layer: l.name, unit: l.engine.toUpperCase(), latencyS: l.latencyS, energyJ: l.energyJ,
        ...(l.mapping ? { mapping: `${l.mapping.name} (${l.mapping.stepBound}-bound): ${l.mapping.directives}` } : {}),
      }));
  }

  describe() {
    return {
      dataset: this.s.dataset.name,
      'hardware preset': this.s.hardware.preset,
      accuracy: this.s.accuracy.cim
        ? `supernet (inherited weights) on ${this.s.accuracy.samples} ${this.s.accuracy.split} images; CIM layers ${this.s.accuracy.cim.model === 'tile-v1' ? "simulated tile-accurately with each design's own tile (DAC/ADC/cell bits, crossbar rows)" : 'with programmed weights'} on ${this.s.accuracy.cim.chips} simulated ${this.s.accuracy.cim.device} chips (${this.s.accuracy.cim.inputBits}-bit inputs, ${this.s.accuracy.cim.weightBits}-bit weights)`
        : `supernet (inherited weights) on ${this.s.accuracy.samples} ${this.s.accuracy.split} images`,
    };
  }
}

registerProblem({
  name: 'cosearch-v1',
  description: 'network (supernet) × hardware (NPU+CIM+NoC+DVFS model) co-search on a dataset, optional CIM accuracy under device noise',
  keys: ['dataset', 'network', 'hardware', 'accuracy'],
  module: __filename, // what worker threads load to rebuild the problem
  defaults: { dataset: { name: 'mnist' }, hardware: { preset: 'edge-npu-cim-v1' }, accuracy: { split: 'val', samples: 500 } },
  create: ({ config, ctx }) => new CosearchProblem(validateCosearchSections(config.sections, config.seed), ctx),
});
