import { asObject, checkNumber, ConfigError, rejectUnknownKeys, stringField, type Obj } from '@cosearch/core';
import { deviceModelRegistry } from './registry';
import type { DeviceParams } from './types';

const FIELDS = [
  'model', 'gMinSiemens', 'gMaxSiemens', 'dgMin', 'levels', 'upDownAsymmetry', 'nlLtp', 'nlLtd', 'dgStdD2d',
  'boundsStdD2d', 'c2cStd', 'stuckAtMinProb', 'stuckAtMaxProb', 'readNoise', 'programmingNoise', 'pulseEnergyJ',
  'pulseLatencyS', 'citation',
] as const;

/** Validates a plain-JSON device description (e.g. from a user's config); fills no defaults. */
export function validateDeviceParams(raw: unknown, path = 'device'): DeviceParams {
  const o: Obj = asObject(raw, path);
  rejectUnknownKeys(o, path, FIELDS);
  const num = (k: string, rule: Parameters<typeof checkNumber>[2]) => checkNumber(o[k], `${path}.${k}`, rule);
  const model = stringField(o, 'model', path);
  if (!deviceModelRegistry.has(model)) throw new ConfigError(`${path}.model`, model, `one of ${deviceModelRegistry.names().join(', ')}`);
  const p: DeviceParams = {
    model,
    gMinSiemens: num('gMinSiemens', { min: 0 }),
    gMaxSiemens: num('gMaxSiemens', { above: 0 }),
    dgMin: num('dgMin', { above: 0, max: 1 }),
    levels: num('levels', { min: 1 }),
    upDownAsymmetry: num('upDownAsymmetry', { above: -1, max: 0.99 }),
    nlLtp: num('nlLtp', {}),
    nlLtd: num('nlLtd', {}),
    dgStdD2d: num('dgStdD2d', { min: 0, max: 2 }),
    boundsStdD2d: num('boundsStdD2d', { min: 0, max: 0.5 }),
    c2cStd: num('c2cStd', { min: 0, max: 1 }),
    stuckAtMinProb: num('stuckAtMinProb', { min: 0, max: 1 }),
    stuckAtMaxProb: num('stuckAtMaxProb', { min: 0, max: 1 }),
    readNoise: num('readNoise', { min: 0, max: 1 }),
    programmingNoise: num('programmingNoise', { min: 0, max: 1 }),
    pulseEnergyJ: num('pulseEnergyJ', { min: 0 }),
    pulseLatencyS: num('pulseLatencyS', { min: 0 }),
    citation: typeof o.citation === 'string' ? o.citation : '',
  };
  if (p.gMaxSiemens <= p.gMinSiemens) throw new ConfigError(`${path}.gMaxSiemens`, p.gMaxSiemens, `> gMinSiemens (${p.gMinSiemens})`);
  if (p.stuckAtMinProb + p.stuckAtMaxProb > 1) throw new ConfigError(`${path}.stuckAtMaxProb`, p.stuckAtMaxProb, 'stuckAtMinProb + stuckAtMaxProb <= 1');
  return p;
}
