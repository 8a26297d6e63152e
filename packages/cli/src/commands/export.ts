import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { ConfigError, CosearchError, DataError } from '@cosearch/core';
import { initBackend, tf } from '@cosearch/backend';
import { loadDataset, take, type ImageSet } from '@cosearch/datasets';
import { CONFIG_FILE, JOURNAL_FILE, prepareExperiment, readConfigFile, readJournal, sortedRecords, type EvalRecord } from '@cosearch/runner';
import { checkpointDir, validateCosearchSections } from '@cosearch/problem';
import { archFromCandidate, evaluateSubnet, imageBatch, layersModelFromSubnet, saveLayersModel, buildLayersModel, Supernet, type SubnetArch } from '@cosearch/supernet';
import { parseArch } from './eval-subnet';

interface Args { run?: string; index?: number; cache?: string; supernet?: string; arch?: string; subnet?: string; out: string; dataset: string; seed: number; limit?: number; json: boolean }

/** Top-1 accuracy of a LayersModel on an image set (batches of 250). */
function accuracyOf(model: tf.LayersModel, set: ImageSet): number {
  let correct = 0;
  for (let i = 0; i < set.n; i += 250) {
    const n = Math.min(250, set.n - i);
    const pred = tf.tidy(() => tf.argMax(model.predict(imageBatch(set, i, n)) as tf.Tensor, -1).dataSync());
    for (let j = 0; j < n; j++) if (pred[j] === set.labels[i + j]) correct++;
  }
  return correct / set.n;
}

/** The evaluation to export: `--index N`, else the highest reward among evaluations with metrics. */
function pickRecord(records: EvalRecord[], index: number | undefined, journal: string): EvalRecord {
  const ok = records.filter((r) => r.metrics && !r.error);
  if (!ok.length) throw new DataError(journal, 'no successful evaluation to export');
  if (index === undefined) return ok.reduce((a, b) => (b.reward > a.reward ? b : a));
  const r = ok.find((x) => x.index === index);
  if (!r) throw new ConfigError('--index', index, `the index of a successful evaluation in ${journal} (0 … ${records.length - 1})`);
  return r;
}

