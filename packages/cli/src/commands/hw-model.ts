import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { CosearchError, DEFAULT_HARDWARE_MODEL, layerMacs, resolveHardwareModel, type HardwareLayerRow, type HardwareModelResult } from '@cosearch/core';
import type { NetworkFile } from '@cosearch/hardware';

/**
 * `cosearch hw` on a hardware file whose `model` field names a registered model other than
 * `analytical-v1` (e.g. `lut-v1`): the model is resolved through core's registry, relative files
 * resolve against the hardware file's folder, and the table shows, per layer, whether its figures
 * were measured or estimated. Returns false (nothing done) for analytical files and preset names.
 */
export function runRegisteredModel(
  file: string,
  net: NetworkFile,
  a: { scheme?: string; pipeline?: boolean; compare: boolean; json: boolean },
  readJson: (file: string) => unknown,
): boolean {
  if (!existsSync(file)) return false;
  const raw = readJson(file);
  const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).model : undefined;
  if (id === undefined || id === DEFAULT_HARDWARE_MODEL) return false;
  const { model, config } = resolveHardwareModel(raw, { baseDir: dirname(file) });
  for (const [flag, set] of [['--scheme', a.scheme !== undefined], ['--pipeline', a.pipeline !== undefined], ['--compare', a.compare]] as const) {
    if (set) throw new CosearchError(`${flag} works with ${DEFAULT_HARDWARE_MODEL} hardware only; ${file} uses ${model.id} (set the scheme in its fallback config)`);
  }
  const r = model.evaluate(net.layers, config) as HardwareModelResult & { lut?: { file: string; rule: string } };
  const name = (config as { name?: string }).name ?? model.id;
  if (a.json) {
    process.stdout.write(JSON.stringify({ network: net.name, hardware: name, model: model.id, ...r }, null, 2) + '\n');
    return true;
  }
  const si = (v: number, unit: string) => (v === 0 ? `0 ${unit}` : `${v.toExponential(3)} ${unit}`);
  const rows: string[][] = [['layer', 'kind', 'engine', 'MACs', 'latency', 'energy', 'source', 'how']];
  r.perLayer.forEach((x: HardwareLayerRow & { sourceNote?: string }, i) => {
    rows.push([x.name, net.layers[i].kind, x.engine, layerMacs(net.layers[i]) ? String(x.macs) : '-', si(x.latencyS, 's'), si(x.energyJ, 'J'), x.source ?? '-', x.sourceNote ?? '']);
  });
  const w = rows[0].map((_, j) => Math.max(...rows.map((row) => row[j].length)));
  process.stdout.write(rows.map((row) => row.map((c, j) => (j === 0 || j === 7 ? c.padEnd(w[j]) : c.padStart(w[j]))).join('  ').trimEnd()).join('\n') + '\n\n');
  const measured = r.perLayer.filter((x) => x.source === 'measured');
  const macLayers = net.layers.filter((l) => layerMacs(l) > 0).length;
  process.stdout.write(
    `${name} (${model.id}${r.lut ? `, rule ${r.lut.rule}, table ${r.lut.file}` : ''}): ${r.macs} MAC, latency ${si(r.latencyS, 's')}, energy ${si(r.energyJ, 'J')}, ` +
      `power ${si(r.powerW, 'W')}, area ${r.areaMm2.toFixed(2)} mm²\n` +
      `measured: ${measured.length} of ${r.perLayer.length} layers (${macLayers} MAC layers); estimated: ${r.perLayer.length - measured.length}; ` +
      `measured latency ${si(measured.reduce((s, x) => s + x.latencyS, 0), 's')} of ${si(r.latencyS, 's')}\n`,
  );
  return true;
}
