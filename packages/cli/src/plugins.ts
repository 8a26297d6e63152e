import { loadPlugins } from '@cosearch/runner';

/**
 * Plug-ins every experiment command loads before building an experiment: the `cosearch-v1` and
 * `spiking-v1` problems and the `queue` executor (a run's own `plugins` are loaded by the runner from its
 * config). `--plugin FILE` (repeatable) adds modules for commands without a config (`list`,
 * `worker`) or on top of a config's.
 */
export const BUILTIN_PLUGINS = ['@cosearch/problem', '@cosearch/queue', '@cosearch/spiking/problem'] as const;

export const PLUGIN_OPTION = {
  type: 'string',
  array: true,
  describe: 'plug-in module to load first (registers policies, problems, rewards, ...); repeatable',
} as const;

/** Loads the built-in plug-ins, then `--plugin` modules (paths relative to the working directory, or package names). */
export function loadCliPlugins(extra: readonly string[] = [], builtins = true): void {
  if (builtins) loadPlugins(BUILTIN_PLUGINS);
  loadPlugins(extra, { field: '--plugin' });
}
