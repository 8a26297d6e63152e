import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** `cosearch hw-spiking` as a user runs it: the comparison with the paper, JSON, one-line errors. */
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const MAIN = path.join(ROOT, 'packages', 'cli', 'src', 'main.ts');

function cosearch(args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=@cosearch/source', '--import', 'tsx', MAIN, 'hw-spiking', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cosearch hw-spiking', () => {
  it('prints pJ/spike, power and latency per image next to the paper, with the reasons', () => {
    const r = cosearch(['--steps', '16']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/energy per spike\s+[\d.]+\s+pJ\s+2\.51 pJ/);
    expect(r.stdout).toMatch(/power\s+[\d.]+\s+mW\s+2\.9 mW/);
    expect(r.stdout).toMatch(/latency per image\s+[\d.]+\s+µs\s+2 µs/);
    expect(r.stdout).toMatch(/why the figures differ/);
  });

  it('--json: latency = T × step time, power = energy / latency', () => {
    const r = cosearch(['--json', '--steps', '8']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.latencyS).toBeCloseTo(8 * j.stepTimeS, 12);
    expect(j.powerW).toBeCloseTo(j.energyJ / j.latencyS, 9);
    expect(j.paper.energyPerSpikeJ).toBe(2.51e-12);
  });

  it('bad input: one line naming the field, exit 1', () => {
    const r = cosearch(['--steps', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('cosearch: invalid spikingTile.steps: got 0, expected an integer >= 1');
  });
});
