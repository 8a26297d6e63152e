import { ConfigError } from './errors';
import type { LayerSpec } from './layers';
import { Registry } from './registry';
import type { Candidate, SearchSpace } from './space';

/**
 * The hardware-model seam (issue 13 item 4): what the search needs from any model that turns a
 * layer list and a hardware configuration into latency, energy and area. The analytical model of
 * `@cosearch/hardware` registers as `analytical-v1`, its measured lookup-table model as `lut-v1`;
 * a user's model registers the same way and runs the same conformance suite
 * (`checkHardwareModel`, hardware-model-conformance.ts).
 *
 * Lifecycle and call order:
 * 1. `validateConfig(raw, path, { baseDir })` once at the boundary (a parsed JSON hardware file,
 *    the `model` field included or not): returns the typed config or throws a one-line
 *    `CosearchError` naming the field (prefixed by `path`), the value and what is allowed;
 *    relative file names in the config resolve against `baseDir`.
 * 2. `searchSpace(options)` builds the hardware fragment of the joint search space
 *    (`options.base` = the validated config the candidates modify);
 * 3. per candidate, `applyCandidate(cfg, candidate)` returns a NEW validated config (never mutates
 *    `cfg`; keys it does not know, e.g. network decisions, are ignored), then
 *    `evaluate(layers, cfg)`: pure and deterministic (same layers and config → an identical
 *    result, whatever was evaluated before), synchronous, and never mutates its arguments.
 */
export interface HardwareModel<Cfg = unknown, R extends HardwareModelResult = HardwareModelResult> {
  /** Versioned id, e.g. `analytical-v1`; changing behaviour means a new id. */
  readonly id: string;
  readonly description: string;
  validateConfig(raw: unknown, path?: string, options?: HardwareConfigOptions): Cfg;
  searchSpace(options?: HardwareSpaceRequest<Cfg>): SearchSpace;
  applyCandidate(cfg: Cfg, candidate: Readonly<Candidate>): Cfg;
  evaluate(layers: readonly LayerSpec[], cfg: Cfg): R;
  /**
   * Knobs whose effect the model documents: the conformance suite sets each low and high on a
   * fixture config and checks that every listed output moves in the stated direction.
   */
  readonly knobs?: readonly HardwareKnob<Cfg>[];
}

export interface HardwareConfigOptions {
  /** Folder that relative file names in the config (e.g. a lookup table) resolve against; default: the working directory. */
  baseDir?: string;
}

/** What `searchSpace` receives: the config candidates will modify, plus model-specific choice lists. */
export interface HardwareSpaceRequest<Cfg = unknown> {
  base?: Cfg;
  [option: string]: unknown;
}

/** Where a layer's figures come from: a measurement (e.g. a lookup-table row of this shape) or a model/estimate. */
export type LayerSource = 'measured' | 'estimated';

/** The per-layer row every model returns (models add their own fields). */
export interface HardwareLayerRow {
  name: string;
  /** Which engine (unit) ran the layer, e.g. 'npu', 'cim', 'vector'. */
  engine: string;
  /** Multiply–accumulates of the layer: must equal core `layerMacs`. */
  macs: number;
  latencyS: number;
  energyJ: number;
  /** Optional: whether the figures were measured or estimated (lookup-table models set it on every row). */
  source?: LayerSource;
}

/**
 * The result every model returns (the shape of today's `@cosearch/hardware` `HardwareResult`,
 * minimal fields). Layers run in sequence: `latencyS` = Σ perLayer latencyS; `energyJ` ≥ Σ
 * perLayer energyJ (the difference is chip-level, e.g. leakage); `powerW` = energy per unit of
 * time the inference occupies the chip.
 */
export interface HardwareModelResult {
  latencyS: number;
  energyJ: number;
  areaMm2: number;
  powerW: number;
  macs: number;
  perLayer: HardwareLayerRow[];
}

/** An output a knob moves. */
export type KnobMetric = 'latencyS' | 'energyJ' | 'areaMm2' | 'powerW';

/**
 * A documented knob: `set(cfg, high)` returns a new config with the knob at its low or high
 * value (never mutates `cfg`); each effect says which output moves and its sign low → high
 * (`strict: false` allows no change, e.g. a knob that only matters when a resource binds).
 */
export interface HardwareKnob<Cfg = unknown> {
  name: string;
  set(cfg: Cfg, high: boolean): Cfg;
  effects: readonly { metric: KnobMetric; direction: 1 | -1; strict?: boolean }[];
}

/** Hardware models by versioned id. Register with `registerHardwareModel(model)`. */
export const hardwareModelRegistry = new Registry<HardwareModel, Record<string, never>>('hardware model');

/** The model a hardware file without a `model` field uses. */
export const DEFAULT_HARDWARE_MODEL = 'analytical-v1';

/** Adds a model under its `id` (`{ replace: true }` to override one). */
export function registerHardwareModel<Cfg, R extends HardwareModelResult>(model: HardwareModel<Cfg, R>, options: { replace?: boolean } = {}): void {
  const m = model as unknown as HardwareModel;
  hardwareModelRegistry.register({ name: m.id, description: m.description, create: () => m }, options);
}

/** The registered model with this id (throws `NotFoundError` listing the ids). */
export function getHardwareModel(id: string): HardwareModel {
  return hardwareModelRegistry.create(id, {});
}

/**
 * Resolves a parsed hardware file: its `model` field (default `analytical-v1`) names the
 * registered model, whose `validateConfig` checks the rest. Errors name the `model` field and
 * list the registered ids.
 */
export function resolveHardwareModel(raw: unknown, options: HardwareConfigOptions & { path?: string } = {}): { model: HardwareModel; config: unknown } {
  const p = options.path ? `${options.path}.model` : 'model';
  let id = DEFAULT_HARDWARE_MODEL;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'model' in raw) {
    const m = (raw as Record<string, unknown>).model;
    if (typeof m !== 'string' || !hardwareModelRegistry.has(m)) throw new ConfigError(p, m, `a registered hardware model (${hardwareModelRegistry.names().join(', ') || 'none'})`);
    id = m;
  }
  const model = getHardwareModel(id);
  return { model, config: model.validateConfig(raw, options.path, options) };
}

/**
 * Helper for `validateConfig` implementations: removes a `model` field equal to `id` (any other
 * value is an error naming the field), so a model accepts its own hardware files whole.
 */
export function stripModelField(raw: unknown, id: string, path?: string): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('model' in raw)) return raw;
  const { model, ...rest } = raw as Record<string, unknown>;
  if (model !== id) throw new ConfigError(path ? `${path}.model` : 'model', model, JSON.stringify(id));
  return rest;
}

/** Re-throws a `ConfigError` with its field prefixed by `path` (other errors unchanged). */
export function prefixConfigError<T>(path: string | undefined, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (path && e instanceof ConfigError) throw new ConfigError(`${path}.${e.field}`, e.value, e.allowed);
    throw e;
  }
}
