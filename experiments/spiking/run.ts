/**
 * Issue 18 measurement: ANN → SNN conversion of the default spiking network, then accuracy of
 * ISI vs rate vs TTFS input encoding at equal T, accuracy on sampled chips (device variation),
 * spikes and energy per image (spiking CIM tile of @cosearch/hardware), and an optional short
 * surrogate-gradient fine-tune for TTFS input.
 *
 *   nice -n 10 node --conditions=@cosearch/source --import tsx experiments/spiking/run.ts --dataset mnist
 *   nice -n 10 node --conditions=@cosearch/source --import tsx experiments/spiking/run.ts --dataset fashion-mnist
 *
 * Splits: mnist = the embedded 10,000 digits, seeded stratified 70/10/20 (7000 train, 1000 val,
 * 2000 test; seed 0); fashion-mnist = the files' 60k train (54,000 after the 10 % stratified
 * validation hold-out) and a seeded stratified 2000-image sample of the 10k test set (the JS
 * event-driven simulator costs ~10 ms per image at T = 32). Writes results/<dataset>.json.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@cosearch/core';
import { initBackend } from '@cosearch/backend';
import { loadDataset, stratifiedSample, subset } from '@cosearch/datasets';
import { resolveDevice } from '@cosearch/cim-training';
import { spikingTileCost, validateSpikingTileConfig, PAPER_SPIKING_FIGURES } from '@cosearch/hardware';
import {
  DEFAULT_ARCH, annAccuracy, convertToSnn, evaluateSnn, networkLayerSpecs, programNetwork, trainAnn, trainSurrogate, withConductances,
  type Encoding, type SnnEvaluation, type SpikingNetwork, type TrainedAnn,
} from '@cosearch/spiking';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

const dataset = arg('dataset', 'mnist');
const epochs = Number(arg('epochs', dataset === 'mnist' ? '20' : '8'));
const augmentShift = Number(arg('augment-shift', dataset === 'mnist' ? '2' : '0'));
const chips = Number(arg('chips', '5'));
const stepsList = arg('steps', '8,16,32').split(',').map(Number);
const defaultSteps = Number(arg('default-steps', '32'));
const device = arg('device', 'rram-neurram-v1');
const weightBits = Number(arg('weight-bits', '4'));
const ttfsEpochs = Number(arg('ttfs-finetune-epochs', '1'));
const ttfsImages = Number(arg('ttfs-finetune-images', '2000'));
const outDir = arg('out', join(__dirname, 'results'));
const cacheDir = arg('cache', join(__dirname, '..', '..', 'runs', 'spiking-cache'));
const thresholdScales = arg('output-threshold-scales', '1,2,4,8').split(',').map(Number);

const cpuS = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function activity(ev: SnnEvaluation) {
  return ev.layerSpikesPerImage.map((out, l) => ({
    inputSpikes: l === 0 ? ev.inputSpikesPerImage : ev.layerSpikesPerImage[l - 1],
    outputSpikes: out,
    rowReads: ev.rowReadsPerImage[l],
    rowReadSiemens: ev.rowReadSiemensPerImage[l],
  }));
}

function costOf(net: SpikingNetwork, ev: SnnEvaluation, steps: number) {
  const dev = resolveDevice(device);
  const cfg = validateSpikingTileConfig({ steps, gMinSiemens: dev.gMinSiemens, gMaxSiemens: dev.gMaxSiemens });
  const r = spikingTileCost(networkLayerSpecs(net), cfg, activity(ev));
  return { energyPerImageJ: r.energyJ, energyPerSpikeJ: r.energyPerSpikeJ, powerW: r.powerW, latencyPerImageS: r.latencyS, areaMm2: r.areaMm2, breakdown: r.breakdown };
}

function summary(ev: SnnEvaluation) {
  return {
    accuracy: ev.accuracy, noSpikeFraction: ev.noSpikeFraction, meanDecisionStep: ev.meanDecisionStep,
    spikesPerImage: ev.spikesPerImage, inputSpikesPerImage: ev.inputSpikesPerImage, layerSpikesPerImage: ev.layerSpikesPerImage,
    rowReadsPerImage: ev.rowReadsPerImage, rowReadSiemensPerImage: ev.rowReadSiemensPerImage,
  };
}

async function main() {
  const t0 = Date.now();
  const backend = await initBackend({ backend: 'wasm' });
  const data = dataset === 'mnist'
    ? loadDataset({ name: 'mnist', seed: 0, valFraction: 0.1, testFraction: 0.2 })
    : loadDataset({ name: dataset, seed: 0, valFraction: 0.1 });
  const test = data.test.n > 2000 ? subset(data.test, stratifiedSample(data.test.labels, data.test.numClasses, 2000, new Rng(0))) : data.test;
  console.log(`${dataset}: train ${data.train.n}, val ${data.val.n}, test ${test.n} (of ${data.test.n})`);

  // the trained ANN is cached (runs/ is not committed): re-running the SNN part costs no training
  const cacheFile = join(cacheDir, `ann-${dataset}-e${epochs}-s${augmentShift}-${JSON.stringify(DEFAULT_ARCH.hidden).replace(/[^a-z0-9]+/gi, '')}.json`);
  let ann: TrainedAnn;
  let annTrain: { epochs: number; augmentShift: number; cpuS: number; wallS: number };
  if (existsSync(cacheFile)) {
    const c = JSON.parse(readFileSync(cacheFile, 'utf8'));
    ann = { arch: c.arch, weights: c.weights.map((w: number[]) => Float32Array.from(w)), biases: c.biases.map((b: number[]) => Float32Array.from(b)), epochLosses: c.epochLosses };
    annTrain = c.annTrain;
    console.log(`ANN from ${cacheFile}`);
  } else {
    const cpu0 = cpuS();
    const w0 = Date.now();
    ann = await trainAnn(DEFAULT_ARCH, data.train, { epochs, seed: 0, augmentShift, onEpoch: (e, l) => console.log(`  ANN epoch ${e + 1}/${epochs}: loss ${l.toFixed(4)}`) });
    annTrain = { epochs, augmentShift, cpuS: cpuS() - cpu0, wallS: (Date.now() - w0) / 1000 };
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cacheFile, JSON.stringify({ arch: ann.arch, weights: ann.weights.map((w) => Array.from(w)), biases: ann.biases.map((b) => Array.from(b)), epochLosses: ann.epochLosses, annTrain }));
  }
  const annTest = annAccuracy(ann, test);
  console.log(`ANN test accuracy ${(100 * annTest).toFixed(2)} % (${epochs} epochs, ${annTrain.cpuS.toFixed(0)} s CPU)`);
  const c1 = cpuS();
  const { network, scales } = convertToSnn(ann, data.train, { percentile: 99.9, calibrationImages: 1000 });
  const conversionCpuS = cpuS() - c1;
  const ideal: SpikingNetwork = { ...network, rowConductanceS: withConductances(network, device, weightBits) };

  // 0. output threshold (× the balanced threshold) per encoding and T, chosen on 500 validation
  // images: the most accurate scale among those where ≤ 1 % of images end without an output spike
  // (so the class really is read by time to first spike), else the one with the fewest such images
  const val = subset(data.val, stratifiedSample(data.val.labels, data.val.numClasses, Math.min(500, data.val.n), new Rng(1)));
  const encodings: Encoding[] = ['isi', 'rate', 'ttfs'];
  const sweep: Record<string, unknown>[] = [];
  const chosenScale = new Map<string, number>();
  for (const steps of stepsList) {
    for (const encoding of encodings) {
      const rows = thresholdScales.map((scale) => {
        const ev = evaluateSnn(ideal, val.images, val.labels, { encoding, steps, outputThresholdScale: scale, seed: 2 });
        return { encoding, steps, outputThresholdScale: scale, valAccuracy: ev.accuracy, meanDecisionStep: ev.meanDecisionStep, noSpikeFraction: ev.noSpikeFraction };
      });
      const ok = rows.filter((r) => r.noSpikeFraction <= 0.01);
      const best = ok.length ? ok.reduce((b, r) => (r.valAccuracy > b.valAccuracy ? r : b)) : rows.reduce((b, r) => (r.noSpikeFraction < b.noSpikeFraction ? r : b));
      chosenScale.set(`${encoding}-${steps}`, best.outputThresholdScale);
      sweep.push(...rows.map((r) => ({ ...r, chosen: r === best })));
      console.log(`  val ${encoding} T=${steps}: ${rows.map((r) => `×${r.outputThresholdScale} ${(100 * r.valAccuracy).toFixed(1)} % (no-spike ${(100 * r.noSpikeFraction).toFixed(1)} %)`).join(', ')} → ×${best.outputThresholdScale}`);
    }
  }
  const scaleOf = (encoding: Encoding, steps: number) => chosenScale.get(`${encoding}-${steps}`) ?? 1;

  // 1. encodings at equal T, ideal (float) weights
  const byEncoding: Record<string, unknown>[] = [];
  for (const steps of stepsList) {
    for (const encoding of encodings) {
      const c = cpuS();
      const outputThresholdScale = scaleOf(encoding, steps);
      const ev = evaluateSnn(ideal, test.images, test.labels, { encoding, steps, outputThresholdScale, seed: 1 });
      const row = { encoding, steps, outputThresholdScale, ...summary(ev), ...costOf(network, ev, steps), simCpuS: cpuS() - c };
      byEncoding.push(row);
      console.log(`  T=${steps} ${encoding}: ${(100 * ev.accuracy).toFixed(2)} %, ${ev.spikesPerImage.toFixed(0)} spikes/image, first output spike at step ${ev.meanDecisionStep.toFixed(1)}, no-spike ${(100 * ev.noSpikeFraction).toFixed(1)} %`);
    }
  }

  // 2. device variation: chips sampled from the device model
  const variation: Record<string, unknown>[] = [];
  for (const encoding of ['isi', 'rate'] as Encoding[]) {
    const acc: number[] = [];
    let last: ReturnType<typeof costOf> | null = null;
    let lastSpikes = 0;
    for (let c = 0; c < chips; c++) {
      const chip = programNetwork(network, { device, weightBits }, new Rng(100).fork(`chip-${c}`));
      const ev = evaluateSnn(chip, test.images, test.labels, { encoding, steps: defaultSteps, outputThresholdScale: scaleOf(encoding, defaultSteps), seed: 1 });
      acc.push(ev.accuracy);
      last = costOf(chip, ev, defaultSteps);
      lastSpikes = ev.spikesPerImage;
    }
    const mean = acc.reduce((a, b) => a + b, 0) / acc.length;
    const std = Math.sqrt(acc.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, acc.length - 1));
    variation.push({ encoding, steps: defaultSteps, outputThresholdScale: scaleOf(encoding, defaultSteps), device, weightBits, chips, accuracies: acc, mean, std, min: Math.min(...acc), max: Math.max(...acc), spikesPerImageLastChip: lastSpikes, costLastChip: last });
    console.log(`  chips (${device}, ${weightBits}-bit) ${encoding} T=${defaultSteps}: ${(100 * mean).toFixed(2)} ± ${(100 * std).toFixed(2)} % over ${chips} chips`);
  }

  // 3. short surrogate-gradient fine-tune for TTFS input, from the converted weights
  let ttfs: Record<string, unknown> | null = null;
  if (ttfsEpochs > 0) {
    const steps = Math.min(16, defaultSteps);
    const outputThresholdScale = scaleOf('ttfs', steps);
    const part = subset(data.train, stratifiedSample(data.train.labels, data.train.numClasses, ttfsImages, new Rng(7)));
    const before = evaluateSnn(network, test.images, test.labels, { encoding: 'ttfs', steps, outputThresholdScale, seed: 1 });
    const c = cpuS();
    const w = Date.now();
    const tuned = await trainSurrogate(DEFAULT_ARCH, part, { encoding: 'ttfs', steps, outputThresholdScale }, {
      epochs: ttfsEpochs, seed: 0, learningRate: 5e-4, init: { weights: network.layers.map((l) => l.weights), biases: network.layers.map((l) => l.bias) },
      onEpoch: (e, l) => console.log(`  TTFS surrogate epoch ${e + 1}: loss ${l.toFixed(4)}`),
    });
    const trainCpu = cpuS() - c;
    const trainWall = (Date.now() - w) / 1000;
    const after = evaluateSnn(tuned.network, test.images, test.labels, { encoding: 'ttfs', steps, outputThresholdScale, seed: 1 });
    const isiSame = evaluateSnn(tuned.network, test.images, test.labels, { encoding: 'isi', steps, outputThresholdScale, seed: 1 });
    ttfs = { steps, outputThresholdScale, trainImages: part.n, epochs: ttfsEpochs, cpuS: trainCpu, wallS: trainWall, before: summary(before), after: summary(after), isiOnTunedNet: summary(isiSame) };
    console.log(`  TTFS T=${steps}: ${(100 * before.accuracy).toFixed(2)} % converted → ${(100 * after.accuracy).toFixed(2)} % after ${ttfsEpochs} surrogate epoch(s) on ${part.n} images (${trainCpu.toFixed(0)} s CPU)`);
  }

  const result = {
    dataset, split: { train: data.train.n, val: data.val.n, test: test.n, testOf: data.test.n, seed: 0 },
    arch: DEFAULT_ARCH, backend, annTestAccuracy: annTest, annTrain, conversion: { percentile: 99.9, calibrationImages: 1000, scales, cpuS: conversionCpuS },
    outputThresholdSweep: { set: 'val', images: val.n, rule: 'most accurate with <= 1 % of images without an output spike', rows: sweep },
    device, weightBits, byEncoding, variation, ttfsFinetune: ttfs, paper: PAPER_SPIKING_FIGURES,
    totalWallS: (Date.now() - t0) / 1000, totalCpuS: cpuS(),
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `${dataset}.json`), JSON.stringify(result, null, 1) + '\n');
  console.log(`wrote ${join(outDir, `${dataset}.json`)} (${result.totalWallS.toFixed(0)} s wall, ${result.totalCpuS.toFixed(0)} s CPU)`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
