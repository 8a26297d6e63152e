import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { deterministicPart, readJournal, sortedRecords, startRun } from '@cosearch/runner';
import { findRedisServer, startLocalRedis, type LocalRedis } from './local-redis';
import { checkConnection } from './options';
import { startQueueWorker, type QueueWorker } from './worker';
import './register';

/**
 * `rediss://` end to end: a TLS-only redis-server with a password and a private CA (made by
 * openssl), a worker and an experiment that trust that CA through `redis.tls.caFile`. Without
 * redis-server it fails in CI (where .ci/run installs it) and is skipped elsewhere; without the
 * openssl command (not installed by CI) it is skipped with a warning.
 */
const HAVE_REDIS = findRedisServer() !== null;
const HAVE_OPENSSL = spawnSync('openssl', ['version']).status === 0;
if (!HAVE_OPENSSL || (!HAVE_REDIS && !process.env.CI)) {
  // eslint-disable-next-line no-console
  console.warn(`queue TLS test SKIPPED: needs ${HAVE_OPENSSL ? 'redis-server' : 'the openssl command'}`);
}
const suite = HAVE_OPENSSL && (HAVE_REDIS || process.env.CI) ? describe : describe.skip;

suite('queue over rediss:// (TLS)', () => {
  let redis: LocalRedis;
  let worker: QueueWorker | undefined;

  beforeAll(async () => {
    if (!HAVE_REDIS) throw new Error('redis-server is not installed; CI installs it (.ci/run: apt-get install redis-server)');
    redis = await startLocalRedis({ tls: true, password: 'tls-pw', appendonly: false });
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await redis?.stop();
  });

  it('connects only when the server certificate checks out', async () => {
    expect(redis.url).toMatch(/^rediss:\/\/:tls-pw@127\.0\.0\.1:\d+$/);
    await expect(checkConnection({ url: redis.url, tls: { caFile: redis.caFile, rejectUnauthorized: true } })).resolves.toBeUndefined();
    // the private CA is not in the system store: an unchecked certificate is refused
    await expect(checkConnection({ url: redis.url })).rejects.toThrow(/cannot use Redis/);
  }, 30_000);

  it('runs an experiment through a worker over TLS, identical to the local executor', async () => {
    const tls = { caFile: redis.caFile, rejectUnauthorized: true };
    worker = await startQueueWorker({ url: redis.url, queue: 'tls', tls, threads: 0, concurrency: 2, log: () => undefined });
    const base = {
      name: 'tls-test', problem: 'synthetic-v1', synthetic: { layers: 2 }, seed: 9,
      reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyS', target: 2e-6 }] },
      policy: { name: 'random-v1' }, search: { budget: 16, batchSize: 4, workers: 0 },
    };
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-queue-tls-'));
    const det = (d: string) => sortedRecords(readJournal(path.join(d, 'evaluations.jsonl')).records).map(deterministicPart);
    await startRun(base, { out: path.join(tmp, 'local'), progress: null, noReport: true });
    const r = await startRun({ ...base, executor: 'queue', redis: { url: redis.url, queue: 'tls', tls, pollS: 0.3 } }, { out: path.join(tmp, 'q'), progress: null, noReport: true });
    expect(r.finished).toBe(true);
    expect(det(path.join(tmp, 'q'))).toEqual(det(path.join(tmp, 'local')));
    expect(worker.info().completed).toBeGreaterThan(0);
  }, 60_000);
});
