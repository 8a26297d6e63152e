import * as tf from '@tensorflow/tfjs';
import { registerWasmGradientKernels } from './wasm-kernels';

/** The tfjs backends cosearch knows, in order of preference. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const PREFERENCE: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface InitBackendOptions {
  /** Force one backend (else `COSEARCH_BACKEND`, else the best available). */
  backend?: BackendName;
  /** Print which backend is active (default: true unless `quiet`). */
  log?: (line: string) => void;
  quiet?: boolean;
}

let active: BackendName | null = null;

/** Loads tfjs-node if it is installed (optional dependency: it cannot install everywhere). */
function tryLoadNode(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-node');
    return tf.findBackend('tensorflow') !== undefined || tf.engine().registryFactory['tensorflow'] !== undefined;
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-backend-wasm');
    registerWasmGradientKernels();
    return true;
  } catch {
    return false;
  }
}

/**
 * Picks and initialises the tfjs backend: tfjs-node when installed, else wasm (with the
 * gradient kernels it lacks registered by cosearch), else the pure-JS cpu backend. The
 * environment variable `COSEARCH_BACKEND` (tensorflow | wasm | cpu) forces one. Idempotent.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  const forced = (options.backend ?? process.env.COSEARCH_BACKEND) as BackendName | undefined;
  if (forced !== undefined && !PREFERENCE.includes(forced)) {
    throw new Error(`COSEARCH_BACKEND=${JSON.stringify(forced)} is not a backend; allowed: ${PREFERENCE.join(', ')}`);
  }
  if (active !== null && (forced === undefined || forced === active)) return active;
  const order = forced ? [forced] : PREFERENCE;
  for (const name of order) {
    const available = name === 'tensorflow' ? tryLoadNode() : name === 'wasm' ? await tryWasm() : true;
    if (!available) continue;
    if (await tf.setBackend(name)) {
      await tf.ready();
      active = name;
      const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
      if (!options.quiet) log(`[cosearch] tfjs backend: ${name}`);
      return name;
    }
  }
  throw new Error(`could not initialise tfjs backend ${forced ?? PREFERENCE.join(' / ')}`);
}

/** The active backend's name, or null before `initBackend`. */
export function activeBackend(): BackendName | null {
  return active;
}

export { tf };
