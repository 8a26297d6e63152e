/**
 * Writes every registered hardware preset to experiments/hardware/<name>.json (the config-file
 * form of the presets; edit a copy to make your own).
 * Run: node --conditions=@cosearch/source --import tsx tools/gen-hardware-presets.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHardwarePreset, hardwarePresets } from '@cosearch/hardware';

const dir = join(__dirname, '..', 'experiments', 'hardware');
for (const name of hardwarePresets.names()) {
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(getHardwarePreset(name), null, 2) + '\n');
  process.stdout.write(`experiments/hardware/${name}.json\n`);
}
