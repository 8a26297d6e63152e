/**
 * `npm run maestro-compare -w @cosearch/hardware -- DIR [--summary]`: the MAESTRO comparison
 * table for a folder of MAESTRO outputs (same as `cosearch maestro-compare DIR`).
 */
import { CosearchError } from '@cosearch/core';
import { compareWithMaestro } from '../src/mappings/maestro-compare';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
try {
  if (!dir) throw new CosearchError('usage: maestro-compare DIR [--summary]');
  const r = compareWithMaestro(dir);
  process.stdout.write(`${args.includes('--summary') ? r.text.slice(r.text.indexOf('| check |')) : r.text}\n`);
} catch (e) {
  if (!(e instanceof CosearchError)) throw e;
  process.stderr.write(`maestro-compare: ${e.message}\n`);
  process.exit(1);
}
