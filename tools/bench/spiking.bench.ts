/**
 * Spiking-network training throughput: surrogate-gradient BPTT (@cosearch/spiking `snnForward`,
 * Adam, cross-entropy on output spike counts) of the default spiking network (conv 5×5/2 ×16 →
 * conv 3×3/2 ×32 → 128 → 10) over T time steps on rate-coded input, in images/s of wall time and
 * per CPU second. When Debian's python3-torch is installed, the same network and time loop
 * (tools/bench/peers/spiking_torch.py, one thread like tfjs-wasm) is timed in the same run and the
 * ratio printed; otherwise the peer is skipped with the reason.
 *
 *   npm run bench -- spiking      (or: node --conditions=@cosearch/source --import tsx tools/bench/spiking.bench.ts)
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@cosearch/core';
import { initBackend } from '@cosearch/backend';
import { DEFAULT_ARCH, encodeBatch, initWeights, layerShapes, snnForward, spikeFunction, validateSnnConfig } from '@cosearch/spiking';

const BATCH = 32;
const T = Number(process.env.BENCH_SNN_STEPS ?? 8);
const ITERS = Number(process.env.BENCH_STEPS ?? 4);
const WARMUP = 1;
const SLOPE = 5;

function timeIt(n: number, f: () => void): { wall: number; cpu: number } {
  const w0 = Date.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const c = process.cpuUsage(c0);
  return { wall: (Date.now() - w0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const arch = DEFAULT_ARCH;
  const cfg = validateSnnConfig({ encoding: 'rate', steps: T, leak: 1, threshold: 1 });
  const size = arch.inputShape[0] * arch.inputShape[1] * arch.inputShape[2];
  const rng = new Rng(0);
  const images = new Float32Array(BATCH * size).map(() => 0.5 * rng.next());
  const xs = encodeBatch(images, Int32Array.from({ length: BATCH }, (_, i) => i), size, cfg, rng.fork('enc'));
  const x = tf.tensor3d(xs, [T, BATCH, size]);
  const y = tf.oneHot(tf.tensor1d(Int32Array.from({ length: BATCH }, (_, i) => i % arch.classes), 'int32'), arch.classes);
  const shapes = layerShapes(arch);
  const init = initWeights(arch, 0);
  const w = init.weights.map((v, i) => tf.variable(tf.tensor2d(v, [shapes[i].rows, shapes[i].cols])));
  const b = init.biases.map((v) => tf.variable(tf.tensor1d(v)));
  const spike = spikeFunction(SLOPE);
  const opt = tf.train.adam(1e-3);
  const step = () => tf.tidy(() => void opt.minimize(() => tf.losses.softmaxCrossEntropy(y, snnForward(arch, w, b, x, cfg, spike)) as tf.Scalar));
  timeIt(WARMUP, step);
  const t = timeIt(ITERS, step);
  const n = ITERS * BATCH;
  const ips = n / t.wall;
  const ipc = n / t.cpu;
  console.log(`backend ${backend}; default spiking network, T = ${T}, batch ${BATCH}, surrogate-gradient BPTT (Adam)`);
  console.log(`tfjs: ${ips.toFixed(1)} img/s wall, ${ipc.toFixed(1)} img/CPU-s`);

  const peer = path.join(__dirname, 'peers', 'spiking_torch.py');
  const r = spawnSync(pythonWithTorch(), [peer], {
    input: JSON.stringify({ arch, steps: T, batch: BATCH, iters: ITERS, warmup: WARMUP, threads: 1, leak: 1, threshold: 1, slope: SLOPE }),
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    const why = /No module named 'torch'/.test(r.stderr ?? '') ? 'python3-torch not installed (apt-get install python3-torch)' : (r.stderr || r.error?.message || 'failed').trim().split('\n').pop();
    console.log(`PyTorch peer: skipped (${why}); no ratio`);
    return;
  }
  const p = JSON.parse(r.stdout.trim().split('\n').pop()!) as { imagesPerSecond: number; imagesPerCpuSecond: number; threads: number; torch: string };
  console.log(`PyTorch ${p.torch} (${p.threads} thread), same network and time loop: ${p.imagesPerSecond.toFixed(1)} img/s wall, ${p.imagesPerCpuSecond.toFixed(1)} img/CPU-s`);
  console.log(`ratio tfjs/PyTorch: ${(ipc / p.imagesPerCpuSecond).toFixed(2)}× per CPU second, ${(ips / p.imagesPerSecond).toFixed(2)}× wall`);
}

/** Debian's python3-torch lives in the system interpreter; COSEARCH_PYTHON overrides the choice. */
function pythonWithTorch(): string {
  if (process.env.COSEARCH_PYTHON) return process.env.COSEARCH_PYTHON;
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(candidate, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return 'python3';
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
