import fc from 'fast-check';
import { CandidateError, ConfigError } from './errors';
import { Rng } from './rng';
import { SearchSpace, type Candidate, type Constraint, type Decision } from './space';

const decisions: Decision[] = [
  { name: 'width', phase: 'network', choices: [16, 32, 64] },
  { name: 'block', phase: 'network', choices: ['mbconv', 'vit'] },
  { name: 'adcBits', phase: 'hardware', choices: [4, 6, 8] },
  { name: 'cim', phase: 'hardware', choices: [true, false] },
  { name: 'voltageV', phase: 'system', choices: [0.6, 0.8, 1.0] },
];

/** ViT blocks must run on the NPU (no CIM); 8-bit ADCs need ≥ 0.8 V. */
const vitNoCim: Constraint = {
  name: 'vit-no-cim',
  decisions: ['block', 'cim'],
  check: (p) => (p.block === undefined || p.cim === undefined ? null : p.block === 'vit' && p.cim === true ? 'vit blocks cannot map to CIM' : null),
};
const adcVoltage: Constraint = {
  name: 'adc-voltage',
  decisions: ['adcBits', 'voltageV'],
  check: (p) => (p.adcBits === undefined || p.voltageV === undefined ? null : p.adcBits === 8 && (p.voltageV as number) < 0.8 ? '8-bit ADC needs >= 0.8 V' : null),
};

