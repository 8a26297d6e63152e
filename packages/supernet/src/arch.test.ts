import { CandidateError, ConfigError, Rng } from '@cosearch/core';
import { defaultSupernetConfig, validateSupernetConfig } from './config';
import { archFromCandidate, archKey, candidateFromArch, largestArch, NETWORK_PHASE, sampleArch, smallestArch, supernetSpace, validateArch, vitCount } from './arch';
import { tinyConfig } from './test-config';

describe('search space', () => {
  test('decisions are in phase network and round-trip through candidates', () => {
    const cfg = defaultSupernetConfig();
    const space = supernetSpace(cfg);
    expect(space.phases()).toEqual([NETWORK_PHASE]);
    expect(space.has('s2.b1.type')).toBe(true);
    expect(space.has('s1.b1.type')).toBe(false); // stage 1 is MBConv-only by default
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const c = space.sample(rng);
      const arch = archFromCandidate(cfg, c);
      const back = archFromCandidate(cfg, candidateFromArch(cfg, arch));
      expect(archKey(back)).toBe(archKey(arch));
    }
  });

  test('candidate errors name the decision', () => {
    const cfg = tinyConfig();
    const c = candidateFromArch(cfg, largestArch(cfg));
    expect(() => archFromCandidate(cfg, { ...c, 's1.width': 5 })).toThrow(CandidateError);
    const { ['s1.depth']: _, ...missing } = c;
    expect(() => archFromCandidate(cfg, missing)).toThrow(/s1.depth/);
  });

  test('largest / smallest / sampled archs', () => {
    const cfg = tinyConfig();
    expect(largestArch(cfg).stages[0]).toEqual({ width: 8, blocks: [{ type: 'mbconv', kernel: 5, expansion: 2 }, { type: 'mbconv', kernel: 5, expansion: 2 }] });
    expect(smallestArch(cfg).stages[0]).toEqual({ width: 4, blocks: [{ type: 'mbconv', kernel: 3, expansion: 2 }] });
    const rng = new Rng(2);
    for (let i = 0; i < 20; i++) expect(vitCount(sampleArch(cfg, rng, 0))).toBe(0);
    let vit = 0;
    for (let i = 0; i < 200; i++) vit += vitCount(sampleArch(cfg, rng, 1));
    expect(vit).toBeGreaterThan(200); // every block is a ViT block, ≥ 1 per arch
  });

  test('config and arch validation', () => {
    expect(validateSupernetConfig({})).toEqual(defaultSupernetConfig());
    expect(() => validateSupernetConfig({ stemStride: 3 })).toThrow(ConfigError);
    expect(() => validateSupernetConfig({ stages: [{ ...tinyConfig().stages[0], kernels: [4] }] })).toThrow(/odd/);
    const cfg = tinyConfig();
    expect(validateArch(cfg, JSON.parse(JSON.stringify(largestArch(cfg))))).toEqual(largestArch(cfg));
    expect(() => validateArch(cfg, { stages: [{ width: 8, blocks: [{ type: 'vit', heads: 3, mlpRatio: 1 }] }] })).toThrow(/heads/);
  });
});
