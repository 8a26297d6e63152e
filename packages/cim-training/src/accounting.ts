import type { ProgramStats } from './crossbar/analog-matrix';

/**
 * Programming cost of training, per layer: pulses, device programming events, write energy
 * (pulses × per-pulse energy of the device) and write latency (row-serial: in each update the rows
 * of a layer are programmed one after another, the columns of a row in parallel, so a row takes
 * its largest pulse count × pulse time; with array-wide bulk programming an update takes the
 * largest pulse count of the whole layer × pulse time), and the fraction of weights programmed
 * per update.
 */
export interface LayerAccounting {
  layer: string;
  weights: number;
  /** Weight-update steps seen (optimizer steps). */
  updates: number;
  /** Steps in which the devices were actually programmed (differs with bulk programming). */
  programmingSteps: number;
  pulses: number;
  devicesProgrammed: number;
  weightsProgrammed: number;
  /** Devices read for program-and-verify. */
  verifyReads: number;
  writeEnergyJ: number;
  writeLatencyS: number;
  /** Mean over updates of weightsProgrammed / weights (program-and-verify corrections count again). */
  fractionProgrammedPerUpdate: number;
  /** Mean devices programmed per update. */
  devicesProgrammedPerUpdate: number;
}

export function emptyAccounting(layer: string, weights: number): LayerAccounting {
  return {
    layer, weights, updates: 0, programmingSteps: 0, pulses: 0, devicesProgrammed: 0, weightsProgrammed: 0, verifyReads: 0,
    writeEnergyJ: 0, writeLatencyS: 0, fractionProgrammedPerUpdate: 0, devicesProgrammedPerUpdate: 0,
  };
}

/** Adds one programming call to the layer's totals (derived means are refreshed). */
export function recordProgramming(
  acc: LayerAccounting,
  stats: ProgramStats,
  device: { pulseEnergyJ: number; pulseLatencyS: number },
  bulk: boolean,
): void {
  acc.pulses += stats.pulses;
  acc.devicesProgrammed += stats.devicesProgrammed;
  acc.weightsProgrammed += stats.weightsProgrammed;
  acc.writeEnergyJ += stats.pulses * device.pulseEnergyJ;
  acc.writeLatencyS += (bulk ? stats.maxPulses : stats.rowSerialPulses) * device.pulseLatencyS;
  refresh(acc);
}

/** Counts one optimizer step (whether or not anything was programmed). */
export function recordUpdate(acc: LayerAccounting, programmed: boolean): void {
  acc.updates++;
  if (programmed) acc.programmingSteps++;
  refresh(acc);
}

function refresh(acc: LayerAccounting): void {
  acc.fractionProgrammedPerUpdate = acc.updates > 0 ? acc.weightsProgrammed / (acc.updates * acc.weights) : 0;
  acc.devicesProgrammedPerUpdate = acc.updates > 0 ? acc.devicesProgrammed / acc.updates : 0;
}

/** Sum of the layers' accounting (the fraction is weighted by layer size). */
export function totalAccounting(layers: readonly LayerAccounting[]): LayerAccounting {
  const t = emptyAccounting('total', 0);
  for (const l of layers) {
    t.weights += l.weights;
    t.updates = Math.max(t.updates, l.updates);
    t.programmingSteps = Math.max(t.programmingSteps, l.programmingSteps);
    t.pulses += l.pulses;
    t.devicesProgrammed += l.devicesProgrammed;
    t.weightsProgrammed += l.weightsProgrammed;
    t.verifyReads += l.verifyReads;
    t.writeEnergyJ += l.writeEnergyJ;
    t.writeLatencyS += l.writeLatencyS;
  }
  refresh(t);
  return t;
}
