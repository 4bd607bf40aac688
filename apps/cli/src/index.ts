export { EXIT, type ExitCode } from './exit.js';
export { type MainOptions, main, version } from './main.js';
