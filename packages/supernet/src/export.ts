import { CosearchError, DataError } from '@cosearch/core';
import { tf } from '@cosearch/backend';
import type { ImageSet } from '@cosearch/datasets';
import { validateSupernetConfig, type SupernetConfig } from './config';
import { validateArch, type SubnetArch } from './arch';
import { forward, type BnStat, type Region } from './forward';
import { loadArrays, saveArrays, type NamedArray } from './io';
import type { CalibrationOptions, Supernet } from './supernet';

export const SUBNET_FORMAT = 'cosearch-subnet-v1';

/** A standalone subnet: only its own (sliced) weights and BN statistics, no supernet. */
export class SubnetModel {
  private constructor(
    readonly config: SupernetConfig,
    readonly arch: SubnetArch,
    private readonly tensors: Map<string, tf.Tensor>,
    private readonly stats: Map<string, BnStat>,
  ) {}

  /** Logits [batch, classes] for NHWC images. */
  predict(x: tf.Tensor4D): tf.Tensor2D {
    const src = {
      get: (name: string, r: Region) => {
        const t = this.tensors.get(name);
        if (!t || t.shape.some((s, i) => s !== r.size[i])) throw new CosearchError(`exported subnet lacks ${name} of shape ${r.size.join('×')}`);
        return t;
      },
    };
    return tf.tidy(() => forward(this.config, this.arch, x, src, { bn: { kind: 'stats', stats: this.stats } }));
  }

  /** Number of stored weight values (parameters + BN statistics). */
  size(): number {
    let n = 0;
    for (const t of this.tensors.values()) n += t.size;
    return n;
  }

  dispose(): void {
    for (const t of this.tensors.values()) t.dispose();
    this.tensors.clear();
  }

  /** Loads what `exportSubnet` wrote (tfjs artefact layout: model.json + weights.bin). */
  static async load(dir: string): Promise<SubnetModel> {
    const { arrays, topology, format } = await loadArrays(dir);
    if (format !== SUBNET_FORMAT) throw new DataError(`${dir}/model.json`, `format ${JSON.stringify(format)}, expected ${SUBNET_FORMAT}`);
    const topo = topology as { config: unknown; arch: unknown };
    const config = validateSupernetConfig(topo.config, 'modelTopology.config');
    const arch = validateArch(config, topo.arch, 'modelTopology.arch');
    const tensors = new Map<string, tf.Tensor>();
    const stats = new Map<string, { mean?: Float32Array; variance?: Float32Array }>();
    for (const a of arrays.values()) {
      const m = /^bnstat\/(.+)\/(mean|variance)$/.exec(a.name);
      if (m) {
        const s = stats.get(m[1]) ?? {};
        s[m[2] as 'mean' | 'variance'] = a.data;
        stats.set(m[1], s);
      } else {
        tensors.set(a.name, tf.tensor(a.data, a.shape, 'float32'));
      }
    }
    return new SubnetModel(config, arch, tensors, stats as Map<string, BnStat>);
  }
}

/**
 * Writes a subnet as a standalone model: its weight slices (exactly the tensors its forward pass
 * reads) and its re-calibrated BN statistics, in the tfjs artefact layout through the plain-fs
 * IO handler. `SubnetModel.load(dir).predict(x)` reproduces the supernet's output for the arch.
 */
export async function exportSubnet(net: Supernet, arch: SubnetArch, dir: string, calibration: ImageSet, opts: CalibrationOptions = {}): Promise<void> {
  const stats = net.calibrate(arch, calibration, opts);
  const usage = new Map<string, Region>();
  tf.tidy(() => {
    forward(net.config, arch, tf.zeros([1, net.config.inputHeight, net.config.inputWidth, net.config.inputChannels]), net.source(), { bn: { kind: 'stats', stats }, usage });
  });
  const arrays: NamedArray[] = [];
  const src = net.source();
  for (const [name, r] of usage) {
    const data = tf.tidy(() => src.get(name, r).dataSync() as Float32Array);
    arrays.push({ name, shape: [...r.size], data: Float32Array.from(data) });
  }
  for (const [name, s] of stats) {
    arrays.push({ name: `bnstat/${name}/mean`, shape: [s.mean.length], data: s.mean });
    arrays.push({ name: `bnstat/${name}/variance`, shape: [s.variance.length], data: s.variance });
  }
  await saveArrays(dir, arrays, { config: net.config, arch }, SUBNET_FORMAT);
}
