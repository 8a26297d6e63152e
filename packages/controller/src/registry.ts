import { Registry, type Policy, type PolicyContext, type RegistryEntry } from '@cosearch/core';
import { evolutionEntry } from './evolution';
import { randomEntry } from './random';
import { reinforceEntry } from './reinforce';
import { ppoEntry } from './ppo';
import { nsga2Entry } from './nsga2';
import { MULTI_PHASE_DEFAULTS, MULTI_PHASE_V2_DEFAULTS, MultiPhasePolicy } from './multi-phase';

/** Every search policy by versioned name; users add their own with `registerPolicy`. */
export const policyRegistry = new Registry<Policy, PolicyContext>('policy');

/**
 * Adds a policy: either a full registry entry, or a name and a factory (plus an optional
 * description and defaults for `cosearch list policies`).
 */
export function registerPolicy(entry: RegistryEntry<Policy, PolicyContext>, options?: { replace?: boolean }): void;
export function registerPolicy(
  name: string,
  create: (ctx: PolicyContext) => Policy,
  info?: { description?: string; defaults?: Record<string, unknown>; replace?: boolean },
): void;
export function registerPolicy(
  a: RegistryEntry<Policy, PolicyContext> | string,
  b?: ((ctx: PolicyContext) => Policy) | { replace?: boolean },
  c?: { description?: string; defaults?: Record<string, unknown>; replace?: boolean },
): void {
  if (typeof a === 'string') {
    const create = b as (ctx: PolicyContext) => Policy;
    policyRegistry.register({ name: a, description: c?.description ?? 'user policy', defaults: c?.defaults ?? {}, create }, { replace: c?.replace });
  } else {
    policyRegistry.register(a, b as { replace?: boolean } | undefined);
  }
}

/** Builds a registered policy (params are validated by the policy; unknown names list the known ones). */
export function createPolicy(name: string, ctx: PolicyContext): Policy {
  return policyRegistry.create(name, ctx);
}

for (const e of [randomEntry, evolutionEntry, nsga2Entry, reinforceEntry, ppoEntry]) policyRegistry.register(e);
policyRegistry.register({
  name: 'multi-phase-v1',
  description: 'SCORCH multi-phase controller: per-phase sub-policies with budgets, other decisions held at the best so far, then joint (warm-started)',
  defaults: MULTI_PHASE_DEFAULTS,
  create: (ctx) => new MultiPhasePolicy(ctx, policyRegistry),
});
policyRegistry.register({
  name: 'multi-phase-v2',
  description: 'multi-phase-v1 plus stages capped at their sub-space size (the rest to the last stage) and a TPE-style density-ratio prior for each new stage',
  defaults: MULTI_PHASE_V2_DEFAULTS,
  create: (ctx) => new MultiPhasePolicy(ctx, policyRegistry, 2),
});
