import { Rng } from '@cosearch/core';
import type { DatasetSplits } from '@cosearch/datasets';
import { archKey, largestArch, sampleArch, smallestArch, vitCount, type SubnetArch } from './arch';
import { evaluateSubnet } from './evaluate';
import type { Supernet } from './supernet';

export interface SubnetScore { arch: SubnetArch; key: string; vitBlocks: number; valAccuracy: number; testAccuracy: number; macs: number; params: number }

export interface SubnetReport {
  largest: SubnetScore;
  smallest: SubnetScore;
  random: SubnetScore[];
  randomMeanVal: number;
  randomWorstVal: number;
  randomMeanTest: number;
  randomWorstTest: number;
}

/** `count` distinct random subnets with at least one ViT block (hybrid), drawn with P(ViT) = 0.5 per slot. */
export function randomHybridArchs(net: Supernet, count: number, seed: number): SubnetArch[] {
  const rng = new Rng(seed).fork('random-hybrid');
  const out = new Map<string, SubnetArch>();
  for (let tries = 0; out.size < count && tries < count * 200; tries++) {
    const a = sampleArch(net.config, rng, 0.5);
    if (vitCount(a) > 0) out.set(archKey(a), a);
  }
  return [...out.values()];
}

/**
 * Inherited accuracy (BN re-calibrated on training images) of the largest, the smallest and
 * `random` random hybrid subnets on the validation and test splits.
 */
export async function subnetReport(net: Supernet, data: DatasetSplits, opts: { random?: number; seed?: number } = {}): Promise<SubnetReport> {
  const score = async (arch: SubnetArch): Promise<SubnetScore> => {
    const v = await evaluateSubnet(net, arch, data.val, { calibration: data.train });
    const t = await evaluateSubnet(net, arch, data.test, { calibration: data.train });
    return { arch, key: archKey(arch), vitBlocks: vitCount(arch), valAccuracy: v.accuracy, testAccuracy: t.accuracy, macs: v.macs, params: v.params };
  };
  const random: SubnetScore[] = [];
  for (const a of randomHybridArchs(net, opts.random ?? 20, opts.seed ?? 0)) random.push(await score(a));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  return {
    largest: await score(largestArch(net.config)),
    smallest: await score(smallestArch(net.config)),
    random,
    randomMeanVal: mean(random.map((r) => r.valAccuracy)),
    randomWorstVal: Math.min(...random.map((r) => r.valAccuracy)),
    randomMeanTest: mean(random.map((r) => r.testAccuracy)),
    randomWorstTest: Math.min(...random.map((r) => r.testAccuracy)),
  };
}
