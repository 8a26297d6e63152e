import { adamwUpdate, tf } from '@cosearch/backend';
import type { NamedArray } from './io';

/**
 * AdamW (Loshchilov & Hutter 2019) over the supernet's named variables. Written out (rather than
 * tf.train.adam) so its state is plain named arrays for checkpoints, and so a step can take a
 * per-parameter learning-rate scale. Parameters without a gradient this step are left untouched
 * (their moments do not decay), so blocks a step did not sample keep their state.
 */
export class AdamW {
  step = 0;
  private m = new Map<string, tf.Variable>();
  private v = new Map<string, tf.Variable>();

  constructor(readonly beta1 = 0.9, readonly beta2 = 0.999, readonly eps = 1e-8) {}

  /** Applies one update. `decay(name)` gives the decoupled weight-decay rate, `scale(name)` an lr multiplier. */
  apply(vars: ReadonlyMap<string, tf.Variable>, grads: ReadonlyMap<string, tf.Tensor>, lr: number, decay: (name: string) => number, scale: (name: string) => number = () => 1): void {
    this.step++;
    tf.tidy(() => {
      for (const [name, g] of grads) {
        const w = vars.get(name)!;
        const m = this.slot(this.m, name, w);
        const v = this.slot(this.v, name, w);
        // One fused SIMD kernel per parameter on wasm (@cosearch/backend), tfjs ops elsewhere.
        const [w2, m2, v2] = adamwUpdate(w, m, v, g, {
          lr: lr * scale(name), step: this.step, beta1: this.beta1, beta2: this.beta2, epsilon: this.eps, decay: decay(name),
        });
        m.assign(m2);
        v.assign(v2);
        w.assign(w2);
      }
    });
  }

  private slot(map: Map<string, tf.Variable>, name: string, like: tf.Variable): tf.Variable {
    let s = map.get(name);
    if (!s) {
      s = tf.variable(tf.zerosLike(like), false);
      map.set(name, s);
    }
    return s;
  }

  /** State as named arrays (`m/<param>`, `v/<param>`) plus the step count. */
  state(): { step: number; arrays: NamedArray[] } {
    const arrays: NamedArray[] = [];
    for (const [prefix, map] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, t] of map) arrays.push({ name: `${prefix}/${name}`, shape: t.shape, data: t.dataSync() as Float32Array });
    }
    return { step: this.step, arrays };
  }

  restore(step: number, arrays: Iterable<NamedArray>): void {
    this.dispose();
    this.step = step;
    for (const a of arrays) {
      const [prefix, ...rest] = a.name.split('/');
      const map = prefix === 'm' ? this.m : this.v;
      map.set(rest.join('/'), tf.variable(tf.tensor(a.data, a.shape), false));
    }
  }

  dispose(): void {
    for (const map of [this.m, this.v]) {
      for (const t of map.values()) t.dispose();
      map.clear();
    }
  }
}
