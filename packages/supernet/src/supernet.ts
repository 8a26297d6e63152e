import * as fs from 'node:fs';
import * as path from 'node:path';
import { CosearchError, DataError, Rng } from '@cosearch/core';
import { tf } from '@cosearch/backend';
import type { ImageSet } from '@cosearch/datasets';
import { validateSupernetConfig, type SupernetConfig } from './config';
import { archKey, type SubnetArch } from './arch';
import { forward, poolBnStats, type BnMode, type BnStat, type ParamSource, type Region } from './forward';
import type { LinearOverride } from './linear';
import { initialValues, paramSpecs, type ParamSpec } from './params';
import { loadArrays, saveArrays } from './io';
import { AdamW } from './optimizer';

export const CHECKPOINT_FORMAT = 'cosearch-supernet-v1';

/** How many images re-calibrate a subnet's BatchNorm statistics (AttentiveNAS uses 64 batches; our nets are tiny). */
export interface CalibrationOptions { batches?: number; batchSize?: number }
const DEFAULT_CALIBRATION = { batches: 4, batchSize: 128 };

/** Trainer bookkeeping stored in checkpoints so training can resume. */
export interface TrainState {
  phase: number;
  phaseStep: number;
  rng: ReturnType<Rng['state']>;
  log: unknown[];
}

/** Checks an image set matches the supernet's input shape. */
export function checkImages(cfg: SupernetConfig, set: ImageSet, what: string): void {
  if (set.height !== cfg.inputHeight || set.width !== cfg.inputWidth || set.channels !== cfg.inputChannels) {
    throw new CosearchError(`${what} images are ${set.height}×${set.width}×${set.channels}, the supernet expects ${cfg.inputHeight}×${cfg.inputWidth}×${cfg.inputChannels}`);
  }
  if (set.numClasses > cfg.numClasses) throw new CosearchError(`${what} has ${set.numClasses} classes, the supernet ${cfg.numClasses}`);
}

/** Images [from, from + n) of a set as an NHWC tensor. */
export function imageBatch(set: ImageSet, from: number, n: number): tf.Tensor4D {
  const px = set.height * set.width * set.channels;
  return tf.tensor4d(set.images.subarray(from * px, (from + n) * px), [n, set.height, set.width, set.channels]);
}

/**
 * The weight-sharing supernet: one tf.Variable per tensor at its largest size; every subnet
 * reads slices of them (`forward`), so a subnet's gradient step changes the shared weights.
 * BN statistics are re-calibrated per subnet and cached by arch until the weights change.
 */
export class Supernet {
  readonly vars = new Map<string, tf.Variable>();
  readonly specs = new Map<string, ParamSpec>();
  readonly optimizer = new AdamW();
  trainState: TrainState | null = null;
  private readonly byVarName = new Map<string, string>();
  private bnCache = new Map<string, Map<string, BnStat>>();

  private constructor(readonly config: SupernetConfig, readonly seed: number, values: (spec: ParamSpec) => Float32Array) {
    for (const spec of paramSpecs(config)) {
      const v = tf.variable(tf.tensor(values(spec), spec.shape, 'float32'), true);
      this.vars.set(spec.name, v);
      this.specs.set(spec.name, spec);
      this.byVarName.set(v.name, spec.name);
    }
  }

  /** A freshly initialised supernet (weights drawn from `new Rng(seed)`; config validated). */
  static create(config: SupernetConfig | unknown, seed: number): Supernet {
    const cfg = validateSupernetConfig(config);
    const rng = new Rng(seed).fork('supernet-init');
    return new Supernet(cfg, seed, (spec) => initialValues(spec, rng.fork(spec.name)));
  }

  /** Loads a checkpoint written by `save` (weights, config, optimiser state, trainer state). */
  static async load(dir: string): Promise<Supernet> {
    const metaPath = path.join(dir, 'checkpoint.json');
    if (!fs.existsSync(metaPath)) throw new DataError(metaPath, 'not found (is this a supernet checkpoint folder?)');
    const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as { format: string; config: unknown; seed: number; optimizerStep: number; trainState: TrainState | null };
    if (meta.format !== CHECKPOINT_FORMAT) throw new DataError(metaPath, `format ${JSON.stringify(meta.format)}, expected ${CHECKPOINT_FORMAT}`);
    const cfg = validateSupernetConfig(meta.config);
    const { arrays } = await loadArrays(path.join(dir, 'weights'));
    const net = new Supernet(cfg, meta.seed, (spec) => {
      const a = arrays.get(spec.name);
      if (!a || a.data.length !== spec.shape.reduce((x, y) => x * y, 1)) throw new DataError(path.join(dir, 'weights'), `tensor ${spec.name} missing or of the wrong size`);
      return a.data;
    });
    if (fs.existsSync(path.join(dir, 'optimizer', 'model.json'))) {
      const opt = await loadArrays(path.join(dir, 'optimizer'));
      net.optimizer.restore(meta.optimizerStep, opt.arrays.values());
    }
    net.trainState = meta.trainState;
    return net;
  }

