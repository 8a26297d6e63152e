import { ConfigError } from '@cosearch/core';
import { checkRedisUrl, redactUrl, resolveRedisUrl, validateRedisSection } from './options';
import { PayloadError, decodeOutput, encodeOutput, experimentId, jobId, stableStringify, validatePayload, workerConfig } from './payload';

const good = () => ({
  v: 1,
  experiment: 'exp-0123456789ab',
  seed: 3,
  key: '0.1',
  config: { name: 'x', problem: 'synthetic-v1' },
  candidate: { a: 1, b: 'npu', c: true },
});

describe('job payload validation', () => {
  it('accepts a well-formed payload', () => {
    expect(validatePayload(good())).toEqual(good());
  });

  it.each([
    ['not an object', 'rm -rf /'],
    ['an array', [1, 2]],
    ['a class instance', new Date()],
    ['an unknown field', { ...good(), script: 'process.exit(1)' }],
    ['another version', { ...good(), v: 2 }],
    ['an experiment id with ":"', { ...good(), experiment: 'a:b' }],
    ['a fractional seed', { ...good(), seed: 1.5 }],
    ['a config that is a string', { ...good(), config: '{"name":"x"}' }],
    ['a config naming an executor', { ...good(), config: { name: 'x', executor: 'queue' } }],
    ['a candidate value that is an object', { ...good(), candidate: { a: { toString: 'x' } } }],
    ['a candidate value that is null', { ...good(), candidate: { a: null } }],
    ['an oversized config', { ...good(), config: { blob: 'x'.repeat(300 * 1024) } }],
  ])('rejects %s', (_what, data) => {
    expect(() => validatePayload(data)).toThrow(PayloadError);
  });
});

describe('ids and results', () => {
  it('job ids are deterministic, differ by candidate and seed, and contain no ":"', () => {
    const a = jobId('e-1', '0.1.2', 7);
    expect(jobId('e-1', '0.1.2', 7)).toBe(a);
    expect(jobId('e-1', '0.1.3', 7)).not.toBe(a);
    expect(jobId('e-1', '0.1.2', 8)).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('experiment ids ignore key order and the executor sections', () => {
    const c1 = { name: 'n', seed: 1, problem: 'p', executor: 'queue', redis: { url: 'redis://a' } };
    const c2 = { problem: 'p', seed: 1, name: 'n', redis: { url: 'redis://b' } };
    expect(experimentId('n', workerConfig(c1, ['redis']))).toBe(experimentId('n', workerConfig(c2, ['redis'])));
    expect(workerConfig(c1, ['redis'])).toEqual({ name: 'n', seed: 1, problem: 'p' });
    expect(stableStringify({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });

  it('results keep non-finite numbers that plain JSON would turn into null', () => {
    const o = { metrics: { accuracy: 0.5, latencyS: Infinity, energyJ: -Infinity, areaMm2: NaN }, timing: { s: 0.1 } };
    const back = decodeOutput(encodeOutput(o));
    expect(back.metrics.latencyS).toBe(Infinity);
    expect(back.metrics.energyJ).toBe(-Infinity);
    expect(back.metrics.areaMm2).toBeNaN();
    expect(back.metrics.accuracy).toBe(0.5);
    expect(() => decodeOutput('{"timing":{}}')).toThrow(PayloadError);
  });
});

describe('redis section and URLs', () => {
  it('takes passwords and TLS URLs, and never shows the password', () => {
    expect(checkRedisUrl('redis://:s3cret@10.0.0.2:6380/2', 'u')).toBe('redis://:s3cret@10.0.0.2:6380/2');
    expect(checkRedisUrl('rediss://user:s3cret@redis.example.org:6380', 'u')).toContain('rediss://');
    expect(redactUrl('redis://user:s3cret@host:6379')).toBe('redis://user:***@host:6379');
    let message = '';
    try {
      checkRedisUrl('http://user:s3cret@host', 'redis.url');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/redis\.url/);
    expect(message).not.toContain('s3cret');
  });

  it('validates the section with defaults and names the bad field', () => {
    const s = validateRedisSection({ url: 'redis://localhost:6379' });
    expect(s).toMatchObject({ queue: 'cosearch', prefix: 'bull', attempts: 3, url: 'redis://localhost:6379' });
    expect(() => validateRedisSection({ attempts: 0 })).toThrow(/redis\.attempts/);
    expect(() => validateRedisSection({ queue: 'a:b' })).toThrow(/redis\.queue/);
    expect(() => validateRedisSection({ url: 'redis://h', extra: 1 })).toThrow(ConfigError);
  });

  it('falls back to COSEARCH_REDIS_URL, and says so when neither is given', () => {
    const saved = process.env.COSEARCH_REDIS_URL;
    try {
      process.env.COSEARCH_REDIS_URL = 'redis://:pw@127.0.0.1:7000';
      expect(resolveRedisUrl(null)).toBe('redis://:pw@127.0.0.1:7000');
      delete process.env.COSEARCH_REDIS_URL;
      expect(() => resolveRedisUrl(null)).toThrow(/COSEARCH_REDIS_URL/);
    } finally {
      if (saved === undefined) delete process.env.COSEARCH_REDIS_URL;
      else process.env.COSEARCH_REDIS_URL = saved;
    }
  });
});
