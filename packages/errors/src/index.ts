export { ERROR_KINDS, type ErrorKind, kindOf, TalentExportError } from './error.js';
