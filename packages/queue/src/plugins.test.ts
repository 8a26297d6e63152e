import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deterministicPart, readConfigFile, readJournal, sortedRecords, startRun } from '@cosearch/runner';
import { findRedisServer, startLocalRedis, type LocalRedis } from './local-redis';
import './register';

/**
 * Queue workers load an experiment's plug-ins from the job's config: a `cosearch worker` started
 * without `--plugin` evaluates the experiments/plugins example (a user's problem, evaluated on an
 * evaluation thread of the worker) and the run equals the local one.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLE = path.join(ROOT, 'experiments', 'plugins');
const CLI = ['--conditions=@cosearch/source', '--import', 'tsx', path.join(ROOT, 'packages', 'cli', 'src', 'main.ts')];
const suite = findRedisServer() !== null || process.env.CI ? describe : describe.skip;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-queue-plugins-'));
const det = (dir: string) => sortedRecords(readJournal(path.join(dir, 'evaluations.jsonl')).records).map(deterministicPart);

suite('queue workers and plug-ins', () => {
  let redis: LocalRedis;
  let worker: ChildProcess;
  let log = '';

  beforeAll(async () => {
    redis = await startLocalRedis();
    log = path.join(tmp(), 'worker.log');
    const fd = fs.openSync(log, 'w');
    worker = spawn(process.execPath, [...CLI, 'worker', '--redis', redis.url, '--queue', 'qplugins', '--threads', '1'], { cwd: ROOT, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
  }, 60_000);

  afterAll(async () => {
    if (worker?.exitCode === null) worker.kill('SIGKILL');
    await redis?.stop();
  });

  it('a worker started without --plugin evaluates a plug-in problem from the job config', async () => {
    const base = { ...(readConfigFile(path.join(EXAMPLE, 'plugins.json')) as Record<string, unknown>), roofline: { batch: 16 }, search: { budget: 24, batchSize: 8, workers: 0 } };
    const ref = path.join(tmp(), 'local');
    await startRun(base, { out: ref, progress: null, noReport: true, baseDir: EXAMPLE });
    const dir = path.join(tmp(), 'queue');
    const r = await startRun({ ...base, executor: 'queue', redis: { url: redis.url, queue: 'qplugins', pollS: 0.3, backoffS: 0.2 } }, { out: dir, progress: null, noReport: true, baseDir: EXAMPLE });
    expect(r.finished).toBe(true);
    expect(det(dir)).toEqual(det(ref));
    expect(fs.readFileSync(log, 'utf8')).not.toMatch(/unknown problem|rejected job/);
  }, 180_000);
});