describe('SearchSpace', () => {
  const space = new SearchSpace(decisions, [vitNoCim, adcVoltage]);

  it('cardinality, phases, names', () => {
    expect(space.cardinality()).toBe(3 * 2 * 3 * 2 * 3);
    expect(space.log10Cardinality()).toBeCloseTo(Math.log10(108), 12);
    expect(space.phases()).toEqual(['network', 'hardware', 'system']);
    expect(space.names()).toEqual(['width', 'block', 'adcBits', 'cim', 'voltageV']);
  });

  it('encode/decode round-trip over every candidate index vector (property)', () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(2), fc.nat(1), fc.nat(2), fc.nat(1), fc.nat(2)), (idx) => {
        const c = space.decode(idx);
        expect(space.encode(c)).toEqual(idx);
        expect(space.decode(space.encode(c))).toEqual(c);
        // JSON round trip keeps types (number 1 vs '1', booleans).
        expect(space.encode(JSON.parse(JSON.stringify(c)))).toEqual(idx);
      }),
      { seed: 1, numRuns: 200 },
    );
    expect(space.key({ width: 64, block: 'vit', adcBits: 4, cim: false, voltageV: 1.0 })).toBe('2.1.0.1.2');
  });

  it('validation errors name the decision, the value and the allowed ones', () => {
    const good: Candidate = { width: 16, block: 'mbconv', adcBits: 4, cim: true, voltageV: 0.6 };
    expect(() => space.validate(good)).not.toThrow();
    expect(() => space.validate({ ...good, width: 48 })).toThrow(CandidateError);
    expect(() => space.validate({ ...good, width: 48 })).toThrow('decision width: 48 is not allowed; allowed: 16, 32, 64');
    expect(() => space.validate({ ...good, block: 'cnn' })).toThrow('decision block: "cnn" is not allowed; allowed: "mbconv", "vit"');
    expect(() => space.validate({ ...good, width: '16' })).toThrow(/decision width: "16" is not allowed/); // type matters
    const { cim: _drop, ...missing } = good;
    expect(() => space.validate(missing)).toThrow('missing decision cim; allowed: true, false');
    expect(() => space.validate({ ...good, depth: 3 })).toThrow('unknown decision "depth"; the space has: width, block, adcBits, cim, voltageV');
    expect(() => space.decode([0, 0, 0, 0])).toThrow('expected 5 indices, got 4');
    expect(() => space.decode([0, 2, 0, 0, 0])).toThrow('index 2 out of range for decision block (0..1)');
  });

  it('rejects malformed spaces with ConfigError', () => {
    expect(() => new SearchSpace([{ name: 'a', phase: 'x', choices: [] }])).toThrow(ConfigError);
    expect(() => new SearchSpace([{ name: 'a', phase: 'x', choices: [1, 1] }])).toThrow(/decisions\.a\.choices\[1\]: got 1, expected distinct choices/);
    expect(() => new SearchSpace([decisions[0], decisions[0]])).toThrow(/a name not used by another decision/);
    expect(() => new SearchSpace([decisions[0]], [vitNoCim])).toThrow(/constraints\.vit-no-cim\.decisions: got "block", expected one of width/);
  });

  it('violations and feasibleMask follow the constraints on partial candidates', () => {
    expect(space.violations({ block: 'vit', cim: true })).toEqual(['vit-no-cim: vit blocks cannot map to CIM']);
    expect(space.isFeasible({ block: 'vit' })).toBe(true); // cim not assigned yet
    expect(space.feasibleMask({ width: 16, block: 'vit' }, 'cim')).toEqual([false, true]);
    expect(space.feasibleMask({ width: 16, block: 'mbconv' }, 'cim')).toEqual([true, true]);
    expect(space.feasibleMask({ adcBits: 8 }, 'voltageV')).toEqual([false, true, true]);
    expect(space.feasibleMask({}, 'width')).toEqual([true, true, true]); // unconstrained decision
  });

  it('sample never returns an infeasible candidate and reaches every feasible one', () => {
    const rng = new Rng(3);
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const c = space.sample(rng);
      expect(space.violations(c)).toEqual([]);
      seen.add(space.key(c));
    }
    // Brute force: count feasible candidates over all 108.
    let feasible = 0;
    for (let k = 0; k < 108; k++) {
      let r = k;
      const idx = [3, 2, 3, 2, 3].map((m) => { const v = r % m; r = Math.floor(r / m); return v; });
      if (space.isFeasible(space.decode(idx))) feasible++;
    }
    expect(feasible).toBe(108 - 3 * 1 * 3 * 1 * 3 /* vit+cim */ - 3 * 2 * 1 * 2 * 1 /* 8-bit at 0.6 V */ + 3 * 1 * 1 * 1 * 1 /* both */);
    expect(seen.size).toBe(feasible);
  });

  it('sample is deterministic per seed and honours fixed choices (masks see them)', () => {
    expect(space.sample(new Rng(5))).toEqual(space.sample(new Rng(5)));
    for (let i = 0; i < 200; i++) {
      const c = space.sample(new Rng(i), { cim: true, voltageV: 0.6 });
      expect(c.cim).toBe(true);
      expect(c.block).toBe('mbconv'); // vit would break vit-no-cim
      expect(c.adcBits).not.toBe(8); // 8-bit ADC would break adc-voltage
      expect(Object.keys(c)).toEqual(space.names()); // decision order
    }
    expect(() => space.sample(new Rng(1), { cim: 'yes' })).toThrow('decision cim: "yes" is not allowed; allowed: true, false');
    expect(() => space.sample(new Rng(1), { depth: 2 })).toThrow(/unknown decision "depth"/);
    const tight = new SearchSpace(decisions.slice(1, 4), [vitNoCim]);
    expect(() => tight.sample(new Rng(1), { block: 'vit', cim: true })).toThrow(/infeasible: vit-no-cim/);
  });

  it('restrict keeps the phases and the constraints fully inside them; merge concatenates', () => {
    const hw = space.restrict(['hardware', 'system']);
    expect(hw.names()).toEqual(['adcBits', 'cim', 'voltageV']);
    expect(hw.constraints.map((c) => c.name)).toEqual(['adc-voltage']);
    const net = space.restrict(['network']);
    expect(net.constraints).toEqual([]);
    const merged = SearchSpace.merge(net, hw);
    expect(merged.names()).toEqual(space.names());
    expect(merged.cardinality()).toBe(space.cardinality());
    expect(() => SearchSpace.merge(net, net)).toThrow(ConfigError);
    expect(space.toJSON().constraints).toEqual(['vit-no-cim', 'adc-voltage']);
  });
});
