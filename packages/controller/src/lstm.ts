import { CandidateError, type Rng } from '@cosearch/core';

/**
 * The autoregressive LSTM controller of Zoph & Le (ICLR 2017) / ENAS (Pham et al. 2018),
 * written out on Float64Arrays with an analytic backward pass (BPTT) instead of tfjs: the
 * model is tiny (one cell, a few thousand weights), a hand-written pass is ~100× faster than
 * dispatching tfjs kernels per step, bit-for-bit deterministic, and its weights/optimizer state
 * are plain numbers that checkpoint exactly. The gradients are checked against finite
 * differences and against tfjs autodiff in the tests.
 *
 * Step t (one per decision, in space order): input x_t = embedding of the previous decision's
 * chosen value (a learned start vector at t = 0), LSTM cell (gates i, f, g, o), then the
 * decision's own softmax head: z = W_t h_t + b_t, logits l = c·tanh(z/T) (tanh constant c,
 * temperature T; c = 0 disables clipping: l = z/T), infeasible choices masked out.
 */
export interface ControllerShape {
  /** Number of choices of each decision, in order. */
  sizes: readonly number[];
  hidden: number;
}

export interface LogitOptions {
  temperature: number;
  tanhConstant: number;
}

/** Everything one pass keeps for the backward pass. */
export interface Trace {
  actions: number[];
  logp: number;
  entropy: number;
  steps: StepCache[];
}

interface StepCache {
  v: Float64Array; // [x; h_prev]
  gi: Float64Array; gf: Float64Array; gg: Float64Array; go: Float64Array;
  cPrev: Float64Array; tc: Float64Array; h: Float64Array;
  z: Float64Array; p: Float64Array; mask: ArrayLike<boolean> | null; ent: number;
}

export class LstmController {
  readonly params: Float64Array;
  readonly hidden: number;
  readonly sizes: readonly number[];
  /** Offsets into `params`. */
  readonly off: { start: number; emb: number[]; w: number; b: number; head: number[]; headBias: number[] };

  constructor(shape: ControllerShape, readonly logits: LogitOptions) {
    const H = shape.hidden;
    this.hidden = H;
    this.sizes = [...shape.sizes];
    let n = 0;
    const start = n; n += H;
    const emb: number[] = [];
    for (const k of this.sizes) { emb.push(n); n += k * H; }
    const w = n; n += 4 * H * 2 * H;
    const b = n; n += 4 * H;
    const head: number[] = [];
    const headBias: number[] = [];
    for (const k of this.sizes) { head.push(n); n += k * H; headBias.push(n); n += k; }
    this.off = { start, emb, w, b, head, headBias };
    this.params = new Float64Array(n);
  }

  /** ENAS initialisation: every weight uniform in [-scale, scale]. */
  init(rng: Rng, scale: number): void {
    for (let i = 0; i < this.params.length; i++) this.params[i] = rng.uniform(-scale, scale);
  }

