import { ConfigError } from '@cosearch/core';
import type { Shape } from '../shape';
import type { LayerKind, Mapping, MappingLayer } from '../mappings/types';
import { extraMappingTemplates, getMappingTemplate, mappingTemplates, type MappingTemplate } from '../mappings/templates';
import { mappingLayerFromShape } from '../mappings/layer';
import { formatDirective, parseDirectives } from '../mappings/parse';

/** How the NPU model and the mapper reach the mapping templates (`mappings/templates.ts`). */

/** Every template: those the co-search offers, and those available by name only (`extraMappingTemplates`). */
function allTemplates(): readonly MappingTemplate[] {
  return [...mappingTemplates, ...extraMappingTemplates];
}

export function mappingTemplateNames(): string[] {
  return allTemplates().map((t) => t.name);
}

/** Templates with a mapping for every layer kind (conv, depthwise, GEMM): usable on any network. */
export function universalTemplateNames(): string[] {
  return mappingTemplates.filter((t) => (['conv', 'depthwise', 'gemm'] as const).every((k) => t.appliesTo.includes(k))).map((t) => t.name);
}

/** The template of a dataflow plug-in: the five built-in dataflows have a template of the same name. */
export function templateOfDataflow(dataflow: string): string {
  if (mappingTemplates.some((t) => t.name === dataflow)) return dataflow;
  throw new ConfigError('npu.dataflow', dataflow, `a dataflow with a mapping template (${universalTemplateNames().join(', ')}), or set npu.mapping`);
}

/** The engine's layer of a canonical shape. */
export function engineLayer(s: Shape, name = 'layer'): MappingLayer {
  return mappingLayerFromShape(s, name);
}

/** Every template's mapping for a layer kind on a rows × cols array, by-name-only ones included (what "auto" searches). */
export function templatesFor(kind: LayerKind, rows: number, cols: number): Mapping[] {
  return allTemplates().filter((t) => t.appliesTo.includes(kind)).map((t) => t.build(kind, { rows, cols }));
}

/**
 * The named template's mapping for a layer. A GEMM under a convolution-only template runs as the
 * 1×1 convolution it is ((M×K)·(K×N): K output channels = N, C = the reduction K, Y = M rows);
 * any other kind the template lacks is an error naming `npu.mapping`.
 */
export function templateFor(name: string, layer: MappingLayer, rows: number, cols: number): { mapping: Mapping; layer: MappingLayer } {
  const t = isDirectiveText(name) ? customTemplate(name) : getMappingTemplate(name);
  if (t.appliesTo.includes(layer.kind)) return { mapping: t.build(layer.kind, { rows, cols }), layer };
  if (layer.kind === 'gemm' && t.appliesTo.includes('conv')) {
    const d = layer.dims;
    const conv: MappingLayer = {
      name: layer.name, kind: 'conv', dims: { N: 1, K: d.N, C: d.K, R: 1, S: 1, Y: d.M, X: 1 }, strideY: 1, strideX: 1, groups: layer.groups,
    };
    return { mapping: t.build('conv', { rows, cols }), layer: conv };
  }
  const fits = allTemplates().filter((x) => x.appliesTo.includes(layer.kind)).map((x) => x.name);
  throw new ConfigError('npu.mapping', name, `a template with a ${layer.kind} mapping for layer ${JSON.stringify(layer.name)}: ${fits.join(', ')}, or "auto"`);
}

/** Directives outer → inner on one line, MAESTRO syntax. */
export function formatDirectives(m: Mapping): string {
  return m.directives.map(formatDirective).join('; ');
}

/** `npu.mapping` may be directive text in MAESTRO syntax instead of a template name. */
export function isDirectiveText(mapping: string): boolean {
  return mapping.includes('(');
}

const customs = new Map<string, MappingTemplate>();

/**
 * A user's mapping written as directives (`"SpatialMap(1,1) K; TemporalMap(16,16) C; Cluster(16, P); SpatialMap(1,1) C"`),
 * named "custom": a GEMM mapping if it maps M, else a convolution (and depthwise) mapping.
 */
export function customTemplate(text: string): MappingTemplate {
  let t = customs.get(text);
  if (t === undefined) {
    const directives = parseDirectives(text, 'npu.mapping');
    const kinds: LayerKind[] = directives.some((d) => d.kind !== 'cluster' && d.dim === 'M') ? ['gemm'] : ['conv', 'depthwise'];
    const byKind = new Map<LayerKind, Mapping>(kinds.map((k) => [k, { name: 'custom', appliesTo: [k], directives, source: 'npu.mapping' }]));
    t = {
      name: 'custom', appliesTo: kinds, source: 'npu.mapping', description: text,
      build: (kind) => {
        const m = byKind.get(kind);
        if (!m) throw new ConfigError('npu.mapping', text, `a mapping for ${kind} layers`);
        return m;
      },
    };
    if (customs.size > 256) customs.clear();
    customs.set(text, t);
  }
  return t;
}
