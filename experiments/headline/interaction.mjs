#!/usr/bin/env node
/**
 * Is there a network × hardware interaction in the co-search space? (issue 17: "if joint does not
 * win, find out why"). Sequential search (network on a baseline hardware, then hardware for that
 * network) loses nothing when the best hardware is the same for every good network; joint search
 * can only win where it is not.
 *
 * prepare: picks K distinct good networks (highest reward, one per architecture) from finished run
 *   folders and writes one experiment per network: the network pinned (`search.fixed`), the same M
 *   hardware + system designs drawn by `random-v1` with one seed (the hardware decisions and their
 *   constraints do not depend on the network, so every network gets the same M designs — checked
 *   by `analyze`), evaluated with the suite's accuracy settings and reward.
 *     node experiments/headline/interaction.mjs prepare --suite experiments/headline/mnist-300.json \
 *       --runs runs/headline/mnist-300/joint/seed-*,... --k 8 --m 60 --out runs/interaction/mnist
 *   then run each: npx cosearch search runs/interaction/mnist/net-<i>.json --workers 2
 * analyze: the reward matrix R[network][hardware]; per network its best hardware; the regret of
 *   giving network j the hardware that was best for network i (what a sequential search that found
 *   network i's hardware but ends on network j pays); Spearman correlation of the hardware rankings
 *   between networks; and the same for the cost terms alone (latency, energy, area) and accuracy.
 *     node experiments/headline/interaction.mjs analyze runs/interaction/mnist [--json FILE] [--reward reward.json]
 *   --reward re-scores the logged metrics under another mnasnet-v1 reward (no new evaluations).
 */
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';

const args = process.argv.slice(2);
const cmd = args[0];
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));
const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
/** Deep merge like the suite's: objects merge, a policy's params and everything else replace. */
function merge(a, b) {
  if (!isObj(a) || !isObj(b)) return b === undefined ? a : b;
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k === 'params' ? v : merge(a[k], v);
  return out;
}
const isNetworkDecision = (name) => !name.startsWith('hw.') && !name.startsWith('sys.') && !name.startsWith('engine.');

/** core's mnasnet-v1: R = acc · Π (m/T)^w, w = alpha if m ≤ T else beta (soft: −0.07/−0.07, hard: 0/−1). */
function mnasnet(cfg) {
  const ts = cfg.targets.map((t) => {
    const d = (t.mode ?? 'soft') === 'soft' ? { alpha: -0.07, beta: -0.07 } : { alpha: 0, beta: -1 };
    return { metric: t.metric, target: t.target, alpha: t.alpha ?? d.alpha, beta: t.beta ?? d.beta };
  });
  return (m) => ts.reduce((r, t) => r * Math.pow(m[t.metric] / t.target, m[t.metric] <= t.target ? t.alpha : t.beta), m.accuracy);
}

