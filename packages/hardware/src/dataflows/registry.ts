import { Registry } from '@cosearch/core';
import type { Dataflow } from './types';
import { weightStationary } from './weight-stationary';
import { outputStationary } from './output-stationary';
import { rowStationary } from './row-stationary';
import { inputStationary } from './input-stationary';
import { systolic } from './systolic';

/** Dataflow templates by versioned name; `npu.dataflow` names one. Add your own with `register`. */
export const dataflowRegistry = new Registry<Dataflow, Record<string, never>>('dataflow');

const BUILT_IN: ReadonlyArray<[Dataflow, string]> = [
  [weightStationary, 'weight-stationary, NVDLA-like: C on rows, K on columns (KC-P)'],
  [outputStationary, 'output-stationary, ShiDianNao-like: output rows/cols on the array (YX-P)'],
  [rowStationary, 'row-stationary, Eyeriss-like: filter rows × channels on rows, output rows on columns'],
  [inputStationary, 'input-stationary: C on rows, output columns on columns, inputs held in PEs'],
  [systolic, 'TPU-like weight-stationary systolic array, SCALE-Sim fold time 2R + C + T − 2'],
];
for (const [df, description] of BUILT_IN) {
  dataflowRegistry.register({ name: df.name, description, create: () => df });
}

/** The dataflow plug-in of a name (throws NotFoundError listing the registered ones). */
export function getDataflow(name: string): Dataflow {
  return dataflowRegistry.create(name, {});
}
