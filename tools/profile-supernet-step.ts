/**
 * Where a supernet training step spends its time: wraps every registered wasm kernel with a
 * timer (self time: a composed kernel's nested kernels are charged to themselves) and runs
 * training steps of the default supernet's largest subnet (or one sandwich step), batch 64.
 *
 *   node --conditions=@cosearch/source --import tsx tools/profile-supernet-step.ts [--steps 8] [--shapes] [--sandwich] [--top 30]
 *
 * Prints CPU ms per step (process CPU time) and, per kernel (per kernel and input shapes with
 * --shapes), wall ms per step — on a shared machine wall time inflates, so read the kernel
 * figures as shares. --sandwich profiles one sandwich-v1 step (largest, smallest, 2 random
 * subnets with P(ViT) = 1) instead.
 */
import { initBackend, tf } from '@cosearch/backend';
import { largestArch, samplingRegistry } from '@cosearch/supernet';
import { supernetStepFixture } from './bench/supernet-step';

const BATCH = 64;
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const flag = (name: string) => process.argv.includes(`--${name}`);

async function main(): Promise<void> {
  await initBackend({ backend: 'wasm' });
  const self = new Map<string, { ms: number; n: number }>();
  const stack: number[] = [];
  for (const k of tf.getKernelsForBackend('wasm')) {
    const inner = k.kernelFunc;
    (k as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
      const key = flag('shapes')
        ? `${k.kernelName} ${Object.values(args.inputs).map((t) => JSON.stringify(t?.shape)).join(',')}`
        : k.kernelName;
      const t0 = performance.now();
      stack.push(0);
      const out = inner(args);
      const child = stack.pop()!;
      const dt = performance.now() - t0;
      if (stack.length) stack[stack.length - 1] += dt;
      const e = self.get(key) ?? { ms: 0, n: 0 };
      e.ms += dt - child;
      e.n++;
      self.set(key, e);
      return out;
    };
  }
  const { cfg, rng, train: trainArch } = supernetStepFixture(BATCH);
  const archs = flag('sandwich')
    ? samplingRegistry.create('sandwich-v1', {}).plan({ config: cfg, rng, vitProbability: 1 }).map((p) => p.arch)
    : [largestArch(cfg)];
  const step = () => archs.forEach(trainArch);
  for (let i = 0; i < 2; i++) step();
  self.clear();
  const steps = arg('steps', 8);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const wall = performance.now() - w0;
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000 / steps;
  const kernelMs = [...self.values()].reduce((a, b) => a + b.ms, 0) / steps;
  console.log(`${archs.length} subnet(s) per step; per step: ${cpuMs.toFixed(1)} ms CPU, ${(wall / steps).toFixed(1)} ms wall, of which ${kernelMs.toFixed(1)} ms wall in kernels`);
  for (const [k, v] of [...self].sort((a, b) => b[1].ms - a[1].ms).slice(0, arg('top', 30))) {
    console.log(`${k.padEnd(70)} ${(v.ms / steps).toFixed(2).padStart(8)} ms ${((100 * v.ms) / steps / kernelMs).toFixed(1).padStart(5)} % ${(v.n / steps).toFixed(0).padStart(5)} calls`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
