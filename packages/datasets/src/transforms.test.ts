// simple-statistics ships ESM-only types ("type": "module"): import its types with an explicit
// resolution mode and load the CommonJS build with require (TS1479 otherwise).
import type * as SimpleStatistics from 'simple-statistics' with { 'resolution-mode': 'import' };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ss: typeof SimpleStatistics = require('simple-statistics');
import { ConfigError } from '@cosearch/core';
import { channelStats, loadDataset, normalise, oneHot, subset, take } from './index';
import type { ImageSet } from './index';

function rgb(n: number): ImageSet {
  // 2×2×3 images; channel c of sample i pixel p = c + 0.1·i + 0.01·p.
  const images = new Float32Array(n * 12);
  for (let i = 0; i < n; i++) for (let p = 0; p < 4; p++) for (let c = 0; c < 3; c++) images[i * 12 + p * 3 + c] = c + 0.1 * i + 0.01 * p;
  return { images, labels: Int32Array.from({ length: n }, (_, i) => i % 2), n, height: 2, width: 2, channels: 3, numClasses: 2 };
}

describe('normalise / channelStats', () => {
  it('per-channel mean and population std agree with simple-statistics', () => {
    const set = rgb(9);
    const st = channelStats(set);
    for (let c = 0; c < 3; c++) {
      const vals = Array.from(set.images).filter((_, i) => i % 3 === c);
      expect(st.mean[c]).toBeCloseTo(ss.mean(vals), 6);
      expect(st.std[c]).toBeCloseTo(ss.standardDeviation(vals), 6);
    }
  });

  it('gives zero mean, unit std per channel, and applies given train stats to another set', () => {
    const set = rgb(9);
    const z = normalise(set);
    const st = channelStats(z);
    st.mean.forEach((m) => expect(m).toBeCloseTo(0, 5));
    st.std.forEach((s) => expect(s).toBeCloseTo(1, 5));
    const train = channelStats(set);
    const other = normalise(rgb(3), train.mean, train.std);
    // Hand value: sample 0 pixel 0 channel 1 is 1.0; train mean of channel 1 = 1 + 0.4 + 0.015.
    expect(other.images[1]).toBeCloseTo((1 - 1.415) / train.std[1], 5);
    expect(set.images[1]).toBeCloseTo(1, 6); // input untouched
  });

  it('on real MNIST: normalised train has mean 0 and std 1', () => {
    const d = loadDataset({ name: 'mnist', limit: 300 });
    const st = channelStats(normalise(d.train));
    expect(st.mean[0]).toBeCloseTo(0, 4);
    expect(st.std[0]).toBeCloseTo(1, 4);
  });

  it('centres a constant channel instead of dividing by zero, and checks lengths', () => {
    const s: ImageSet = { images: new Float32Array([0.5, 0.5]), labels: new Int32Array([0, 1]), n: 2, height: 1, width: 1, channels: 1, numClasses: 2 };
    expect(Array.from(normalise(s).images)).toEqual([0, 0]);
    expect(() => normalise(rgb(2), [0], [1])).toThrow(/normalise\.mean.*3 per-channel values/);
    expect(() => normalise(rgb(2), [0, 0, 0], [1, -1, 1])).toThrow(ConfigError);
    expect(() => normalise(rgb(2), [0, 0, 0])).toThrow(/normalise\.std: got undefined, expected given together/);
  });
});

describe('oneHot / take / subset', () => {
  it('oneHot puts a single 1 per row at the label', () => {
    expect(Array.from(oneHot(new Int32Array([2, 0]), 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => oneHot(new Int32Array([3]), 3)).toThrow(/oneHot\.labels\[0\]: got 3, expected an integer from 0 to 2/);
  });

  it('take returns the first n samples and refuses more than the set has', () => {
    const t = take(rgb(5), 2);
    expect(t.n).toBe(2);
    expect(t.images.length).toBe(24);
    expect(t.images[12]).toBeCloseTo(0.1, 6);
    expect(() => take(rgb(5), 6)).toThrow(/take\.n: got 6, expected an integer from 0 to 5/);
  });

  it('subset copies the given samples in order', () => {
    const s = subset(rgb(5), [4, 0, 4]);
    expect(Array.from(s.labels)).toEqual([0, 0, 0]);
    expect(s.images[0]).toBeCloseTo(0.4, 6);
    expect(s.images[12]).toBeCloseTo(0, 6);
    expect(() => subset(rgb(5), [5])).toThrow(/subset\.indices\[0\]/);
  });
});
