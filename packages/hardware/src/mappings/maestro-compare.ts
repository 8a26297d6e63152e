import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@cosearch/core';
import { analyseMapping } from './analyse';
import { layerDimSize } from './expr';
import { parseMaestroMapping, type ParsedLayer } from './parse';
import type { MappingCost, MappingHardware, MappingLayer } from './types';

/**
 * Compares the engine with MAESTRO on a folder of MAESTRO runs in the maestro-dev layout:
 *   results.csv  (hw, num_pes, noc_bw, noc_hop_latency, offchip_bw, set, dataflow, layer,
 *                 num_macs, runtime, average_number_of_utilized_pes, …)
 *   sweep.csv    (dataflow, num_pes, noc_bw, noc_hop_latency, offchip_bw, layer, num_macs, runtime, …)
 *   outputs/<hw>__<set>_<dataflow>/mapping.m, outputs/sweep/<dataflow>__nocbw<bw>_hop<h>_offchip<ob>/mapping.m
 *     (bandwidths ≥ 10^6 are written INF), and optionally stdout.txt whose first line is the
 *     MAESTRO command line (read for --num_simd_lanes); when a run folder has no mapping.m, the
 *     input file inputs/mappings/<prefix>_<dataflow>.m (sweep_<prefix>_<dataflow>.m for sweep
 *     rows) that declares the layer is used instead.
 * Each row's mapping is analysed as MAESTRO runs it: elements per cycle, multicast and spatial
 * reduction on, double buffering, MAESTRO's off-chip model ('step-tile'), no capacity limits.
 * What is missing is skipped with a note. Rows of strided layers under a mapping with a spatial
 * map on Y, X, Y′ or X′ are MAESTRO's documented artefacts 1–2 (its MAC count or utilisation is
 * off there) and are reported separately: the engine counts those layers exactly by design.
 */

export interface CompareRow {
  hw: string;
  dataflow: string;
  layer: string;
  artefact: boolean;
  exactMacs: number;
  maestroMacs: number;
  macs: number;
  maestroPes: number;
  pes: number;
  maestroRuntime: number;
  runtime: number;
  /** Unlimited NoC and off-chip bandwidth, hop latency 0. */
  computeBound: boolean;
}

export interface SweepPoint {
  dataflow: string;
  layer: string;
  nocBw: number;
  hop: number;
  offchipBw: number;
  maestroRuntime: number;
  runtime: number;
}

export interface SweepFamily {
  axis: 'noc-bandwidth' | 'hop-latency' | 'offchip-bandwidth';
  points: number;
  within20: number;
  pairs: number;
  directionRight: number;
}

export interface MaestroComparison {
  rows: CompareRow[];
  sweep: SweepPoint[];
  families: SweepFamily[];
  /** Kendall τ-b of the templates' runtime ranking per (hw, layer) with ≥ 3 templates. */
  taus: { hw: string; layer: string; n: number; tau: number; artefactRows: number }[];
  notes: string[];
  summary: { label: string; value: string; target: string; met: boolean | null }[];
  text: string;
}

type Row = Record<string, string>;

function readCsv(file: string): Row[] {
  // Lines starting with '#' are comments (provenance notes in hand-typed fixtures).
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() && !l.trimStart().startsWith('#'));
  if (!lines.length) return [];
  const head = lines[0].split(',').map((h) => h.trim());
  return lines.slice(1).map((l) => {
    const v = l.split(',');
    const r: Row = {};
    head.forEach((h, i) => { r[h] = (v[i] ?? '').trim(); });
    return r;
  });
}

const INF = 1e6;
const bwName = (x: number): string => (x >= INF ? 'INF' : String(x));

function num(r: Row, k: string, file: string, line: number): number {
  const v = Number(r[k]);
  if (r[k] === undefined || r[k] === '' || !Number.isFinite(v)) throw new DataError(file, `row ${line}: column ${k} is ${JSON.stringify(r[k] ?? '(missing)')}, expected a number`);
  return v;
}

