import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRun } from '@cosearch/runner';

/**
 * End-to-end checks of `cosearch search/resume/report` as a user runs them (child processes):
 * a run killed with SIGKILL mid-search and resumed ends identical to an uninterrupted run, and
 * bad configs give one clear line and a non-zero exit without a stack trace.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const MAIN = path.join(ROOT, 'packages', 'cli', 'src', 'main.ts');
const NODE_ARGS = ['--conditions=@cosearch/source', '--import', 'tsx', MAIN];
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-cli-'));

function cosearch(args: string[]) {
  const r = spawnSync(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function synthetic(extra: Record<string, unknown> = {}) {
  return {
    name: 'cli-test',
    problem: 'synthetic-v1',
    synthetic: { layers: 3, delayMs: 25 },
    seed: 11,
    reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyS', target: 2e-6 }] },
    policy: { name: 'reinforce-v1' },
    search: { budget: 60, batchSize: 6, workers: 2, checkpointEvery: 6 },
    ...extra,
  };
}

/** A cosearch-v1 (supernet × hardware) config; these cases fail validation before any training. */
function real(extra: Record<string, unknown>) {
  return {
    name: 'cli-real', dataset: { name: 'mnist' }, hardware: { preset: 'edge-npu-cim-v1' },
    reward: { name: 'edp-v1' }, policy: { name: 'random-v1' }, search: { budget: 4 }, ...extra,
  };
}

function writeConfig(dir: string, c: unknown): string {
  const f = path.join(dir, 'config-in.json');
  fs.writeFileSync(f, JSON.stringify(c));
  return f;
}

const lines = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0);

describe('cosearch search / resume', () => {
  it('SIGKILL mid-search, then resume: same evaluations and best candidates as an uninterrupted run', async () => {
    const work = tmp();
    const cfg = writeConfig(work, synthetic());
    const ref = path.join(work, 'ref');
    await startRun(cfg, { out: ref, workers: 0, progress: null });

    const dir = path.join(work, 'killed');
    const child = spawn(process.execPath, [...NODE_ARGS, 'search', cfg, '--out', dir, '--quiet'], { cwd: ROOT, stdio: 'ignore' });
    const journal = path.join(dir, 'evaluations.jsonl');
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (lines(journal) >= 27) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the run ended before it could be killed'));
      });
    });
    await new Promise((r) => child.once('exit', r));
    const killedAt = lines(journal);
    expect(killedAt).toBeLessThan(60);

    const r = cosearch(['resume', dir, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/report: .*report\.html/);
    const read = (d: string, f: string) => fs.readFileSync(path.join(d, f), 'utf8');
    expect(read(dir, 'evaluations.json')).toEqual(read(ref, 'evaluations.json'));
    expect(JSON.parse(read(dir, 'checkpoint.json')).archive).toEqual(JSON.parse(read(ref, 'checkpoint.json')).archive);
    expect(JSON.parse(read(dir, 'checkpoint.json')).best).toEqual(JSON.parse(read(ref, 'checkpoint.json')).best);
    const best = (d: string) => read(d, 'report.html').match(/<h2>Best candidates<\/h2>[\s\S]*?<\/table>/)![0];
    expect(best(dir)).toEqual(best(ref));
  });
});

describe('bad configs: one clear line, non-zero exit, no stack trace', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['unknown policy', synthetic({ policy: { name: 'genetic-v7' } }), /^cosearch: unknown policy "genetic-v7"; available: .*reinforce-v1/],
    ['unknown reward', synthetic({ reward: { name: 'speed-v1' } }), /^cosearch: unknown reward "speed-v1"; available: .*mnasnet-v1/],
    ['negative budget', synthetic({ search: { budget: -5 } }), /^cosearch: invalid search.budget: got -5, expected an integer >= 1/],
    ['value outside the space', synthetic({ search: { budget: 5, fixed: { 'npu.pes': 3 } } }), /^cosearch: invalid search.fixed.npu.pes: got 3, expected one of 16, 64, 256/],
    ['missing dataset', real({ dataset: undefined }), /^cosearch: invalid dataset: got undefined, expected an object \{name: .*"mnist"/],
    ['dataset files not found', real({ dataset: { name: 'cifar10', path: '/nonexistent/cifar' } }), /^cosearch: \/nonexistent\/cifar\/.*file not found/],
    ['hardware value out of range', real({ hardware: { overrides: { npu: { peRows: -4 } } } }), /^cosearch: invalid hardware.overrides.npu.peRows: got -4, expected an integer >= 1/],
  ];
  // all cases run concurrently (each CLI start costs ~2 s of CPU), then are checked one by one
  const results = new Map<string, Promise<{ code: number | null; stderr: string; dir: string }>>();
  beforeAll(() => {
    for (const [name, config] of cases) {
      const work = tmp();
      const dir = path.join(work, 'run');
      const child = spawn(process.execPath, [...NODE_ARGS, 'search', writeConfig(work, config), '--out', dir, '--quiet'], { cwd: ROOT });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      results.set(name, new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr, dir }))));
    }
  });
  it.each(cases)('%s', async (name, _config, message) => {
    const r = await results.get(name)!;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(fs.existsSync(r.dir)).toBe(false);
  });

  it('a missing config file', () => {
    const r = cosearch(['search', '/nonexistent/exp.json']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('cosearch: /nonexistent/exp.json: no such config file');
  });
});
