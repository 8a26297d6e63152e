import { networkTotals, type LayerSpec } from '@cosearch/core';
import type { SupernetConfig } from './config';
import { subnetOps, type SubnetLayersOptions } from './network';
import type { SubnetArch } from './arch';

export { transitionKernel, type SubnetLayersOptions } from './network';

/** The subnet as core `LayerSpec`s with real shapes, in execution order: the LayerSpecs of `subnetOps`. Needs no tfjs. */
export function subnetLayers(cfg: SupernetConfig, arch: SubnetArch, opts: SubnetLayersOptions = {}): LayerSpec[] {
  return subnetOps(cfg, arch, opts).map((op) => op.layer);
}

/**
 * Trainable parameters of a subnet: the slices its ops read (layer weights, biases, BN/LN scales
 * and shifts, position embeddings; what an exported subnet stores, BN running statistics excluded).
 */
export function subnetParams(cfg: SupernetConfig, arch: SubnetArch): number {
  let n = 0;
  for (const op of subnetOps(cfg, arch)) for (const p of op.params) n += p.region.size.reduce((a, b) => a * b, 1);
  return n;
}

/** MACs per image of a subnet. */
export function subnetMacs(cfg: SupernetConfig, arch: SubnetArch): number {
  return networkTotals(subnetLayers(cfg, arch)).macs;
}
