import { ConfigError } from '@cosearch/core';
import { evalSizeExpr } from './expr';
import { formatMapping, parseDirective, parseDirectives, parseMaestroMapping } from './parse';
import { extraMappingTemplates, getMappingTemplate, mappingTemplates } from './templates';
import type { MappingLayer } from './types';

const layer: MappingLayer = { name: 'l', kind: 'conv', dims: { N: 1, K: 64, C: 3, R: 7, S: 5, Y: 230, X: 230 }, strideY: 2, strideX: 2 };

describe('evalSizeExpr', () => {
  it('evaluates integers, Sz(D), + − × and parentheses', () => {
    expect(evalSizeExpr(14, layer)).toBe(14);
    expect(evalSizeExpr('Sz(R)', layer)).toBe(7);
    expect(evalSizeExpr('8+Sz(S)-1', layer)).toBe(12);
    expect(evalSizeExpr('2*(Sz(R)+1)', layer)).toBe(16);
    expect(evalSizeExpr('Sz(K) - 2 * 3', layer)).toBe(58);
    expect(evalSizeExpr("Sz(Y')", layer)).toBe(112); // ⌊(230 − 7)/2⌋ + 1
    expect(evalSizeExpr('min(Sz(R),12)*14', layer)).toBe(98);
    expect(evalSizeExpr('max(Sz(R), 2*Sz(S))', layer)).toBe(10);
  });

  it('names the expression and what is wrong', () => {
    expect(() => evalSizeExpr('Sz(Q)', layer)).toThrow(ConfigError);
    expect(() => evalSizeExpr('Sz(Q)', layer, 'TemporalMap size')).toThrow(/TemporalMap size.*"Sz\(Q\)".*unknown dimension "Q"/);
    expect(() => evalSizeExpr('3+', layer)).toThrow(/unexpected end/);
    expect(() => evalSizeExpr('(3', layer)).toThrow(/missing '\)'/);
    expect(() => evalSizeExpr('min(3)', layer)).toThrow(/min\(a, b\) needs two arguments/);
    expect(() => evalSizeExpr('Sz(M)', layer)).toThrow(/it has no M/);
    expect(() => evalSizeExpr(1.5, layer)).toThrow(/an integer/);
  });
});

// A mapping file typed by hand in MAESTRO's syntax (after its data/mapping/*.m templates).
const FILE = `// two layers
Network demo {
  Layer CONV1 {
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 64, C: 3, R: 7, S: 7, Y: 230, X: 230 }
    Dataflow {
      TemporalMap(1,1) K;
      TemporalMap(1,1) C;
      SpatialMap(Sz(R),1) Y;
      TemporalMap(14,8) X;
      Cluster(8, P);
      SpatialMap(Sz(S),1) X;
      TemporalMap(Sz(R),Sz(R)) R;
      TemporalMap(Sz(S),Sz(S)) S;
    }
  }
  Layer DW {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 256, R: 3, S: 3, Y: 30, X: 30 }
    Dataflow {
      SpatialMap(1,1) Y';
      TemporalMap(1,1) X';
      Cluster(Sz(R), P);
      SpatialMap(1,1) Y;
      SpatialMap(1,1) R;
    }
  }
  Layer FC {
    Type: GEMM
    Dimensions { K: 192, M: 64, N: 768 }
    Dataflow {
      TemporalMap(1,1) N;
      SpatialMap(1,1) M;
      TemporalMap(64,64) K;
      Cluster(64, P);
      SpatialMap(1,1) K;
    }
  }
}
`;

