/**
 * Adam (Kingma & Ba 2015) on a flat Float64Array of parameters, as a gradient *ascent* step
 * (policies maximise expected reward). Its whole state (moments and step count) is plain
 * numbers, so a checkpoint restores it exactly.
 */
export interface AdamState {
  t: number;
  m: number[];
  v: number[];
}

export class Adam {
  t = 0;
  m: Float64Array;
  v: Float64Array;

  constructor(size: number, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly eps = 1e-8) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** params += lr · m̂ / (√v̂ + ε) for the gradient `grad` of the objective to maximise. */
  ascend(params: Float64Array, grad: Float64Array, lr: number): void {
    this.t += 1;
    const b1 = this.beta1, b2 = this.beta2;
    const c1 = 1 - Math.pow(b1, this.t), c2 = 1 - Math.pow(b2, this.t);
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      this.m[i] = b1 * this.m[i] + (1 - b1) * g;
      this.v[i] = b2 * this.v[i] + (1 - b2) * g * g;
      params[i] += (lr * (this.m[i] / c1)) / (Math.sqrt(this.v[i] / c2) + this.eps);
    }
  }

  state(): AdamState {
    return { t: this.t, m: Array.from(this.m), v: Array.from(this.v) };
  }

  restore(s: AdamState): void {
    this.t = s.t;
    this.m = Float64Array.from(s.m);
    this.v = Float64Array.from(s.v);
  }
}
