import { Rng } from '@cosearch/core';
import { tf } from '@cosearch/backend';
import { batches, take, type DatasetSplits } from '@cosearch/datasets';
import { emptyAccounting, totalAccounting, type LayerAccounting } from '../accounting';
import { getDeviceModel } from '../devices/registry';
import { buildArch, type ArchSpec } from '../model/arch';
import { Forward } from '../model/forward';
import { accuracyOf, makeLinear } from '../model/infer';
import type { TrainedModel } from '../model/trained';
import { createScheme } from '../schemes/registry';
import type { SchemeContext, TrainingScheme, WeightLayerState } from '../schemes/types';
import { shiftBatch } from './augment';
import { validateTrainOptions, type CimTrainOptions, type ResolvedTrainOptions } from './options';

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valAccuracy: number;
  /** Cumulative programming pulses at the end of the epoch. */
  pulses: number;
  seconds: number;
}

export interface CimTrainResult {
  options: Omit<ResolvedTrainOptions, 'log'>;
  history: EpochRecord[];
  /** Test accuracy of the trained network as it is (analog schemes: on the training chip, one read). */
  testAccuracy: number;
  valAccuracy: number;
  accounting: { perLayer: LayerAccounting[]; total: LayerAccounting };
  model: TrainedModel;
  seconds: number;
}

/** Kaiming-uniform initial weights from the seeded Rng (bound √(6/fan-in)). */
function initWeights(rows: number, cols: number, rng: Rng): Float32Array {
  const b = Math.sqrt(6 / rows);
  const w = new Float32Array(rows * cols);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-b, b);
  return w;
}

/**
 * Trains a network with one scheme (float / naive / mixed-precision / hwa) on a dataset.
 * Analog schemes run forward and backward MVMs through the crossbar model with the weights read
 * from the devices, and their own update rule programs the devices; biases (and hwa's activation
 * clips) are trained digitally by SGD. Deterministic for a given seed.
 */
