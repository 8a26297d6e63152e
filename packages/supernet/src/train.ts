import { checkNumber, ConfigError, Rng } from '@cosearch/core';
import { activeBackend, tf } from '@cosearch/backend';
import { batches, type DatasetSplits, type ImageSet } from '@cosearch/datasets';
import { largestArch, vitCount } from './arch';
import { randomShift } from './augment';
import { ConflictStats, gradientCosine, type ConflictGroup } from './conflict';
import { forward, type Region } from './forward';
import { restrictOverride, type LinearOverride, type WeightOpCall } from './linear';
import { samplingRegistry, type SubnetPlan } from './sampling';
import { lrAt, makePhases, vitProbabilityAt, type PhaseSpec, type ScheduleOptions } from './schedule';
import { checkImages, type Supernet } from './supernet';

/** The schedule knobs (mode, lr, phase split, ViT probability, sampling) are `makePhases`'s own. */
export interface TrainOptions extends Omit<ScheduleOptions, 'steps' | 'warmupSteps'> {
  /** Explicit phases; else built by `makePhases` from mode / budget / lr. */
  phases?: PhaseSpec[];
  /** Total budget in epochs over the training split (default 5), or in steps (overrides epochs). */
  epochs?: number;
  steps?: number;
  batchSize?: number;
  seed?: number;
  /** Random-translation augmentation: each training image shifts by up to this many pixels (default TRAIN_DEFAULTS.augmentShift; 0 = off). */
  augmentShift?: number;
  /** Label smoothing ε for subnets trained on labels: target (1 − ε)·onehot + ε/K (default TRAIN_DEFAULTS.labelSmoothing). */
  labelSmoothing?: number;
  /** Decoupled weight decay on conv/dense weights (default 5e-5). */
  weightDecay?: number;
  /** Progress line every N steps (default 25). */
  logEvery?: number;
  /** Gradient-conflict diagnostic every N steps (default 10; 0 = off). */
  conflictEvery?: number;
  /** Continue from `supernet.trainState` (a loaded checkpoint) instead of starting at step 0. */
  resume?: boolean;
  /** Save a checkpoint here every `checkpointEvery` steps and at the end of every phase. */
  checkpointDir?: string;
  checkpointEvery?: number;
  /** Progress output (default: stderr); `quiet` silences it. */
  log?: (line: string) => void;
  quiet?: boolean;
  /**
   * Hardware-aware phases (`PhaseSpec.hardwareAware`) build one override per training step with
   * this factory (e.g. fresh programming noise and a sampled ADC precision; `rng` is a fork
   * for the step, so a resumed run draws the same) and run every sampled subnet's static-weight
   * ops through it. Required when a phase is hardware-aware; ignored by the other phases.
   */
  linearOverride?: LinearOverrideFactory;
  /** Which static-weight ops the hardware-aware phases put through the override (default: all). */
  hardwareAwareLayers?: (op: WeightOpCall) => boolean;
}

/** Makes the override of one hardware-aware training step. */
export type LinearOverrideFactory = (ctx: { phase: string; step: number; rng: Rng }) => LinearOverride;

export interface StepLog { phase: string; step: number; /** Mean over the step's subnets. */ loss: number; /** Mean over subnets trained on labels. */ labelLoss: number; lr: number; vitProbability: number; imagesPerSecond: number }

export interface PhaseSummary {
  name: string;
  steps: number;
  firstLoss: number;
  lastLoss: number;
  wallSeconds: number;
  cpuSeconds: number;
  /** Per block-type mix ('cnn', 'hybrid', 'all'): cosines between the largest subnet's gradient and each sampled subnet's. */
  conflict: Record<string, ConflictGroup>;
}

export interface TrainSummary {
  mode: string;
  backend: string | null;
  batchSize: number;
  steps: number;
  images: number;
  wallSeconds: number;
  /** CPU seconds of this process (user + system); the machine may be shared. */
  cpuSeconds: number;
  /** Training images per wall second (each image passes through every subnet of the step). */
  imagesPerSecond: number;
  phases: PhaseSummary[];
  log: StepLog[];
}

