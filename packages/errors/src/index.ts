export { ERROR_KINDS, type ErrorKind, kindOf, TalentExportError } from './error.js';
export { makeFolders } from './folders.js';
export { hiddenFileName } from './names.js';
export {
  alive,
  LEFT_FOR_MS,
  leftByDeadRun,
  raise as raiseOpenFiles,
  startedAfter,
  startTime,
  tooManyFiles,
  untouchedFor,
} from './processes.js';
export { fileSystemRemedy } from './remedies.js';
export { closestName } from './typos.js';
export { startWorker, workerExecArgv } from './workers.js';
