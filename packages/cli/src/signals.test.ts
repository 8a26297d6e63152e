import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRun } from '@cosearch/runner';

/**
 * Issue 16 part 5: SIGTERM / SIGINT sent to the wrapper process (the bin running from sources,
 * which spawns node; and `npx cosearch`, whose shell npm signals) reach the run: it checkpoints,
 * exits 143 / 130, and `resume` ends identical to an uninterrupted run.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'packages', 'cli', 'bin', 'cosearch.js');
const config = {
  name: 'sig', problem: 'synthetic-v1', synthetic: { layers: 3, delayMs: 25 }, seed: 11,
  reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyS', target: 2e-6 }] },
  policy: { name: 'reinforce-v1' }, search: { budget: 60, batchSize: 6, workers: 2, checkpointEvery: 6 },
};
const lines = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0);

async function interrupted(cmd: string, args: string[], signal: NodeJS.Signals, env: NodeJS.ProcessEnv, dir: string): Promise<number | null> {
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: 'ignore' });
  const journal = path.join(dir, 'evaluations.jsonl');
  const code = await new Promise<number | null>((resolve, reject) => {
    const t = setInterval(() => {
      if (lines(journal) >= 12) {
        clearInterval(t);
        child.kill(signal);
      }
    }, 20);
    child.on('exit', (c, s) => {
      clearInterval(t);
      if (lines(journal) < 12) reject(new Error(`ended before the signal (${c ?? s})`));
      resolve(c ?? (s === 'SIGTERM' ? 143 : s === 'SIGINT' ? 130 : -1));
    });
  });
  // npx exits as soon as its shell died; the run itself may still be checkpointing
  for (let i = 0; i < 600 && spawnSync('pgrep', ['-f', `--out ${dir}`]).status === 0; i++) await new Promise((r) => setTimeout(r, 100));
  return code;
}

describe('signals sent to the wrapper reach the run', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-sig-'));
  const cfg = path.join(work, 'cfg.json');
  fs.writeFileSync(cfg, JSON.stringify(config));
  const ref = path.join(work, 'ref');
  beforeAll(() => startRun(cfg, { out: ref, workers: 0, progress: null }), 300_000);

  it.each([
    ['bin from sources, SIGTERM', 'SIGTERM', 143, false],
    ['bin from sources, SIGINT', 'SIGINT', 130, false],
    ['npx cosearch, SIGTERM', 'SIGTERM', 143, true],
  ] as const)('%s: checkpoint, exit status, resume ends as if never interrupted', async (_n, signal, status, npx) => {
    const dir = path.join(work, `${signal}-${npx}`);
    const env = { ...process.env, COSEARCH_FROM_SOURCE: '1' };
    const args = ['search', cfg, '--out', dir, '--quiet'];
    const code = npx ? await interrupted('npx', ['cosearch', ...args], signal, env, dir) : await interrupted(process.execPath, [BIN, ...args], signal, env, dir);
    expect(code).toBe(status);
    const cp = JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint.json'), 'utf8'));
    expect(cp.evals).toBeLessThan(60);
    const r = spawnSync(process.execPath, [BIN, 'resume', dir, '--quiet'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const read = (d: string) => fs.readFileSync(path.join(d, 'evaluations.json'), 'utf8');
    expect(read(dir)).toEqual(read(ref));
  }, 300_000);
});
