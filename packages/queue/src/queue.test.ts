import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Job, Queue } from 'bullmq';
import IORedis from 'ioredis';
import { deterministicPart, readJournal, sortedRecords, startRun, type EvalRecord } from '@cosearch/runner';
import { findRedisServer, startLocalRedis, type LocalRedis } from './local-redis';
import { workersSeen, type WorkerInfo } from './keys';
import { runStatus } from './status';
import './register';

/**
 * The queue executor end to end on a real redis-server (own instance, free loopback port,
 * password, AOF with fsync always) and two `cosearch worker` processes: results identical to
 * the local executor, malformed jobs rejected, a Redis crash/restart and the death of a worker
 * or of the experiment process mid-run lose and duplicate nothing.
 *
 * Without redis-server: in CI (CI=true) the suite fails saying so; elsewhere it is skipped with
 * a warning, so a developer without Redis can still run everything else.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = [ '--conditions=@cosearch/source', '--import', 'tsx', path.join(ROOT, 'packages', 'cli', 'src', 'main.ts')];
const HAVE_REDIS = findRedisServer() !== null;
if (!HAVE_REDIS && !process.env.CI) {
  // eslint-disable-next-line no-console
  console.warn('queue tests SKIPPED: redis-server is not installed (apt-get install redis-server, or set REDIS_SERVER)');
}
const suite = HAVE_REDIS || process.env.CI ? describe : describe.skip;

const QUEUE = 'qtest';
const BUDGET = 36;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-queue-'));
const journalOf = (dir: string) => readJournal(path.join(dir, 'evaluations.jsonl')).records;
const det = (dir: string) => sortedRecords(journalOf(dir)).map(deterministicPart);
const lines = (dir: string) => journalOf(dir).length;

async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Each evaluation index exactly once in the log file, 0..BUDGET-1. */
function expectExactlyOnce(records: EvalRecord[]): void {
  expect(records.map((r) => r.index).sort((a, b) => a - b)).toEqual([...Array(BUDGET).keys()]);
}