export const exportCommand: CommandModule<object, Args> = {
  command: 'export',
  describe: 'export a found subnet as a standard tfjs LayersModel (model.json + weights.bin) that tf.loadLayersModel loads',
  builder: (y) =>
    y
      .option('run', { type: 'string', describe: 'run folder of a cosearch-v1 search: exports its best-reward evaluation (or --index)' })
      .option('index', { type: 'number', describe: 'with --run: the evaluation index to export (evaluations.csv / report)' })
      .option('cache', { type: 'string', describe: 'with --run: the supernet cache folder the search used (default .cosearch-cache)' })
      .option('supernet', { type: 'string', describe: 'or: a checkpoint folder written by train-supernet (with --arch)' })
      .option('arch', { type: 'string', describe: 'with --supernet: arch JSON file or inline JSON (SubnetArch or candidate), or largest / smallest' })
      .option('dataset', { type: 'string', default: 'mnist', describe: 'with --supernet: BN calibration data (the training split)' })
      .option('seed', { type: 'number', default: 0, describe: 'with --supernet: dataset split seed (use the training one)' })
      .option('limit', { type: 'number', describe: 'with --supernet: dataset limit (use the training one)' })
      .option('subnet', { type: 'string', describe: 'or: a standalone subnet folder (format cosearch-subnet-v1) to convert' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder for model.json + weights.bin' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary' }) as never,
  handler: async (a) => {
    const sources = [a.run, a.supernet, a.subnet].filter((s) => s !== undefined).length;
    if (sources !== 1) throw new CosearchError('export: give exactly one of --run DIR, --supernet DIR --arch SPEC, --subnet DIR');
    if (fs.existsSync(path.join(a.out, 'model.json'))) throw new DataError(path.join(a.out, 'model.json'), 'exists already; pick another --out');
    await initBackend({ quiet: true });
    let model: tf.LayersModel;
    const summary: Record<string, unknown> = { out: path.resolve(a.out) };
    if (a.subnet) {
      model = await layersModelFromSubnet(a.subnet);
      summary.source = { subnet: path.resolve(a.subnet) };
    } else if (a.supernet) {
      if (!a.arch) throw new ConfigError('--arch', undefined, 'an arch with --supernet (file, inline JSON, largest or smallest)');
      const net = await Supernet.load(a.supernet);
      const arch: SubnetArch = parseArch(net.config, a.arch);
      const data = loadDataset({ name: a.dataset, seed: a.seed, limit: a.limit });
      model = buildLayersModel(net.config, arch, net.source(), net.calibrate(arch, data.train));
      const test = take(data.test, Math.min(1000, data.test.n));
      summary.source = { supernet: path.resolve(a.supernet), arch };
      const ref = await evaluateSubnet(net, arch, test, { calibration: data.train });
      summary.check = { split: 'test', images: test.n, searchAccuracy: ref.accuracy, layersModelAccuracy: accuracyOf(model, test) };
      net.dispose();
    } else {
      const dir = path.resolve(a.run!);
      const { config } = prepareExperiment(readConfigFile(path.join(dir, CONFIG_FILE)), { progress: null, cacheDir: a.cache }, dir);
      if (config.problem !== 'cosearch-v1') throw new ConfigError(`${dir}/${CONFIG_FILE}: problem`, config.problem, 'cosearch-v1 (a run whose candidates are subnets of a supernet)');
      const s = validateCosearchSections(config.sections, config.seed);
      const journal = path.join(dir, JOURNAL_FILE);
      const record = pickRecord(sortedRecords(readJournal(journal).records), a.index, journal);
      const ckpt = checkpointDir(s, path.resolve(a.cache ?? '.cosearch-cache'));
      if (!fs.existsSync(path.join(ckpt, 'checkpoint.json'))) throw new DataError(ckpt, 'the run\'s supernet checkpoint is not there (give --cache DIR: the cache folder the search used)');
      const net = await Supernet.load(ckpt);
      const arch = archFromCandidate(s.network.supernet, record.candidate);
      // the same BN calibration images and evaluation subset as the search's accuracy
      const data = loadDataset(s.dataset);
      const split = s.accuracy.split === 'val' ? data.val : data.test;
      const evalSet = take(split, Math.min(s.accuracy.samples, split.n));
      const calibration = take(data.train, Math.min(s.accuracy.calibrationSamples, data.train.n));
      model = buildLayersModel(net.config, arch, net.source(), net.calibrate(arch, calibration));
      const clean = record.metrics!.extra?.cleanAccuracy ?? (s.accuracy.cim ? undefined : record.metrics!.accuracy);
      summary.source = { run: dir, index: record.index, reward: record.reward, candidate: record.candidate, metrics: record.metrics, supernet: ckpt };
      summary.check = { split: s.accuracy.split, images: evalSet.n, searchAccuracy: clean ?? null, layersModelAccuracy: accuracyOf(model, evalSet) };
      net.dispose();
    }
    await saveLayersModel(model, a.out);
    // the found design (network + hardware decisions, metrics) beside the model
    fs.writeFileSync(path.join(a.out, 'cosearch-export.json'), JSON.stringify(summary, null, 1) + '\n');
    summary.parameters = model.countParams();
    summary.layers = model.layers.length;
    model.dispose();
    if (a.json) {
      process.stdout.write(JSON.stringify(summary, null, 1) + '\n');
      return;
    }
    const src = summary.source as { run?: string; index?: number; reward?: number };
    const chk = summary.check as { split: string; images: number; searchAccuracy?: number | null; layersModelAccuracy: number } | undefined;
    const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
    process.stdout.write([
      `exported ${src.run ? `evaluation #${src.index} of ${src.run} (reward ${src.reward?.toFixed(4)})` : 'the subnet'} to ${summary.out}: model.json + weights.bin, ${summary.layers} layers, ${summary.parameters} parameters`,
      ...(chk ? [`accuracy of the LayersModel on ${chk.images} ${chk.split} images: ${pct(chk.layersModelAccuracy)}${typeof chk.searchAccuracy === 'number' ? ` (${src.run ? 'the search measured' : 'the supernet gives'} ${pct(chk.searchAccuracy)} on the same images)` : ''}`] : []),
      'load it with tf.loadLayersModel (input NHWC float32, output logits); convert onward with tensorflowjs_converter (see the supernet README)',
    ].join('\n') + '\n');
  },
};
