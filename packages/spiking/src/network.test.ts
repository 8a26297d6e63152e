import { Rng } from '@cosearch/core';
import { initWeights, toSpikingNetwork, type SnnArch } from './arch';
import { programNetwork, rowConductancesS } from './crossbar';
import { evaluateSnn, SnnSimulator, type SpikingNetwork } from './network';

const arch: SnnArch = { inputShape: [9, 8, 2], hidden: [{ kind: 'conv', filters: 3, kernel: 3, stride: 2 }, { kind: 'dense', units: 5 }], classes: 4 };

function randomNet(seed: number): SpikingNetwork {
  const { weights, biases } = initWeights(arch, seed);
  const r = new Rng(seed + 1);
  biases.forEach((b) => b.forEach((_, i) => (b[i] = r.uniform(-0.2, 0.2))));
  return toSpikingNetwork(arch, weights, biases);
}

/** Direct convolution (no event scattering): out[oy][ox][f] = b[f] + Σ w[ky][kx][c][f]·x[oy·s+ky][ox·s+kx][c]. */
function bruteConv(x: Float32Array, w: Float32Array, b: Float32Array, H: number, W: number, C: number, k: number, s: number, F: number): Float32Array {
  const oh = Math.floor((H - k) / s) + 1;
  const ow = Math.floor((W - k) / s) + 1;
  const out = new Float32Array(oh * ow * F);
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let f = 0; f < F; f++) {
    let acc = b[f];
    for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) for (let c = 0; c < C; c++) {
      acc += w[((ky * k + kx) * C + c) * F + f] * x[((oy * s + ky) * W + (ox * s + kx)) * C + c];
    }
    out[(oy * ow + ox) * F + f] = acc;
  }
  return out;
}

describe('SnnSimulator', () => {
  it('integrates conv and dense currents like a direct convolution / matrix product (one step, no spikes)', () => {
    const net = randomNet(3);
    const r = new Rng(9);
    const x = new Float32Array(9 * 8 * 2).map(() => (r.next() < 0.4 ? 1 : 0)); // ISI with x ∈ {0,1} fires exactly these at step 0
    const sim = new SnnSimulator(net, { encoding: 'isi', steps: 1, threshold: 1e6 });
    sim.run(x, new Rng(0));
    const l0 = net.layers[0];
    if (l0.kind !== 'conv') throw new Error('conv expected');
    const expected = bruteConv(x, l0.weights, l0.bias, 9, 8, 2, 3, 2, 3);
    const got = sim.membrane(0);
    expect(got.length).toBe(expected.length);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    // no layer-0 spikes → the dense layer sees only its bias
    Array.from(sim.membrane(1)).forEach((v, i) => expect(v).toBeCloseTo(net.layers[1].bias[i], 6));
  });

  it('reads out the first output spike, ties broken by the membrane potential', () => {
    const one: SpikingNetwork = {
      inputShape: [1, 1, 1],
      layers: [{ kind: 'dense', name: 'out', inputs: 1, outputs: 3, weights: new Float32Array([0.6, 0.8, 0.3]), bias: new Float32Array(3) }],
    };
    // x = 1 fires every step: v = 0.6, 1.2 | 0.8, 1.6 | 0.3, 0.6, 0.9, 1.2 → neurons 0 and 1 both cross at step 1; 1 has 1.6 > 1.2
    const r = new SnnSimulator(one, { encoding: 'isi', steps: 6 }).run([1], new Rng(0));
    expect(r.decisionStep).toBe(1);
    expect(r.prediction).toBe(1);
    // neuron 2 alone fast: it wins even though neuron 1 ends with a higher potential
    one.layers[0].weights.set([0.2, 0.45, 1.0]);
    const r2 = new SnnSimulator(one, { encoding: 'isi', steps: 6 }).run([1], new Rng(0));
    expect([r2.decisionStep, r2.prediction]).toEqual([0, 2]);
    // nothing spikes within T: the highest membrane potential decides
    one.layers[0].weights.set([0.2, 0.3, 0.1]);
    const r3 = new SnnSimulator(one, { encoding: 'isi', steps: 3 }).run([1], new Rng(0));
    expect([r3.decisionStep, r3.prediction]).toEqual([-1, 1]);
  });

  it('is deterministic by seed (rate encoding), and the seed matters', () => {
    const net = randomNet(5);
    const r = new Rng(2);
    const images = new Float32Array(20 * 144).map(() => r.next());
    const labels = new Int32Array(20).map((_, i) => i % 4);
    const a = evaluateSnn(net, images, labels, { encoding: 'rate', steps: 10, seed: 7 });
    expect(evaluateSnn(net, images, labels, { encoding: 'rate', steps: 10, seed: 7 })).toEqual(a);
    expect(evaluateSnn(net, images, labels, { encoding: 'rate', steps: 10, seed: 8 }).inputSpikesPerImage).not.toBe(a.inputSpikesPerImage);
    // a simulator's state does not leak from one image to the next: image 3 alone = image 3 after 0..2
    const sim = new SnnSimulator(net, { encoding: 'isi', steps: 10 });
    const alone = sim.run(images.subarray(3 * 144, 4 * 144), new Rng(0));
    for (let k = 0; k < 3; k++) sim.run(images.subarray(k * 144, (k + 1) * 144), new Rng(0));
    expect(sim.run(images.subarray(3 * 144, 4 * 144), new Rng(0))).toEqual(alone);
  });

  it('rejects bad input with one line naming the field', () => {
    const net = randomNet(1);
    expect(() => new SnnSimulator(net, { steps: 0 })).toThrow(/^invalid snn\.steps: got 0/);
    expect(() => new SnnSimulator(net, { threshold: -1 })).toThrow(/^invalid snn\.threshold: got -1/);
    expect(() => new SnnSimulator(net, { encoding: 'phase' as never })).toThrow(/^invalid snn\.encoding: got "phase"/);
  });
});

