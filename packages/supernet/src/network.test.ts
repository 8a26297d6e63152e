import { layerMacs, layerWeights, networkTotals, Rng } from '@cosearch/core';
import { initBackend, tf } from '@cosearch/backend';
import { defaultSupernetConfig, type SupernetConfig } from './config';
import { largestArch, sampleArch, smallestArch, type SubnetArch } from './arch';
import { forward, type Region } from './forward';
import { subnetLayers, subnetMacs, subnetParams } from './layers';
import { layerOfParam, paramsOfLayer, subnetOps } from './network';
import { paramSpecs } from './params';
import { Supernet } from './supernet';
import { tinyConfig } from './test-config';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const withSe = (c: SupernetConfig): SupernetConfig => ({ ...c, stages: c.stages.map((s) => ({ ...s, squeezeExcite: true })) });
const configs: [string, SupernetConfig][] = [
  ['tiny', tinyConfig()],
  ['tiny + squeeze-excite', withSe(tinyConfig())],
  ['default MNIST', defaultSupernetConfig()],
  ['default CIFAR', defaultSupernetConfig({ height: 32, width: 32, channels: 3 })],
];

function archs(cfg: SupernetConfig, n: number, seed: number): SubnetArch[] {
  const rng = new Rng(seed);
  return [largestArch(cfg), smallestArch(cfg), ...Array.from({ length: n }, () => sampleArch(cfg, rng, 0.5))];
}

