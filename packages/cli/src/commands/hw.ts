import { readFileSync, existsSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { ConfigError, DataError, stripModelField } from '@cosearch/core';
import {
  compareSchemes, evaluate, getHardwarePreset, loadHardwareConfig, networkFromJson, validateHardwareConfig, type HardwareConfig, type HardwareResult, type MapperObjective, type Scheme,
} from '@cosearch/hardware';
import { runRegisteredModel } from './hw-model';

interface Args {
  network: string;
  hardware: string;
  scheme?: string;
  mapping?: string;
  objective?: string;
  pipeline?: boolean;
  compare: boolean;
  json: boolean;
}

function readJson(file: string): unknown {
  if (!existsSync(file)) throw new DataError(file, 'no such file');
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(file, `not valid JSON (${(e as Error).message})`);
  }
}

/** A hardware file (may start `"extends": "<preset>"`), or the name of a preset (`cosearch list hardware-presets`). */
function loadHardware(arg: string): HardwareConfig {
  return existsSync(arg) || arg.endsWith('.json') ? loadHardwareConfig(stripModelField(readJson(arg), 'analytical-v1')) : getHardwarePreset(arg);
}

const si = (v: number, unit: string): string => {
  if (v === 0) return `0 ${unit}`;
  const prefixes: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p']];
  const [f, p] = prefixes.find(([f]) => Math.abs(v) >= f) ?? prefixes[prefixes.length - 1];
  return `${(v / f).toPrecision(3)} ${p}${unit}`;
};

function table(rows: string[][]): string {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ')).join('\n');
}

function printResult(r: HardwareResult, hw: HardwareConfig): void {
  const rows = [['layer', 'kind', 'engine', 'MACs', 'cycles', 'latency', 'energy', 'util', 'PEs/xbars', 'DRAM rd+wr', 'bound', 'mapping', 'step bound']];
  for (const x of r.perLayer) {
    const a = x.access;
    rows.push([
      x.name, x.kind, x.engine, x.macs ? si(x.macs, '') : '-', si(x.cycles, ''), si(x.latencyS, 's'), si(x.energyJ, 'J'),
      x.utilisation.toFixed(2), x.engine === 'cim' ? `${x.crossbars}` : x.activeUnits.toFixed(1),
      si(a.dramWeightReads + a.dramInputReads + a.dramOutputWrites + (a.dramOutputReads ?? 0), 'w'), x.bound,
      x.mapping ? x.mapping.name : '-', x.mapping ? x.mapping.stepBound : '-',
    ]);
  }
  process.stdout.write(`${table(rows)}\n\n`);
  // The directives of each distinct NPU mapping, once (the table shows only its name).
  const shown = new Set<string>();
  for (const x of r.perLayer) {
    if (!x.mapping) continue;
    const line = `${x.mapping.name}: ${x.mapping.directives}`;
    if (shown.has(line)) continue;
    shown.add(line);
    process.stdout.write(`mapping of ${x.name}${x.mapping.chosenBy === 'mapper' ? ' (mapper)' : ''}: ${line}\n`);
  }
  if (shown.size) process.stdout.write('\n');
  const parts = Object.entries(r.breakdown).filter(([k, v]) => !k.startsWith('engine:') && v.energyJ > 0)
    .sort((a, b) => b[1].energyJ - a[1].energyJ).map(([k, v]) => `${k} ${((100 * v.energyJ) / r.energyJ).toFixed(1)}%`);
  process.stdout.write(
    `${hw.name} (${hw.mapping.scheme}${hw.mapping.pipeline ? ', pipelined' : ''}): ${si(r.macs, 'MAC')}, latency ${si(r.latencyS, 's')}, ` +
      `interval ${si(r.intervalS, 's')}, energy ${si(r.energyJ, 'J')}, power ${si(r.powerW, 'W')}, area ${r.areaMm2.toFixed(2)} mm²\n` +
      `energy: ${parts.join(', ')}\n` +
      (hw.cim ? `cim: ${r.cim.crossbarsNeeded} crossbars needed of ${hw.cim.tiles}, weights ${r.cim.weightsResident ? `resident (replication ×${r.cim.replication})` : 'reprogrammed each inference'}\n` : ''),
  );
}

