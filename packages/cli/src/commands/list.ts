import type { CommandModule } from 'yargs';
import { NotFoundError, hardwareModelRegistry, rewardRegistry, type RegistryEntry } from '@cosearch/core';

// Each kind requires only the package that owns its registry, when it is listed
// (`cosearch list policies` loads core and the controller, not tfjs or the supernet).
/* eslint-disable @typescript-eslint/no-require-imports */
const datasets = () => require('@cosearch/datasets') as typeof import('@cosearch/datasets');
const controller = () => require('@cosearch/controller') as typeof import('@cosearch/controller');
const runner = () => require('@cosearch/runner') as typeof import('@cosearch/runner');
const hardware = () => require('@cosearch/hardware') as typeof import('@cosearch/hardware');
const cimTraining = () => require('@cosearch/cim-training') as typeof import('@cosearch/cim-training');
const supernet = () => require('@cosearch/supernet') as typeof import('@cosearch/supernet');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * `cosearch list <kind>`: what is registered under each plug-in kind. Later packages add their
 * registries to `LISTABLE` (policies, devices, dataflows, presets, ...).
 */
export const LISTABLE: Record<string, () => RegistryEntry<unknown, never>[]> = {
  rewards: () => rewardRegistry.list() as RegistryEntry<unknown, never>[],
  datasets: () => datasets().datasetRegistry.list() as RegistryEntry<unknown, never>[],
  policies: () => controller().policyRegistry.list() as RegistryEntry<unknown, never>[],
  problems: () => runner().problemRegistry.list() as RegistryEntry<unknown, never>[],
  executors: () => runner().executorRegistry.list() as RegistryEntry<unknown, never>[],
  dataflows: () => hardware().dataflowRegistry.list() as RegistryEntry<unknown, never>[],
  'hardware-presets': () => hardware().hardwarePresets.list() as RegistryEntry<unknown, never>[],
  // NPU mapping templates (npu.mapping), with the layer kinds they map and their source.
  mappings: () => hardware().mappingTemplates.map((t) => ({ name: t.name, description: `${t.description} [${t.appliesTo.join(', ')}]; ${t.source}`, create: () => t })) as RegistryEntry<unknown, never>[],
  'hardware-models': () => {
    hardware(); // registers analytical-v1 and lut-v1
    return hardwareModelRegistry.list() as RegistryEntry<unknown, never>[];
  },
  devices: () => cimTraining().devicePresets.list() as RegistryEntry<unknown, never>[],
  sampling: () => supernet().samplingRegistry.list() as RegistryEntry<unknown, never>[],
  'device-models': () => cimTraining().deviceModelRegistry.list() as RegistryEntry<unknown, never>[],
  schemes: () => cimTraining().schemeRegistry.list() as RegistryEntry<unknown, never>[],
};

export function formatEntries(entries: RegistryEntry<unknown, never>[]): string {
  return entries
    .map((e) => {
      const params = e.defaults ? `\n    defaults: ${JSON.stringify(e.defaults)}` : '';
      return `  ${e.name}\n    ${e.description}${params}`;
    })
    .join('\n');
}

export const listCommand: CommandModule<object, { kind: string; plugin?: string[] }> = {
  command: 'list <kind>',
  describe: 'list registered plug-ins',
  builder: (y) => y.positional('kind', { type: 'string', choices: Object.keys(LISTABLE), demandOption: true })
      .option('plugin', { type: 'string', array: true, describe: 'plug-in module to load first (its entries are listed too); repeatable' }) as never,
  handler: (args) => {
    if (!(args.kind in LISTABLE)) throw new NotFoundError('kind', args.kind, Object.keys(LISTABLE));
    // built-in plug-ins (cosearch-v1, queue) only where they register something; then --plugin
    // (none of them: the runner, which loads plug-ins, is not imported at all)
    const builtins = ['problems', 'executors'].includes(args.kind);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (builtins || args.plugin?.length) (require('../plugins') as typeof import('../plugins')).loadCliPlugins(args.plugin ?? [], builtins);
    process.stdout.write(`${args.kind}:\n${formatEntries(LISTABLE[args.kind]())}\n`);
  },
};