if (cmd === 'prepare') {
  const suiteFile = opt('suite');
  const suite = readJson(suiteFile);
  const base = typeof suite.base === 'string' ? readJson(resolve(dirname(suiteFile), suite.base)) : suite.base;
  const variant = opt('variant', 'joint');
  const v = suite.variants.find((x) => x.name === variant);
  let cfg = merge(merge(base, suite.override ?? {}), v?.override ?? {});
  const k = Number(opt('k', 8));
  const m = Number(opt('m', 60));
  const out = opt('out');
  const runs = opt('runs').split(',');
  // good networks: every successful evaluation of the given runs, best reward first, one per architecture
  const rows = runs.flatMap((r) => readJson(join(r, 'evaluations.json'))).filter((r) => r.metrics && Number.isFinite(r.reward));
  rows.sort((a, b) => b.reward - a.reward);
  const nets = [];
  const seen = new Set();
  for (const r of rows) {
    const net = Object.fromEntries(Object.entries(r.candidate).filter(([d]) => isNetworkDecision(d)));
    // one per architecture: candidates that differ only in inactive decisions (the blocks beyond a
    // stage's depth, the ViT knobs of an MBConv block) are the same network, with the same MACs and clean accuracy
    const key = `${r.metrics.extra?.macs}|${r.metrics.extra?.cleanAccuracy ?? r.metrics.accuracy}`;
    if (seen.has(key)) continue;
    seen.add(key);
    nets.push({ net, reward: r.reward, accuracy: r.metrics.accuracy, cleanAccuracy: r.metrics.extra?.cleanAccuracy });
    if (nets.length === k) break;
  }
  mkdirSync(out, { recursive: true });
  nets.forEach((n, i) => {
    const c = merge(cfg, {
      name: `interaction-net-${i}`,
      seed: Number(opt('seed', 101)),
      output: join(out, `net-${i}`),
      policy: { name: 'random-v1', params: {} },
      search: { budget: m, batchSize: 10, checkpointEvery: m, fixed: n.net, stages: undefined },
      report: { top: 1 },
    });
    delete c.search.stages;
    delete c.search.baseline;
    writeFileSync(join(out, `net-${i}.json`), JSON.stringify(c, null, 1) + '\n');
  });
  writeFileSync(join(out, 'networks.json'), JSON.stringify(nets, null, 1) + '\n');
  console.log(`${nets.length} networks (rewards ${nets.map((n) => n.reward.toFixed(3)).join(', ')}) → ${out}/net-*.json`);
} else if (cmd === 'analyze') {
  const dir = args[1];
  const netDirs = readdirSync(dir).filter((d) => /^net-\d+$/.test(d) && existsSync(join(dir, d, 'evaluations.json'))).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const hwKey = (c) => JSON.stringify(Object.entries(c).filter(([d]) => !isNetworkDecision(d)).sort());
  const tables = netDirs.map((d) => readJson(join(dir, d, 'evaluations.json')));
  // the hardware designs every network was evaluated on (same seed → same draws; keep the common, successful ones)
  const keys = [...new Set(tables[0].map((r) => hwKey(r.candidate)))];
  const ok = (r) => r && r.metrics && Number.isFinite(r.reward) && r.reward > -1;
  const byKey = tables.map((t) => new Map(t.map((r) => [hwKey(r.candidate), r])));
  const common = keys.filter((k) => byKey.every((m) => ok(m.get(k))));
  const sameDraws = tables.every((t) => t.length === tables[0].length && t.every((r, i) => hwKey(r.candidate) === hwKey(tables[0][i].candidate)));
  const K = tables.length;
  const M = common.length;
  const val = (f) => byKey.map((m) => common.map((k) => f(m.get(k))));
  // --reward FILE: re-score the same evaluations under another mnasnet-v1 reward (targets with
  // mode soft/hard or alpha/beta), to see whether the reward's shape creates an interaction
  const rewardFile = opt('reward');
  const rescore = rewardFile ? mnasnet(readJson(rewardFile)) : null;
  const quantities = {
    reward: val((r) => (rescore ? rescore(r.metrics) : r.reward)),
    accuracy: val((r) => r.metrics.accuracy),
    latencyS: val((r) => -r.metrics.latencyS),
    energyJ: val((r) => -r.metrics.energyJ),
    areaMm2: val((r) => -r.metrics.areaMm2),
  };
  const ranks = (xs) => {
    const idx = xs.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]);
    const r = new Array(xs.length);
    for (let i = 0; i < idx.length; ) {
      let j = i;
      while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
      for (let t = i; t <= j; t++) r[idx[t][1]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const pearson = (a, b) => {
    const ma = a.reduce((s, x) => s + x, 0) / a.length;
    const mb = b.reduce((s, x) => s + x, 0) / b.length;
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < a.length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
    return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
  };
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const summary = { dir, networks: K, hardwareDesigns: M, drawnPerNetwork: tables[0].length, sameDraws, quantities: {} };
  for (const [q, R] of Object.entries(quantities)) {
    const best = R.map((row) => row.indexOf(Math.max(...row)));
    const rho = [];
    const regret = []; // R[j][best_j] - R[j][best_i], relative to R[j][best_j] for the reward
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) {
      if (i === j) continue;
      if (i < j) rho.push(pearson(ranks(R[i]), ranks(R[j])));
      regret.push(R[j][best[j]] - R[j][best[i]]);
    }
    summary.quantities[q] = {
      distinctBestHardware: new Set(best).size,
      bestHardwareIndex: best,
      spearmanMedian: median(rho), spearmanMin: Math.min(...rho),
      transferRegretMedian: median(regret), transferRegretMax: Math.max(...regret),
      bestMedian: median(R.map((row, j) => row[best[j]])),
    };
  }
  // where the reward interaction comes from: the per-network best hardware's scheme and tile
  summary.bestHardware = quantities.reward.map((row, j) => {
    const r = byKey[j].get(common[row.indexOf(Math.max(...row))]);
    const c = r.candidate;
    return { net: netDirs[j], reward: rescore ? rescore(r.metrics) : r.reward, accuracy: r.metrics.accuracy, cleanAccuracy: r.metrics.extra?.cleanAccuracy, cimLayers: r.metrics.extra?.cimLayers, latencyS: r.metrics.latencyS, energyJ: r.metrics.energyJ, areaMm2: r.metrics.areaMm2, scheme: c['sys.scheme'], adcBits: c['hw.adcBits'], cellBits: c['hw.cellBits'], xbarSize: c['hw.xbarSize'], pe: `${c['hw.peRows']}x${c['hw.peCols']}`, vf: `${c['sys.voltageV']} V ${c['sys.frequencyHz'] / 1e6} MHz` };
  });
  const js = opt('json');
  if (js) writeFileSync(js, JSON.stringify(summary, null, 1) + '\n');
  console.log(JSON.stringify(summary, null, 1));
} else {
  console.error('usage: interaction.mjs prepare --suite FILE --runs DIR,DIR --k K --m M --out DIR | analyze DIR [--json FILE]');
  process.exit(1);
}
