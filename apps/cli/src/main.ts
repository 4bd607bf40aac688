import { readFileSync } from 'node:fs';
import { COMMON_OPTIONS } from './args.js';
import { bundle } from './commands/bundle.js';
import { convert } from './commands/convert.js';
import { extract } from './commands/extract.js';
import { inspect, validate } from './commands/inspect.js';
import { join } from './commands/join.js';
import { redact } from './commands/redact.js';
import { report } from './commands/report.js';
import { sample } from './commands/sample.js';
import { verifyRedactionCommand } from './commands/verify-redaction.js';
import type { Context } from './context.js';
import { describeError, EXIT, exitCodeFor, InterruptedError, UsageError } from './exit.js';
import { HELP } from './help.js';
import { createProgress } from './progress.js';

type Command = (argv: string[], context: Context) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  inspect,
  validate,
  convert,
  extract,
  redact,
  join,
  bundle,
  report,
  sample,
  'verify-redaction': verifyRedactionCommand,
};

export interface MainOptions {
  signal?: AbortSignal;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Runs one command line and returns its exit code; the only place errors become exit codes. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const err = options.err ?? ((text: string) => process.stderr.write(text));
  const [name, ...rest] = argv;
  const debug = argv.includes('--debug');
  // Progress is set up before a command parses its options, so -q is also found in groups like -qo.
  const quiet = argv.some((a) => a === '--quiet' || /^-[a-zA-Z]*q[a-zA-Z]*$/.test(a));
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest[0] && HELP[rest[0]] ? rest[0] : 'main';
    out(`${HELP[topic]}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    out(`${version()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(
      `talent-export: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}. Try --help.\n`,
    );
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(`${HELP[name]}\n`);
    return EXIT.ok;
  }
  const progress = createProgress({ quiet });
  const signal = options.signal ?? new AbortController().signal;
  try {
    // A command that finished keeps its code, even if Ctrl-C came after its outputs were complete.
    return await command(rest, { signal, progress, quiet, out, err });
  } catch (error) {
    const exit = signal.aborted ? EXIT.interrupted : exitCodeFor(error);
    const reason = exit === EXIT.interrupted ? new InterruptedError() : error;
    progress.log('');
    err(`talent-export ${name}: ${describeError(reason)}\n`);
    if (exit === EXIT.usage) err(`Try "talent-export ${name} --help".\n`);
    if (debug && error instanceof Error && error.stack) err(`${error.stack}\n`);
    else if (exit === EXIT.internal) err('Run again with --debug for details.\n');
    return exit;
  }
}

export { COMMON_OPTIONS, UsageError };