  /**
   * Runs the controller. `choose(t, probs)` returns the action of step t (sampling, or a fixed
   * action for re-scoring); `maskOf(t, actions)` gives the feasible choices of step t given the
   * actions so far (null: all feasible). Returns -Infinity logp if a chosen action is masked.
   */
  forward(choose: (t: number, probs: Float64Array) => number, maskOf: (t: number, actions: readonly number[]) => ArrayLike<boolean> | null): Trace {
    const H = this.hidden, P = this.params, E = H;
    const { temperature: T, tanhConstant: c } = this.logits;
    let h = new Float64Array(H), cell = new Float64Array(H);
    let x = P.subarray(this.off.start, this.off.start + H);
    const actions: number[] = [];
    const steps: StepCache[] = [];
    let logp = 0, entropy = 0;
    for (let t = 0; t < this.sizes.length; t++) {
      const v = new Float64Array(E + H);
      v.set(x, 0); v.set(h, E);
      const gi = new Float64Array(H), gf = new Float64Array(H), gg = new Float64Array(H), go = new Float64Array(H);
      const W = this.off.w, B = this.off.b, cols = E + H;
      for (let r = 0; r < 4 * H; r++) {
        let s = P[B + r];
        const row = W + r * cols;
        for (let j = 0; j < cols; j++) s += P[row + j] * v[j];
        const gate = r / H | 0, u = r % H;
        if (gate === 0) gi[u] = sigmoid(s);
        else if (gate === 1) gf[u] = sigmoid(s);
        else if (gate === 2) gg[u] = Math.tanh(s);
        else go[u] = sigmoid(s);
      }
      const cPrev = cell;
      cell = new Float64Array(H);
      const tc = new Float64Array(H);
      const hNew = new Float64Array(H);
      for (let u = 0; u < H; u++) {
        cell[u] = gf[u] * cPrev[u] + gi[u] * gg[u];
        tc[u] = Math.tanh(cell[u]);
        hNew[u] = go[u] * tc[u];
      }
      h = hNew;
      const K = this.sizes[t];
      const z = new Float64Array(K), l = new Float64Array(K);
      const hw = this.off.head[t], hb = this.off.headBias[t];
      for (let k = 0; k < K; k++) {
        let s = P[hb + k];
        for (let u = 0; u < H; u++) s += P[hw + k * H + u] * h[u];
        z[k] = s;
        l[k] = c > 0 ? c * Math.tanh(s / T) : s / T;
      }
      const mask = maskOf(t, actions);
      let mx = -Infinity;
      for (let k = 0; k < K; k++) if (!mask || mask[k]) mx = Math.max(mx, l[k]);
      if (mx === -Infinity) {
        // Re-scoring an already-impossible action sequence: stop (callers skip -∞ traces).
        if (logp === -Infinity) return { actions, logp, entropy, steps };
        throw new CandidateError(`no feasible choice left for decision #${t} given the earlier choices`);
      }
      const p = new Float64Array(K);
      let sum = 0;
      for (let k = 0; k < K; k++) if (!mask || mask[k]) { p[k] = Math.exp(l[k] - mx); sum += p[k]; }
      let ent = 0;
      for (let k = 0; k < K; k++) {
        p[k] /= sum;
        if (p[k] > 0) ent -= p[k] * Math.log(p[k]);
      }
      const a = choose(t, p);
      actions.push(a);
      logp += p[a] > 0 ? Math.log(p[a]) : -Infinity;
      entropy += ent;
      steps.push({ v, gi, gf, gg, go, cPrev, tc, h, z, p, mask, ent });
      x = P.subarray(this.off.emb[t] + a * H, this.off.emb[t] + (a + 1) * H);
    }
    return { actions, logp, entropy, steps };
  }

  /**
   * Accumulates into `grad` the gradient of  dLogp · Σ_t log π(a_t) + dEnt · Σ_t H_t  for one
   * trace (H_t = entropy of step t's masked softmax).
   */
  backward(trace: Trace, dLogp: number, dEnt: number, grad: Float64Array): void {
    const H = this.hidden, P = this.params, E = H, cols = E + H;
    const { temperature: T, tanhConstant: c } = this.logits;
    let dhNext = new Float64Array(H), dcNext = new Float64Array(H);
    for (let t = this.sizes.length - 1; t >= 0; t--) {
      const s = trace.steps[t], a = trace.actions[t], K = this.sizes[t];
      const hw = this.off.head[t], hb = this.off.headBias[t];
      const dh = dhNext;
      for (let k = 0; k < K; k++) {
        if (s.mask && !s.mask[k]) continue;
        const pk = s.p[k];
        let dl = dLogp * ((k === a ? 1 : 0) - pk);
        if (pk > 0) dl += dEnt * (-pk * (Math.log(pk) + s.ent));
        const th = Math.tanh(s.z[k] / T);
        const dz = dl * (c > 0 ? (c / T) * (1 - th * th) : 1 / T);
        if (dz === 0) continue;
        grad[hb + k] += dz;
        for (let u = 0; u < H; u++) {
          grad[hw + k * H + u] += dz * s.h[u];
          dh[u] += dz * P[hw + k * H + u];
        }
      }
      const da = new Float64Array(4 * H);
      for (let u = 0; u < H; u++) {
        const dO = dh[u] * s.tc[u];
        const dc = dh[u] * s.go[u] * (1 - s.tc[u] * s.tc[u]) + dcNext[u];
        da[u] = dc * s.gg[u] * s.gi[u] * (1 - s.gi[u]);
        da[H + u] = dc * s.cPrev[u] * s.gf[u] * (1 - s.gf[u]);
        da[2 * H + u] = dc * s.gi[u] * (1 - s.gg[u] * s.gg[u]);
        da[3 * H + u] = dO * s.go[u] * (1 - s.go[u]);
        dcNext[u] = dc * s.gf[u];
      }
      const dv = new Float64Array(cols);
      const W = this.off.w, B = this.off.b;
      for (let r = 0; r < 4 * H; r++) {
        const g = da[r];
        if (g === 0) continue;
        grad[B + r] += g;
        const row = W + r * cols;
        for (let j = 0; j < cols; j++) {
          grad[row + j] += g * s.v[j];
          dv[j] += g * P[row + j];
        }
      }
      const xOff = t === 0 ? this.off.start : this.off.emb[t - 1] + trace.actions[t - 1] * H;
      for (let u = 0; u < E; u++) grad[xOff + u] += dv[u];
      dhNext = dv.slice(E);
    }
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
