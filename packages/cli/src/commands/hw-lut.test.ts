import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `cosearch hw` on a lookup-table hardware file (model lut-v1), as a user runs it (child processes). */
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const MAIN = path.join(ROOT, 'packages', 'cli', 'src', 'main.ts');
const LUT = path.join(ROOT, 'experiments', 'hardware', 'lut-wasm.json');
const NET = path.join(ROOT, 'experiments', 'hardware', 'lut-wasm', 'supernet-mnist-smallest-fp32.json');

function cosearch(args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=@cosearch/source', '--import', 'tsx', MAIN, 'hw', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cosearch hw with a lut-v1 hardware file', () => {
  it('every MAC layer of a measured subnet is measured, with the CSV latency; the others are estimated', () => {
    const layers = JSON.parse(fs.readFileSync(NET, 'utf8')).layers as { kind: string; name: string }[];
    const mac = layers.filter((l) => ['conv', 'depthwise', 'dense', 'matmul'].includes(l.kind)).length;
    const t = cosearch(['--network', NET, '--hardware', LUT]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain(`measured: ${mac} of ${layers.length} layers (${mac} MAC layers); estimated: ${layers.length - mac}`);
    const j = cosearch(['--network', NET, '--hardware', LUT, '--json']);
    expect(j.code).toBe(0);
    const r = JSON.parse(j.stdout);
    expect(r.model).toBe('lut-v1');
    // The table row measured for this network's first transition conv (CSV column `layer`).
    const csv = fs.readFileSync(path.join(ROOT, 'experiments', 'hardware', 'lut-wasm', 'table.csv'), 'utf8').split('\n');
    const header = csv.find((l) => l.startsWith('kind,'))!.split(',');
    const row = csv.find((l) => l.includes(',smallest:s1.trans.conv,'))!.split(',');
    const i = layers.findIndex((l) => l.name === 's1.trans.conv');
    expect(r.perLayer[i].source).toBe('measured');
    expect(r.perLayer[i].engineLatencyS).toBe(Number(row[header.indexOf('latency_s')]));
  });

  it('a file naming analytical-v1 explicitly runs like one without a model field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-model-'));
    fs.writeFileSync(path.join(dir, 'hw.json'), JSON.stringify({ model: 'analytical-v1', extends: 'eyeriss-65nm-v1' }));
    const lenet = path.join(ROOT, 'experiments', 'networks', 'lenet5.json');
    const a = cosearch(['--network', lenet, '--hardware', path.join(dir, 'hw.json'), '--json']);
    const b = cosearch(['--network', lenet, '--hardware', 'eyeriss-65nm-v1', '--json']);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(JSON.parse(a.stdout).latencyS).toBe(JSON.parse(b.stdout).latencyS);
  });

  it('a malformed table or an analytical-only flag: one line, exit 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-lut-cli-'));
    fs.writeFileSync(path.join(dir, 't.csv'), 'kind,batch,inFeatures,outFeatures,bits,latency_s,energy_j\ndense,1,4,4,8,abc,\n');
    fs.writeFileSync(path.join(dir, 'hw.json'), JSON.stringify({ model: 'lut-v1', table: 't.csv', fallback: 'edge-npu-cim-v1' }));
    const r = cosearch(['--network', NET, '--hardware', path.join(dir, 'hw.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`cosearch: ${path.join(dir, 't.csv')}: row 2, column latency_s: got "abc", expected a number > 0`);
    const c = cosearch(['--network', NET, '--hardware', LUT, '--compare']);
    expect(c.code).toBe(1);
    expect(c.stderr.trim().split('\n')).toHaveLength(1);
    expect(c.stderr).toMatch(/--compare works with analytical-v1 hardware only/);
  });
});
