import { ConfigError, CosearchError, DataError, NotFoundError, showValue } from './errors';
import { asObject, booleanField, checkNumber, numberField, oneOf, rejectUnknownKeys, stringField } from './validate';
import { Registry } from './registry';

describe('validate helpers: ConfigError names field, value and what is allowed', () => {
  it('asObject / rejectUnknownKeys', () => {
    expect(asObject({ a: 1 }, 'cfg')).toEqual({ a: 1 });
    expect(() => asObject([1], 'cfg')).toThrow('invalid cfg: got [1], expected an object');
    expect(() => asObject(null, 'cfg')).toThrow('invalid cfg: got null, expected an object');
    expect(() => rejectUnknownKeys({ a: 1, zz: 2 }, 'cfg', ['a', 'b'])).toThrow('invalid cfg.zz: got 2, expected a known field (a, b)');
    expect(() => rejectUnknownKeys({ zz: 2 }, '', ['a'])).toThrow('invalid zz: got 2, expected a known field (a)');
  });

  it('checkNumber rules', () => {
    expect(checkNumber(3, 'x', { integer: true, min: 1, max: 3 })).toBe(3);
    expect(() => checkNumber(0, 'x', { above: 0 })).toThrow('invalid x: got 0, expected a number > 0');
    expect(() => checkNumber(2.5, 'x', { integer: true })).toThrow('invalid x: got 2.5, expected an integer');
    expect(() => checkNumber(4, 'x', { min: 1, max: 3 })).toThrow('invalid x: got 4, expected a number >= 1 <= 3');
    expect(() => checkNumber(NaN, 'x')).toThrow('invalid x: got NaN, expected a number');
    expect(() => checkNumber(Infinity, 'x')).toThrow(ConfigError);
    expect(() => checkNumber('3', 'x')).toThrow('invalid x: got "3", expected a number');
  });

  it('field readers apply defaults only when the field is absent', () => {
    expect(numberField({}, 'lr', 'opt', { above: 0 }, 0.1)).toBe(0.1);
    expect(() => numberField({ lr: -1 }, 'lr', 'opt', { above: 0 }, 0.1)).toThrow('invalid opt.lr: got -1, expected a number > 0');
    expect(() => numberField({}, 'lr', 'opt')).toThrow('invalid opt.lr: got undefined, expected a number');
    expect(stringField({}, 'name', 'p', 'x')).toBe('x');
    expect(() => stringField({ name: '' }, 'name', 'p')).toThrow('invalid p.name: got "", expected a non-empty string');
    expect(booleanField({ hard: false }, 'hard', 'r', true)).toBe(false);
    expect(() => booleanField({ hard: 'yes' }, 'hard', 'r')).toThrow('invalid r.hard: got "yes", expected true or false');
    expect(oneOf('a', 'k', ['a', 'b'] as const)).toBe('a');
    expect(() => oneOf('c', 'k', ['a', 'b'])).toThrow('invalid k: got "c", expected one of "a", "b"');
  });

  it('errors: one root class, clear one-line messages', () => {
    const e = new DataError('/tmp/x.bin', 'truncated');
    expect(e).toBeInstanceOf(CosearchError);
    expect(e.name).toBe('DataError');
    expect(e.message).toBe('/tmp/x.bin: truncated');
    expect(showValue('a')).toBe('"a"');
    expect(showValue({ a: 'x'.repeat(100) }).length).toBe(80);
    expect(new NotFoundError('policy', 'x', []).message).toBe('unknown policy "x"; available: (none)');
  });
});

describe('Registry', () => {
  const r = new Registry<number, { k: number }>('widget');
  r.register({ name: 'b-v1', description: 'B', create: (c) => c.k * 2 });
  r.register({ name: 'a-v1', description: 'A', defaults: { k: 1 }, create: (c) => c.k });

  it('creates by name, lists sorted, refuses duplicates unless replace', () => {
    expect(r.create('b-v1', { k: 4 })).toBe(8);
    expect(r.names()).toEqual(['a-v1', 'b-v1']);
    expect(r.list().map((e) => e.description)).toEqual(['A', 'B']);
    expect(() => r.register({ name: 'a-v1', description: '', create: () => 0 })).toThrow('widget "a-v1" is already registered (pass { replace: true } to override)');
    r.register({ name: 'a-v1', description: 'A2', create: () => 7 }, { replace: true });
    expect(r.create('a-v1', { k: 0 })).toBe(7);
    expect(r.has('c-v1')).toBe(false);
  });

  it('an unknown name lists what exists', () => {
    expect(() => r.get('c-v1')).toThrow(NotFoundError);
    expect(() => r.get('c-v1')).toThrow('unknown widget "c-v1"; available: a-v1, b-v1');
  });
});
