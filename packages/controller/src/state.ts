import { CosearchError, type PolicyState } from '@cosearch/core';

/** Refuses a checkpoint written by another policy kind or version (a clear one-line error). */
export function checkState(state: PolicyState, kind: string, version: number): void {
  if (!state || state.kind !== kind || state.version !== version) {
    throw new CosearchError(`cannot load policy state of ${JSON.stringify(state?.kind)} v${state?.version} into ${kind} v${version}`);
  }
}
