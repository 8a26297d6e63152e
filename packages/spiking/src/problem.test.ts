import { problemRegistry } from '@cosearch/runner';
import { archOf, spikingSpace, validateSpikingProblem } from './problem';
import { layerShapes } from './arch';

describe('spiking-v1 problem', () => {
  it('registers itself with the runner, owning the `spiking` section', () => {
    expect(problemRegistry.has('spiking-v1')).toBe(true);
    expect((problemRegistry.get('spiking-v1') as unknown as { keys: string[] }).keys).toEqual(['spiking']);
  });

  it('searches SNN hyperparameters (network phase) with the spiking tile (hardware phase)', () => {
    const s = spikingSpace();
    const byPhase = (p: string) => s.decisions.filter((d) => d.phase === p).map((d) => d.name);
    expect(byPhase('network')).toEqual(['snn.convFilters', 'snn.hiddenUnits', 'snn.encoding', 'snn.steps', 'snn.threshold', 'snn.leak']);
    expect(byPhase('hardware')).toEqual(['spike.crossbar', 'spike.device', 'spike.readPulseS']);
    const shapes = layerShapes(archOf({ 'snn.convFilters': 8, 'snn.hiddenUnits': 64 }));
    expect(shapes.map((l) => [l.rows, l.cols])).toEqual([[25, 8], [72, 16], [400, 64], [64, 10]]);
  });

  it('rejects bad config with one line naming the field', () => {
    expect(() => validateSpikingProblem({ dataset: 'cifar10' })).toThrow(/^invalid spiking\.dataset: got "cifar10", expected one of "mnist", "fashion-mnist"$/);
    expect(() => validateSpikingProblem({ valImages: 0 })).toThrow(/^invalid spiking\.valImages: got 0/);
    expect(() => validateSpikingProblem({ epoch: 3 })).toThrow(/^invalid spiking\.epoch: got 3, expected a known field/);
  });
});