/** MAC count from the layer's dimensions alone (K·C·R·S·Y′·X′, C·R·S·Y′·X′, M·N·K). */
export function exactMacs(layer: MappingLayer): number {
  const d = (k: 'N' | 'K' | 'C' | 'R' | 'S' | 'M'): number => layer.dims[k] ?? 1;
  if (layer.kind === 'gemm') return d('M') * d('N') * d('K');
  const yo = layerDimSize(layer, 'Yo')!;
  const xo = layerDimSize(layer, 'Xo')!;
  return d('N') * (layer.kind === 'depthwise' ? 1 : d('K')) * d('C') * d('R') * d('S') * yo * xo;
}

function hardware(pes: number, bw: number, hop: number, ob: number, simd: number): MappingHardware {
  return {
    numPes: pes, nocBandwidthElemsPerCycle: bw, nocHopLatencyCycles: hop, multicast: true, spatialReduction: true,
    offchipBandwidthElemsPerCycle: ob, l1SizeElems: Infinity, l2SizeElems: Infinity, doubleBuffering: true,
    simdLanes: simd, offchipModel: 'step-tile',
  };
}

/** Kendall τ-b between two equally long lists. */
export function kendallTauB(a: number[], b: number[]): number {
  let conc = 0;
  let disc = 0;
  let tieA = 0;
  let tieB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const x = Math.sign(a[i] - a[j]);
      const y = Math.sign(b[i] - b[j]);
      if (x === 0 && y === 0) continue;
      if (x === 0) tieA++;
      else if (y === 0) tieB++;
      else if (x === y) conc++;
      else disc++;
    }
  }
  const den = Math.sqrt((conc + disc + tieA) * (conc + disc + tieB));
  return den === 0 ? 1 : (conc - disc) / den;
}

