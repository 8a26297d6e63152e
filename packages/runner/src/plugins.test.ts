import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '@cosearch/core';
import { policyRegistry } from '@cosearch/controller';
import { checkProblem } from './conformance';
import { readConfigFile } from './config';
import { loadPlugins, loadedPlugins, PluginError, problemModule } from './plugins';
import { problemRegistry, registerProblem, type ProblemEntry } from './problem';
import { prepareExperiment, startRun } from './run';

/**
 * Plug-ins: the worked example in experiments/plugins (a user's policy and problem) loaded from
 * the config, and run through the CLI as a user would: 2 worker threads, killed with SIGKILL,
 * resumed and re-reported by fresh processes that learn the plug-ins from the run's config.json.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLE = path.join(ROOT, 'experiments', 'plugins');
const CONFIG = path.join(EXAMPLE, 'plugins.json');
const MAIN = path.join(ROOT, 'packages', 'cli', 'src', 'main.ts');
const NODE_ARGS = ['--conditions=@cosearch/source', '--import', 'tsx', MAIN];
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-plugins-'));
const lines = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0);

function cosearch(args: string[]) {
  const r = spawnSync(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('loadPlugins', () => {
  it('resolves paths against the base folder, loads each module once, and knows which module registered a problem', () => {
    const ids = loadPlugins(['./my-policy.ts', './my-problem'], { baseDir: EXAMPLE });
    expect(ids).toEqual([path.join(EXAMPLE, 'my-policy.ts'), path.join(EXAMPLE, 'my-problem.ts')]);
    expect(policyRegistry.has('my-hill-v1')).toBe(true);
    expect(problemRegistry.has('roofline-gemm-v1')).toBe(true);
    expect(problemModule('roofline-gemm-v1')).toBe(path.join(EXAMPLE, 'my-problem.ts'));
    expect(loadPlugins([path.join(EXAMPLE, 'my-policy.ts')])).toEqual([ids[0]]); // no second registration
    expect(loadedPlugins()).toEqual(expect.arrayContaining(ids));
  });

  it('names the entry of a plug-in that cannot be found or loaded', () => {
    expect(() => loadPlugins(['./nope.ts'], { baseDir: EXAMPLE })).toThrow(ConfigError);
    expect(() => loadPlugins(['./nope.ts'], { baseDir: EXAMPLE })).toThrow(/^invalid plugins\[0\]: got "\.\/nope\.ts", expected an existing module file/);
    expect(() => loadPlugins([42])).toThrow(/^invalid plugins\[0\]: got 42/);
    expect(() => loadPlugins(['no-such-package-xyz'])).toThrow(ConfigError);
    expect(() => loadPlugins(['no-such-package-xyz'])).toThrow(/^invalid plugins\[0\]: got "no-such-package-xyz", expected an installed package name/);
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'broken.js'), 'throw new TypeError("boom");\n');
    expect(() => loadPlugins(['./broken.js'], { baseDir: dir })).toThrow(PluginError);
    expect(() => loadPlugins(['./broken.js'], { baseDir: dir })).toThrow(/^cannot load plug-in plugins\[0\] "\.\/broken\.js": boom$/);
  });

  it('a config lists its plug-ins relative to its own folder; unknown metrics are rejected with the known ones', () => {
    const raw = readConfigFile(CONFIG) as Record<string, unknown>;
    const { config, problem } = prepareExperiment(raw, { progress: null, baseDir: EXAMPLE });
    expect(config.plugins).toEqual([path.join(EXAMPLE, 'my-policy.ts'), path.join(EXAMPLE, 'my-problem.ts')]);
    expect(problem.metrics.map((m) => m.name)).toContain('utilisation');
    expect(() => prepareExperiment({ ...raw, reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyMs', target: 1 }] } }, { progress: null, baseDir: EXAMPLE }))
      .toThrow(/^invalid reward\.targets\[0\]\.metric: got "latencyMs", expected a metric of problem roofline-gemm-v1: accuracy, latencyS, energyJ, areaMm2, utilisation, edp, edap$/);
    expect(() => prepareExperiment({ ...raw, objectives: [{ metric: 'utilization', direction: 'max' }] }, { progress: null, baseDir: EXAMPLE }))
      .toThrow(/^invalid objectives\[0\]\.metric: got "utilization"/);
  });

  it('the example problem passes checkProblem', async () => {
    const r = await checkProblem(readConfigFile(CONFIG), { baseDir: EXAMPLE, candidates: 12, seed: 2 });
    expect(r.problem).toBe('roofline-gemm-v1');
    expect(r.metrics).toEqual(expect.arrayContaining(['accuracy', 'utilisation']));
    expect(r.failed).toBeLessThan(12);
  });
});

describe('a problem registered by a script, not a module', () => {
  it('runs with 0 workers; with worker threads it fails with one line saying how to make it loadable', async () => {
    const synthetic = problemRegistry.get('synthetic-v1') as ProblemEntry;
    registerProblem({ ...synthetic, name: 'script-problem-v1', module: undefined });
    const cfg = {
      name: 'script', problem: 'script-problem-v1', synthetic: { layers: 2 }, reward: { name: 'edp-v1' }, policy: { name: 'random-v1' },
      search: { budget: 8, batchSize: 4 },
    };
    const ok = await startRun(cfg, { out: path.join(tmp(), 'run0'), workers: 0, progress: null, noReport: true });
    expect(ok.finished).toBe(true);
    await expect(startRun(cfg, { out: path.join(tmp(), 'run1'), workers: 1, progress: null, noReport: true }))
      .rejects.toThrow(/^unknown problem "script-problem-v1"; .*; worker threads know only problems registered by a loaded module: list the module that registers "script-problem-v1" in the config's "plugins"/);
  });
});

describe('experiments/plugins through the CLI', () => {
  it('2 workers, SIGKILL mid-run, resume and report by fresh processes: identical to an uninterrupted in-process run', async () => {
    const work = tmp();
    const ref = path.join(work, 'ref');
    await startRun(CONFIG, { out: ref, workers: 0, progress: null });

    const dir = path.join(work, 'killed');
    const child = spawn(process.execPath, [...NODE_ARGS, 'search', CONFIG, '--out', dir, '--workers', '2', '--quiet'], { cwd: ROOT, stdio: 'ignore' });
    const journal = path.join(dir, 'evaluations.jsonl');
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (lines(journal) >= 30) {
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
    expect(lines(journal)).toBeLessThan(96);
    const stored = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(stored.plugins).toEqual([path.join(EXAMPLE, 'my-policy.ts'), path.join(EXAMPLE, 'my-problem.ts')]);

    const r = cosearch(['resume', dir, '--workers', '2', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const read = (d: string, f: string) => fs.readFileSync(path.join(d, f), 'utf8');
    expect(read(dir, 'evaluations.json')).toEqual(read(ref, 'evaluations.json'));
    expect(JSON.parse(read(dir, 'checkpoint.json')).best).toEqual(JSON.parse(read(ref, 'checkpoint.json')).best);

    fs.rmSync(path.join(dir, 'report.html'));
    const rep = cosearch(['report', dir]);
    expect(rep.code).toBe(0);
    expect(rep.stdout).toMatch(/report: .*report\.html/);
    expect(read(dir, 'report.html')).toMatch(/roofline-gemm-v1/);

    const list = cosearch(['list', 'policies', '--plugin', 'experiments/plugins/my-policy.ts']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/my-hill-v1\n {4}example plug-in/);
  });
});
