/**
 * Bridge to Optuna (tools/bench/peers/optuna_peer.py) for tools/bench/controller.bench.ts.
 *
 * Optuna is NOT a dependency of the project: `findOptuna()` installs it on demand with pip into
 * a local virtual environment (tools/bench/peers/.venv, gitignored) and returns null with the
 * reason when python3, venv, pip or the package registry is unavailable, so the bench can skip
 * the peer with a clear message. The peer only proposes: feasibility masks come from the TS
 * `SearchSpace` (asked per constrained decision during sampling) and rewards from the TS
 * problem, so Optuna and the project's policies see exactly the same problem.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { Candidate, SearchSpace } from '@cosearch/core';

export type OptunaSampler = 'tpe' | 'nsga2' | 'random';

const VENV = path.join(__dirname, '.venv');
const VENV_PYTHON = path.join(VENV, 'bin', 'python');
const PEER = path.join(__dirname, 'optuna_peer.py');

/**
 * Python with Optuna importable: COSEARCH_OPTUNA_PYTHON if set, else the local venv, created
 * and filled with `pip install optuna` on first use. Returns `{ python, version }` or `{ why }`.
 */
export function findOptuna(log: (s: string) => void = () => {}): { python: string; version: string } | { why: string } {
  const probe = (py: string) => spawnSync(py, ['-c', 'import optuna; print(optuna.__version__)'], { encoding: 'utf8' });
  const explicit = process.env.COSEARCH_OPTUNA_PYTHON;
  if (explicit) {
    const r = probe(explicit);
    return r.status === 0 ? { python: explicit, version: r.stdout.trim() } : { why: `COSEARCH_OPTUNA_PYTHON=${explicit} cannot import optuna` };
  }
  if (existsSync(VENV_PYTHON)) {
    const r = probe(VENV_PYTHON);
    if (r.status === 0) return { python: VENV_PYTHON, version: r.stdout.trim() };
  } else {
    log(`optuna peer: creating ${path.relative(process.cwd(), VENV)} (python3 -m venv)`);
    const v = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
    if (v.error) return { why: `python3 not found (${v.error.message})` };
    if (v.status !== 0) return { why: `python3 -m venv failed: ${(v.stderr || '').trim().split('\n').pop()}` };
  }
  log('optuna peer: pip install optuna into the venv (once; a minute or two)');
  const pip = spawnSync(VENV_PYTHON, ['-m', 'pip', 'install', '--quiet', '--retries', '1', 'optuna'], { encoding: 'utf8', timeout: 900_000 });
  if (pip.error) return { why: `pip could not run (${pip.error.message})` };
  if (pip.status !== 0) {
    const last = (pip.stderr || pip.stdout || '').trim().split('\n').filter((l) => !/^WARNING: Retrying/.test(l)).pop();
    return { why: `pip install optuna failed (registry unreachable?): ${last ?? `exit ${pip.status}`}` };
  }
  const r = probe(VENV_PYTHON);
  return r.status === 0 ? { python: VENV_PYTHON, version: r.stdout.trim() } : { why: `optuna installed but not importable: ${r.stderr.trim().split('\n').pop()}` };
}

/** One Optuna study (maximising), asked and told in batches like a `Policy`. */
export class OptunaPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private stderr = '';
  private exited: string | null = null;
  /** Wall time the peer spent proposing (ask, masks included), ms. */
  askMs = 0;

  private constructor(python: string, private readonly space: SearchSpace) {
    this.child = spawn(python, ['-u', PEER], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d) => (this.stderr += String(d)));
    this.child.on('exit', (code, signal) => {
      this.exited = `optuna peer exited (${signal ?? code}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`;
      if (this.waiting) this.waiting('');
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      } else this.lines.push(line);
    });
  }

  static async start(python: string, space: SearchSpace, sampler: OptunaSampler, seed: number): Promise<OptunaPeer> {
    const peer = new OptunaPeer(python, space);
    const constrained = new Set(space.constraints.flatMap((c) => c.decisions));
    peer.send({
      op: 'init', sampler, seed,
      decisions: space.decisions.map((d) => ({ name: d.name, choices: d.choices.length, constrained: constrained.has(d.name) })),
    });
    await peer.recv();
    return peer;
  }

  private send(obj: unknown): void {
    this.child.stdin.write(`${JSON.stringify(obj)}\n`);
  }

  private recv(): Promise<Record<string, unknown>> {
    const parse = (line: string) => {
      if (this.exited && line === '') throw new Error(this.exited);
      return JSON.parse(line) as Record<string, unknown>;
    };
    if (this.lines.length) return Promise.resolve(parse(this.lines.shift()!));
    if (this.exited) return Promise.reject(new Error(this.exited));
    return new Promise((resolve, reject) => {
      this.waiting = (line) => {
        try {
          resolve(parse(line));
        } catch (e) {
          reject(e);
        }
      };
    });
  }

  /** n proposals (decoded candidates); answers the peer's mask questions from the TS space. */
  async ask(n: number): Promise<Candidate[]> {
    const t0 = performance.now();
    this.send({ op: 'ask', n });
    for (;;) {
      const msg = await this.recv();
      if (Array.isArray(msg.mask)) {
        const idx = msg.mask as number[];
        const partial: Partial<Candidate> = {};
        idx.forEach((k, i) => (partial[this.space.decisions[i].name] = this.space.decisions[i].choices[k]));
        this.send({ mask: this.space.feasibleMask(partial, this.space.decisions[idx.length].name) });
      } else if (Array.isArray(msg.candidates)) {
        this.askMs += performance.now() - t0;
        return (msg.candidates as number[][]).map((idx) => this.space.decode(idx));
      } else throw new Error(`optuna peer: unexpected message ${JSON.stringify(msg)}`);
    }
  }

  async tell(values: number[]): Promise<void> {
    this.send({ op: 'tell', values });
    await this.recv();
  }

  close(): void {
    if (!this.exited) this.send({ op: 'close' });
    this.child.stdin.end();
  }
}