/**
 * The default recipe (chosen on the MNIST validation split, see README "Measured results").
 * `random` = random subnets per sandwich step when neither `phases` nor `samplingParams` is given.
 */
export const TRAIN_DEFAULTS = { epochs: 10, batchSize: 64, augmentShift: 2, labelSmoothing: 0.1, random: 1 } as const;

function fmtTime(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`;
}

/** Mean cross-entropy against labels, or against the teacher's soft predictions (in-place distillation). */
function lossOf(logits: tf.Tensor2D, plan: SubnetPlan, labels: tf.Tensor2D, teacher: tf.Tensor2D | null): tf.Scalar {
  // `labels` already carries the label smoothing (built once per step).
  const target = plan.target === 'teacher' && teacher ? teacher : labels;
  return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

/** Adds `g` into `acc[name]`, disposing the parts. */
function accumulate(acc: Map<string, tf.Tensor>, grads: Record<string, tf.Tensor>, net: Supernet, keep: boolean): Map<string, tf.Tensor> {
  const own = new Map<string, tf.Tensor>();
  for (const [varName, g] of Object.entries(grads)) {
    const name = net.paramOf(varName);
    if (!name) { g.dispose(); continue; }
    own.set(name, g);
    const prev = acc.get(name);
    if (prev) {
      acc.set(name, tf.add(prev, g));
      prev.dispose();
      if (!keep) g.dispose();
    } else {
      acc.set(name, keep ? tf.clone(g) : g);
    }
  }
  return own;
}

/**
 * Trains the supernet through its phases (default: two-phase, sandwich rule with in-place
 * distillation). Every step: the sampling strategy picks subnets, each computes its loss with
 * batch-statistics BN, their gradients (on shared slices of the same variables) are summed and
 * AdamW takes one step. Every `conflictEvery` steps, logs the cosine between the largest
 * subnet's gradient and each other subnet's, grouped by block-type mix.
 */
export async function trainSupernet(net: Supernet, data: DatasetSplits, options: TrainOptions = {}): Promise<TrainSummary> {
  const train: ImageSet = data.train;
  checkImages(net.config, train, 'training');
  const bs = Math.min(options.batchSize ?? TRAIN_DEFAULTS.batchSize, train.n);
  const stepsPerEpoch = Math.floor(train.n / bs);
  const shift = checkNumber(options.augmentShift ?? TRAIN_DEFAULTS.augmentShift, 'augmentShift', { integer: true, min: 0, max: Math.floor((Math.min(train.height, train.width) - 1) / 2) });
  const smoothing = checkNumber(options.labelSmoothing ?? TRAIN_DEFAULTS.labelSmoothing, 'labelSmoothing', { min: 0, max: 0.5 });
  if (options.phase1Fraction !== undefined) checkNumber(options.phase1Fraction, 'phase1Fraction', { min: 0, max: 1 });
  const sampling = options.sampling ?? 'sandwich-v1';
  const phases = options.phases ?? makePhases({
    mode: options.mode, steps: options.steps ?? Math.round((options.epochs ?? TRAIN_DEFAULTS.epochs) * stepsPerEpoch),
    phase1Fraction: options.phase1Fraction, lr: options.lr, phase2Lr: options.phase2Lr, vitProbability: options.vitProbability,
    sampling, samplingParams: options.samplingParams ?? (sampling === 'sandwich-v1' ? { random: TRAIN_DEFAULTS.random } : undefined),
    sharedLrScale: options.sharedLrScale,
    hardwareAwareSteps: options.hardwareAwareSteps === undefined ? undefined : checkNumber(options.hardwareAwareSteps, 'hardwareAwareSteps', { integer: true, min: 0 }),
    hardwareAwareLr: options.hardwareAwareLr,
  });
  const hwaPhase = phases.find((p) => p.hardwareAware);
  if (hwaPhase && !options.linearOverride) throw new ConfigError('linearOverride', undefined, `a LinearOverride factory (phase ${hwaPhase.name} is hardware-aware)`);
  const log = options.quiet ? () => {} : options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const wd = options.weightDecay ?? 5e-5;
  const logEvery = options.logEvery ?? 25;
  const conflictEvery = options.conflictEvery ?? 10;
  const seed = options.seed ?? 0;
  const resume = options.resume && net.trainState ? net.trainState : null;
  const rng = resume ? Rng.fromState(resume.rng) : new Rng(seed).fork('train');
  const stepLog: StepLog[] = resume ? (resume.log as StepLog[]) : [];
  const totalSteps = phases.reduce((n, p) => n + p.steps, 0);
  const cfg = net.config;
  const src = net.source();
  const summaries: PhaseSummary[] = [];
  const wall0 = Date.now();
  const cpu0 = process.cpuUsage();
  let done = phases.slice(0, resume?.phase ?? 0).reduce((n, p) => n + p.steps, 0) + (resume?.phaseStep ?? 0);
  let epoch = 0;
  let iter = batches(train, bs, rng.fork(`data-${done}-${epoch}`), { dropLast: true });
  const nextBatch = () => {
    let b = iter.next();
    if (b.done) {
      epoch++;
      iter = batches(train, bs, rng.fork(`data-${done}-${epoch}`), { dropLast: true });
      b = iter.next();
    }
    return b.value!;
  };
  let images = 0;

  for (let pi = resume?.phase ?? 0; pi < phases.length; pi++) {
    const phase = phases[pi];
    const strategy = samplingRegistry.create(phase.sampling, phase.samplingParams);
    const conflict = new ConflictStats();
    const pWall = Date.now();
    const pCpu = process.cpuUsage();
    let firstLoss = NaN, lastLoss = NaN;
    let windowLoss = 0, windowLabel = 0, windowSteps = 0, windowStart = Date.now();
    const start = pi === (resume?.phase ?? -1) ? resume!.phaseStep : 0;
    for (let t = start; t < phase.steps; t++) {
      const lr = lrAt(phase, t);
      const pVit = vitProbabilityAt(phase, t);
      const plans = strategy.plan({ config: cfg, rng, vitProbability: pVit });
      const diagnose = conflictEvery > 0 && t % conflictEvery === 0;
      const batch = nextBatch();
      let linearOverride: LinearOverride | undefined;
      if (phase.hardwareAware) {
        const made = options.linearOverride!({ phase: phase.name, step: t, rng: rng.fork(`hardware-aware-${done}`) });
        linearOverride = options.hardwareAwareLayers ? restrictOverride(made, options.hardwareAwareLayers) : made;
      }
      // Augmentation draws from a per-step fork, so a resumed run sees the same shifts.
      const pixels = shift > 0 ? randomShift(batch.images, batch.n, train.height, train.width, train.channels, shift, rng.fork(`augment-${done}`)) : batch.images;
      const x = tf.tensor4d(pixels, [batch.n, train.height, train.width, train.channels]);
      const y = tf.tidy(() => {
        const hot = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), cfg.numClasses).toFloat();
        return smoothing > 0 ? tf.add(tf.mul(hot, 1 - smoothing), smoothing / cfg.numClasses) : hot;
      }) as tf.Tensor2D;
      let teacher: tf.Tensor2D | null = null;
      const acc = new Map<string, tf.Tensor>();
      let ref: { grads: Map<string, tf.Tensor>; usage: Map<string, Region> } | null = null;
      let stepLoss = 0, labelLoss = 0, labelPlans = 0;
      // SPOS has no largest subnet in its plan: compute its gradient for the diagnostic only.
      const needRef = diagnose && !plans.some((p) => p.role === 'largest');
      const all: (SubnetPlan & { diagnosticOnly?: boolean })[] = needRef ? [{ arch: largestArch(cfg), role: 'largest', target: 'labels', diagnosticOnly: true }, ...plans] : plans;
      for (const plan of all) {
        const usage = new Map<string, Region>();
        const { value, grads } = tf.variableGrads(() => {
          const logits = forward(cfg, plan.arch, x as tf.Tensor4D, src, { bn: { kind: 'batch' }, usage, ...(linearOverride ? { linearOverride } : {}) });
          if (plan.role === 'largest' && !teacher) teacher = tf.keep(tf.softmax(logits)) as tf.Tensor2D;
          return lossOf(logits, plan, y, teacher);
        });
        if (!plan.diagnosticOnly) {
          const v = value.dataSync()[0];
          stepLoss += v / plans.length;
          if (plan.target === 'labels') { labelLoss += v; labelPlans++; }
        }
        value.dispose();
        if (plan.diagnosticOnly) {
          const own = new Map<string, tf.Tensor>();
          for (const [vn, g] of Object.entries(grads)) own.set(net.paramOf(vn)!, g);
          ref = { grads: own, usage };
          continue;
        }
        const keepRef = diagnose && plan.role === 'largest';
        const own = accumulate(acc, grads, net, keepRef || (diagnose && ref !== null));
        if (keepRef) { ref = { grads: own, usage }; continue; }
        if (diagnose && ref) {
          const r = gradientCosine(ref.grads, ref.usage, own, usage);
          conflict.add(vitCount(plan.arch) > 0 ? 'hybrid' : 'cnn', r);
          own.forEach((g) => g.dispose());
        }
      }
      if (ref) (ref as { grads: Map<string, tf.Tensor> }).grads.forEach((g) => g.dispose());
      net.optimizer.apply(net.vars, acc, lr, (n) => (net.specs.get(n)!.role === 'weight' ? wd : 0), (n) => (net.specs.get(n)!.vit ? 1 : phase.sharedLrScale));
      acc.forEach((g) => g.dispose());
      (teacher as tf.Tensor | null)?.dispose();
      x.dispose();
      y.dispose();
      net.invalidate();
      images += batch.n;
      done++;
      if (Number.isNaN(firstLoss)) firstLoss = stepLoss;
      lastLoss = stepLoss;
      windowLoss += stepLoss;
      windowLabel += labelPlans ? labelLoss / labelPlans : NaN;
      windowSteps++;
      if ((t + 1) % logEvery === 0 || t + 1 === phase.steps) {
        const secs = (Date.now() - windowStart) / 1000;
        const ips = (windowSteps * bs) / Math.max(secs, 1e-9);
        const entry: StepLog = { phase: phase.name, step: t + 1, loss: windowLoss / windowSteps, labelLoss: windowLabel / windowSteps, lr, vitProbability: pVit, imagesPerSecond: ips };
        stepLog.push(entry);
        const eta = ((totalSteps - done) * bs) / Math.max(ips, 1e-9);
        log(`[supernet] phase ${pi + 1}/${phases.length} ${phase.name}  step ${t + 1}/${phase.steps}  loss ${entry.loss.toFixed(4)} (labels ${entry.labelLoss.toFixed(4)})  lr ${lr.toExponential(2)}  p(vit) ${pVit.toFixed(2)}  ${ips.toFixed(1)} img/s  ETA ${fmtTime(eta)}`);
        windowLoss = 0; windowLabel = 0; windowSteps = 0; windowStart = Date.now();
      }
      if (options.checkpointDir && options.checkpointEvery && (t + 1) % options.checkpointEvery === 0 && t + 1 < phase.steps) {
        net.trainState = { phase: pi, phaseStep: t + 1, rng: rng.state(), log: stepLog };
        await net.save(options.checkpointDir);
      }
    }
    const c = process.cpuUsage(pCpu);
    summaries.push({ name: phase.name, steps: phase.steps - start, firstLoss, lastLoss, wallSeconds: (Date.now() - pWall) / 1000, cpuSeconds: (c.user + c.system) / 1e6, conflict: conflict.summary() });
    net.trainState = { phase: pi + 1, phaseStep: 0, rng: rng.state(), log: stepLog };
    if (options.checkpointDir) await net.save(options.checkpointDir);
  }
  const c = process.cpuUsage(cpu0);
  const wallSeconds = (Date.now() - wall0) / 1000;
  return {
    mode: options.phases ? 'custom' : options.mode ?? 'two', backend: activeBackend(), batchSize: bs, steps: totalSteps, images,
    wallSeconds, cpuSeconds: (c.user + c.system) / 1e6, imagesPerSecond: images / Math.max(wallSeconds, 1e-9), phases: summaries, log: stepLog,
  };
}
