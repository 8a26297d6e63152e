import { createHash } from 'node:crypto';
import { CosearchError, type Candidate } from '@cosearch/core';
import type { EvalOutput } from '@cosearch/runner';

/**
 * What travels through Redis. A job is plain JSON data — the experiment config (minus its
 * executor sections) and one candidate — never code: the worker validates it field by field,
 * rebuilds the problem from the config through the runner's registries (unknown names are
 * errors) and checks the candidate against the problem's search space before evaluating.
 */
export interface JobPayload {
  v: 1;
  /** Experiment id (see `experimentId`). */
  experiment: string;
  seed: number;
  /** The candidate's key in the problem's space (checked by the worker). */
  key: string;
  /** The experiment config as plain JSON, without the `executor` and `redis` sections. */
  config: Record<string, unknown>;
  candidate: Candidate;
}

/** A worker's answer: metrics (JSON with non-finite numbers kept), or a candidate failure (deterministic). */
export type JobResult = { ok: true; output: string } | { ok: false; error: string };

/** A job payload that cannot be used; the worker fails it without retries. */
export class PayloadError extends CosearchError {}

/** Limits that keep a hostile payload from tying up a worker. */
export const MAX_CONFIG_BYTES = 256 * 1024;
export const MAX_DECISIONS = 4096;
const ID_PART = /^[A-Za-z0-9._-]{1,160}$/;

/** JSON with sorted object keys, so equal configs hash equally whatever their key order. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The config a worker evaluates with: everything except where evaluations run. */
export function workerConfig(raw: Record<string, unknown>, executorKeys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (k !== 'executor' && !executorKeys.includes(k)) out[k] = v;
  return out;
}

export function configHash(config: Record<string, unknown>): string {
  return sha256(stableStringify(config)).slice(0, 16);
}

/**
 * `<name>-<hash of the worker config>`. The config of a run folder holds its absolute output
 * path, so two runs of one config in two folders are two experiments, while a resumed run
 * (same config.json) finds its own jobs again.
 */
export function experimentId(name: string, config: Record<string, unknown>): string {
  return `${name}-${configHash(config).slice(0, 12)}`;
}

/** Deterministic job id: experiment + candidate + seed (BullMQ ids may not contain ':'). */
export function jobId(experiment: string, key: string, seed: number): string {
  return `${experiment}.${sha256(key).slice(0, 20)}.s${seed}`;
}

/** JSON that keeps NaN and ±Infinity (plain JSON turns them into null). */
export function encodeOutput(o: EvalOutput): string {
  return JSON.stringify(o, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v));
}

export function decodeOutput(text: string): EvalOutput {
  const o = JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$num') return Number((v as { $num: string }).$num);
    }
    return v;
  }) as EvalOutput;
  if (!o || typeof o !== 'object' || !o.metrics || typeof o.metrics !== 'object') throw new PayloadError('result without metrics');
  return o;
}

function plainObject(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) {
    throw new PayloadError(`${what} is not a JSON object`);
  }
  return v as Record<string, unknown>;
}

/**
 * Structural checks of a job's data before anything else looks at it. The config itself is
 * validated next by the runner (as any config file), and the candidate against the space.
 */
export function validatePayload(data: unknown): JobPayload {
  const o = plainObject(data, 'job data');
  const known = ['v', 'experiment', 'seed', 'key', 'config', 'candidate'];
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length) throw new PayloadError(`unknown field(s) ${extra.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`);
  if (o.v !== 1) throw new PayloadError(`payload version ${JSON.stringify(o.v)} (this worker reads version 1)`);
  if (typeof o.experiment !== 'string' || !ID_PART.test(o.experiment)) throw new PayloadError('experiment is not an id of letters, digits, ".", "_", "-"');
  if (typeof o.seed !== 'number' || !Number.isInteger(o.seed) || o.seed < 0 || o.seed > 2 ** 31 - 1) throw new PayloadError('seed is not a 31-bit non-negative integer');
  if (typeof o.key !== 'string' || o.key.length > 65536) throw new PayloadError('key is not a string');
  const config = plainObject(o.config, 'config');
  if (JSON.stringify(config).length > MAX_CONFIG_BYTES) throw new PayloadError(`config is larger than ${MAX_CONFIG_BYTES} bytes`);
  if ('executor' in config || 'redis' in config) throw new PayloadError('config names an executor (workers evaluate locally only)');
  const candidate = plainObject(o.candidate, 'candidate');
  const entries = Object.entries(candidate);
  if (entries.length > MAX_DECISIONS) throw new PayloadError(`candidate has more than ${MAX_DECISIONS} decisions`);
  for (const [k, v] of entries) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) throw new PayloadError(`candidate decision ${JSON.stringify(k.slice(0, 80))} is not a string, number or boolean`);
  }
  return { v: 1, experiment: o.experiment, seed: o.seed, key: o.key, config, candidate: candidate as Candidate };
}