describe('crossbar weights (cim-training device models)', () => {
  it('programs each chip deterministically by seed; chips differ; weights stay within the layer full scale', () => {
    const net = randomNet(2);
    const a = programNetwork(net, { device: 'rram-neurram-v1', weightBits: 4 }, new Rng(1));
    const b = programNetwork(net, { device: 'rram-neurram-v1', weightBits: 4 }, new Rng(1));
    const c = programNetwork(net, { device: 'rram-neurram-v1', weightBits: 4 }, new Rng(2));
    expect(a.layers[0].weights).toEqual(b.layers[0].weights);
    expect(a.layers[0].weights).not.toEqual(c.layers[0].weights);
    expect(a.layers[1].bias).toEqual(net.layers[1].bias);
  });

  it('noise-free device: weights are the 4-bit quantised originals (7 levels per sign)', () => {
    const net = randomNet(4);
    const p = programNetwork(net, { device: 'idealized-v1', weightBits: 4, readNoise: 0 }, new Rng(1));
    const w = net.layers[2].weights;
    const m = w.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    p.layers[2].weights.forEach((v, i) => expect(v).toBeCloseTo((Math.round((w[i] / m) * 7) / 7) * m, 5));
  });

  it('stuck-at devices (probability 1) pin every device to a bound: weights in {−max, 0, +max}', () => {
    const net = randomNet(4);
    const p = programNetwork(net, { device: 'idealized-v1', weightBits: 4, stuckProbability: 1, readNoise: 0 }, new Rng(1));
    const m = net.layers[2].weights.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    for (const v of p.layers[2].weights) expect([-m, 0, m].some((t) => Math.abs(v - t) < 1e-6)).toBe(true);
  });

  it('row conductance = Σ over the row of 2·G_min + |q|·(G_max − G_min) (hand calculation)', () => {
    // 1 µS…40 µS (rram-neurram-v1), 2 bits → 1 level per sign: q ∈ {−1, 0, 1}·max
    const g = rowConductancesS(new Float32Array([1, -0.2, 0, -1]), 2, 2, 'rram-neurram-v1', 2);
    expect(g[0]).toBeCloseTo(41e-6 + 2e-6, 12); // w=1 → G⁺ = 40 µS + G⁻ = 1 µS; w=−0.2 rounds to 0 → 2·1 µS
    expect(g[1]).toBeCloseTo(2e-6 + 41e-6, 12); // w=0 → 2·1 µS; w=−1 → 1 µS + 40 µS
  });
});
