import { NotFoundError } from '@cosearch/core';
import { parseDirectives } from './parse';
import type { LayerKind, Mapping } from './types';

/**
 * Named, versioned mapping templates. The `maestro-*` ones are the mapping files of the MAESTRO
 * development set (MAESTRO's own `data/mapping/` templates, maestro-project/maestro commit
 * 4eb08d1), written exactly as there; the others re-express the project's five dataflows
 * (`src/dataflows/`) as directives on a rows × cols array. A template builds a mapping per layer
 * kind (its depthwise variant is channel-parallel, never a single row of PEs).
 */
export interface ArrayShape {
  rows: number;
  cols: number;
}

export interface MappingTemplate {
  name: string;
  appliesTo: LayerKind[];
  source: string;
  description: string;
  /** The mapping for one layer kind on a rows × cols array (same object for the same arguments). */
  build(kind: LayerKind, array: ArrayShape): Mapping;
}

type Texts = Partial<Record<LayerKind, (a: ArrayShape) => string>>;

function template(name: string, source: string, description: string, texts: Texts): MappingTemplate {
  const appliesTo = (Object.keys(texts) as LayerKind[]);
  const memo = new Map<string, Mapping>();
  return {
    name,
    appliesTo,
    source,
    description,
    build(kind, array) {
      const text = texts[kind];
      if (!text) throw new NotFoundError(`layer kind for mapping template ${name}`, kind, appliesTo);
      const key = `${kind}|${array.rows}|${array.cols}`;
      let m = memo.get(key);
      if (!m) {
        m = { name, appliesTo: [kind], directives: parseDirectives(text(array), `template ${name}`), source };
        memo.set(key, m);
      }
      return m;
    },
  };
}

const pes = (a: ArrayShape): number => a.rows * a.cols;
/** MAESTRO's 64-PE clusters, shrunk to the array when it has fewer PEs. */
const c64 = (a: ArrayShape): number => Math.min(64, pes(a));
/** ShiDianNao-style 8-PE clusters, shrunk likewise. */
const c8 = (a: ArrayShape): number => Math.min(8, pes(a));
const MAESTRO = 'MAESTRO (Kwon et al., MICRO 2019) data/mapping templates, maestro-project/maestro commit 4eb08d1';