suite('queue executor on a real Redis', () => {
  let redis: LocalRedis;
  let client: IORedis;
  let queue: Queue;
  const workers: { proc: ChildProcess; log: string }[] = [];
  let reference: string;

  const base = (delayMs: number) => ({
    name: 'queue-test',
    problem: 'synthetic-v1',
    synthetic: { layers: 3, delayMs },
    seed: 5,
    reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyS', target: 2e-6 }] },
    policy: { name: 'reinforce-v1' },
    search: { budget: BUDGET, batchSize: 6, workers: 0, checkpointEvery: 6 },
  });
  const onQueue = (delayMs: number) => ({ ...base(delayMs), executor: 'queue', redis: { url: redis.url, queue: QUEUE, pollS: 0.3, backoffS: 0.2 } });

  function startWorker(): { proc: ChildProcess; log: string } {
    const log = path.join(tmp(), 'worker.log');
    const fd = fs.openSync(log, 'w');
    const proc = spawn(
      process.execPath,
      [...CLI, 'worker', '--redis', redis.url, '--queue', QUEUE, '--threads', '0', '--lock-ms', '4000', '--stalled-ms', '1000'],
      { cwd: ROOT, stdio: ['ignore', fd, fd] },
    );
    fs.closeSync(fd);
    const w = { proc, log };
    workers.push(w);
    return w;
  }
  const alive = async (): Promise<WorkerInfo[]> =>
    (await workersSeen(client, { queue: QUEUE, prefix: 'bull' })).filter((w) => !w.stopped && workers.some((x) => x.proc.exitCode === null && x.proc.signalCode === null && x.proc.pid === w.pid));

  beforeAll(async () => {
    if (!HAVE_REDIS) throw new Error('redis-server is not installed; CI installs it (.ci/run: apt-get install redis-server)');
    // a password with characters that must be URL-encoded: the URL form is what is tested
    redis = await startLocalRedis({ password: 'pa ss/w:rd' });
    expect(redis.url).toContain(':pa%20ss%2Fw%3Ard@127.0.0.1:');
    client = new IORedis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    queue = new Queue(QUEUE, { connection: { url: redis.url, maxRetriesPerRequest: null } });
    queue.on('error', () => undefined);
    startWorker();
    startWorker();
    reference = path.join(tmp(), 'local');
    await startRun(base(0), { out: reference, progress: null, noReport: true });
    await waitFor(async () => (await alive()).length === 2, 'two workers', 120_000);
  }, 180_000);

  afterAll(async () => {
    for (const w of workers) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
    await queue?.close();
    client?.disconnect();
    await redis?.stop();
  });

  it('gives results identical to the local executor, both workers taking part', async () => {
    const dir = path.join(tmp(), 'queue');
    const r = await startRun(onQueue(20), { out: dir, progress: null, noReport: true });
    expect(r.finished).toBe(true);
    expect(det(dir)).toEqual(det(reference));
    expectExactlyOnce(journalOf(dir));
    const ws = await alive();
    expect(ws).toHaveLength(2);
    for (const w of ws) expect(w.completed).toBeGreaterThan(0);

    const st = await runStatus(dir);
    const evaluated = det(reference).filter((x) => !x.cached).length;
    expect(st.queue?.jobs).toEqual({ queued: 0, active: 0, done: evaluated, failed: 0, missing: 0 });
    expect(st.queue?.url).not.toContain('pa%20ss');
    expect(st.queue?.workers.filter((w) => w.alive).length).toBeGreaterThanOrEqual(2);
    expect(st.logged.evaluations).toBe(BUDGET);
  }, 120_000);

  it('refuses a wrong password with one clear error', async () => {
    const bad = { ...onQueue(0), redis: { url: redis.url.replace('pa%20ss', 'nope'), queue: QUEUE } };
    await expect(startRun(bad, { out: path.join(tmp(), 'bad'), progress: null, noReport: true })).rejects.toThrow(/authentication failed/);
  }, 60_000);

  it('rejects malformed and hostile jobs with a logged error, without retrying them, and keeps working', async () => {
    const cfg = { ...base(0), output: '/tmp/x' };
    const bad: [string, unknown][] = [
      ['bad-shape', { hello: 'world' }],
      ['bad-problem', { v: 1, experiment: 'e', seed: 1, key: '0', config: { ...cfg, problem: 'evil-v1' }, candidate: {} }],
      ['bad-candidate', { v: 1, experiment: 'e', seed: 1, key: '0', config: cfg, candidate: { 'layer0.width': 'require("fs").rmSync("/")' } }],
      ['bad-code', { v: 1, experiment: 'e', seed: 1, key: '0', config: cfg, candidate: { constructor: 'process.exit(3)' } }],
    ];
    for (const [id, data] of bad) await queue.add('evaluate', data, { jobId: id, attempts: 3 });
    await waitFor(async () => (await Promise.all(bad.map(([id]) => queue.getJobState(id)))).every((s) => s === 'failed'), 'the bad jobs to fail');
    for (const [id] of bad) {
      const job = await Job.fromId(queue, id);
      expect(job?.failedReason).toMatch(/^rejected by worker/);
      expect(job?.attemptsMade).toBe(1); // not retried
    }
    const logs = workers.map((w) => fs.readFileSync(w.log, 'utf8')).join('\n');
    for (const [id] of bad) expect(logs).toContain(`rejected job ${id}:`);
    expect(logs).toMatch(/rejected job bad-problem: .*evil-v1/);
    // both workers still run and evaluate
    expect(await alive()).toHaveLength(2);
    const dir = path.join(tmp(), 'after-bad');
    expect((await startRun(onQueue(0), { out: dir, progress: null, noReport: true })).finished).toBe(true);
    expect(det(dir)).toEqual(det(reference));
  }, 120_000);

  it('survives a Redis crash and restart (AOF) mid-run: nothing lost, nothing duplicated', async () => {
    const dir = path.join(tmp(), 'redis-restart');
    const run = startRun(onQueue(40), { out: dir, progress: null, noReport: true });
    await waitFor(() => lines(dir) >= 12, '12 evaluations');
    await redis.restart({ signal: 'SIGKILL', downMs: 1500 });
    const r = await run;
    expect(r.finished).toBe(true);
    expectExactlyOnce(journalOf(dir));
    expect(det(dir)).toEqual(det(reference));
  }, 120_000);

  it('resumes a killed experiment process while its jobs are in flight', async () => {
    const work = tmp();
    const cfgFile = path.join(work, 'config.json');
    fs.writeFileSync(cfgFile, JSON.stringify(onQueue(60)));
    const dir = path.join(work, 'run');
    const child = spawn(process.execPath, [...CLI, 'search', cfgFile, '--out', dir, '--quiet'], { cwd: ROOT, stdio: 'ignore' });
    await waitFor(() => lines(dir) >= 9, '9 evaluations', 90_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(lines(dir)).toBeLessThan(BUDGET);
    const r = spawnSync(process.execPath, [...CLI, 'resume', dir, '--quiet'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expectExactlyOnce(journalOf(dir));
    expect(det(dir)).toEqual(det(reference));
    // what `cosearch status` shows of it: all jobs done, the two workers, no password
    const st = spawnSync(process.execPath, [...CLI, 'status', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(st.status).toBe(0);
    const evaluated = det(reference).filter((x) => !x.cached).length;
    expect(st.stdout).toContain(`jobs: queued 0, active 0, done ${evaluated}, failed 0`);
    expect(st.stdout).toMatch(/workers seen: \d+ \(2 alive\)/);
    expect(st.stdout).toContain(`log: ${BUDGET} evaluations`);
    expect(st.stdout).not.toContain('pa%20ss');
  }, 150_000);

  it('retries the job of a worker killed mid-job on the other worker; each evaluation logged once', async () => {
    const [victim] = workers.filter((w) => w.proc.exitCode === null);
    const dir = path.join(tmp(), 'worker-kill');
    const run = startRun(onQueue(150), { out: dir, progress: null, noReport: true });
    let killedJob = '';
    await waitFor(async () => {
      const active = await queue.getJobs(['active']);
      const mine = active.find((j) => j.id?.startsWith('queue-test-') && j.processedBy?.startsWith(`${os.hostname()}-${victim.proc.pid}-`));
      if (!mine || lines(dir) < 6) return false;
      victim.proc.kill('SIGKILL');
      killedJob = mine.id!;
      return true;
    }, 'a job in progress on the first worker');
    const r = await run;
    expect(r.finished).toBe(true);
    const job = await Job.fromId(queue, killedJob);
    expect(await job!.getState()).toBe('completed');
    expect(job!.processedBy).not.toContain(`-${victim.proc.pid}-`);
    expect(job!.attemptsStarted).toBeGreaterThanOrEqual(2);
    expectExactlyOnce(journalOf(dir));
    expect(det(dir)).toEqual(det(reference));
  }, 150_000);
});
