import * as fs from 'node:fs';
import * as path from 'node:path';
import { CosearchError } from '@cosearch/core';
import { initBackend } from '@cosearch/backend';
import { loadDataset, type DatasetSplits } from '@cosearch/datasets';
import * as supernet from '@cosearch/supernet';
import type { CosearchSections } from './cosearch-config';

type TrainFn = (net: supernet.Supernet, data: DatasetSplits, options: Record<string, unknown>) => Promise<unknown>;

/**
 * Makes sure a trained supernet checkpoint exists in `dir`: if not, trains one (config, seed and
 * training options from the experiment) and saves it. Written to a temporary folder and renamed,
 * so an interrupted training never leaves a half checkpoint that later runs would trust.
 */
export async function ensureSupernet(s: CosearchSections, dir: string, log: (m: string) => void): Promise<void> {
  if (fs.existsSync(path.join(dir, 'checkpoint.json'))) return;
  const train = (supernet as unknown as { trainSupernet?: TrainFn }).trainSupernet;
  if (!train) throw new CosearchError(`no supernet checkpoint at ${dir} and this build of @cosearch/supernet cannot train one`);
  const backend = await initBackend({ quiet: true });
  log(`training the supernet (no checkpoint at ${dir}; backend ${backend}) ...`);
  const t0 = Date.now();
  const data = loadDataset(s.dataset);
  const net = supernet.Supernet.create(s.network.supernet, s.network.seed);
  try {
    await train(net, data, { ...s.network.train, log });
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    await net.save(tmp);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } finally {
    net.dispose();
  }
  log(`supernet trained in ${((Date.now() - t0) / 1000).toFixed(0)} s, saved to ${dir}`);
}
