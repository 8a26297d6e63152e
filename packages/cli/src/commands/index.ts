import type { CommandModule } from 'yargs';
import { listCommand } from './list';
import { searchCommand } from './search';
import { resumeCommand } from './resume';
import { reportCommand } from './report';
import { startCommand } from './start';
import { suiteCommand } from './suite';
import { workerCommand } from './worker';
import { statusCommand } from './status';
import { cimTrainCommand } from './cim-train';
import { cimEvalCommand } from './cim-eval';
import { trainSupernetCommand } from './train-supernet';
import { hwCommand } from './hw';
import { evalSubnetCommand } from './eval-subnet';
import { maestroCompareCommand } from './maestro-compare';
import { exportCommand } from './export';

/** Every command of the CLI; each package's issue adds its own file and one line here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [listCommand, searchCommand, resumeCommand, reportCommand, startCommand, suiteCommand, workerCommand, statusCommand, trainSupernetCommand, evalSubnetCommand, cimTrainCommand, cimEvalCommand, hwCommand, maestroCompareCommand, exportCommand];
