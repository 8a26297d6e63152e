import { validateSnnConfig, SNN_DEFAULTS } from './config';

describe('validateSnnConfig', () => {
  it('fills the defaults', () => {
    expect(validateSnnConfig({})).toEqual(SNN_DEFAULTS);
  });
  it.each([
    [{ steps: 0 }, /^invalid snn\.steps: got 0, expected an integer >= 1$/],
    [{ steps: -4 }, /^invalid snn\.steps: got -4/],
    [{ threshold: -0.5 }, /^invalid snn\.threshold: got -0\.5, expected a number > 0$/],
    [{ encoding: 'burst' }, /^invalid snn\.encoding: got "burst", expected one of "isi", "rate", "ttfs"$/],
    [{ refractorySteps: 40, steps: 32 }, /^invalid snn\.refractorySteps: got 40, expected an integer < steps \(32\)$/],
    [{ stepz: 3 }, /^invalid snn\.stepz: got 3, expected a known field/],
  ])('rejects %j with one line naming the field', (raw, msg) => {
    expect(() => validateSnnConfig(raw)).toThrow(msg);
    try {
      validateSnnConfig(raw);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });
});
