import * as fs from 'node:fs';
import IORedis from 'ioredis';
import {
  ConfigError,
  DataError,
  asObject,
  booleanField,
  numberField,
  rejectUnknownKeys,
  stringField,
  type Obj,
} from '@cosearch/core';

/**
 * The `redis` section of an experiment config with `"executor": "queue"`, and the connection
 * options shared by the experiment process, the workers and `cosearch status`.
 *
 * The URL may carry a user and password (`redis://user:pass@host:6379/0`) and TLS
 * (`rediss://...`); both go to ioredis unchanged. To keep a password out of the config file
 * (and out of the run folder's `config.json`), leave `url` out and set `COSEARCH_REDIS_URL`.
 */
export interface RedisSection {
  /** `redis://` or `rediss://` URL; null = `$COSEARCH_REDIS_URL` at connection time. */
  url: string | null;
  /** BullMQ queue name, shared by the experiments and the workers that serve them. */
  queue: string;
  /** Key prefix of every key of the queue (BullMQ's `prefix`). */
  prefix: string;
  /** Tries per evaluation before it is recorded as failed (a crash or a dead worker uses one). */
  attempts: number;
  /** Wait before a retry (s). */
  backoffS: number;
  /** How long finished jobs stay in Redis (s): a resumed experiment takes results from there. */
  retentionS: number;
  /** Period of the sweep that re-reads the state of every job still awaited (s). */
  pollS: number;
  /** TLS: a CA bundle file (PEM) for private CAs, and whether to check the server certificate. */
  tls: { caFile: string | null; rejectUnauthorized: boolean };
}

export const REDIS_URL_ENV = 'COSEARCH_REDIS_URL';
export const DEFAULT_QUEUE = 'cosearch';

/** The URL with its password replaced by `***`, for messages and status output. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<unparsable URL>';
  }
}

/** Checks a Redis URL; errors show it without its password. */
export function checkRedisUrl(url: unknown, field: string): string {
  const allowed = 'a redis://[user:password@]host[:port][/db] or rediss:// (TLS) URL';
  if (typeof url !== 'string') throw new ConfigError(field, url, allowed);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(field, redactUrl(url), allowed);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new ConfigError(field, redactUrl(url), allowed);
  if (!u.hostname) throw new ConfigError(field, redactUrl(url), allowed);
  if (u.pathname && u.pathname !== '/' && !/^\/\d+$/.test(u.pathname)) throw new ConfigError(field, redactUrl(url), allowed);
  return url;
}

const NAME = /^[A-Za-z0-9._-]{1,100}$/;

export function validateRedisSection(raw: unknown): RedisSection {
  const p = 'redis';
  const o: Obj = asObject(raw ?? {}, p);
  rejectUnknownKeys(o, p, ['url', 'queue', 'prefix', 'attempts', 'backoffS', 'retentionS', 'pollS', 'tls']);
  const queue = stringField(o, 'queue', p, DEFAULT_QUEUE);
  if (!NAME.test(queue)) throw new ConfigError('redis.queue', queue, 'letters, digits, ".", "_" or "-"');
  const prefix = stringField(o, 'prefix', p, 'bull');
  if (!NAME.test(prefix)) throw new ConfigError('redis.prefix', prefix, 'letters, digits, ".", "_" or "-"');
  const tls = asObject(o.tls ?? {}, 'redis.tls');
  rejectUnknownKeys(tls, 'redis.tls', ['caFile', 'rejectUnauthorized']);
  return {
    url: o.url === undefined ? null : checkRedisUrl(o.url, 'redis.url'),
    queue,
    prefix,
    attempts: numberField(o, 'attempts', p, { integer: true, min: 1, max: 100 }, 3),
    backoffS: numberField(o, 'backoffS', p, { min: 0, max: 3600 }, 1),
    retentionS: numberField(o, 'retentionS', p, { min: 60, max: 365 * 86400 }, 7 * 86400),
    pollS: numberField(o, 'pollS', p, { min: 0.05, max: 600 }, 2),
    tls: {
      caFile: tls.caFile === undefined ? null : stringField(tls, 'caFile', 'redis.tls'),
      rejectUnauthorized: booleanField(tls, 'rejectUnauthorized', 'redis.tls', true),
    },
  };
}

/** The URL to use: the configured one, else `$COSEARCH_REDIS_URL`. */
export function resolveRedisUrl(url: string | null | undefined, field = 'redis.url'): string {
  const u = url ?? process.env[REDIS_URL_ENV];
  if (u === undefined || u === '') {
    throw new ConfigError(field, undefined, `a redis:// or rediss:// URL (or set ${REDIS_URL_ENV})`);
  }
  return checkRedisUrl(u, url ? field : REDIS_URL_ENV);
}

export interface ConnectionSettings {
  url: string;
  tls?: { caFile: string | null; rejectUnauthorized: boolean };
}

/**
 * ioredis options for BullMQ. `maxRetriesPerRequest: null`: while Redis is down (restart,
 * network cut) commands wait for the reconnection instead of failing, so a Redis restart
 * pauses the run rather than ending it. Reconnection is retried every ≤ 2 s, forever.
 */
export function connectionOptions(s: ConnectionSettings): Record<string, unknown> {
  const url = checkRedisUrl(s.url, 'redis.url');
  const opts: Record<string, unknown> = {
    url,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
  if (url.startsWith('rediss:')) {
    const tls: Record<string, unknown> = { rejectUnauthorized: s.tls?.rejectUnauthorized ?? true };
    const ca = s.tls?.caFile;
    if (ca) {
      if (!fs.existsSync(ca)) throw new DataError(ca, 'no such CA file (redis.tls.caFile)');
      tls.ca = fs.readFileSync(ca);
    }
    opts.tls = tls;
  }
  return opts;
}

/**
 * One PING with no retries: a wrong password, an unknown host or a closed port fails here with
 * one clear line, instead of the endless reconnection that the long-lived connections do.
 */
export async function checkConnection(s: ConnectionSettings): Promise<void> {
  const { url, ...rest } = connectionOptions(s);
  const client = new IORedis(url as string, { ...rest, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 10_000, lazyConnect: true });
  let cause = '';
  client.on('error', (err: Error) => {
    cause ||= err.message;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const msg = cause || (err as Error).message;
    const why = /WRONGPASS|NOAUTH|invalid password|AUTH/i.test(msg) ? 'authentication failed (check the password in the URL)' : msg;
    throw new DataError(redactUrl(s.url), `cannot use Redis: ${why}`);
  } finally {
    client.disconnect();
  }
}
