import type { CommandModule } from 'yargs';
import { NotFoundError, hardwareModelRegistry, rewardRegistry, type RegistryEntry } from '@cosearch/core';
import { datasetRegistry } from '@cosearch/datasets';
import { policyRegistry } from '@cosearch/controller';
import { executorRegistry, problemRegistry } from '@cosearch/runner';
import { dataflowRegistry, hardwarePresets, mappingTemplates } from '@cosearch/hardware';
import { deviceModelRegistry, devicePresets, schemeRegistry } from '@cosearch/cim-training';
import { samplingRegistry } from '@cosearch/supernet';

/**
 * `cosearch list <kind>`: what is registered under each plug-in kind. Later packages add their
 * registries to `LISTABLE` (policies, devices, dataflows, presets, ...).
 */
export const LISTABLE: Record<string, () => RegistryEntry<unknown, never>[]> = {
  rewards: () => rewardRegistry.list() as RegistryEntry<unknown, never>[],
  datasets: () => datasetRegistry.list() as RegistryEntry<unknown, never>[],
  policies: () => policyRegistry.list() as RegistryEntry<unknown, never>[],
  problems: () => problemRegistry.list() as RegistryEntry<unknown, never>[],
  executors: () => executorRegistry.list() as RegistryEntry<unknown, never>[],
  dataflows: () => dataflowRegistry.list() as RegistryEntry<unknown, never>[],
  'hardware-presets': () => hardwarePresets.list() as RegistryEntry<unknown, never>[],
  // NPU mapping templates (npu.mapping), with the layer kinds they map and their source.
  mappings: () => mappingTemplates.map((t) => ({ name: t.name, description: `${t.description} [${t.appliesTo.join(', ')}]; ${t.source}`, create: () => t })) as RegistryEntry<unknown, never>[],
  'hardware-models': () => hardwareModelRegistry.list() as RegistryEntry<unknown, never>[],
  devices: () => devicePresets.list() as RegistryEntry<unknown, never>[],
  sampling: () => samplingRegistry.list() as RegistryEntry<unknown, never>[],
  'device-models': () => deviceModelRegistry.list() as RegistryEntry<unknown, never>[],
  schemes: () => schemeRegistry.list() as RegistryEntry<unknown, never>[],
};

export function formatEntries(entries: RegistryEntry<unknown, never>[]): string {
  return entries
    .map((e) => {
      const params = e.defaults ? `\n    defaults: ${JSON.stringify(e.defaults)}` : '';
      return `  ${e.name}\n    ${e.description}${params}`;
    })
    .join('\n');
}

export const listCommand: CommandModule<object, { kind: string }> = {
  command: 'list <kind>',
  describe: 'list registered plug-ins',
  builder: (y) => y.positional('kind', { type: 'string', choices: Object.keys(LISTABLE), demandOption: true }) as never,
  handler: (args) => {
    if (!(args.kind in LISTABLE)) throw new NotFoundError('kind', args.kind, Object.keys(LISTABLE));
    process.stdout.write(`${args.kind}:\n${formatEntries(LISTABLE[args.kind]())}\n`);
  },
};
