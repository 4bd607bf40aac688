export { ERROR_KINDS, type ErrorKind, kindOf, TalentExportError } from './error.js';
export { makeFolders } from './folders.js';
export { hiddenFileName } from './names.js';
export { alive, startedAfter, startTime, tooManyFiles } from './processes.js';