const median = (xs: number[]): number => {
  if (!xs.length) return NaN;
  const s = xs.slice().sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function isArtefact(p: ParsedLayer): boolean {
  const strided = p.layer.strideX > 1 || p.layer.strideY > 1;
  return strided && p.mapping.directives.some((d) => d.kind === 'spatial' && ['Y', 'X', 'Yo', 'Xo'].includes(d.dim));
}

export function compareWithMaestro(dir: string): MaestroComparison {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataError(dir, 'not a readable folder of MAESTRO outputs');
  const notes: string[] = [];
  const cache = new Map<string, ParsedLayer[] | null>();
  // A run's outputs/<run>/mapping.m, else the generated input inputs/mappings/<prefix>_<dataflow>.m
  // that holds the layer (the maestro-dev layout keeps both).
  const fallback = (dataflow: string, layer: string, sweep: boolean): string | null => {
    const inputs = join(dir, 'inputs', 'mappings');
    if (!existsSync(inputs)) return null;
    for (const f of readdirSync(inputs).sort()) {
      if (!f.endsWith(`_${dataflow}.m`) || f.startsWith('sweep_') !== sweep) continue;
      const text = readFileSync(join(inputs, f), 'utf8');
      if (new RegExp(`Layer\\s+${layer.replace(/[^A-Za-z0-9_]/g, '.')}\\s*\\{`).test(text)) return join(inputs, f);
    }
    return null;
  };
  const load = (folder: string, dataflow: string, layer: string, sweep: boolean): { parsed: ParsedLayer[]; simd: number } | null => {
    let file = join(folder, 'mapping.m');
    if (!existsSync(file)) {
      const alt = fallback(dataflow, layer, sweep);
      if (alt) file = alt;
    }
    if (!cache.has(file)) {
      if (!existsSync(file)) {
        notes.push(`skipped ${file}: missing`);
        cache.set(file, null);
      } else {
        try {
          cache.set(file, parseMaestroMapping(readFileSync(file, 'utf8'), file));
        } catch (e) {
          notes.push(`skipped ${file}: ${(e as Error).message}`);
          cache.set(file, null);
        }
      }
    }
    const parsed = cache.get(file);
    if (!parsed) return null;
    let simd = 1;
    const out = join(folder, 'stdout.txt');
    if (existsSync(out)) {
      const m = /--num_simd_lanes=(\d+)/.exec(readFileSync(out, 'utf8').split('\n')[0] ?? '');
      if (m) simd = Number(m[1]);
    }
    return { parsed, simd };
  };
  const analyse = (p: ParsedLayer, hw: MappingHardware): MappingCost => analyseMapping(p.layer, p.mapping, hw);

  const rows: CompareRow[] = [];
  const resultsFile = join(dir, 'results.csv');
  if (!existsSync(resultsFile)) notes.push(`no ${resultsFile}: per-row checks skipped`);
  else {
    readCsv(resultsFile).forEach((r, i) => {
      const line = i + 2;
      if (r.exit_status && r.exit_status !== '0') return void notes.push(`skipped ${resultsFile} row ${line}: MAESTRO exit status ${r.exit_status}`);
      const got = load(join(dir, 'outputs', `${r.hw}__${r.set}_${r.dataflow}`), r.dataflow, r.layer, false);
      if (!got) return;
      const p = got.parsed.find((x) => x.layer.name === r.layer);
      if (!p) return void notes.push(`skipped ${resultsFile} row ${line}: layer ${r.layer} not in its mapping.m`);
      const bw = num(r, 'noc_bw', resultsFile, line);
      const hop = num(r, 'noc_hop_latency', resultsFile, line);
      const ob = num(r, 'offchip_bw', resultsFile, line);
      const c = analyse(p, hardware(num(r, 'num_pes', resultsFile, line), bw, hop, ob, got.simd));
      rows.push({
        hw: r.hw, dataflow: r.dataflow, layer: r.layer, artefact: isArtefact(p),
        exactMacs: exactMacs(p.layer), maestroMacs: num(r, 'num_macs', resultsFile, line), macs: c.macs,
        maestroPes: num(r, 'average_number_of_utilized_pes', resultsFile, line), pes: c.activePes,
        maestroRuntime: num(r, 'runtime', resultsFile, line), runtime: c.runtimeCycles,
        computeBound: bw >= INF && hop === 0 && ob >= INF,
      });
    });
  }

  const sweep: SweepPoint[] = [];
  const sweepFile = join(dir, 'sweep.csv');
  if (!existsSync(sweepFile)) notes.push(`no ${sweepFile}: sweep checks skipped`);
  else {
    readCsv(sweepFile).forEach((r, i) => {
      const line = i + 2;
      if (r.exit_status && r.exit_status !== '0') return void notes.push(`skipped ${sweepFile} row ${line}: MAESTRO exit status ${r.exit_status}`);
      const bw = num(r, 'noc_bw', sweepFile, line);
      const hop = num(r, 'noc_hop_latency', sweepFile, line);
      const ob = num(r, 'offchip_bw', sweepFile, line);
      const got = load(join(dir, 'outputs', 'sweep', `${r.dataflow}__nocbw${bwName(bw)}_hop${hop}_offchip${bwName(ob)}`), r.dataflow, r.layer, true);
      if (!got) return;
      const p = got.parsed.find((x) => x.layer.name === r.layer);
      if (!p) return void notes.push(`skipped ${sweepFile} row ${line}: layer ${r.layer} not in its mapping.m`);
      const c = analyse(p, hardware(num(r, 'num_pes', sweepFile, line), bw, hop, ob, got.simd));
      sweep.push({ dataflow: r.dataflow, layer: r.layer, nocBw: bw, hop, offchipBw: ob, maestroRuntime: num(r, 'runtime', sweepFile, line), runtime: c.runtimeCycles });
    });
  }

  const families = sweepFamilies(sweep);
  const taus = rankTaus(rows);
  const summary = summarise(rows, families, taus);
  const text = formatTable(rows, sweep, families, taus, summary, notes);
  return { rows, sweep, families, taus, notes, summary, text };
}

const within = (a: number, b: number, tol: number): boolean => Math.abs(a / b - 1) <= tol;

/** Direction of a change, 0 when under 1 %. */
const dirOf = (from: number, to: number): number => (Math.abs(to / from - 1) < 0.01 ? 0 : Math.sign(to - from));

function sweepFamilies(sweep: SweepPoint[]): SweepFamily[] {
  const fam = (axis: SweepFamily['axis'], member: (p: SweepPoint) => boolean, key: (p: SweepPoint) => string, knob: (p: SweepPoint) => number): SweepFamily => {
    const pts = sweep.filter(member);
    const groups = new Map<string, SweepPoint[]>();
    for (const p of pts) {
      const k = key(p);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(p);
    }
    let pairs = 0;
    let right = 0;
    for (const g of groups.values()) {
      g.sort((a, b) => knob(a) - knob(b));
      for (let i = 1; i < g.length; i++) {
        pairs++;
        if (dirOf(g[i - 1].maestroRuntime, g[i].maestroRuntime) === dirOf(g[i - 1].runtime, g[i].runtime)) right++;
      }
    }
    return { axis, points: pts.length, within20: pts.filter((p) => within(p.runtime, p.maestroRuntime, 0.2)).length, pairs, directionRight: right };
  };
  return [
    fam('noc-bandwidth', (p) => p.offchipBw >= INF, (p) => `${p.dataflow}|${p.layer}|${p.hop}`, (p) => p.nocBw),
    fam('hop-latency', (p) => p.offchipBw >= INF, (p) => `${p.dataflow}|${p.layer}|${p.nocBw}`, (p) => p.hop),
    fam('offchip-bandwidth', (p) => p.nocBw >= INF && p.hop === 0, (p) => `${p.dataflow}|${p.layer}`, (p) => p.offchipBw),
  ];
}

function rankTaus(rows: CompareRow[]): MaestroComparison['taus'] {
  const groups = new Map<string, CompareRow[]>();
  for (const r of rows) {
    const k = `${r.hw}|${r.layer}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  const out: MaestroComparison['taus'] = [];
  for (const g of groups.values()) {
    if (g.length < 3) continue;
    out.push({ hw: g[0].hw, layer: g[0].layer, n: g.length, tau: kendallTauB(g.map((r) => r.maestroRuntime), g.map((r) => r.runtime)), artefactRows: g.filter((r) => r.artefact).length });
  }
  return out;
}

const pct = (a: number, b: number): string => (b ? `${a}/${b} (${((100 * a) / b).toFixed(0)} %)` : '—');

function summarise(rows: CompareRow[], families: SweepFamily[], taus: MaestroComparison['taus']): MaestroComparison['summary'] {
  const clean = rows.filter((r) => !r.artefact);
  const art = rows.filter((r) => r.artefact);
  const macsOk = clean.filter((r) => r.macs === r.maestroMacs && r.macs === r.exactMacs).length;
  const peOk = clean.filter((r) => Math.abs(r.pes - r.maestroPes) <= 1e-5 * Math.max(1, r.maestroPes)).length;
  const cb = clean.filter((r) => r.computeBound);
  const cbOk = cb.filter((r) => within(r.runtime, r.maestroRuntime, 0.05)).length;
  const other = clean.filter((r) => !r.computeBound);
  const s: MaestroComparison['summary'] = [
    { label: 'MACs exact (non-artefact rows)', value: pct(macsOk, clean.length), target: 'all', met: clean.length ? macsOk === clean.length : null },
    { label: 'active PEs exact (non-artefact rows)', value: pct(peOk, clean.length), target: 'all', met: clean.length ? peOk === clean.length : null },
    { label: 'compute-bound cycles within ±5 %', value: pct(cbOk, cb.length), target: 'all', met: cb.length ? cbOk === cb.length : null },
    { label: 'bandwidth-limited rows within ±20 % (information)', value: pct(other.filter((r) => within(r.runtime, r.maestroRuntime, 0.2)).length, other.length), target: '—', met: null },
  ];
  for (const f of families) {
    const ok = f.points > 0 && f.within20 >= 0.9 * f.points && f.directionRight >= 0.9 * f.pairs;
    s.push({ label: `${f.axis} sweep: within ±20 % / direction right`, value: `${pct(f.within20, f.points)} / ${pct(f.directionRight, f.pairs)}`, target: '≥ 90 % each', met: f.points ? ok : null });
  }
  const med = median(taus.map((t) => t.tau));
  const medClean = median(taus.filter((t) => !t.artefactRows).map((t) => t.tau));
  s.push({ label: 'Kendall τ of template ranking per (hw, layer), median', value: taus.length ? `${med.toFixed(3)} over ${taus.length} (min ${Math.min(...taus.map((t) => t.tau)).toFixed(3)})` : '—', target: '≥ 0.8', met: taus.length ? med >= 0.8 : null });
  s.push({ label: '  … on layers without artefact rows', value: Number.isNaN(medClean) ? '—' : `${medClean.toFixed(3)} over ${taus.filter((t) => !t.artefactRows).length}`, target: '(information)', met: null });
  const artMacs = art.filter((r) => r.macs === r.exactMacs).length;
  const artMaestro = art.filter((r) => r.maestroMacs === r.exactMacs).length;
  s.push({ label: 'artefact rows (strided layer, spatial Y/X/Y′/X′): ours exact / MAESTRO exact MACs', value: `${artMacs}/${art.length} / ${artMaestro}/${art.length}`, target: 'reported separately', met: null });
  const artCb = art.filter((r) => r.computeBound);
  s.push({ label: '  … their compute-bound cycles within ±5 % of MAESTRO', value: pct(artCb.filter((r) => within(r.runtime, r.maestroRuntime, 0.05)).length, artCb.length), target: '(differ by design)', met: null });
  return s;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function formatTable(rows: CompareRow[], sweep: SweepPoint[], families: SweepFamily[], taus: MaestroComparison['taus'],
  summary: MaestroComparison['summary'], notes: string[]): string {
  const out: string[] = [];
  if (rows.length) {
    out.push('per row: hw, dataflow, layer | MACs ok | active PEs ours / MAESTRO | runtime ours / MAESTRO (ratio) | flags');
    for (const r of rows) {
      const flags = [r.artefact ? 'artefact' : '', r.computeBound ? 'compute-bound' : ''].filter(Boolean).join(',');
      out.push(`${pad(r.hw, 11)} ${pad(r.dataflow, 8)} ${pad(r.layer, 31)} ${r.macs === r.exactMacs ? 'ok ' : 'BAD'}${r.maestroMacs === r.exactMacs ? '' : '(M)'} `
        + `${pad(r.pes.toFixed(2), 7)}/ ${pad(String(r.maestroPes), 8)} ${pad(String(r.runtime), 10)}/ ${pad(String(r.maestroRuntime), 10)} (${(r.runtime / r.maestroRuntime).toFixed(3)}) ${flags}`);
    }
    out.push('');
  }
  if (sweep.length) {
    out.push('sweep: dataflow, layer, noc bw, hop, off-chip bw | runtime ours / MAESTRO (ratio)');
    for (const p of sweep) {
      out.push(`${pad(p.dataflow, 8)} ${pad(p.layer, 22)} bw ${pad(bwName(p.nocBw), 4)} hop ${p.hop} ob ${pad(bwName(p.offchipBw), 4)} ${pad(String(p.runtime), 10)}/ ${pad(String(p.maestroRuntime), 10)} (${(p.runtime / p.maestroRuntime).toFixed(3)})`);
    }
    out.push('');
  }
  if (taus.length) {
    out.push(`Kendall τ per (hw, layer): ${taus.map((t) => `${t.hw}/${t.layer} ${t.tau.toFixed(2)}${t.artefactRows ? '*' : ''}`).join('; ')}  (* = has artefact rows)`);
    out.push('');
  }
  void families;
  out.push('| check | measured | target | met |');
  out.push('|---|---|---|---|');
  for (const s of summary) out.push(`| ${s.label} | ${s.value} | ${s.target} | ${s.met === null ? '—' : s.met ? 'yes' : 'NO'} |`);
  for (const n of notes) out.push(`note: ${n}`);
  return out.join('\n');
}
