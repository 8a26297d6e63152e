import { ConfigError } from '@cosearch/core';
import type { Dim, MappingLayer, SizeExpr } from './types';

const DIMS: readonly Dim[] = ['N', 'K', 'C', 'R', 'S', 'Y', 'X', 'Yo', 'Xo', 'M'];

/** MAESTRO writes Y′/X′ as `Y'`/`X'`; the project spells them `Yo`/`Xo`. */
export function normaliseDim(name: string): Dim | null {
  const n = name.trim().replace(/[’′]/g, "'");
  if (n === "Y'") return 'Yo';
  if (n === "X'") return 'Xo';
  return (DIMS as readonly string[]).includes(n) ? (n as Dim) : null;
}

/** The size of dimension `d` of a layer; Yo/Xo are derived from the padded input and stride. */
export function layerDimSize(layer: MappingLayer, d: Dim): number | undefined {
  if (d === 'Yo' || d === 'Xo') {
    const inp = layer.dims[d === 'Yo' ? 'Y' : 'X'];
    const f = layer.dims[d === 'Yo' ? 'R' : 'S'];
    const s = d === 'Yo' ? layer.strideY : layer.strideX;
    return inp === undefined || f === undefined ? undefined : Math.floor((inp - f) / s) + 1;
  }
  return layer.dims[d];
}

type Node =
  | { k: 'n'; v: number }
  | { k: 'sz'; d: Dim; name: string }
  | { k: 'neg'; a: Node }
  | { k: 'min' | 'max'; a: Node; b: Node }
  | { k: '+' | '-' | '*'; a: Node; b: Node };

// Parsed expressions by text: the same few strings ("Sz(R)", "8+Sz(S)-1") recur in every mapping.
const parsed = new Map<string, Node>();

/**
 * Evaluates a SizeExpr (an integer, or text over integers, `Sz(D)`, + − × *, parentheses and
 * `min(a, b)` / `max(a, b)`, the last two a project extension to MAESTRO's syntax) for one layer.
 * `field` names the directive in errors. Recursive descent: expr = term (± term)*,
 * term = factor (× factor)*, factor = integer | Sz(D) | min(expr, expr) | max(expr, expr) | (expr) | −factor.
 */
export function evalSizeExpr(expr: SizeExpr, layer: MappingLayer, field = 'size'): number {
  if (typeof expr === 'number') {
    if (!Number.isInteger(expr)) throw new ConfigError(field, expr, 'an integer or a size expression');
    return expr;
  }
  const src = String(expr);
  let node = parsed.get(src);
  if (!node) {
    node = parse(src, field);
    if (parsed.size > 10000) parsed.clear();
    parsed.set(src, node);
  }
  return evalNode(node, layer, field, src);
}

function evalNode(n: Node, layer: MappingLayer, field: string, src: string): number {
  switch (n.k) {
    case 'n':
      return n.v;
    case 'sz': {
      const v = layerDimSize(layer, n.d);
      if (v === undefined) {
        throw new ConfigError(field, src, `dimensions of layer ${JSON.stringify(layer.name)} (${Object.keys(layer.dims).join(', ')}): it has no ${n.name}`);
      }
      return v;
    }
    case 'neg':
      return -evalNode(n.a, layer, field, src);
    case 'min':
      return Math.min(evalNode(n.a, layer, field, src), evalNode(n.b, layer, field, src));
    case 'max':
      return Math.max(evalNode(n.a, layer, field, src), evalNode(n.b, layer, field, src));
    case '+':
      return evalNode(n.a, layer, field, src) + evalNode(n.b, layer, field, src);
    case '-':
      return evalNode(n.a, layer, field, src) - evalNode(n.b, layer, field, src);
    default:
      return evalNode(n.a, layer, field, src) * evalNode(n.b, layer, field, src);
  }
}

function parse(src: string, field: string): Node {
  let i = 0;
  const fail = (what: string): never => {
    throw new ConfigError(field, src, `a size expression (integers, Sz(D), + - *, parentheses, min/max): ${what} at character ${i + 1}`);
  };
  const ws = (): void => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const factor = (): Node => {
    ws();
    const ch = src[i];
    if (ch === '-' || ch === '−') {
      i++;
      return { k: 'neg', a: factor() };
    }
    if (ch === '(') {
      i++;
      const v = sum();
      ws();
      if (src[i] !== ')') fail("missing ')'");
      i++;
      return v;
    }
    if (ch !== undefined && /[0-9]/.test(ch)) {
      const m = /^[0-9]+/.exec(src.slice(i))!;
      i += m[0].length;
      return { k: 'n', v: Number(m[0]) };
    }
    const fn = /^(min|max)\s*\(/.exec(src.slice(i));
    if (fn) {
      i += fn[0].length;
      const a = sum();
      ws();
      if (src[i] !== ',') fail(`${fn[1]}(a, b) needs two arguments`);
      i++;
      const b = sum();
      ws();
      if (src[i] !== ')') fail("missing ')'");
      i++;
      return { k: fn[1] as 'min' | 'max', a, b };
    }
    const sz = /^Sz\s*\(\s*([A-Za-z]+'?)\s*\)/.exec(src.slice(i));
    if (sz) {
      const d = normaliseDim(sz[1]);
      if (!d) fail(`unknown dimension ${JSON.stringify(sz[1])}`);
      i += sz[0].length;
      return { k: 'sz', d: d as Dim, name: sz[1] };
    }
    return fail(ch === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(ch)}`);
  };
  const term = (): Node => {
    let v = factor();
    for (;;) {
      ws();
      if (src[i] === '*' || src[i] === '×') {
        i++;
        v = { k: '*', a: v, b: factor() };
      } else return v;
    }
  };
  const sum = (): Node => {
    let v = term();
    for (;;) {
      ws();
      if (src[i] === '+') {
        i++;
        v = { k: '+', a: v, b: term() };
      } else if (src[i] === '-' || src[i] === '−') {
        i++;
        v = { k: '-', a: v, b: term() };
      } else return v;
    }
  };
  const v = sum();
  ws();
  if (i < src.length) fail(`unexpected ${JSON.stringify(src[i])}`);
  return v;
}
