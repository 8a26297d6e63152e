import type { Policy, PolicyContext, RegistryEntry } from '@cosearch/core';
import { LSTM_DEFAULTS, LSTM_RULES, LstmPolicy, type Told } from './lstm-policy';

export const REINFORCE_DEFAULTS = { ...LSTM_DEFAULTS };

/**
 * REINFORCE (Williams 1992) on the autoregressive LSTM controller, as in Zoph & Le 2017 / ENAS:
 * one Adam ascent step per batch of `batchSize` told results on
 *   J = mean_k A_k · Σ_t log π(a_t | a_<t) + β · mean_k Σ_t H(π(· | a_<t)),
 * with A_k the baseline-subtracted (optionally scaled) reward and β the entropy bonus.
 */
export class ReinforcePolicy extends LstmPolicy<typeof REINFORCE_DEFAULTS> {
  readonly name = 'reinforce-v1';

  constructor(ctx: PolicyContext) {
    super(ctx, 'reinforce-v1', REINFORCE_DEFAULTS, LSTM_RULES);
  }

  protected update(batch: Told[], adv: number[]): void {
    const grad = new Float64Array(this.controller.params.length);
    const n = batch.length;
    batch.forEach((x, k) => {
      const tr = this.score(x.actions);
      if (!Number.isFinite(tr.logp)) return; // told candidate the current masks forbid
      this.controller.backward(tr, adv[k] / n, this.p.entropyWeight / n, grad);
    });
    this.adam.ascend(this.controller.params, grad, this.p.learningRate);
  }
}

export const reinforceEntry: RegistryEntry<Policy, PolicyContext> = {
  name: 'reinforce-v1',
  description: 'REINFORCE on an autoregressive LSTM controller (tanh-clipped masked softmax, EMA baseline, entropy bonus, Adam)',
  defaults: REINFORCE_DEFAULTS,
  create: (ctx) => new ReinforcePolicy(ctx),
};
