import * as tf from '@tensorflow/tfjs';
import { ConfigError, CosearchError } from '@cosearch/core';
import { activeBackend, BackendUnavailableError, initBackend } from './init';

const nodeInstalled = (() => {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

describe('initBackend', () => {
  const saved = process.env.COSEARCH_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.COSEARCH_BACKEND;
    else process.env.COSEARCH_BACKEND = saved;
  });
  afterAll(() => tf.setBackend('cpu'));

  // First, while nothing is active yet.
  test('without a choice it takes the best available (tfjs-node if installed, else wasm) and logs it', async () => {
    delete process.env.COSEARCH_BACKEND;
    const lines: string[] = [];
    const expected = nodeInstalled ? 'tensorflow' : 'wasm';
    expect(await initBackend({ log: (l) => lines.push(l) })).toBe(expected);
    expect(tf.getBackend()).toBe(expected);
    expect(lines).toEqual([`[cosearch] tfjs backend: ${expected}`]);
  });

  test('the option forces cpu', async () => {
    expect(await initBackend({ backend: 'cpu', quiet: true })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(activeBackend()).toBe('cpu');
  });

  test('COSEARCH_BACKEND=wasm switches back to wasm, logs it, and the gradient kernels are there', async () => {
    process.env.COSEARCH_BACKEND = 'wasm';
    const lines: string[] = [];
    expect(await initBackend({ log: (l) => lines.push(l) })).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toEqual(['[cosearch] tfjs backend: wasm']);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    // a conv gradient really runs on wasm
    const g = tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')))(tf.ones([3, 3, 1, 1]));
    expect(Array.from(g.dataSync())).toEqual(new Array(9).fill(4));
  });

  test('a second call with the same choice is a no-op (no second log line)', async () => {
    process.env.COSEARCH_BACKEND = 'wasm';
    await initBackend({ quiet: true });
    const lines: string[] = [];
    expect(await initBackend({ log: (l) => lines.push(l) })).toBe('wasm');
    expect(lines).toEqual([]);
  });

  test('an invalid COSEARCH_BACKEND is a ConfigError naming the variable, the value and the choices', async () => {
    process.env.COSEARCH_BACKEND = 'gpu';
    const err = await initBackend({ quiet: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe('invalid COSEARCH_BACKEND: got "gpu", expected one of "tensorflow", "wasm", "cpu"');
  });

  test('an invalid option names the option', async () => {
    await expect(initBackend({ backend: 'webgl' as never, quiet: true })).rejects.toThrow('invalid backend: got "webgl"');
  });

  test('a forced backend that cannot load is an error, not a silent fallback', async () => {
    process.env.COSEARCH_BACKEND = 'tensorflow';
    if (nodeInstalled) {
      expect(await initBackend({ quiet: true })).toBe('tensorflow');
      return;
    }
    const err = await initBackend({ quiet: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err).toBeInstanceOf(CosearchError);
    expect((err as Error).message).toMatch(/^no usable tfjs backend \(tensorflow: @tensorflow\/tfjs-node could not be loaded/);
  });

  test('an unforced call keeps the backend that is already active', async () => {
    await initBackend({ backend: 'cpu', quiet: true });
    process.env.COSEARCH_BACKEND = ''; // an empty variable counts as unset
    const lines: string[] = [];
    expect(await initBackend({ log: (l) => lines.push(l) })).toBe('cpu');
    expect(lines).toEqual([]);
  });
});
