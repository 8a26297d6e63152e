import { Rng } from '@cosearch/core';
import { encode, isiEncode, rateEncode, spikeCounts, ttfsEncode } from './encoders';

const stepsOf = (spikes: Uint8Array, n: number, i: number) => Array.from(spikes).flatMap((s, k) => (s && k % n === i ? [Math.floor(k / n)] : []));

describe('ISI encoder', () => {
  it('puts spike k at step ceil(k/x) - 1 (hand-computed trains)', () => {
    const tr = isiEncode([0.5, 0.25, 1, 0, 0.4], 8);
    expect(stepsOf(tr.spikes, 5, 0)).toEqual([1, 3, 5, 7]);
    expect(stepsOf(tr.spikes, 5, 1)).toEqual([3, 7]);
    expect(stepsOf(tr.spikes, 5, 2)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(stepsOf(tr.spikes, 5, 3)).toEqual([]);
    // x = 0.4: ceil(2.5)-1 = 2, ceil(5)-1 = 4, ceil(7.5)-1 = 7
    expect(stepsOf(tr.spikes, 5, 4)).toEqual([2, 4, 7]);
  });
  it('has intervals 1/x on average', () => {
    const tr = isiEncode([0.3], 1000);
    const s = stepsOf(tr.spikes, 1, 0);
    expect(s.length).toBe(300);
    const gaps = s.slice(1).map((t, k) => t - s[k]);
    expect(new Set(gaps)).toEqual(new Set([3, 4]));
  });
});

describe('rate encoder', () => {
  it('is seeded: same rng seed, same train; another seed, another train', () => {
    const x = Array.from({ length: 50 }, (_, i) => i / 50);
    const a = rateEncode(x, 20, new Rng(3)).spikes;
    expect(rateEncode(x, 20, new Rng(3)).spikes).toEqual(a);
    expect(rateEncode(x, 20, new Rng(4)).spikes).not.toEqual(a);
  });
  it('fires x·T times on average (binomial: within 5 std)', () => {
    const T = 4000;
    const counts = spikeCounts(rateEncode([0.1, 0.5, 0.9, 0, 1], T, new Rng(1)));
    [0.1, 0.5, 0.9].forEach((p, i) => expect(Math.abs(counts[i] - p * T)).toBeLessThan(5 * Math.sqrt(T * p * (1 - p))));
    expect(counts[3]).toBe(0);
    expect(counts[4]).toBe(T);
  });
});

describe('TTFS encoder', () => {
  it('fires once at round((1 - x)(T - 1)) (hand-computed)', () => {
    const tr = ttfsEncode([1, 0.5, 0.75, 0, 0.01], 9);
    expect(stepsOf(tr.spikes, 5, 0)).toEqual([0]);
    expect(stepsOf(tr.spikes, 5, 1)).toEqual([4]);
    expect(stepsOf(tr.spikes, 5, 2)).toEqual([2]);
    expect(stepsOf(tr.spikes, 5, 3)).toEqual([]);
    expect(stepsOf(tr.spikes, 5, 4)).toEqual([8]); // round(0.99·8) = 8
  });
});

describe('encode', () => {
  it('rejects an unknown encoding and T <= 0 with one line naming the field', () => {
    expect(() => encode('poisson' as never, [0.5], 4, new Rng(0))).toThrow(/^invalid encoding: got "poisson", expected one of "isi", "rate", "ttfs"$/);
    expect(() => isiEncode([0.5], 0)).toThrow(/^invalid steps: got 0, expected an integer >= 1$/);
    expect(() => encode('rate', [0.5], -3, new Rng(0))).toThrow(/^invalid steps: got -3/);
  });
});
