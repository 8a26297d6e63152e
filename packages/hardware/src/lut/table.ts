import { DataError, type LayerSpec } from '@cosearch/core';

/**
 * A lookup table of per-op latency (and optionally energy) measured on a real device, read from
 * CSV. Format (README "Lookup-table model"):
 * - lines starting with `#` are comments, blank lines are skipped; the first other line is the header;
 * - columns, in any order: `kind` (conv | depthwise | dense | matmul), the shape fields of that
 *   kind with core `LayerSpec` names (below), `bits` (operand width the op ran at, 1–32),
 *   `latency_s` (> 0), `energy_j` (> 0, or empty when not measured); other columns are ignored;
 * - a row only needs the shape columns of its own kind; `groups` may be empty (= 1).
 * Errors name the file, the row (its line number in the file) and the column.
 */
export type LutKind = 'conv' | 'depthwise' | 'dense' | 'matmul';

/** Shape fields per kind, in key order. */
export const LUT_SHAPE_FIELDS: Readonly<Record<LutKind, readonly string[]>> = {
  conv: ['batch', 'inChannels', 'outChannels', 'inHeight', 'inWidth', 'kernelH', 'kernelW', 'strideH', 'strideW', 'outHeight', 'outWidth', 'groups'],
  depthwise: ['batch', 'channels', 'inHeight', 'inWidth', 'kernelH', 'kernelW', 'strideH', 'strideW', 'outHeight', 'outWidth'],
  dense: ['batch', 'inFeatures', 'outFeatures'],
  matmul: ['batch', 'm', 'k', 'n'],
};
const KINDS = Object.keys(LUT_SHAPE_FIELDS) as LutKind[];

export interface LutRow {
  /** Line number in the file (1 = first line). */
  row: number;
  kind: LutKind;
  /** Values of `LUT_SHAPE_FIELDS[kind]`, in that order. */
  shape: number[];
  bits: number;
  macs: number;
  latencyS: number;
  /** Absent when the row's energy_j cell is empty. */
  energyJ?: number;
}

export interface LutTable {
  /** The file the rows came from (for messages and reports). */
  file: string;
  rows: LutRow[];
}

/** The shape of a layer as `LUT_SHAPE_FIELDS[kind]` values, or null for kinds a table cannot hold. */
export function lutShape(l: LayerSpec): number[] | null {
  if (!(KINDS as string[]).includes(l.kind)) return null;
  const o = l as unknown as Record<string, number | undefined>;
  return LUT_SHAPE_FIELDS[l.kind as LutKind].map((f) => (f === 'groups' ? o.groups ?? 1 : (o[f] as number)));
}

/** Operand width a layer runs at: the wider of its input and weight operands (default 8). */
export function lutBits(l: LayerSpec): number {
  return Math.max(l.inputBits ?? 8, l.weightBits ?? 8);
}

/** MACs of a shape (same formulas as core `layerMacs`). */
export function shapeMacs(kind: LutKind, s: readonly number[]): number {
  switch (kind) {
    case 'conv': // batch·K·P·Q·(C/groups)·R·S
      return s[0] * s[2] * s[9] * s[10] * (s[1] / s[11]) * s[5] * s[6];
    case 'depthwise':
      return s[0] * s[1] * s[8] * s[9] * s[4] * s[5];
    case 'dense':
      return s[0] * s[1] * s[2];
    case 'matmul':
      return s[0] * s[1] * s[2] * s[3];
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses and validates CSV text; `file` names it in errors (`<file>: row 7, column latency_s: …`). */
export function parseLutCsv(text: string, file: string): LutTable {
  const lines = text.split(/\r?\n/);
  let header: string[] | null = null;
  const col = new Map<string, number>();
  const rows: LutRow[] = [];
  const seen = new Map<string, number>();
  const fail = (row: number, column: string, problem: string) => new DataError(file, `row ${row}, column ${column}: ${problem}`);
  lines.forEach((line, i) => {
    const row = i + 1;
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const cells = t.split(',').map((c) => c.trim());
    if (header === null) {
      header = cells;
      cells.forEach((c, j) => col.set(c, j));
      for (const need of ['kind', 'bits', 'latency_s', 'energy_j']) if (!col.has(need)) throw fail(row, need, 'missing column (header)');
      return;
    }
    if (cells.length !== header.length) throw fail(row, header[Math.min(cells.length, header.length - 1)], `${cells.length} cells, the header has ${header.length}`);
    const cell = (name: string) => cells[col.get(name)!];
    /** A positive number (an integer when `integer`, at most `max`); empty → undefined when `optional`. */
    const num = (name: string, integer: boolean, max?: number, optional = false): number | undefined => {
      if (!col.has(name)) throw fail(row, name, 'missing column');
      const v = cell(name);
      if (v === '' && optional) return undefined;
      const x = NUMBER.test(v) ? Number(v) : NaN;
      const ok = Number.isFinite(x) && x > 0 && (!integer || Number.isInteger(x)) && (max === undefined || x <= max);
      const what = `${integer ? 'an integer' : 'a number'} > 0${max !== undefined ? ` and <= ${max}` : ''}${optional ? ' (or empty)' : ''}`;
      if (!ok) throw fail(row, name, `got ${JSON.stringify(v)}, expected ${what}`);
      return x;
    };
    const kind = cell('kind') as LutKind;
    if (!KINDS.includes(kind)) throw fail(row, 'kind', `got ${JSON.stringify(cell('kind'))}, expected one of ${KINDS.join(', ')}`);
    const shape = LUT_SHAPE_FIELDS[kind].map((f) => (f === 'groups' && (!col.has(f) || cell(f) === '') ? 1 : num(f, true)!));
    if (kind === 'conv' && shape[1] % shape[11] !== 0) throw fail(row, 'groups', `got ${shape[11]}, expected a divisor of inChannels (${shape[1]})`);
    const bits = num('bits', true, 32)!;
    const latencyS = num('latency_s', false)!;
    const energyJ = num('energy_j', false, undefined, true);
    const key = `${kind}|${shape.join(',')}|${bits}`;
    if (seen.has(key)) throw fail(row, 'kind', `same kind, shape and bits as row ${seen.get(key)}`);
    seen.set(key, row);
    rows.push({ row, kind, shape, bits, macs: shapeMacs(kind, shape), latencyS, ...(energyJ !== undefined ? { energyJ } : {}) });
  });
  if (header === null) throw new DataError(file, 'no header line (expected kind, <shape fields>, bits, latency_s, energy_j)');
  if (rows.length === 0) throw new DataError(file, 'no data rows');
  return { file, rows };
}
