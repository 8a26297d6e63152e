import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '@cosearch/core';
import { tf } from '@cosearch/backend';

/**
 * A tfjs `IOHandler` that reads and writes the standard tfjs artefact layout (`model.json` with a
 * `weightsManifest`, plus one `weights.bin`) with plain `fs`, so models save and load without
 * tfjs-node. Works with `model.save(fileSystemHandler(dir))` as well as with our own tensors.
 */
export function fileSystemHandler(dir: string): tf.io.IOHandler {
  const jsonPath = path.join(dir, 'model.json');
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      fs.mkdirSync(dir, { recursive: true });
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.concatenateArrayBuffers(
        Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]);
      fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(weightData));
      const json = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: artifacts.userDefinedMetadata,
      };
      fs.writeFileSync(jsonPath, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      if (!fs.existsSync(jsonPath)) throw new DataError(jsonPath, 'not found');
      let json: { format?: string; generatedBy?: string; modelTopology?: object; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata?: { [key: string]: {} } };
      try {
        json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
      } catch (e) {
        throw new DataError(jsonPath, `not valid JSON (${(e as Error).message})`);
      }
      const manifest = json.weightsManifest ?? [];
      const specs = manifest.flatMap((g) => g.weights);
      const buffers = manifest.flatMap((g) => g.paths.map((p) => {
        const file = path.join(dir, p);
        if (!fs.existsSync(file)) throw new DataError(file, 'weights file not found');
        const b = fs.readFileSync(file);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
      }));
      const weightData = tf.io.concatenateArrayBuffers(buffers);
      const expected = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
      if (weightData.byteLength !== expected) throw new DataError(path.join(dir, 'weights.bin'), `has ${weightData.byteLength} bytes, manifest needs ${expected}`);
      return { format: json.format, generatedBy: json.generatedBy, modelTopology: json.modelTopology, weightSpecs: specs, weightData, userDefinedMetadata: json.userDefinedMetadata };
    },
  };
}

export interface NamedArray { name: string; shape: number[]; data: Float32Array }

/** Saves named float32 arrays plus a JSON topology through `fileSystemHandler`. */
export async function saveArrays(dir: string, arrays: NamedArray[], topology: object, format: string): Promise<void> {
  const named = arrays.map((a) => ({ name: a.name, tensor: tf.tensor(a.data, a.shape, 'float32') }));
  try {
    const { data, specs } = await tf.io.encodeWeights(named);
    await fileSystemHandler(dir).save!({ format, generatedBy: 'cosearch', modelTopology: topology, weightSpecs: specs, weightData: data });
  } finally {
    named.forEach((n) => n.tensor.dispose());
  }
}

/** Loads what `saveArrays` wrote. */
export async function loadArrays(dir: string): Promise<{ arrays: Map<string, NamedArray>; topology: unknown; format?: string }> {
  const art = await fileSystemHandler(dir).load!();
  const map = tf.io.decodeWeights(art.weightData!, art.weightSpecs!);
  const arrays = new Map<string, NamedArray>();
  for (const [name, t] of Object.entries(map)) {
    arrays.set(name, { name, shape: t.shape, data: t.dataSync() as Float32Array });
    t.dispose();
  }
  return { arrays, topology: art.modelTopology, format: art.format };
}
