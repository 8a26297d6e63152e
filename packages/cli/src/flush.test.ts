import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * Issue 16 part 5: all output reaches a pipe before the CLI exits. The reader starts only after
 * 1 s, so the 64 KiB pipe is full while `hw --json` finishes: an exit that does not wait for
 * stdout to drain loses the rest (JSON.parse then fails).
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'packages', 'cli', 'bin', 'cosearch.js');

it('hw --json of a large network through a slow pipe is complete JSON', () => {
  const net = path.join(ROOT, 'experiments', 'networks', 'resnet50.json');
  const cmd = `"${process.execPath}" "${BIN}" hw --network "${net}" --hardware edge-npu-cim-v1 --json | (sleep 1; cat)`;
  const r = spawnSync('sh', ['-c', cmd], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(r.stdout.length).toBeGreaterThan(65_536 * 2);
  const j = JSON.parse(r.stdout);
  expect(j.perLayer.length).toBeGreaterThan(50);
});
