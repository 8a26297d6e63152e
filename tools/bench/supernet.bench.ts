/**
 * Supernet training throughput: the largest subnet trained alone (single path, AdamW, batch 64)
 * and one sandwich step (largest + smallest + 2 random, in-place distillation), in images/s of
 * wall time and per CPU second (the machine may be shared: CPU seconds are the steadier
 * figure). When Debian's python3-torch is installed, the same network (tools/bench/peers/
 * supernet_torch.py, one thread like tfjs-wasm) is timed in the same run and the ratio printed.
 * The single-path figure is also measured with @cosearch/backend's wasm SIMD kernels switched off
 * (the composed tfjs kernels they replace), to show what they contribute.
 *
 *   npm run bench -- supernet      (or: node --conditions=@cosearch/source --import tsx tools/bench/supernet.bench.ts)
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { initBackend, setSimdKernelsEnabled, tf } from '@cosearch/backend';
import { largestArch, samplingRegistry, subnetMacs } from '@cosearch/supernet';
import { supernetStepFixture } from './supernet-step';

const BATCH = 64;
const STEPS = Number(process.env.BENCH_STEPS ?? 8);
const WARMUP = 2;

function timeIt(n: number, f: () => void): { wall: number; cpu: number } {
  const w0 = Date.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const c = process.cpuUsage(c0);
  return { wall: (Date.now() - w0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const { cfg, rng, y, logits: subnetLogits, train } = supernetStepFixture(BATCH);
  const big = largestArch(cfg);
  timeIt(WARMUP, () => train(big));
  const single = timeIt(STEPS, () => train(big));
  setSimdKernelsEnabled(false);
  timeIt(1, () => train(big));
  const offSteps = Math.max(2, STEPS / 2);
  const off = timeIt(offSteps, () => train(big));
  setSimdKernelsEnabled(true);
  const sandwich = samplingRegistry.create('sandwich-v1', {});
  const sandwichStep = () => {
    const plans = sandwich.plan({ config: cfg, rng, vitProbability: 0.5 });
    let teacher: tf.Tensor | null = null;
    for (const p of plans) {
      const { value, grads } = tf.variableGrads(() => {
        const logits = subnetLogits(p.arch);
        if (!teacher) teacher = tf.keep(tf.softmax(logits));
        return tf.neg(tf.mean(tf.sum(tf.mul(p.target === 'teacher' ? teacher : y, tf.logSoftmax(logits)), 1))) as tf.Scalar;
      });
      value.dispose();
      Object.values(grads).forEach((g) => g.dispose());
    }
    (teacher as tf.Tensor | null)?.dispose();
  };
  timeIt(1, sandwichStep);
  const sw = timeIt(Math.max(2, STEPS / 2), sandwichStep);
  const n = STEPS * BATCH;
  const ips = n / single.wall;
  const ipc = n / single.cpu;
  console.log(`backend ${backend}${wasmInfo(backend, await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))}; largest subnet ${subnetMacs(cfg, big)} MACs/image, batch ${BATCH}`);
  console.log(`largest subnet, single path: ${ips.toFixed(1)} img/s wall, ${ipc.toFixed(1)} img/CPU-s`);
  console.log(`  same, cosearch SIMD kernels off: ${((offSteps * BATCH) / off.wall).toFixed(1)} img/s wall, ${((offSteps * BATCH) / off.cpu).toFixed(1)} img/CPU-s`);
  console.log(`sandwich step (4 subnets): ${((Math.max(2, STEPS / 2) * BATCH) / sw.wall).toFixed(1)} img/s wall, ${((Math.max(2, STEPS / 2) * BATCH) / sw.cpu).toFixed(1)} img/CPU-s`);

  const peer = path.join(__dirname, 'peers', 'supernet_torch.py');
  const r = spawnSync(pythonWithTorch(), [peer], { input: JSON.stringify({ config: cfg, arch: big, batch: BATCH, steps: STEPS, warmup: WARMUP, threads: 1 }), encoding: 'utf8' });
  if (r.status !== 0) {
    const why = /No module named 'torch'/.test(r.stderr ?? '') ? 'python3-torch not installed' : (r.stderr || r.error?.message || 'failed').trim().split('\n').pop();
    console.log(`PyTorch peer: unavailable (${why}); no ratio`);
    return;
  }
  const p = JSON.parse(r.stdout.trim().split('\n').pop()!) as { imagesPerSecond: number; imagesPerCpuSecond: number; threads: number; torch: string };
  console.log(`PyTorch ${p.torch} (${p.threads} thread), same network: ${p.imagesPerSecond.toFixed(1)} img/s wall, ${p.imagesPerCpuSecond.toFixed(1)} img/CPU-s`);
  console.log(`ratio tfjs/PyTorch: ${(ipc / p.imagesPerCpuSecond).toFixed(2)}× per CPU second, ${(ips / p.imagesPerSecond).toFixed(2)}× wall (target ≥ 0.5×)`);
}

/** Which tfjs-wasm binary runs, and on how many threads (Node has no multithreaded wasm build). */
function wasmInfo(backend: string, simd: unknown, threads: unknown): string {
  if (backend !== 'wasm') return '';
  const count = (tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number } } }).wasm.tfjs.getThreadsCount();
  return ` (${simd ? 'SIMD' : 'non-SIMD'} binary, ${count} thread${count === 1 ? '' : 's'}; multithreaded wasm ${threads ? 'available' : 'not available here'})`;
}

/**
 * Debian's python3-torch lives in the system interpreter; a pyenv/venv `python3` earlier on PATH
 * does not see it. COSEARCH_PYTHON overrides the choice.
 */
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