describe('parseMaestroMapping', () => {
  const parsed = parseMaestroMapping(FILE, 'demo.m');

  it('reads layers, types, strides, dimensions and directives', () => {
    expect(parsed.map((p) => p.layer.name)).toEqual(['CONV1', 'DW', 'FC']);
    expect(parsed[0].layer).toEqual({ name: 'CONV1', kind: 'conv', dims: { K: 64, C: 3, R: 7, S: 7, Y: 230, X: 230 }, strideY: 2, strideX: 2 });
    expect(parsed[1].layer.kind).toBe('depthwise');
    expect(parsed[2].layer).toMatchObject({ kind: 'gemm', dims: { K: 192, M: 64, N: 768 }, strideY: 1 });
    expect(parsed[0].mapping.directives[3]).toEqual({ kind: 'temporal', dim: 'X', size: 14, offset: 8 });
    expect(parsed[0].mapping.directives[4]).toEqual({ kind: 'cluster', size: 8 });
    expect(parsed[0].mapping.directives[2]).toEqual({ kind: 'spatial', dim: 'Y', size: 'Sz(R)', offset: 1 });
    expect(parsed[1].mapping.directives[0]).toEqual({ kind: 'spatial', dim: 'Yo', size: 1, offset: 1 });
  });

  it('round-trips through formatMapping', () => {
    for (const p of parsed) expect(parseDirectives(formatMapping(p.mapping))).toEqual(p.mapping.directives);
    for (const t of [...mappingTemplates, ...extraMappingTemplates]) {
      for (const k of t.appliesTo) {
        const m = t.build(k, { rows: 12, cols: 14 });
        expect(parseDirectives(formatMapping(m))).toEqual(m.directives);
      }
    }
    expect(formatMapping(parsed[1].mapping)).toContain("SpatialMap(1,1) Y';");
  });

  it('gives one-line errors naming the file, layer and directive', () => {
    expect(() => parseDirective('TemporalMap(1 K')).toThrow(/SpatialMap\(size,offset\) D/);
    expect(() => parseDirective('SpatialMap(1,1) Q')).toThrow(/invalid directive: got "Q"/);
    expect(() => parseDirective('Cluster(8, P) K')).toThrow(/Cluster\(size, P\)/);
    expect(() => parseMaestroMapping(FILE.replace('Type: CONV', 'Type: POOL'), 'x.m')).toThrow(/x\.m layer CONV1 Type.*"POOL".*CONV, DSCONV or GEMM/);
    expect(() => parseMaestroMapping(FILE.replace('SpatialMap(Sz(R),1) Y;', 'SpatialMap(Sz(R),1 Y;'), 'x.m')).toThrow(/x\.m layer CONV1 directive 3/);
    expect(() => parseMaestroMapping(FILE.replace('K: 64, C: 3', 'K: 64, C: three'), 'x.m')).toThrow(/Dimensions.*"C: three"/);
  });
});

describe('templates', () => {
  it('MAESTRO templates are exactly the development-set mapping files (YXP_OS: TemporalMap(8+Sz(S)-1,8) X = 14 for S = 7)', () => {
    const yxp = getMappingTemplate('maestro-yxp-os-v1').build('conv', { rows: 8, cols: 16 });
    const file = parseMaestroMapping(FILE, 'demo.m')[0];
    const ev = (ds: typeof yxp.directives): unknown[] =>
      ds.map((d) => (d.kind === 'cluster' ? d : { ...d, size: evalSizeExpr(d.size, file.layer), offset: evalSizeExpr(d.offset, file.layer) }));
    expect(ev(yxp.directives)).toEqual(ev(file.mapping.directives));
  });

  it('unknown template names list the known ones', () => {
    expect(() => getMappingTemplate('eyeriss')).toThrow(/unknown mapping template "eyeriss"; available: maestro-kcp-ws-v1, .*row-stationary-v1.*row-stationary-sets-v1/);
    expect(() => getMappingTemplate('maestro-nmk-k64-v1').build('conv', { rows: 8, cols: 8 })).toThrow(/available: gemm/);
  });

  it('every template names its source and builds the same object for the same array', () => {
    for (const t of mappingTemplates) {
      expect(t.source.length).toBeGreaterThan(20);
      for (const k of t.appliesTo) expect(t.build(k, { rows: 12, cols: 14 })).toBe(t.build(k, { rows: 12, cols: 14 }));
    }
  });
});
