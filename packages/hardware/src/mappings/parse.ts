import { ConfigError } from '@cosearch/core';
import { normaliseDim } from './expr';
import type { Directive, Dim, LayerKind, Mapping, MappingLayer, SizeExpr } from './types';

/**
 * MAESTRO's `.m` mapping files (maestro-project/maestro `data/mapping/*.m`):
 *
 *   Network NAME { Layer NAME { Type: CONV|DSCONV|GEMM  Stride { X: s, Y: s }
 *     Dimensions { K: 64, C: 3, R: 7, S: 7, Y: 230, X: 230 }
 *     Dataflow { SpatialMap(1,1) K; TemporalMap(Sz(R),1) Y; Cluster(64, P); ... } } }
 *
 * Each layer becomes `{ layer, mapping }` in the project's format. Sizes stay expressions
 * (`Sz(R)`), `Y'`/`X'` become `Yo`/`Xo`, DSCONV becomes 'depthwise', `//` comments are skipped.
 */
export interface ParsedLayer {
  layer: MappingLayer;
  mapping: Mapping;
}

const KIND: Record<string, LayerKind> = { CONV: 'conv', DSCONV: 'depthwise', GEMM: 'gemm' };

/** Parses one directive line such as `TemporalMap(8+Sz(S)-1,8) X` or `Cluster(64, P)`. */
export function parseDirective(text: string, field = 'directive'): Directive {
  const t = text.trim().replace(/;$/, '').trim();
  const m = /^(SpatialMap|TemporalMap|Cluster)\s*\((.*)\)\s*([A-Za-z]+'?)?$/.exec(t);
  if (!m) throw new ConfigError(field, t, 'SpatialMap(size,offset) D, TemporalMap(size,offset) D or Cluster(size, P)');
  const args = splitArgs(m[2]);
  const num = (s: string): SizeExpr => (/^\s*[0-9]+\s*$/.test(s) ? Number(s) : s.trim());
  if (m[1] === 'Cluster') {
    if (args.length < 1 || args.length > 2 || m[3]) throw new ConfigError(field, t, 'Cluster(size, P)');
    return { kind: 'cluster', size: num(args[0]) };
  }
  if (args.length !== 2 || !m[3]) throw new ConfigError(field, t, `${m[1]}(size,offset) followed by a dimension`);
  const dim = normaliseDim(m[3]);
  if (!dim) throw new ConfigError(field, m[3], "a dimension N, K, C, R, S, Y, X, Y', X' or M");
  return { kind: m[1] === 'SpatialMap' ? 'spatial' : 'temporal', dim, size: num(args[0]), offset: num(args[1]) };
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim());
}

/** Reads `{ A: 1, B: 2 }` key/value pairs. */
function pairs(body: string, field: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of body.split(',')) {
    if (!part.trim()) continue;
    const m = /^\s*([A-Za-z]+'?)\s*:\s*([0-9]+)\s*$/.exec(part);
    if (!m) throw new ConfigError(field, part.trim(), 'NAME: integer');
    out[m[1]] = Number(m[2]);
  }
  return out;
}

export function parseMaestroMapping(text: string, file = 'mapping'): ParsedLayer[] {
  const src = text.replace(/\/\/[^\n]*/g, '');
  const out: ParsedLayer[] = [];
  const layerRe = /Layer\s+([^\s{]+)\s*\{/g;
  let m: RegExpExecArray | null;
  while ((m = layerRe.exec(src))) {
    const name = m[1];
    // The layer body runs to the matching brace.
    let depth = 1;
    let i = layerRe.lastIndex;
    for (; i < src.length && depth > 0; i++) {
      if (src[i] === '{') depth++;
      else if (src[i] === '}') depth--;
    }
    if (depth) throw new ConfigError(`${file} layer ${name}`, 'unterminated', "a closing '}'");
    const body = src.slice(layerRe.lastIndex, i - 1);
    layerRe.lastIndex = i;
    const field = `${file} layer ${name}`;
    const type = /Type\s*:\s*([A-Za-z]+)/.exec(body)?.[1];
    const kind = type ? KIND[type.toUpperCase()] : undefined;
    if (!kind) throw new ConfigError(`${field} Type`, type ?? '(missing)', 'CONV, DSCONV or GEMM');
    const dimsText = /Dimensions\s*\{([^}]*)\}/.exec(body)?.[1];
    if (dimsText === undefined) throw new ConfigError(`${field} Dimensions`, '(missing)', 'Dimensions { K: .., C: .., ... }');
    const rawDims = pairs(dimsText, `${field} Dimensions`);
    const dims: Partial<Record<Dim, number>> = {};
    for (const [k, v] of Object.entries(rawDims)) {
      const d = normaliseDim(k);
      if (!d || d === 'Yo' || d === 'Xo') throw new ConfigError(`${field} Dimensions`, k, 'N, K, C, R, S, Y, X (conv) or M, N, K (GEMM)');
      dims[d] = v;
    }
    const strideText = /Stride\s*\{([^}]*)\}/.exec(body)?.[1];
    const stride = strideText ? pairs(strideText, `${field} Stride`) : {};
    const flow = /Dataflow\s*\{([^}]*)\}/.exec(body)?.[1];
    if (flow === undefined) throw new ConfigError(`${field} Dataflow`, '(missing)', 'Dataflow { directives; }');
    const directives = flow.split(';').map((s) => s.trim()).filter(Boolean)
      .map((s, k) => parseDirective(s, `${field} directive ${k + 1}`));
    const layer: MappingLayer = { name, kind, dims, strideY: stride.Y ?? 1, strideX: stride.X ?? 1 };
    out.push({ layer, mapping: { name: `${file}:${name}`, appliesTo: [kind], directives, source: `MAESTRO mapping file ${file}` } });
  }
  return out;
}

/** A directive as MAESTRO text (`Yo` is written `Y'`). */
export function formatDirective(d: Directive): string {
  if (d.kind === 'cluster') return `Cluster(${d.size}, P)`;
  const dim = d.dim === 'Yo' ? "Y'" : d.dim === 'Xo' ? "X'" : d.dim;
  return `${d.kind === 'spatial' ? 'SpatialMap' : 'TemporalMap'}(${d.size},${d.offset}) ${dim}`;
}

/** A mapping as MAESTRO `Dataflow` text, one directive per line; parses back to the same mapping. */
export function formatMapping(mapping: Mapping): string {
  return mapping.directives.map((d) => `${formatDirective(d)};`).join('\n');
}

/** Parses directive text (as `formatMapping` writes it) into directives. */
export function parseDirectives(text: string, field = 'mapping'): Directive[] {
  return text.replace(/\/\/[^\n]*/g, '').split(';').map((s) => s.trim()).filter(Boolean)
    .map((s, k) => parseDirective(s, `${field} directive ${k + 1}`));
}