export async function trainCim(data: DatasetSplits, raw: Partial<CimTrainOptions>): Promise<CimTrainResult> {
  const t0 = Date.now();
  const opts = validateTrainOptions(raw);
  const log = opts.log ?? (() => undefined);
  const { train: fullTrain, val, test } = data;
  const train = opts.trainLimit > 0 && opts.trainLimit < fullTrain.n ? take(fullTrain, opts.trainLimit) : fullTrain;
  const arch = buildArch(opts.model, [train.height, train.width, train.channels], train.numClasses);
  const scheme = createScheme(opts.scheme, opts.schemeParams);
  const ctx: SchemeContext = { device: opts.device, model: getDeviceModel(opts.device.model), crossbar: opts.crossbar };
  const rng = new Rng(opts.seed);
  const layers = initLayers(arch, scheme, ctx, opts, rng);

  const wVars = arch.layers.map((l) => tf.variable(tf.zeros([l.rows, l.cols]), true));
  const bVars = arch.layers.map((l) => tf.variable(tf.zeros([l.cols]), true));
  const fwd = new Forward(arch);
  const aVars = scheme.activationBits ? Array.from({ length: fwd.reluCount }, () => tf.variable(tf.scalar(4), true)) : [];
  const stepRngHolder = { rng: rng.fork('noise') };
  const linear = makeLinear(scheme.analog ? ctx.crossbar : null, layers.map((l) => l.wScale), () => stepRngHolder.rng.nextSeed());
  const history: EpochRecord[] = [];
  let lr = opts.lr;
  let step = 0;
  const per = train.height * train.width * train.channels;
  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const te = Date.now();
      let lossSum = 0;
      let lossN = 0;
      for (const b of batches(train, opts.batchSize, rng.fork(`epoch-${epoch}`))) {
        const stepRng = rng.fork(`step-${step}`);
        stepRngHolder.rng = stepRng.fork('mvm');
        const readRng = stepRng.fork('read');
        arch.layers.forEach((l, i) => tf.tidy(() => void wVars[i].assign(tf.tensor2d(scheme.read(layers[i], readRng), [l.rows, l.cols]))));
        const fwdRng = stepRng.fork('forward');
        const images = shiftBatch(b.images, b.n, train.height, train.width, train.channels, opts.augmentShift, stepRng.fork('augment'));
        const { value, grads } = tf.variableGrads(() => {
          const x = tf.tensor4d(images, [b.n, train.height, train.width, train.channels]);
          const y = tf.oneHot(tf.tensor1d(b.labels, 'int32'), train.numClasses);
          const weights = wVars.map((w, i) => (scheme.transformForward ? scheme.transformForward(w as tf.Tensor2D, layers[i], fwdRng) : (w as tf.Tensor2D)));
          const logits = fwd.logits(x, { weights, biases: bVars as tf.Tensor1D[], linear, clips: aVars.length ? { alphas: aVars, bits: scheme.activationBits! } : undefined });
          return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
        }, [...wVars, ...bVars, ...aVars]);
        lossSum += value.dataSync()[0] * b.n;
        lossN += b.n;
        const updRng = stepRng.fork('update');
        arch.layers.forEach((_, i) => scheme.update(layers[i], grads[wVars[i].name].dataSync() as Float32Array, lr, step, ctx, updRng));
        for (const v of [...bVars, ...aVars]) tf.tidy(() => void v.assign(tf.sub(v, tf.mul(grads[v.name], lr))));
        for (const v of aVars) tf.tidy(() => void v.assign(tf.maximum(v, 0.05)));
        tf.dispose([value, ...Object.values(grads)]);
        step++;
      }
      const valAcc = accuracyOf(setupFor(arch, scheme, layers, bVars, aVars, ctx, rng.fork(`val-${epoch}`)), val);
      const pulses = layers.reduce((s, l) => s + l.accounting.pulses, 0);
      const seconds = (Date.now() - te) / 1000;
      history.push({ epoch: epoch + 1, trainLoss: lossSum / Math.max(1, lossN), valAccuracy: valAcc, pulses, seconds });
      log(`epoch ${epoch + 1}/${opts.epochs}  loss ${(lossSum / lossN).toFixed(4)}  val ${(100 * valAcc).toFixed(2)}%  pulses ${pulses.toExponential(3)}  ${seconds.toFixed(1)} s`);
      lr *= opts.lrDecay;
    }
    const setup = setupFor(arch, scheme, layers, bVars, aVars, ctx, rng.fork('test'));
    const testAccuracy = accuracyOf(setup, test);
    const perLayer = layers.map((l) => ({ ...l.accounting }));
    const model: TrainedModel = {
      format: 'cosearch-cim-model-v1',
      model: opts.model,
      inputShape: arch.inputShape,
      numClasses: arch.numClasses,
      scheme: scheme.name,
      layers: arch.layers.map((l, i) => ({ name: l.name, rows: l.rows, cols: l.cols, weights: scheme.weights(layers[i]), bias: bVars[i].dataSync().slice() as Float32Array })),
      clips: aVars.length ? { alphas: aVars.map((a) => a.dataSync()[0]), bits: scheme.activationBits! } : undefined,
      weightBits: scheme.weightBits,
    };
    const { log: _omit, ...rest } = opts;
    return {
      options: rest,
      history,
      testAccuracy,
      valAccuracy: history[history.length - 1].valAccuracy,
      accounting: { perLayer, total: totalAccounting(perLayer) },
      model,
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    tf.dispose([...wVars, ...bVars, ...aVars]);
  }
}

function initLayers(arch: ArchSpec, scheme: TrainingScheme, ctx: SchemeContext, opts: ResolvedTrainOptions, rng: Rng): WeightLayerState[] {
  const initRng = rng.fork('init');
  const chipRng = rng.fork('chip');
  return arch.layers.map((l) => {
    const state: WeightLayerState = {
      name: l.name, rows: l.rows, cols: l.cols, wScale: opts.weightRange * Math.sqrt(6 / l.rows),
      digital: null, analog: null, chi: null, accounting: emptyAccounting(l.name, l.rows * l.cols),
    };
    scheme.init(state, initWeights(l.rows, l.cols, initRng.fork(l.name)), ctx, chipRng.fork(l.name));
    return state;
  });
}

/** Inference setup of the network as it stands (analog: one noisy read of the training chip). */
function setupFor(arch: ArchSpec, scheme: TrainingScheme, layers: WeightLayerState[], bVars: tf.Variable[], aVars: tf.Variable[], ctx: SchemeContext, rng: Rng) {
  const readRng = rng.fork('read');
  return {
    arch,
    weights: layers.map((l) => (scheme.analog ? scheme.read(l, readRng) : scheme.deployed ? scheme.deployed(l) : scheme.weights(l))),
    biases: bVars.map((b) => b.dataSync().slice() as Float32Array),
    clips: aVars.length ? { alphas: aVars.map((a) => a.dataSync()[0]), bits: scheme.activationBits! } : undefined,
    crossbar: scheme.analog ? ctx.crossbar : null,
    wScales: layers.map((l) => l.wScale),
    seed: rng.nextSeed(),
  };
}
