import { layerMacs, networkTotals, validateLayers } from '@cosearch/core';
import { defaultSupernetConfig } from './config';
import { largestArch, smallestArch, type SubnetArch } from './arch';
import { subnetLayers, subnetParams } from './layers';
import { tinyConfig } from './test-config';

const arch: SubnetArch = { stages: [{ width: 8, blocks: [{ type: 'mbconv', kernel: 3, expansion: 2 }, { type: 'vit', heads: 2, mlpRatio: 1 }] }] };

describe('subnetLayers', () => {
  test('MACs match a hand count (tiny config, MBConv + ViT block)', () => {
    // Hand count, 8×8×1 input, stem 3×3 s2 → 4×4×4 (16 positions):
    // stem 16·4·9·1 = 576; transition 1×1 4→8: 16·8·4 = 512;
    // MBConv C=8 e=2 k=3: expand 16·8·16 = 2048, depthwise 16·16·9 = 2304, project 16·16·8 = 2048;
    // ViT N=16 C=8 heads=2 dh=4 (inner 8), mlp 1: qkv 16·8·24 = 3072, QKᵀ 2·16·4·16 = 2048,
    //   AV 2·16·16·4 = 2048, proj 16·8·8 = 1024, mlp 16·8·8 + 16·8·8 = 2048; head 8·3 = 24.
    const layers = subnetLayers(tinyConfig(), arch);
    expect(networkTotals(layers).macs).toBe(576 + 512 + 2048 + 2304 + 2048 + 3072 + 2048 + 2048 + 1024 + 2048 + 24);
    const qk = layers.find((l) => l.name === 's1.b2.qk')!;
    expect(qk).toMatchObject({ kind: 'matmul', batch: 2, m: 16, k: 4, n: 16 });
    expect(layers.find((l) => l.name === 's1.b2.softmax')).toMatchObject({ rows: 32, cols: 16 });
    expect(layerMacs(layers.find((l) => l.name === 's1.b1.dw')!)).toBe(2304);
    expect(() => validateLayers(JSON.parse(JSON.stringify(layers)))).not.toThrow();
  });

  test('squeeze-excite adds its two dense layers (hand count)', () => {
    const cfg = tinyConfig();
    cfg.stages[0].squeezeExcite = true;
    // MBConv hidden 16 → SE bottleneck 16/4 = 4: 16·4 + 4·16 = 128 MACs per image; params + 64 + 4 + 64 + 16.
    const base = networkTotals(subnetLayers(tinyConfig(), arch)).macs;
    expect(networkTotals(subnetLayers(cfg, arch)).macs).toBe(base + 128);
    expect(subnetParams(cfg, arch)).toBe(subnetParams(tinyConfig(), arch) + 148);
  });

  test('batch multiplies MACs, bits are recorded', () => {
    const one = networkTotals(subnetLayers(tinyConfig(), arch)).macs;
    const layers = subnetLayers(tinyConfig(), arch, { batch: 3, bits: 4 });
    expect(networkTotals(layers).macs).toBe(3 * one);
    expect(layers.every((l) => l.weightBits === 4 && l.inputBits === 4)).toBe(true);
  });

  test('parameter count matches a hand count', () => {
    // stem 36 + BN 8; transition 32 + BN 16; MBConv: expand 128 + BN 32 + dw 144 + BN 32 + project 128 + BN 16;
    // ViT: pos 16·8 = 128, LN 16, qkv 3·(64 + 8), proj 64 + 8, LN 16, mlp 64 + 8 + 64 + 8; head 24 + 3.
    const expected = 36 + 8 + 32 + 16 + (128 + 32 + 144 + 32 + 128 + 16) + (128 + 16 + 216 + 72 + 16 + 144) + 27;
    expect(subnetParams(tinyConfig(), arch)).toBe(expected);
  });

  test('default MNIST space: largest costs more than smallest, final feature map 7×7', () => {
    const cfg = defaultSupernetConfig();
    const big = networkTotals(subnetLayers(cfg, largestArch(cfg))).macs;
    const small = networkTotals(subnetLayers(cfg, smallestArch(cfg))).macs;
    expect(big).toBeGreaterThan(2 * small);
    const pool = subnetLayers(cfg, largestArch(cfg)).find((l) => l.kind === 'pool')!;
    expect(pool).toMatchObject({ inHeight: 7, inWidth: 7 });
  });
});
