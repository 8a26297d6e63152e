import { asObject, stringField, validateLayers, type LayerSpec } from '@cosearch/core';

/** A network file: `{ name, description?, layers: LayerSpec[] }` or a bare layer array. */
export interface NetworkFile {
  name: string;
  layers: LayerSpec[];
}

/** Validates a parsed network file; field errors name `layers[i].field` (core `validateLayers`). */
export function validateNetwork(raw: unknown): NetworkFile {
  if (Array.isArray(raw)) return { name: 'network', layers: validateLayers(raw) };
  const o = asObject(raw, 'network');
  return { name: stringField(o, 'name', '', 'network'), layers: validateLayers(o.layers, 'layers') };
}
