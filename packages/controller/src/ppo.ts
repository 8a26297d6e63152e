import type { Policy, PolicyContext, RegistryEntry } from '@cosearch/core';
import { LSTM_DEFAULTS, LSTM_RULES, LstmPolicy, type Told } from './lstm-policy';

export const PPO_DEFAULTS = { ...LSTM_DEFAULTS, clip: 0.2, epochs: 4 };

/**
 * PPO (Schulman et al. 2017) on the same LSTM controller: for `epochs` Adam steps per batch,
 * maximise mean_k min(r_k A_k, clip(r_k, 1−ε, 1+ε) A_k) + β·entropy with
 * r_k = π(a_k)/π_old(a_k), π_old the probability when the sample was asked (kept per asked
 * candidate; a told candidate that was never asked uses the policy at update time).
 */
export class PpoPolicy extends LstmPolicy<typeof PPO_DEFAULTS> {
  readonly name = 'ppo-v1';

  constructor(ctx: PolicyContext) {
    super(ctx, 'ppo-v1', PPO_DEFAULTS, { ...LSTM_RULES, clip: { above: 0, max: 1 }, epochs: { integer: true, min: 1 } });
  }

  protected update(batch: Told[], adv: number[]): void {
    const n = batch.length, eps = this.p.clip;
    const old = batch.map((x) => x.oldLogp ?? this.score(x.actions).logp);
    for (let e = 0; e < this.p.epochs; e++) {
      const grad = new Float64Array(this.controller.params.length);
      batch.forEach((x, k) => {
        const tr = this.score(x.actions);
        if (!Number.isFinite(tr.logp) || !Number.isFinite(old[k])) return;
        const r = Math.exp(tr.logp - old[k]);
        // d/dlogp of min(r·A, clip(r)·A): r·A while the unclipped term is the active one.
        const clipped = (adv[k] > 0 && r > 1 + eps) || (adv[k] < 0 && r < 1 - eps);
        this.controller.backward(tr, clipped ? 0 : (adv[k] * r) / n, this.p.entropyWeight / n, grad);
      });
      this.adam.ascend(this.controller.params, grad, this.p.learningRate);
    }
  }
}

export const ppoEntry: RegistryEntry<Policy, PolicyContext> = {
  name: 'ppo-v1',
  description: 'PPO (clipped objective, several epochs per batch) on the same LSTM controller as reinforce-v1',
  defaults: PPO_DEFAULTS,
  create: (ctx) => new PpoPolicy(ctx),
};
