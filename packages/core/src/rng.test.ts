import { Rng } from './rng';

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const xa = Array.from({ length: 100 }, () => a.next());
    const xb = Array.from({ length: 100 }, () => b.next());
    const xc = Array.from({ length: 100 }, () => c.next());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
    expect(xa.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('forks depend only on seed and label, not on the parent position', () => {
    const a = new Rng(7);
    const f1 = a.fork('worker-1').next();
    a.next(); a.next();
    expect(a.fork('worker-1').next()).toBe(f1);
    expect(a.fork('worker-2').next()).not.toBe(f1);
  });

  it('restores from its state exactly', () => {
    const a = new Rng(3);
    a.normal();
    const s = a.state();
    const want = [a.next(), a.normal(), a.int(10)];
    const b = Rng.fromState(JSON.parse(JSON.stringify(s)));
    expect([b.next(), b.normal(), b.int(10)]).toEqual(want);
  });

  it('draws uniform and normal values with the right moments', () => {
    const r = new Rng(11);
    const n = 20000;
    let su = 0, sn = 0, sn2 = 0;
    for (let i = 0; i < n; i++) { su += r.next(); const z = r.normal(2, 3); sn += z; sn2 += z * z; }
    expect(su / n).toBeCloseTo(0.5, 1);
    const mean = sn / n;
    expect(mean).toBeCloseTo(2, 1);
    expect(Math.sqrt(sn2 / n - mean * mean)).toBeCloseTo(3, 1);
  });
});
