/**
 * @cosearch/queue benchmark: evaluations per second through Redis (BullMQ) with 1, 2 and 4
 * `cosearch worker` processes on this machine, against the local executor with as many worker
 * threads (the peer, measured in the same run), and the queue overhead per evaluation.
 *
 * Problem: `synthetic-v1` with a fixed per-evaluation delay (a sleep, so N evaluators overlap
 * even on 2 cores: this measures the executors, not the CPU), random-v1 policy, batches of 8.
 * Times are the search loop's wall time (checkpoint `wallS`: pool/worker start-up excluded),
 * best of two runs after a warm-up run.
 * Overhead: the same run with no delay and one evaluator, (queue − local) s per evaluation —
 * enqueue + worker pick-up + result event + state read, against a thread message round trip.
 * Redis: a private redis-server on loopback, AOF on with `appendfsync everysec`.
 * Run: npm run bench -- queue
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import IORedis from 'ioredis';
import { startLocalRedis, workersSeen } from '@cosearch/queue';
import { startRun } from '@cosearch/runner';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = ['--conditions=@cosearch/source', '--import', 'tsx', path.join(ROOT, 'packages', 'cli', 'src', 'main.ts')];
const BUDGET = Number(process.env.QUEUE_BENCH_BUDGET ?? 96);
const DELAY_MS = 40;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-queue-bench-'));

function config(delayMs: number, budget: number) {
  return {
    name: 'queue-bench',
    problem: 'synthetic-v1',
    synthetic: { layers: 4, delayMs },
    seed: 3,
    reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyS', target: 2e-6 }] },
    policy: { name: 'random-v1' },
    search: { budget, batchSize: 8, checkpointEvery: 1000 },
  };
}

let runNo = 0;
/** Evaluations (cache misses) per second of the search loop, and seconds per evaluation. */
async function once(cfg: Record<string, unknown>, workers: number): Promise<{ perS: number; sPerEval: number; evals: number }> {
  const out = path.join(tmp, `run-${runNo++}`);
  const r = await startRun(cfg, { out, workers, progress: null, noReport: true });
  const evals = r.records.filter((x) => !x.cached).length;
  return { perS: evals / r.checkpoint.wallS, sPerEval: r.checkpoint.wallS / evals, evals };
}

/**
 * A short warm-up run (workers build their evaluator, the JIT warms up), then the best of two
 * timed runs (other seeds, so the queue holds no results of them yet): a neighbour's burst on
 * the shared machine hits one run, rarely both.
 */
async function measure(cfg: Record<string, unknown>, workers: number) {
  const seed = (cfg.seed as number) * 100 + runNo;
  await once({ ...cfg, seed, search: { ...(cfg.search as object), budget: 16 } }, workers);
  const a = await once({ ...cfg, seed: seed + 1 }, workers);
  const b = await once({ ...cfg, seed: seed + 2 }, workers);
  return a.perS >= b.perS ? a : b;
}

async function main(): Promise<void> {
  const redis = await startLocalRedis({ appendfsync: 'everysec' });
  const client = new IORedis(redis.url);
  const procs: ChildProcess[] = [];
  const startWorkers = async (n: number, queue: string) => {
    for (let i = 0; i < n; i++) {
      procs.push(spawn(process.execPath, [...CLI, 'worker', '--redis', redis.url, '--queue', queue, '--threads', '0'], { cwd: ROOT, stdio: 'ignore' }));
    }
    const end = Date.now() + 180_000;
    while ((await workersSeen(client, { queue, prefix: 'bull' })).filter((w) => !w.stopped).length < n) {
      if (Date.now() > end) throw new Error(`workers for ${queue} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stopWorkers = async () => {
    await Promise.all(procs.splice(0).map((p) => new Promise((res) => {
      p.once('exit', res);
      p.kill('SIGTERM');
    })));
  };
  const queued = (delayMs: number, budget: number, queue: string) => ({ ...config(delayMs, budget), executor: 'queue', redis: { url: redis.url, queue } });

  try {
    console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores (shared machine: figures vary run to run)`);
    console.log(`synthetic-v1, ${DELAY_MS} ms per evaluation, ${BUDGET} candidates, batches of 8\n`);
    console.log('evaluators | local threads (eval/s) | queue workers (eval/s) | queue / local');
    const rows: string[] = [];
    for (const n of [1, 2, 4]) {
      const local = await measure(config(DELAY_MS, BUDGET), n);
      await startWorkers(n, `bench-${n}`);
      const q = await measure(queued(DELAY_MS, BUDGET, `bench-${n}`), 0);
      await stopWorkers();
      const row = `${String(n).padStart(10)} | ${local.perS.toFixed(1).padStart(22)} | ${q.perS.toFixed(1).padStart(22)} | ${(q.perS / local.perS).toFixed(2).padStart(13)}`;
      console.log(row);
      rows.push(row);
    }
    console.log(`ideal: ${(1000 / DELAY_MS).toFixed(1)} eval/s per evaluator\n`);

    // overhead: no delay, one evaluator
    const local0 = await measure(config(0, BUDGET), 1);
    await startWorkers(1, 'bench-overhead');
    const q0 = await measure(queued(0, BUDGET, 'bench-overhead'), 0);
    await stopWorkers();
    console.log('overhead (no delay, 1 evaluator)   | s per evaluation');
    console.log(`local executor, 1 thread            | ${(local0.sPerEval * 1000).toFixed(2)} ms`);
    console.log(`queue, 1 worker                     | ${(q0.sPerEval * 1000).toFixed(2)} ms`);
    console.log(`queue overhead per evaluation       | ${((q0.sPerEval - local0.sPerEval) * 1000).toFixed(2)} ms (queue/local ${(q0.sPerEval / local0.sPerEval).toFixed(1)}x)`);
  } finally {
    await stopWorkers();
    client.disconnect();
    await redis.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
