import * as fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { CosearchError, DataError, layerMacs, layerWeights } from '@cosearch/core';
import { initBackend } from '@cosearch/backend';
import { loadDataset } from '@cosearch/datasets';
import { archFromCandidate, evaluateSubnet, largestArch, smallestArch, Supernet, validateArch, type SubnetArch, type SupernetConfig } from '@cosearch/supernet';

interface Args { supernet: string; arch: string; dataset: string; dataPath?: string; split: string; seed: number; limit?: number; json: boolean; bits?: number }

/** An arch from: 'largest' | 'smallest' | a JSON file | inline JSON — either a SubnetArch ({stages: ...}) or a candidate ({"s1.width": ...}). */
export function parseArch(cfg: SupernetConfig, spec: string): SubnetArch {
  if (spec === 'largest') return largestArch(cfg);
  if (spec === 'smallest') return smallestArch(cfg);
  let text = spec;
  if (!spec.trim().startsWith('{')) {
    if (!fs.existsSync(spec)) throw new DataError(spec, 'not found (give a file, inline JSON, "largest" or "smallest")');
    text = fs.readFileSync(spec, 'utf8');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CosearchError(`--arch: not valid JSON (${(e as Error).message})`);
  }
  const o = raw as Record<string, unknown>;
  if (o && typeof o === 'object' && 'stages' in o) return validateArch(cfg, o);
  if (o && typeof o === 'object' && 'arch' in o) return validateArch(cfg, o.arch);
  return archFromCandidate(cfg, o as never);
}

export const evalSubnetCommand: CommandModule<object, Args> = {
  command: 'eval-subnet',
  describe: 'accuracy (inherited weights, BN re-calibrated), MACs, parameters and layer list of one subnet of a trained supernet',
  builder: (y) =>
    y
      .option('supernet', { type: 'string', demandOption: true, describe: 'checkpoint folder written by train-supernet' })
      .option('arch', { type: 'string', demandOption: true, describe: 'arch JSON file or inline JSON (SubnetArch or candidate), or largest / smallest' })
      .option('dataset', { type: 'string', default: 'mnist' })
      .option('data-path', { type: 'string' })
      .option('split', { type: 'string', choices: ['val', 'test'], default: 'test' })
      .option('seed', { type: 'number', default: 0, describe: 'dataset split seed (use the training one)' })
      .option('limit', { type: 'number', describe: 'dataset limit (use the training one)' })
      .option('bits', { type: 'number', describe: 'bit width written into the layer list' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as never,
  handler: async (a) => {
    await initBackend({ quiet: a.json });
    const net = await Supernet.load(a.supernet);
    const arch = parseArch(net.config, a.arch);
    const data = loadDataset({ name: a.dataset, path: a.dataPath, seed: a.seed, limit: a.limit });
    const r = await evaluateSubnet(net, arch, a.split === 'val' ? data.val : data.test, { calibration: data.train, bits: a.bits });
    if (a.json) {
      process.stdout.write(JSON.stringify({ arch, ...r }, null, 1) + '\n');
    } else {
      const lines = [
        `accuracy (${a.split}, ${a.split === 'val' ? data.val.n : data.test.n} images): ${(100 * r.accuracy).toFixed(2)}%`,
        `MACs per image: ${r.macs}   parameters: ${r.params}`,
        'layers:',
        ...r.layers.map((l) => `  ${l.name.padEnd(18)} ${l.kind.padEnd(10)} MACs ${String(layerMacs(l)).padStart(9)}  weights ${String(layerWeights(l)).padStart(7)}`),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
    net.dispose();
  },
};
