import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '@cosearch/backend';
import { loadDataset } from '@cosearch/datasets';
import { Supernet, trainSupernet, type TrainOptions } from '@cosearch/supernet';
import type { CosearchSections } from './cosearch-config';

/**
 * Makes sure a trained supernet checkpoint exists in `dir`: if not, trains one (config, seed and
 * training options from the experiment) and saves it. Training writes its own checkpoints into
 * `<dir>.partial` and resumes from there after an interruption; the finished checkpoint is
 * renamed into place, so a half-trained supernet is never taken for a trained one.
 */
export async function ensureSupernet(s: CosearchSections, dir: string, log: (m: string) => void): Promise<void> {
  if (fs.existsSync(path.join(dir, 'checkpoint.json'))) return;
  const backend = await initBackend({ quiet: true });
  const partial = `${dir}.partial`;
  const resume = fs.existsSync(path.join(partial, 'checkpoint.json'));
  log(`${resume ? 'continuing the training of' : 'training'} the supernet (no checkpoint at ${dir}; tfjs backend ${backend}) ...`);
  const t0 = Date.now();
  const data = loadDataset(s.dataset);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const net = resume ? await Supernet.load(partial) : Supernet.create(s.network.supernet, s.network.seed);
  try {
    const options: TrainOptions = { seed: s.network.seed, checkpointEvery: 100, ...(s.network.train as TrainOptions), checkpointDir: partial, resume, log };
    await trainSupernet(net, data, options);
    await net.save(partial);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(partial, dir);
  } finally {
    net.dispose();
  }
  log(`supernet trained in ${((Date.now() - t0) / 1000).toFixed(0)} s, saved to ${dir}`);
}
