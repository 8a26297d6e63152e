/**
 * Measures a lookup table for the `lut-v1` hardware model (@cosearch/hardware, README "Lookup-table
 * model"): the latency of the project's tfjs wasm kernels (@cosearch/backend initBackend, forced
 * to 'wasm') on this machine, per MAC-layer shape of the default supernet (28×28×1): its
 * largest and smallest subnets (MBConv in every slot) and its largest all-ViT subnet (ViT in
 * every slot that allows it, heads and MLP ratio at their maximum), batch 1, float32.
 *
 *   node --conditions=@cosearch/source --import tsx tools/lut/measure-wasm.ts --out FILE.csv [--networks DIR] [--runs 41] [--warmup 10]
 *
 * Per shape: inputs and weights made once (seeded), `warmup` untimed calls, then `runs` calls
 * each timed on the wall clock (process.hrtime) around the op and a `dataSync()` of its output
 * (the wasm kernel runs synchronously inside the call); latency_s = the median, p25_s / p75_s
 * show the spread. Ops: conv → tf.conv2d (NHWC, 'same' or 'valid' padding recovered from the
 * output size), depthwise → tf.depthwiseConv2d, dense → tf.matMul [batch×in]·[in×out], matmul
 * → batched tf.matMul [b×m×k]·[b×k×n]. energy_j is left empty: nothing here measures energy.
 * bits = 32 (float32 kernels). `--networks DIR` also writes the three subnets as network files
 * (32-bit layers, so their MAC layers match the table rows exactly).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { layerMacs, type LayerSpec } from '@cosearch/core';
import { initBackend, tf } from '@cosearch/backend';
import { defaultSupernetConfig, largestArch, smallestArch, subnetLayers, type SubnetArch, type SupernetConfig } from '@cosearch/supernet';
import { LUT_SHAPE_FIELDS, lutShape, type LutKind } from '@cosearch/hardware';

function arg(name: string, dflt?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

/** Largest subnet with a ViT block in every slot whose stage allows one (heads, MLP ratio at their maximum). */
function largestVit(cfg: SupernetConfig): SubnetArch {
  const a = largestArch(cfg);
  return {
    stages: a.stages.map((st, i) => {
      const s = cfg.stages[i];
      if (!s.blockTypes.includes('vit')) return st;
      return { ...st, blocks: st.blocks.map(() => ({ type: 'vit' as const, heads: Math.max(...s.heads), mlpRatio: Math.max(...s.mlpRatios) })) };
    }),
  };
}

/** 'same' or 'valid', whichever gives the layer's output size (tfjs pads like TensorFlow). */
function padding(inSize: number, k: number, s: number, out: number): 'same' | 'valid' {
  if (Math.ceil(inSize / s) === out) return 'same';
  if (Math.floor((inSize - k) / s) + 1 === out) return 'valid';
  throw new Error(`no padding gives output ${out} from input ${inSize}, kernel ${k}, stride ${s}`);
}

/** The op of a layer as a closure over inputs made once, or null for kinds the table does not hold. */
function opFor(l: LayerSpec, seed: number): { run: () => tf.Tensor; dispose: () => void } | null {
  const r = (shape: number[], s: number) => tf.randomUniform(shape, -1, 1, 'float32', s);
  let ins: tf.Tensor[];
  let run: () => tf.Tensor;
  switch (l.kind) {
    case 'conv': {
      if ((l.groups ?? 1) !== 1) return null;
      const pad = padding(l.inHeight, l.kernelH, l.strideH, l.outHeight);
      ins = [r([l.batch, l.inHeight, l.inWidth, l.inChannels], seed), r([l.kernelH, l.kernelW, l.inChannels, l.outChannels], seed + 1)];
      run = () => tf.conv2d(ins[0] as tf.Tensor4D, ins[1] as tf.Tensor4D, [l.strideH, l.strideW], pad);
      break;
    }
    case 'depthwise': {
      const pad = padding(l.inHeight, l.kernelH, l.strideH, l.outHeight);
      ins = [r([l.batch, l.inHeight, l.inWidth, l.channels], seed), r([l.kernelH, l.kernelW, l.channels, 1], seed + 1)];
      run = () => tf.depthwiseConv2d(ins[0] as tf.Tensor4D, ins[1] as tf.Tensor4D, [l.strideH, l.strideW], pad);
      break;
    }
    case 'dense':
      ins = [r([l.batch, l.inFeatures], seed), r([l.inFeatures, l.outFeatures], seed + 1)];
      run = () => tf.matMul(ins[0], ins[1]);
      break;
    case 'matmul':
      ins = [r([l.batch, l.m, l.k], seed), r([l.batch, l.k, l.n], seed + 1)];
      run = () => tf.matMul(ins[0], ins[1]);
      break;
    default:
      return null;
  }
  return { run, dispose: () => tf.dispose(ins) };
}

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.ceil(i)] - sorted[lo]) * (i - lo);
}