describe('one network description (subnetOps)', () => {
  test.each(configs)('%s: layers, parameters, forward usage and MACs agree on random subnets', (_n, cfg) => {
    const net = Supernet.create(cfg, 1);
    const specs = new Map(paramSpecs(cfg).map((s) => [s.name, s]));
    const B = 2;
    const x = tf.randomNormal([B, cfg.inputHeight, cfg.inputWidth, cfg.inputChannels], 0, 1, 'float32', 3) as tf.Tensor4D;
    for (const arch of archs(cfg, 12, 7)) {
      const ops = subnetOps(cfg, arch, { batch: B });
      expect(subnetLayers(cfg, arch, { batch: B })).toEqual(ops.map((o) => o.layer));
      expect(new Set(ops.map((o) => o.layer.name)).size).toBe(ops.length);
      // The forward pass: which parameters (and slices) it reads, and the weight ops as the hook sees them.
      const usage = new Map<string, Region>();
      const seen: { layer: string; macs: number }[] = [];
      tf.tidy(() => forward(cfg, arch, x, net.source(), {
        bn: { kind: 'batch' }, usage,
        linearOverride: (op, xs, w) => {
          const [G, rows, fanIn] = xs.shape;
          expect(w.shape).toEqual([G, fanIn, w.shape[2]]);
          seen.push({ layer: op.layer, macs: G * rows * fanIn * w.shape[2] });
          return null;
        },
      }));
      // Every parameter the forward pass touches belongs to exactly one op, with the same slice, and to the stored specs.
      for (const [name, region] of usage) {
        const owners = ops.filter((o) => o.params.some((p) => p.name === name));
        expect(owners.length).toBe(1);
        expect(owners[0].params.find((p) => p.name === name)!.region).toEqual(region);
        expect(layerOfParam(cfg, name)).toBe(owners[0].layer.name);
        expect(specs.get(name)).toEqual(owners[0].params.find((p) => p.name === name)!.spec);
        region.size.forEach((s, i) => expect(region.begin[i] + s).toBeLessThanOrEqual(specs.get(name)!.shape[i]));
      }
      // ... and every described parameter is touched.
      expect(ops.flatMap((o) => o.params.map((p) => p.name)).sort()).toEqual([...usage.keys()].sort());
      for (const op of ops) {
        const weights = op.params.filter((p) => p.spec.role === 'weight');
        // The LayerSpec's weight count = the op's weight slices (q, k, v together for X.qkv).
        expect(weights.reduce((n, p) => n + p.region.size.reduce((a, b) => a * b, 1), 0)).toBe(layerWeights(op.layer));
        expect(weights.length > 0).toBe(op.weight !== undefined);
        expect(paramsOfLayer(cfg, arch, op.layer.name)).toEqual(op.params);
      }
      // The hook saw exactly the weight ops, in order, with the LayerSpecs' MACs.
      expect(seen.map((s) => s.layer)).toEqual(ops.filter((o) => o.weight).map((o) => o.layer.name));
      for (const s of seen) expect(s.macs).toBe(layerMacs(ops.find((o) => o.layer.name === s.layer)!.layer));
      expect(networkTotals(ops.map((o) => o.layer)).macs).toBe(B * subnetMacs(cfg, arch));
      expect(subnetParams(cfg, arch)).toBe(ops.reduce((n, o) => n + o.params.reduce((m, p) => m + p.region.size.reduce((a, b) => a * b, 1), 0), 0));
    }
    x.dispose();
    net.dispose();
  });

  test('layerOfParam: CIM weight lookup by hand', () => {
    const cfg = defaultSupernetConfig();
    expect(layerOfParam(cfg, 'stem.w')).toBe('stem.conv');
    expect(layerOfParam(cfg, 's1.trans.w')).toBe('s1.trans.conv');
    expect(layerOfParam(cfg, 's1.b2.expand.w')).toBe('s1.b2.expand');
    expect(layerOfParam(cfg, 's1.b1.dw.w')).toBe('s1.b1.dw');
    for (const q of ['q', 'k', 'v']) expect(layerOfParam(cfg, `s2.b1.${q}.w`)).toBe('s2.b1.qkv');
    expect(layerOfParam(cfg, 's3.b2.proj.w')).toBe('s3.b2.proj');
    expect(layerOfParam(cfg, 's3.b2.mlp2.b')).toBe('s3.b2.mlp2');
    expect(layerOfParam(cfg, 's2.b1.bn3.gamma')).toBe('s2.b1.bn3');
    expect(layerOfParam(cfg, 'head.fc.w')).toBe('head.fc');
    expect(layerOfParam(cfg, 's1.b1.q.w')).toBeUndefined(); // stage 1 is MBConv only
    // Every stored tensor has an op.
    for (const s of paramSpecs(cfg)) expect(layerOfParam(cfg, s.name)).toBeDefined();
  });

  test('paramsOfLayer: slices of a subnet (centre crop of the depthwise kernel, first heads)', () => {
    const cfg = defaultSupernetConfig();
    const arch: SubnetArch = { stages: [
      { width: 16, blocks: [{ type: 'mbconv', kernel: 3, expansion: 2 }] },
      { width: 24, blocks: [{ type: 'vit', heads: 1, mlpRatio: 1 }] },
      { width: 32, blocks: [{ type: 'mbconv', kernel: 5, expansion: 4 }] },
    ] };
    // Stored dw kernel 5×5×(24·4 = 96); kernel 3 of hidden 16·2 = 32 is the centre crop from (1, 1).
    expect(paramsOfLayer(cfg, arch, 's1.b1.dw').map((p) => [p.name, p.region])).toEqual([['s1.b1.dw.w', { begin: [1, 1, 0, 0], size: [3, 3, 32, 1] }]]);
    const qkv = paramsOfLayer(cfg, arch, 's2.b1.qkv');
    expect(qkv.map((p) => p.name)).toEqual(['s2.b1.q.w', 's2.b1.q.b', 's2.b1.k.w', 's2.b1.k.b', 's2.b1.v.w', 's2.b1.v.b']);
    expect(qkv[0].region).toEqual({ begin: [0, 0], size: [24, 16] });
    expect(qkv[0].spec.shape).toEqual([32, 32]); // stored: max width 32 × 2 heads · 16
    expect(paramsOfLayer(cfg, arch, 's2.b2.qkv')).toEqual([]); // depth 1
  });
});
