import type { CommandModule } from 'yargs';

/**
 * One command of the CLI, loaded lazily: `command` and `describe` are all yargs needs to list it
 * and to match the command line; `load` requires the command's file (and with it the packages
 * it imports: tfjs, the supernet, Redis clients ...) only when that command runs, so
 * `cosearch list policies` does not pay for the others' imports.
 * `command` and `describe` must equal the loaded module's (a test checks).
 */
export interface LazyCommand {
  command: string;
  describe: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  load: () => CommandModule<any, any>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** Every command of the CLI; each package's issue adds its own file and one entry here. */
export const commands: LazyCommand[] = [
  { command: 'list <kind>', describe: 'list registered plug-ins', load: () => (require('./list') as typeof import('./list')).listCommand },
  { command: 'search <config>', describe: 'run a co-search experiment from a JSON config into a run folder', load: () => (require('./search') as typeof import('./search')).searchCommand },
  { command: 'resume <dir>', describe: 'continue an interrupted run from its last checkpoint and log (ends as if never interrupted)', load: () => (require('./resume') as typeof import('./resume')).resumeCommand },
  { command: 'report <dir>', describe: 'write report.html, evaluations.csv and evaluations.json of a run folder', load: () => (require('./report') as typeof import('./report')).reportCommand },
  { command: 'start', describe: 'run the default MNIST co-search (experiments/default-mnist.json); continues or re-reports an existing run', load: () => (require('./start') as typeof import('./start')).startCommand },
  { command: 'suite <file>', describe: 'run an experiment suite (variants × seeds, e.g. experiments/joint-vs-sequential.json) and print its table', load: () => (require('./suite') as typeof import('./suite')).suiteCommand },
  { command: 'worker', describe: 'evaluate candidates from a Redis queue (runs until Ctrl-C / SIGTERM; start one per machine)', load: () => (require('./worker') as typeof import('./worker')).workerCommand },
  { command: 'status <dir>', describe: 'show where a run stands: evaluations logged; queue runs: jobs queued/active/done/failed and workers seen', load: () => (require('./status') as typeof import('./status')).statusCommand },
  { command: 'train-supernet', describe: 'train the hybrid CNN/ViT weight-sharing supernet (two-phase by default) and write a checkpoint + summary.json', load: () => (require('./train-supernet') as typeof import('./train-supernet')).trainSupernetCommand },
  { command: 'eval-subnet', describe: 'accuracy (inherited weights, BN re-calibrated), MACs, parameters and layer list of one subnet of a trained supernet', load: () => (require('./eval-subnet') as typeof import('./eval-subnet')).evalSubnetCommand },
  { command: 'cim-train', describe: 'train a network on simulated memristor crossbars (float | naive | mixed-precision | hwa)', load: () => (require('./cim-train') as typeof import('./cim-train')).cimTrainCommand },
  { command: 'cim-eval', describe: 'accuracy of a trained network (cim-train --out DIR) programmed onto N simulated chips, mean ± std', load: () => (require('./cim-eval') as typeof import('./cim-eval')).cimEvalCommand },
  { command: 'hw', describe: 'latency, energy, area of a network on a hardware config (per-layer table + totals)', load: () => (require('./hw') as typeof import('./hw')).hwCommand },
  { command: 'hw-spiking', describe: 'pJ per spike, power and latency per image of the default spiking network on spiking CIM tiles, next to the JETC 2024 paper', load: () => (require('./hw-spiking') as typeof import('./hw-spiking')).hwSpikingCommand },
  { command: 'maestro-compare <dir>', describe: 'compare the mapping engine with a folder of MAESTRO runs (MACs, active PEs, cycles, sweeps, ranking)', load: () => (require('./maestro-compare') as typeof import('./maestro-compare')).maestroCompareCommand },
  { command: 'export', describe: 'export a found subnet as a standard tfjs LayersModel (model.json + weights.bin) that tf.loadLayersModel loads', load: () => (require('./export') as typeof import('./export')).exportCommand },
];
/* eslint-enable @typescript-eslint/no-require-imports */
