import * as tf from '@tensorflow/tfjs';
import { CosearchError, oneOf } from '@cosearch/core';
import { registerWasmGradientKernels } from './wasm-kernels';

/** The tfjs backends cosearch knows, in order of preference. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCE: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface InitBackendOptions {
  /** Force one backend (else the `COSEARCH_BACKEND` environment variable, else the best available). */
  backend?: BackendName;
  /** Where the "tfjs backend: …" line goes (default: stderr). */
  log?: (line: string) => void;
  /** Do not print the line. */
  quiet?: boolean;
}

/** A backend that was asked for (option or COSEARCH_BACKEND) but cannot start here. */
export class BackendUnavailableError extends CosearchError {}

let active: BackendName | null = null;

/** Loads tfjs-node if it is installed (optional dependency: it cannot install everywhere). */
function tryLoadNode(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-node');
  } catch (err) {
    return `@tensorflow/tfjs-node could not be loaded (${(err as Error).message.split('\n')[0]})`;
  }
  return tf.engine().registryFactory['tensorflow'] !== undefined ? null : '@tensorflow/tfjs-node loaded but registered no backend';
}

/** Loads the wasm backend and adds the gradient kernels it lacks. */
function tryLoadWasm(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    return `@tensorflow/tfjs-backend-wasm could not be loaded (${(err as Error).message.split('\n')[0]})`;
  }
  registerWasmGradientKernels();
  return null;
}

/** Why `name` cannot be used here, or null when it can. */
function load(name: BackendName): string | null {
  if (name === 'tensorflow') return tryLoadNode();
  if (name === 'wasm') return tryLoadWasm();
  return null; // cpu ships with @tensorflow/tfjs
}

/**
 * Picks and initialises the tfjs backend: tfjs-node when installed, else wasm (with the
 * gradient kernels it lacks registered by cosearch), else the pure-JS cpu backend. The
 * `backend` option, else the environment variable `COSEARCH_BACKEND` (tensorflow | wasm | cpu),
 * forces one; a forced backend that cannot start is an error, not a silent fallback.
 * Idempotent; calling it again with another forced backend switches.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  const raw = options.backend ?? (process.env.COSEARCH_BACKEND || undefined);
  const field = options.backend !== undefined ? 'backend' : 'COSEARCH_BACKEND';
  const forced = raw === undefined ? undefined : oneOf(raw, field, BACKEND_PREFERENCE);
  if (active !== null && tf.getBackend() === active && (forced === undefined || forced === active)) return active;
  const reasons: string[] = [];
  for (const name of forced ? [forced] : BACKEND_PREFERENCE) {
    const problem = load(name);
    if (problem === null && (await tf.setBackend(name))) {
      await tf.ready();
      active = name;
      if (!options.quiet) (options.log ?? ((l: string) => process.stderr.write(l + '\n')))(`[cosearch] tfjs backend: ${name}`);
      return name;
    }
    reasons.push(`${name}: ${problem ?? 'initialisation failed'}`);
  }
  throw new BackendUnavailableError(`no usable tfjs backend (${reasons.join('; ')})`);
}

/** The backend `initBackend` activated, or null before it ran. */
export function activeBackend(): BackendName | null {
  return active;
}

export { tf };
