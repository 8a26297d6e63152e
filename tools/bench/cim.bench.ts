/**
 * Training throughput of crossbar-simulated layers (@cosearch/cim-training) vs plain tfjs layers,
 * LeNet-5 on MNIST images, measured in the same run on the same backend.
 *
 *   npm run bench -- cim      (or: node --conditions=@cosearch/source --import tsx tools/bench/cim.bench.ts)
 *
 * Env: BENCH_IMAGES (training images per configuration, default 960), BENCH_BATCH (default 32).
 * Peer: the same LeNet-5 written with tf.conv2d / tf.maxPool / tf.matMul and tf.train.sgd.
 * Ours: trainCim with the float scheme (ideal products through the im2col layers), and the
 * crossbar schemes (DAC, tile partial sums, output noise, ADC on forward and backward MVMs, device
 * updates in JS). Reported: images/s by wall clock and by process CPU time (the CPU figure is
 * steadier on a shared machine); validation/test evaluation is negligible (10 images each), but
 * trainCim's one-off setup (device sampling, noise table) is included, which favours the peer
 * at small BENCH_IMAGES.
 */
import { initBackend, tf } from '@cosearch/backend';
import { Rng } from '@cosearch/core';
import { batches, loadDataset, take } from '@cosearch/datasets';
import { trainCim } from '@cosearch/cim-training';

const images = Number(process.env.BENCH_IMAGES ?? 960);
const batch = Number(process.env.BENCH_BATCH ?? 32);

interface Figure {
  name: string;
  wallPerS: number;
  cpuPerS: number;
}

function measure(name: string, f: () => Promise<void> | void): Promise<Figure> {
  return (async () => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await f();
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    const fig = { name, wallPerS: images / wall, cpuPerS: images / cpu };
    console.log(`${name.padEnd(52)} ${fig.wallPerS.toFixed(1).padStart(8)} img/s wall ${fig.cpuPerS.toFixed(1).padStart(8)} img/s cpu`);
    return fig;
  })();
}

async function main(): Promise<void> {
  const backend = await initBackend({ quiet: true });
  const data = loadDataset({ name: 'mnist' });
  const train = take(data.train, images);
  const small = { ...data, train, val: take(data.val, 10), test: take(data.test, 10) };
  console.log(`backend ${backend}, LeNet-5, ${images} training images, batch ${batch}`);

  const rng = new Rng(1);
  const v = (shape: number[], fanIn: number) => tf.variable(tf.randomUniform(shape, -Math.sqrt(6 / fanIn), Math.sqrt(6 / fanIn), 'float32', rng.nextSeed()));
  const p = {
    w1: v([5, 5, 1, 6], 25), b1: tf.variable(tf.zeros([6])), w2: v([5, 5, 6, 16], 150), b2: tf.variable(tf.zeros([16])),
    w3: v([400, 120], 400), b3: tf.variable(tf.zeros([120])), w4: v([120, 84], 120), b4: tf.variable(tf.zeros([84])),
    w5: v([84, 10], 84), b5: tf.variable(tf.zeros([10])),
  };
  const opt = tf.train.sgd(0.05);
  const plain = await measure('plain tfjs layers (conv2d, sgd)', () => {
    for (const b of batches(train, batch, rng.fork('plain'))) {
      tf.tidy(() => {
        const x = tf.tensor4d(b.images, [b.n, 28, 28, 1]);
        const y = tf.oneHot(tf.tensor1d(b.labels, 'int32'), 10);
        opt.minimize(() => {
          let h: tf.Tensor = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, p.w1 as tf.Tensor4D, 1, 'same'), p.b1)) as tf.Tensor4D, 2, 2, 'valid');
          h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h as tf.Tensor4D, p.w2 as tf.Tensor4D, 1, 'valid'), p.b2)) as tf.Tensor4D, 2, 2, 'valid');
          h = tf.reshape(h, [b.n, 400]);
          h = tf.relu(tf.add(tf.matMul(h as tf.Tensor2D, p.w3), p.b3));
          h = tf.relu(tf.add(tf.matMul(h as tf.Tensor2D, p.w4), p.b4));
          return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(h as tf.Tensor2D, p.w5), p.b5)) as tf.Scalar;
        });
      });
    }
  });
  const figs: Figure[] = [];
  for (const [scheme, device] of [['float', 'idealized-v1'], ['hwa', 'idealized-v1'], ['mixed-precision', 'reram-sb-aihwkit-v1'], ['naive', 'reram-sb-aihwkit-v1'], ['mixed-precision', 'agasi-neurosim-v1']]) {
    figs.push(await measure(`cim-training ${scheme} (${device})`, async () => void (await trainCim(small, { scheme, device, epochs: 1, batchSize: batch, augmentShift: 0 }))));
  }
  console.log('\nratio to plain tfjs layers (images/s, cpu):');
  for (const f of figs) console.log(`  ${f.name.padEnd(52)} ${(f.cpuPerS / plain.cpuPerS).toFixed(2)}×`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