export const hwCommand: CommandModule<object, Args> = {
  command: 'hw',
  describe: 'latency, energy, area of a network on a hardware config (per-layer table + totals)',
  builder: (y) =>
    y
      .option('network', { type: 'string', demandOption: true, describe: 'network JSON file (experiments/networks/*.json), or a tfjs LayersModel model.json / Keras model JSON' })
      .option('hardware', { type: 'string', demandOption: true, describe: 'hardware JSON file or preset name (cosearch list hardware-presets)' })
      .option('scheme', { choices: ['npu-only', 'cim-only', 'cim-static', 'per-layer', 'greedy-edp'], describe: 'override mapping.scheme' })
      .option('mapping', { type: 'string', describe: 'override npu.mapping: a template (cosearch list mappings), auto, or directive text' })
      .option('objective', { choices: ['latency', 'energy', 'edp'], describe: 'override npu.mapperObjective (for --mapping auto)' })
      .option('pipeline', { type: 'boolean', describe: 'override mapping.pipeline' })
      .option('compare', { type: 'boolean', default: false, describe: 'NPU-only vs CIM-only vs heterogeneous table' })
      .option('json', { type: 'boolean', default: false, describe: 'print the full result as JSON' }) as never,
  handler: (a) => {
    const net = networkFromJson(readJson(a.network)); // LayerSpec JSON, or a tfjs LayersModel / Keras model JSON
    // A file naming another registered model (e.g. "model": "lut-v1") is evaluated by that model.
    if (runRegisteredModel(a.hardware, net, a, readJson)) return;
    const hw = loadHardware(a.hardware);
    if (a.scheme) hw.mapping.scheme = a.scheme as Scheme;
    if (a.pipeline !== undefined) hw.mapping.pipeline = a.pipeline;
    if ((a.mapping !== undefined || a.objective !== undefined) && !hw.npu) throw new ConfigError('npu', undefined, 'an npu section for --mapping/--objective');
    if (a.mapping !== undefined) hw.npu!.mapping = a.mapping;
    if (a.objective !== undefined) hw.npu!.mapperObjective = a.objective as MapperObjective;
    const checked = validateHardwareConfig(hw);
    if (a.compare) {
      const rows = compareSchemes(net.layers, checked);
      if (a.json) {
        process.stdout.write(JSON.stringify(rows.map(({ result, ...r }) => ({ ...r, areaMm2: result.areaMm2 })), null, 2) + '\n');
        return;
      }
      const ref = rows[0];
      const t = [['scheme', 'latency', 'vs npu-only', 'energy', 'vs npu-only', 'EDP', 'interval', 'layers npu/cim']];
      for (const r of rows) {
        t.push([r.scheme, si(r.latencyS, 's'), `${(100 * (r.latencyS / ref.latencyS - 1)).toFixed(0)}%`, si(r.energyJ, 'J'),
          `${(100 * (r.energyJ / ref.energyJ - 1)).toFixed(0)}%`, si(r.edpJs, 'J·s'), si(r.intervalS, 's'), `${r.layersOnNpu}/${r.layersOnCim}`]);
      }
      process.stdout.write(`${net.name} on ${checked.name}\n${table(t)}\n`);
      const best = rows.find((r) => r.assignment);
      if (best?.assignment) process.stdout.write(`per-block-best: ${Object.entries(best.assignment).map(([b, e]) => `${b}=${e}`).join(' ')}\n`);
      return;
    }
    const r = evaluate(net.layers, checked);
    if (a.json) {
      process.stdout.write(JSON.stringify({ network: net.name, hardware: checked.name, ...r }, null, 2) + '\n');
      return;
    }
    printResult(r, checked);
  },
};