/** Wall seconds of each of `runs` calls after `warmup` untimed ones, sorted. */
function time(run: () => tf.Tensor, runs: number, warmup: number): number[] {
  const call = () => {
    const y = run();
    y.dataSync();
    y.dispose();
  };
  for (let i = 0; i < warmup; i++) call();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    call();
    t.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return t.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const out = arg('out');
  if (!out) throw new Error('usage: measure-wasm.ts --out FILE.csv [--networks DIR] [--runs 41] [--warmup 10]');
  const runs = Number(arg('runs', '41'));
  const warmup = Number(arg('warmup', '10'));
  const backend = await initBackend({ backend: 'wasm', quiet: true });
  const cfg = defaultSupernetConfig();
  const nets: [string, SubnetArch][] = [['largest', largestArch(cfg)], ['smallest', smallestArch(cfg)], ['largest-vit', largestVit(cfg)]];
  const fields = [...new Set(Object.values(LUT_SHAPE_FIELDS).flat())];
  const seen = new Set<string>();
  const rows: string[] = [];
  const start = new Date();
  for (const [netName, arch] of nets) {
    const layers = subnetLayers(cfg, arch, { bits: 32 });
    const networks = arg('networks');
    if (networks) {
      mkdirSync(networks, { recursive: true });
      writeFileSync(join(networks, `supernet-mnist-${netName}-fp32.json`), JSON.stringify({ name: `supernet-mnist-${netName}-fp32`, layers }, null, 1) + '\n');
    }
    for (const l of layers) {
      const shape = lutShape(l);
      if (shape === null) continue;
      const key = `${l.kind}|${shape.join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const op = opFor(l, seen.size * 10);
      if (op === null) continue;
      const t = time(op.run, runs, warmup);
      op.dispose();
      const byField = new Map(LUT_SHAPE_FIELDS[l.kind as LutKind].map((f, i) => [f, shape[i]]));
      const cells = [l.kind, ...fields.map((f) => String(byField.get(f) ?? '')), '32', quantile(t, 0.5).toPrecision(4), '', `${netName}:${l.name}`, String(layerMacs(l)), quantile(t, 0.25).toPrecision(4), quantile(t, 0.75).toPrecision(4)];
      rows.push(cells.join(','));
      process.stderr.write(`${l.kind.padEnd(9)} ${`${netName}:${l.name}`.padEnd(28)} ${(quantile(t, 0.5) * 1e6).toFixed(1).padStart(8)} µs\n`);
    }
  }
  const header = [
    `# Measured by tools/lut/measure-wasm.ts on ${start.toISOString()}: tfjs ${tf.version.tfjs} ${backend} backend (@cosearch/backend), node ${process.version},`,
    `# ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} logical cores), ${platform()} ${release()}; shared machine, load average at start ${loadavg().map((x) => x.toFixed(1)).join(' ')}.`,
    `# Command: node --conditions=@cosearch/source --import tsx tools/lut/measure-wasm.ts --out ${out} --runs ${runs} --warmup ${warmup}`,
    `# latency_s = median wall time of ${runs} calls after ${warmup} warm-up calls (op + dataSync of its output), float32 (bits 32), batch 1;`,
    '# energy_j empty: not measured. layer = the first subnet layer of this shape; macs, p25_s, p75_s are informative (ignored by lut-v1).',
    ['kind', ...fields, 'bits', 'latency_s', 'energy_j', 'layer', 'macs', 'p25_s', 'p75_s'].join(','),
  ];
  writeFileSync(out, [...header, ...rows].join('\n') + '\n');
  process.stderr.write(`${rows.length} rows → ${out}\n`);
}

main().catch((e) => {
  process.stderr.write(`measure-wasm: ${(e as Error).message}\n`);
  process.exit(1);
});
