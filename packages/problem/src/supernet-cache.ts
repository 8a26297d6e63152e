import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '@cosearch/backend';
import { loadDataset } from '@cosearch/datasets';
import { Supernet, trainSupernet, type LinearOverrideFactory, type TrainOptions } from '@cosearch/supernet';
import { createCimAwareLinear, resolveDevice } from '@cosearch/cim-training';
import { hardwareAwareContext, type CosearchSections } from './cosearch-config';

/**
 * The per-step weight op of the hardware-aware phase: cim-training's CIM-aware op (straight-through
 * weight and activation quantisation, programming noise drawn per step, partial-sum ADC error at a
 * precision drawn per call from the search's ADC options) at the base hardware's tile.
 */
function cimAwareFactory(s: CosearchSections): LinearOverrideFactory {
  const c = hardwareAwareContext(s);
  const noise = c.programmingNoise ?? resolveDevice(c.device).programmingNoise;
  return ({ rng }) => createCimAwareLinear({
    tile: c.tile, device: c.device, inputBits: c.inputBits, weightBits: c.weightBits, adcBitsChoices: c.adcBitsChoices, programmingNoise: noise, rng,
  });
}

/**
 * Makes sure a trained supernet checkpoint exists in `dir`: if not, trains one (config, seed and
 * training options from the experiment) and saves it. Training writes its own checkpoints into
 * `<dir>.partial` and resumes from there after an interruption; the finished checkpoint is
 * renamed into place, so a half-trained supernet is never taken for a trained one.
 */
export async function ensureSupernet(s: CosearchSections, dir: string, log: (m: string) => void): Promise<void> {
  if (fs.existsSync(path.join(dir, 'checkpoint.json'))) return;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  // one trainer per checkpoint: other runs needing it (a suite, a second terminal) wait for it
  for (let waited = false; ; waited = true) {
    if (fs.existsSync(path.join(dir, 'checkpoint.json'))) return;
    if (takeLock(lock)) break;
    if (!waited) log(`waiting for another process (pid ${readPid(lock)}) that is training the supernet into ${dir} ...`);
    await new Promise((r) => setTimeout(r, 2000));
  }
  try {
    await train(s, dir, log);
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function readPid(lock: string): number {
  try {
    return Number(fs.readFileSync(lock, 'utf8')) || 0;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the lock file exclusively; a lock left by a dead process is taken over. */
function takeLock(lock: string): boolean {
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    const pid = readPid(lock);
    if (pid > 0 && alive(pid)) return false;
    fs.rmSync(lock, { force: true });
    return false; // retried on the next round
  }
}

async function train(s: CosearchSections, dir: string, log: (m: string) => void): Promise<void> {
  const backend = await initBackend({ quiet: true });
  const partial = `${dir}.partial`;
  const resume = fs.existsSync(path.join(partial, 'checkpoint.json'));
  log(`${resume ? 'continuing the training of' : 'training'} the supernet (no checkpoint at ${dir}; tfjs backend ${backend}) ...`);
  const t0 = Date.now();
  const data = loadDataset(s.dataset);
  const net = resume ? await Supernet.load(partial) : Supernet.create(s.network.supernet, s.network.seed);
  try {
    const options: TrainOptions = { seed: s.network.seed, checkpointEvery: 100, ...(s.network.train as TrainOptions), checkpointDir: partial, resume, log };
    if (Number(s.network.train.hardwareAwareSteps ?? 0) > 0) options.linearOverride = cimAwareFactory(s);
    await trainSupernet(net, data, options);
    await net.save(partial);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(partial, dir);
  } finally {
    net.dispose();
  }
  log(`supernet trained in ${((Date.now() - t0) / 1000).toFixed(0)} s, saved to ${dir}`);
}
