import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `cosearch hw` as a user runs it (child processes): table, JSON, comparison, clear errors. */
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const MAIN = path.join(ROOT, 'packages', 'cli', 'src', 'main.ts');
const LENET = path.join(ROOT, 'experiments', 'networks', 'lenet5.json');

function cosearch(args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=@cosearch/source', '--import', 'tsx', MAIN, 'hw', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cosearch hw', () => {
  it('prints a per-layer table and totals for a preset name', () => {
    const r = cosearch(['--network', LENET, '--hardware', 'eyeriss-65nm-v1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/features\.c1\s+conv\s+npu/);
    expect(r.stdout).toMatch(/eyeriss-65nm-v1 \(npu-only\): 417 kMAC, latency/);
  });

  it('--json prints the full result; --compare the scheme table', () => {
    const j = cosearch(['--network', LENET, '--hardware', path.join(ROOT, 'experiments', 'hardware', 'edge-npu-cim-v1.json'), '--json']);
    expect(j.code).toBe(0);
    const res = JSON.parse(j.stdout);
    expect(res.perLayer).toHaveLength(11);
    expect(res.macs).toBe(416520);
    const c = cosearch(['--network', LENET, '--hardware', 'edge-npu-cim-v1', '--compare']);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/npu-only[\s\S]*cim-only[\s\S]*per-block-best/);
  });

  it('shows each NPU layer\'s mapping: a column in the table, the directives once, and in --json', () => {
    const r = cosearch(['--network', LENET, '--hardware', 'eyeriss-65nm-v1']);
    expect(r.stdout).toMatch(/features\.c1\s+conv\s+npu.*row-stationary-v1\s+(compute|noc|offchip)/);
    expect(r.stdout).toMatch(/mapping of features\.c1.*: row-stationary-v1: SpatialMap\(1,1\) Y'/);
    const j = JSON.parse(cosearch(['--network', LENET, '--hardware', 'eyeriss-65nm-v1', '--json']).stdout);
    expect(j.perLayer[0].mapping).toMatchObject({ name: 'row-stationary-v1', stepBound: expect.stringMatching(/compute|noc|offchip/) });
    expect(j.perLayer[1].mapping).toBeUndefined();
  });

  it('--mapping auto --objective latency: the mapper picks each NPU layer\'s mapping, no slower than the preset\'s template', () => {
    const fixed = JSON.parse(cosearch(['--network', LENET, '--hardware', 'eyeriss-65nm-v1', '--json']).stdout);
    const auto = JSON.parse(cosearch(['--network', LENET, '--hardware', 'eyeriss-65nm-v1', '--mapping', 'auto', '--objective', 'latency', '--json']).stdout);
    const npu = auto.perLayer.filter((r: { engine: string }) => r.engine === 'npu');
    expect(npu.every((r: { mapping: { chosenBy: string } }) => r.mapping.chosenBy === 'mapper')).toBe(true);
    npu.forEach((r: { name: string; engineLatencyS: number }) => {
      const f = fixed.perLayer.find((x: { name: string }) => x.name === r.name);
      expect(r.engineLatencyS).toBeLessThanOrEqual(f.engineLatencyS * (1 + 1e-12));
    });
  });

  it('a bad mapping gives one clear line and exit 1: unknown template, a written tile above its buffer', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-hw-'));
    const unknown = path.join(dir, 'unknown.json');
    fs.writeFileSync(unknown, JSON.stringify({ extends: 'eyeriss-65nm-v1', npu: { mapping: 'magic-v1' } }));
    const a = cosearch(['--network', LENET, '--hardware', unknown]);
    expect(a.code).toBe(1);
    expect(a.stderr.trim()).toMatch(/^cosearch: invalid npu\.mapping: got "magic-v1", expected one of "auto", /);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, JSON.stringify({ extends: 'eyeriss-65nm-v1', npu: { glbBytes: 512, mapping: 'SpatialMap(1,1) K; TemporalMap(6,6) C; TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; Cluster(6, P); SpatialMap(1,1) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S' } }));
    const b = cosearch(['--network', LENET, '--hardware', big]);
    expect(b.code).toBe(1);
    expect(b.stderr.trim()).toMatch(/^cosearch: invalid npu\.mapping: got "SpatialMap.*expected a mapping that fits layer "features\.c3" on this NPU \(.*global buffer's 512 elements/);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a wrong hardware field gives one clear line and exit 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-hw-'));
    const file = path.join(dir, 'bad.json');
    const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, 'experiments', 'hardware', 'edge-npu-cim-v1.json'), 'utf8'));
    cfg.dvfs.npu.frequencyHz = 2e9;
    fs.writeFileSync(file, JSON.stringify(cfg));
    const r = cosearch(['--network', LENET, '--hardware', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^cosearch: invalid dvfs\.npu\.frequencyHz: got 2000000000, expected <= f_max\(0\.9 V\) = 894 MHz/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
