import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError, CosearchError } from '@cosearch/core';
import { buildExperiment } from './build';
import { loadPlugins } from './plugins';
import type { CandidateEvaluator, ProblemContext } from './problem';

/**
 * Worker-thread entry: builds the problem's evaluator from the plain config it is given, then
 * answers `{ id, candidate }` messages with `{ id, output }` or `{ id, error, user }` (user =
 * a `CosearchError`, i.e. this candidate failed; otherwise a bug that stops the run).
 */
interface Init {
  config: unknown;
  /** Plug-in modules to load first (the config's, and the one registering its problem). */
  modules: string[];
  ctx: Omit<ProblemContext, 'log'>;
}

function describe(err: unknown) {
  return { error: err instanceof Error ? err.message : String(err), user: err instanceof CosearchError, stack: err instanceof Error ? err.stack : undefined };
}

async function main(): Promise<void> {
  const port = parentPort!;
  const init = workerData as Init;
  let evaluator: CandidateEvaluator;
  try {
    const ctx: ProblemContext = { ...init.ctx, log: (message) => port.postMessage({ log: message }) };
    loadPlugins(init.modules ?? [], { field: 'worker modules' });
    const { problem } = buildExperiment(init.config, ctx);
    evaluator = await problem.createEvaluator();
  } catch (err) {
    if (err instanceof ConfigError && err.field === 'problem') {
      // registered in the main thread by a script, not by a module a worker can load
      err.message += `; worker threads know only problems registered by a loaded module: list the module that registers ${JSON.stringify(err.value)} in the config's "plugins" (or give its registry entry \`module\`), or set search.workers to 0`;
    }
    port.postMessage({ ready: false, ...describe(err) });
    return;
  }
  port.on('message', (msg: { id: number; candidate: Record<string, string | number | boolean> } | { close: true }) => {
    if ('close' in msg) {
      evaluator.dispose?.();
      port.close();
      return;
    }
    evaluator.evaluate(msg.candidate).then(
      (output) => port.postMessage({ id: msg.id, output }),
      (err) => port.postMessage({ id: msg.id, ...describe(err) }),
    );
  });
  port.postMessage({ ready: true });
}

void main();
