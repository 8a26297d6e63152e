import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '@cosearch/core';

/** A trained network as plain data: what cim-eval programs onto simulated chips. */
export interface TrainedModel {
  format: 'cosearch-cim-model-v1';
  model: string;
  inputShape: [number, number, number];
  numClasses: number;
  /** Scheme it was trained with (e.g. 'hwa-v1'). */
  scheme: string;
  layers: { name: string; rows: number; cols: number; weights: Float32Array; bias: Float32Array }[];
  /** Learned activation clips (hwa): one per hidden ReLU, with their bits. */
  clips?: { alphas: number[]; bits: number };
  /** Weight bits the network was trained for (hwa), the default when programming it. */
  weightBits?: number;
}

const FILE = 'model.json';

export function saveTrainedModel(model: TrainedModel, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const json = {
    ...model,
    layers: model.layers.map((l) => ({ ...l, weights: Array.from(l.weights), bias: Array.from(l.bias) })),
  };
  const file = path.join(dir, FILE);
  fs.writeFileSync(file, JSON.stringify(json));
  return file;
}

/** Loads `DIR/model.json` (or a file path); a missing or malformed file is a DataError. */
export function loadTrainedModel(dirOrFile: string): TrainedModel {
  const file = dirOrFile.endsWith('.json') ? dirOrFile : path.join(dirOrFile, FILE);
  if (!fs.existsSync(file)) throw new DataError(file, 'no such file (train one with `cosearch cim-train --out DIR`)');
  let raw: TrainedModel & { layers: { weights: number[]; bias: number[] }[] };
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(file, `not JSON (${(e as Error).message})`);
  }
  if (raw.format !== 'cosearch-cim-model-v1' || !Array.isArray(raw.layers)) throw new DataError(file, 'not a cosearch-cim-model-v1 file');
  for (const l of raw.layers) {
    if (!Array.isArray(l.weights) || l.weights.length !== l.rows * l.cols) throw new DataError(file, `layer ${l.name}: weights do not match ${l.rows}×${l.cols}`);
  }
  return { ...raw, layers: raw.layers.map((l) => ({ ...l, weights: Float32Array.from(l.weights), bias: Float32Array.from(l.bias) })) };
}
