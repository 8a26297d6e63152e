import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { CosearchError } from '@cosearch/core';

/**
 * A private `redis-server` on a free loopback port, for tests, benchmarks and trying the queue
 * on one machine. Its data lives in its own folder (AOF persistence on by default, fsync on
 * every write), so `restart()` brings back exactly what was acknowledged before the stop.
 */
export interface LocalRedisOptions {
  /** `requirepass`: clients must authenticate (the URL carries the password). */
  password?: string;
  /** Append-only file persistence (default true) and its fsync policy (default `always`). */
  appendonly?: boolean;
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Data folder (default: a new temporary folder, removed by `stop()`). */
  dir?: string;
  /** The server binary (default `$REDIS_SERVER` or `redis-server` on the PATH). */
  binary?: string;
  /** Serve TLS only (`rediss://`), with a throw-away CA and server certificate made by `openssl`. */
  tls?: boolean;
}

export interface LocalRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly pid: number | undefined;
  /** With `tls`: the CA certificate (PEM) clients must trust. */
  readonly caFile: string | null;
  /** Stops the server (`SIGTERM`: clean shutdown; `SIGKILL`: a crash) and starts it again on the same port and data. */
  restart(opts?: { signal?: 'SIGTERM' | 'SIGKILL'; downMs?: number }): Promise<void>;
  /** Stops the server and removes a temporary data folder. */
  stop(): Promise<void>;
}

/** The redis-server binary, or null when it is not installed. */
export function findRedisServer(binary = process.env.REDIS_SERVER ?? 'redis-server'): string | null {
  if (path.isAbsolute(binary)) return fs.existsSync(binary) ? binary : null;
  const r = spawnSync('sh', ['-c', `command -v ${JSON.stringify(binary)}`], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Sends raw RESP commands and resolves with the reply text (no client library needed). */
function probe(port: number, password: string | undefined, ca: Buffer | null): Promise<string> {
  return new Promise((resolve) => {
    const sock = ca ? tls.connect({ port, host: '127.0.0.1', ca }) : net.connect(port, '127.0.0.1');
    let reply = '';
    const done = (r: string) => {
      sock.destroy();
      resolve(r);
    };
    sock.setTimeout(1000, () => done(reply));
    sock.on('error', () => done('error'));
    sock.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('+PONG') || reply.includes('-')) done(reply);
    });
    // RESP arrays, not inline commands: a password may contain spaces
    const cmd = (...args: string[]) => `*${args.length}\r\n${args.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`;
    sock.on(ca ? 'secureConnect' : 'connect', () => sock.write(`${password ? cmd('AUTH', password) : ''}${cmd('PING')}`));
  });
}

async function waitReady(port: number, password: string | undefined, ca: Buffer | null, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const r = await probe(port, password, ca);
    if (r.includes('+PONG')) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-5).join('\n') : '';
  throw new CosearchError(`redis-server on port ${port} did not become ready:\n${log}`);
}

/** A CA and a server certificate for 127.0.0.1, valid two days (tests only). Returns the CA file. */
function makeCertificates(dir: string): string {
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new CosearchError(`openssl ${args[0]} failed: ${r.error?.message ?? r.stderr.trim()}`);
  };
  fs.writeFileSync(path.join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=cosearch-test-ca']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.cnf']);
  return path.join(dir, 'ca.crt');
}

export async function startLocalRedis(opts: LocalRedisOptions = {}): Promise<LocalRedis> {
  const binary = findRedisServer(opts.binary);
  if (!binary) throw new CosearchError('redis-server is not installed (Debian/Ubuntu: apt-get install redis-server; or set REDIS_SERVER)');
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-redis-'));
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(dir, 'redis.log');
  const caFile = opts.tls ? makeCertificates(dir) : null;
  const tlsArgs = caFile
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', path.join(dir, 'server.crt'), '--tls-key-file', path.join(dir, 'server.key'),
       '--tls-ca-cert-file', caFile, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const args = [
    ...tlsArgs, '--bind', '127.0.0.1', '--dir', dir, '--logfile', logFile, '--daemonize', 'no',
    '--save', '', '--appendonly', opts.appendonly === false ? 'no' : 'yes', '--appendfsync', opts.appendfsync ?? 'always',
    ...(opts.password ? ['--requirepass', opts.password] : []),
  ];
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(binary, args, { stdio: 'ignore' });
    try {
      await waitReady(port, opts.password, caFile ? fs.readFileSync(caFile) : null, child, logFile);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  };
  const halt = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((res) => child.once('exit', res));
    child.kill(signal);
    await exited;
  };
  await launch();
  const auth = opts.password ? `:${encodeURIComponent(opts.password)}@` : '';
  return {
    url: `${caFile ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    caFile,
    port,
    dir,
    get pid() {
      return child.pid;
    },
    async restart({ signal = 'SIGTERM', downMs = 0 } = {}) {
      await halt(signal);
      if (downMs > 0) await new Promise((res) => setTimeout(res, downMs));
      await launch();
    },
    async stop() {
      await halt('SIGTERM');
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
