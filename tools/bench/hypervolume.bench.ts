/**
 * Exact hypervolume (@cosearch/core, HSO slicing with a 2-D sweep base case) on random fronts
 * near the unit simplex, against a 100,000-sample Monte-Carlo estimate of the same volume
 * measured in the same run (the peer: what one would do without an exact method).
 *
 *   npm run bench -- hypervolume   (or: node --conditions=@cosearch/source --import tsx tools/bench/hypervolume.bench.ts)
 */
import { hypervolume, nonDominatedIndices, Rng, type Objective } from '@cosearch/core';

const cases: [number, number][] = [[2, 1000], [3, 100], [3, 300], [4, 50], [4, 100], [4, 200]];
console.log('d    n  front   exact HV    ms  | MC estimate (1e5)    ms   ratio MC/exact time');
for (const [d, n] of cases) {
  const rng = new Rng(d * 1000 + n);
  const pts = Array.from({ length: n }, () => {
    const r = Array.from({ length: d }, () => -Math.log(1 - rng.next()));
    const s = r.reduce((a, b) => a + b, 0);
    return r.map((x) => x / s);
  });
  const objs: Objective[] = Array.from({ length: d }, (_, i) => ({ metric: `f${i}`, direction: 'min' }));
  const ref = new Array(d).fill(1.1);
  let t = process.hrtime.bigint();
  const exact = hypervolume(pts, ref, objs);
  const exactMs = Number(process.hrtime.bigint() - t) / 1e6;
  const front = nonDominatedIndices(pts).map((i) => pts[i]);
  t = process.hrtime.bigint();
  let inside = 0;
  const z = new Array<number>(d);
  for (let k = 0; k < 100_000; k++) {
    for (let i = 0; i < d; i++) z[i] = 1.1 * rng.next();
    if (front.some((p) => p.every((x, i) => x <= z[i]))) inside++;
  }
  const mc = (inside / 100_000) * 1.1 ** d;
  const mcMs = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(
    `${d} ${String(n).padStart(4)} ${String(front.length).padStart(6)} ${exact.toFixed(6).padStart(10)} ${exactMs.toFixed(1).padStart(6)}  | ${mc.toFixed(6).padStart(10)} ${mcMs.toFixed(1).padStart(12)} ${(mcMs / exactMs).toFixed(1).padStart(8)}`,
  );
}