export const mappingTemplates: readonly MappingTemplate[] = [
  template('maestro-kcp-ws-v1', `${MAESTRO}: KCP_WS (NVDLA-like); depthwise = the DSCONV mapping shipped with it (CP_WS)`,
    'weight-stationary: output channels across 64-PE clusters, input channels across the PEs of a cluster', {
      conv: (a) => `SpatialMap(1,1) K; TemporalMap(${c64(a)},${c64(a)}) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
        TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; Cluster(${c64(a)}, P);
        SpatialMap(1,1) C; TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
      depthwise: () => `SpatialMap(1,1) C; TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
    }),
  template('maestro-cp-ws-v1', `${MAESTRO}: the DSCONV mapping shipped with the KCP_WS files`,
    'depthwise, channel-parallel weight-stationary: one channel per PE', {
      depthwise: () => `SpatialMap(1,1) C; TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
    }),
  template('maestro-yrp-rs-v1', `${MAESTRO}: YRP_RS (Eyeriss-like row-stationary)`,
    'row-stationary: output rows across clusters of R PEs, each PE one filter row paired with one input row', {
      conv: () => `SpatialMap(1,1) Y'; TemporalMap(1,1) X'; TemporalMap(1,1) C; TemporalMap(16,16) K; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
        Cluster(Sz(R), P); SpatialMap(1,1) Y; SpatialMap(1,1) R; TemporalMap(Sz(S),Sz(S)) S;`,
      depthwise: () => `SpatialMap(1,1) Y'; TemporalMap(1,1) X'; TemporalMap(16,16) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
        Cluster(Sz(R), P); SpatialMap(1,1) Y; SpatialMap(1,1) R; TemporalMap(Sz(S),Sz(S)) S;`,
    }),
  template('maestro-xp-ws-v1', `${MAESTRO}: XP_WS (1-D weight-stationary, no cluster)`,
    'output columns across all PEs', {
      conv: () => `TemporalMap(1,1) K; TemporalMap(1,1) C; TemporalMap(Sz(R),1) Y; SpatialMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
      depthwise: () => `TemporalMap(1,1) C; TemporalMap(Sz(R),1) Y; SpatialMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
    }),
  template('maestro-yxp-os-v1', `${MAESTRO}: YXP_OS (ShiDianNao-like output-stationary)`,
    'output-stationary: output rows across 8-PE clusters, 8 output columns per cluster', {
      conv: (a) => `TemporalMap(1,1) K; TemporalMap(1,1) C; SpatialMap(Sz(R),1) Y; TemporalMap(${c8(a)}+Sz(S)-1,${c8(a)}) X; Cluster(${c8(a)}, P);
        SpatialMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
      depthwise: (a) => `TemporalMap(1,1) C; SpatialMap(Sz(R),1) Y; TemporalMap(${c8(a)}+Sz(S)-1,${c8(a)}) X; Cluster(${c8(a)}, P);
        SpatialMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
    }),
  template('maestro-nmk-k64-v1', `${MAESTRO}: gnmt_nmk.m with a K tile of 64 (NMK_K64)`,
    'GEMM: rows of A across 64-PE clusters, the reduction across the PEs of a cluster', {
      gemm: (a) => `TemporalMap(1,1) N; SpatialMap(1,1) M; TemporalMap(${c64(a)},${c64(a)}) K; Cluster(${c64(a)}, P);
        TemporalMap(1,1) N; TemporalMap(1,1) M; SpatialMap(1,1) K;`,
    }),
  // The project's five dataflows (src/dataflows/) as directives on a rows × cols array.
  template('weight-stationary-v1', 'NVDLA-like KC-P (src/dataflows/weight-stationary.ts): C across the rows, K across the columns',
    'a cluster per column holds rows input channels; output channels across the columns; weights stay while Y, X slide', {
      conv: (a) => `SpatialMap(1,1) K; TemporalMap(${a.rows},${a.rows}) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
        TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; Cluster(${a.rows}, P);
        SpatialMap(1,1) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
      depthwise: () => `SpatialMap(1,1) C; TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
      gemm: (a) => `SpatialMap(1,1) N; TemporalMap(${a.rows},${a.rows}) K; TemporalMap(1,1) M; Cluster(${a.rows}, P); SpatialMap(1,1) K;`,
    }),
  template('output-stationary-v1', 'ShiDianNao-like YX-P (src/dataflows/output-stationary.ts): output rows across the rows, output columns across the columns',
    'each PE keeps one output; a weight is broadcast to all PEs; C, R, S accumulate in place', {
      conv: (a) => `TemporalMap(1,1) K; TemporalMap(1,1) C; SpatialMap(1,1) Y'; TemporalMap(${a.cols},${a.cols}) X'; Cluster(${a.cols}, P);
        SpatialMap(1,1) X'; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
      depthwise: (a) => `TemporalMap(1,1) C; SpatialMap(1,1) Y'; TemporalMap(${a.cols},${a.cols}) X'; Cluster(${a.cols}, P);
        SpatialMap(1,1) X'; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
      gemm: (a) => `TemporalMap(1,1) K; SpatialMap(1,1) M; TemporalMap(${a.cols},${a.cols}) N; Cluster(${a.cols}, P); SpatialMap(1,1) N;`,
    }),
  template('row-stationary-v1', 'Eyeriss (Chen et al., ISCA 2016) row-stationary R × Y′, as MAESTRO YRP_RS: a cluster of R PEs per output row',
    'output rows across clusters of R PEs (R × Y′ sets), one filter row and one input row per PE, 16 filters per pass', {
      conv: () => `SpatialMap(1,1) Y'; TemporalMap(1,1) X'; TemporalMap(1,1) C; TemporalMap(16,16) K; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
        Cluster(Sz(R), P); SpatialMap(1,1) Y; SpatialMap(1,1) R; TemporalMap(Sz(S),Sz(S)) S;`,
      depthwise: () => `SpatialMap(1,1) Y'; TemporalMap(1,1) X'; TemporalMap(16,16) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
        Cluster(Sz(R), P); SpatialMap(1,1) Y; SpatialMap(1,1) R; TemporalMap(Sz(S),Sz(S)) S;`,
      gemm: () => `SpatialMap(1,1) M; TemporalMap(1,1) K; TemporalMap(16,16) N;`,
    }),
  template('input-stationary-v1', 'SCNN-like ordering, dense (src/dataflows/input-stationary.ts): C across the rows, output columns across the columns',
    'inputs stay while the output channels stream past (K innermost); partial sums reduced down the rows', {
      conv: (a) => `SpatialMap(1,1) X'; TemporalMap(${a.rows},${a.rows}) C; TemporalMap(1,1) Y'; TemporalMap(1,1) K; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
        Cluster(${a.rows}, P); SpatialMap(1,1) C;`,
      depthwise: (a) => `SpatialMap(1,1) X'; TemporalMap(${a.rows},${a.rows}) C; TemporalMap(1,1) Y'; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
        Cluster(${a.rows}, P); SpatialMap(1,1) C;`,
      gemm: (a) => `SpatialMap(1,1) M; TemporalMap(${a.rows},${a.rows}) K; TemporalMap(1,1) N; Cluster(${a.rows}, P); SpatialMap(1,1) K;`,
    }),
  template('systolic-ws-v1', 'TPU-like weight-stationary systolic array (Jouppi et al., ISCA 2017): reduction across the rows, K across the columns, pixels stream',
    'as weight-stationary with the output pixels streaming innermost; the fill/drain skew of a systolic array has no directive and is not modelled here', {
      conv: (a) => `SpatialMap(1,1) K; TemporalMap(${a.rows},${a.rows}) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
        TemporalMap(1,1) Y'; TemporalMap(1,1) X'; Cluster(${a.rows}, P); SpatialMap(1,1) C;`,
      depthwise: () => `SpatialMap(1,1) C; TemporalMap(1,1) Y'; TemporalMap(1,1) X'; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
      gemm: (a) => `SpatialMap(1,1) N; TemporalMap(${a.rows},${a.rows}) K; TemporalMap(1,1) M; Cluster(${a.rows}, P); SpatialMap(1,1) K;`,
    }),
];

