import { CosearchError, NotFoundError } from '@cosearch/core';
import { datasetRegistry, datasetShape, loadDataset, type DatasetSplits } from './index';

describe('datasetRegistry', () => {
  it('lists the built-in loaders', () => {
    expect(datasetRegistry.names()).toEqual(expect.arrayContaining(['cifar10', 'cifar100', 'fashion-mnist', 'mnist', 'synthetic']));
  });

  it('runs a user loader by name with a validated, defaulted config', () => {
    const seen: unknown[] = [];
    const one = { images: new Float32Array(1), labels: new Int32Array(1), n: 1, height: 1, width: 1, channels: 1, numClasses: 1 };
    datasetRegistry.register({
      name: 'tiny-test-v1',
      description: 'one pixel',
      create: (config): DatasetSplits => {
        seen.push(config);
        return { name: 'tiny-test-v1', train: one, val: one, test: one };
      },
    });
    expect(loadDataset({ name: 'tiny-test-v1', seed: 3 }).name).toBe('tiny-test-v1');
    expect(seen[0]).toMatchObject({ name: 'tiny-test-v1', seed: 3, valFraction: 0.1 });
    expect(datasetShape({ name: 'tiny-test-v1' })).toBeUndefined(); // unknown without loading
    expect(() => datasetRegistry.register({ name: 'tiny-test-v1', description: '', create: () => ({}) as DatasetSplits })).toThrow(CosearchError);
  });

  it('datasetShape matches what the loaders return, without loading', () => {
    const config = { name: 'synthetic', options: { height: 5, width: 6, channels: 2, numClasses: 3, samples: 30 } };
    const d = loadDataset(config);
    expect(datasetShape(config)).toEqual({ height: d.train.height, width: d.train.width, channels: d.train.channels, numClasses: d.train.numClasses });
    expect(datasetShape({ name: 'mnist' })).toEqual({ height: 28, width: 28, channels: 1, numClasses: 10 }); // checked against the data in mnist.test.ts
    expect(datasetShape({ name: 'cifar100', path: '/nowhere', labelMode: 'coarse' })).toEqual({ height: 32, width: 32, channels: 3, numClasses: 20 });
    expect(datasetShape({ name: 'fashion-mnist', path: '/nowhere' })).toEqual({ height: 28, width: 28, channels: 1, numClasses: 10 });
    expect(() => datasetShape({ name: 'synthetic', options: { height: 0 } })).toThrow(/dataset\.options\.height/);
  });

  it('an unknown name lists what exists', () => {
    expect(() => datasetRegistry.get('imagenet')).toThrow(NotFoundError);
    expect(() => datasetRegistry.get('imagenet')).toThrow(/unknown dataset "imagenet"; available: .*mnist/);
  });
});