  /** An independent copy of the weights (no optimiser state), e.g. to fine-tune one subnet alone. */
  clone(): Supernet {
    return new Supernet(this.config, this.seed, (spec) => Float32Array.from(this.vars.get(spec.name)!.dataSync() as Float32Array));
  }

  async save(dir: string): Promise<void> {
    fs.mkdirSync(dir, { recursive: true });
    const arrays = [...this.vars].map(([name, v]) => ({ name, shape: v.shape, data: v.dataSync() as Float32Array }));
    await saveArrays(path.join(dir, 'weights'), arrays, { config: this.config }, CHECKPOINT_FORMAT);
    const opt = this.optimizer.state();
    await saveArrays(path.join(dir, 'optimizer'), opt.arrays, { optimizer: 'adamw' }, `${CHECKPOINT_FORMAT}-optimizer`);
    const meta = { format: CHECKPOINT_FORMAT, config: this.config, seed: this.seed, optimizerStep: opt.step, trainState: this.trainState };
    fs.writeFileSync(path.join(dir, 'checkpoint.json'), JSON.stringify(meta, null, 1));
  }

  /** Slices of the shared variables (no copy of unused parts beyond tf.slice's output). */
  source(): ParamSource {
    return {
      get: (name: string, r: Region) => {
        const v = this.vars.get(name);
        if (!v) throw new Error(`internal: no parameter ${name}`);
        const full = r.size.every((s, i) => s === v.shape[i]) && r.begin.every((b) => b === 0);
        return full ? v : tf.slice(v, r.begin, r.size);
      },
    };
  }

  /** Param name of a tf.Variable name (for tf.variableGrads results). */
  paramOf(varName: string): string | undefined {
    return this.byVarName.get(varName);
  }

  /** Logits of a subnet (no gradient), BN from `bn`; static-weight ops through `linearOverride` if given. */
  logits(arch: SubnetArch, x: tf.Tensor4D, bn: BnMode, src: ParamSource = this.source(), linearOverride?: LinearOverride): tf.Tensor2D {
    return forward(this.config, arch, x, src, linearOverride ? { bn, linearOverride } : { bn });
  }

  /**
   * BN statistics of a subnet re-calibrated on the first batches × batchSize images of
   * `calibration` (a fixed subset, so results are repeatable); cached per arch until the weights
   * change (`invalidate`). With `src` or `linearOverride` (transformed weights, a simulated chip)
   * the statistics are computed afresh and not cached.
   */
  calibrate(arch: SubnetArch, calibration: ImageSet, opts: CalibrationOptions = {}, src?: ParamSource, linearOverride?: LinearOverride): Map<string, BnStat> {
    const key = archKey(arch);
    const clean = src === undefined && linearOverride === undefined;
    const cached = clean ? this.bnCache.get(key) : undefined;
    if (cached) return cached;
    checkImages(this.config, calibration, 'calibration');
    const bs = Math.min(opts.batchSize ?? DEFAULT_CALIBRATION.batchSize, calibration.n);
    const batches = Math.max(1, Math.min(opts.batches ?? DEFAULT_CALIBRATION.batches, Math.floor(calibration.n / bs)));
    const record = new Map<string, BnStat[]>();
    for (let b = 0; b < batches; b++) {
      tf.tidy(() => {
        this.logits(arch, imageBatch(calibration, b * bs, bs), { kind: 'calibrate', record }, src, linearOverride);
      });
    }
    const stats = poolBnStats(record);
    if (clean) {
      if (this.bnCache.size >= 512) this.bnCache.delete(this.bnCache.keys().next().value as string);
      this.bnCache.set(key, stats);
    }
    return stats;
  }

  /** Drops cached BN statistics (call after the weights change). */
  invalidate(): void {
    this.bnCache.clear();
  }

  /** Total stored parameters (the supernet's size). */
  parameterCount(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
    this.optimizer.dispose();
    this.bnCache.clear();
  }
}