/**
 * Templates available by name but not offered to the co-search's mapping decision (which lists
 * `mappingTemplates`): Eyeriss's logical PE sets replicate R × Y′ over filters, so CONV3–5 of
 * AlexNet use 156 of 168 PEs instead of 39, at the price of larger PE tiles.
 */
export const extraMappingTemplates: readonly MappingTemplate[] = [
  template('row-stationary-sets-v1', 'Eyeriss (Chen et al., ISCA 2016; JSSC 2017) logical PE sets: R rows × the array columns, one output row per column, sets replicated over filters',
    'sets of min(R, rows) × cols PEs take 16 filters each (inputs multicast to the sets); in a set, output rows across clusters of R PEs, each PE one filter row paired with one input row', {
      conv: (a) => `SpatialMap(16,16) K; TemporalMap(1,1) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S; Cluster(min(Sz(R),${a.rows})*${a.cols}, P);
        SpatialMap(1,1) Y'; TemporalMap(1,1) X'; Cluster(Sz(R), P); SpatialMap(1,1) Y; SpatialMap(1,1) R; TemporalMap(Sz(S),Sz(S)) S;`,
      depthwise: (a) => `SpatialMap(16,16) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S; Cluster(min(Sz(R),${a.rows})*${a.cols}, P);
        SpatialMap(1,1) Y'; TemporalMap(1,1) X'; Cluster(Sz(R), P); SpatialMap(1,1) Y; SpatialMap(1,1) R; TemporalMap(Sz(S),Sz(S)) S;`,
      gemm: (a) => `SpatialMap(16,16) N; TemporalMap(1,1) K; Cluster(${a.cols}, P); SpatialMap(1,1) M;`,
    }),
];

export function getMappingTemplate(name: string): MappingTemplate {
  const t = mappingTemplates.find((x) => x.name === name) ?? extraMappingTemplates.find((x) => x.name === name);
  if (!t) throw new NotFoundError('mapping template', name, [...mappingTemplates, ...extraMappingTemplates].map((x) => x.name));
  return t;
}
