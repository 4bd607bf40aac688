import { existsSync } from 'node:fs';
import { closestName } from '@talent-export/errors';
import { begun, COMMON_OPTIONS, HELP_WIDTH, type OptionSpecs } from './args.js';
import type { Context } from './context.js';
import { describeError, EXIT, errorKind, exitCodeFor, InterruptedError, UsageError } from './exit.js';
import { jsonText } from './json.js';
import { createProgress } from './progress.js';
import { terminalText } from './terminal.js';
import { version } from './version.js';

type Command = (argv: string[], context: Context) => Promise<number>;

// A command's module (and the packages it needs: the Parquet writer, the pipeline, the sample generator)
// is loaded only when that command runs: loading them all took longer than listing an export's parts.
const COMMANDS: Record<string, () => Promise<Command>> = {
  inspect: async () => (await import('./commands/inspect.js')).inspect,
  validate: async () => (await import('./commands/inspect.js')).validate,
  convert: async () => (await import('./commands/convert.js')).convert,
  extract: async () => (await import('./commands/extract.js')).extract,
  redact: async () => (await import('./commands/redact.js')).redact,
  join: async () => (await import('./commands/join.js')).join,
  bundle: async () => (await import('./commands/bundle.js')).bundle,
  report: async () => (await import('./commands/report.js')).report,
  sample: async () => (await import('./commands/sample.js')).sample,
  'verify-redaction': async () => (await import('./commands/verify-redaction.js')).verifyRedactionCommand,
};

/** The commands whose `--json` prints their result as one JSON document on stdout. */
const JSON_COMMANDS = new Set(['inspect', 'validate', 'verify-redaction']);

/** The help texts load every command's options, so only a help request loads them. */
const help = async (columns?: number): Promise<Record<string, string>> => {
  const { HELP, narrowed } = await import('./help.js');
  if (columns === undefined || columns > HELP_WIDTH) return HELP;
  // One column short of the terminal's: a line as wide as it leaves the cursor past its edge.
  const width = Math.max(40, columns - 1);
  return Object.fromEntries(Object.entries(HELP).map(([topic, text]) => [topic, narrowed(text, width)]));
};

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface MainOptions {
  signal?: AbortSignal;
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** The width of the terminal standard output is, if it is one: `--help` is wrapped to fit it. */
  columns?: number | undefined;
}

/** Runs one command line and returns its exit code; the only place errors become exit codes. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const write = options.err ?? ((text: string) => process.stderr.write(text));
  const err = (text: string) => write(terminalText(text));
  // Only what goes to a terminal is fitted to it: `--help > help.txt` or `| less` keeps the full width.
  const columns =
    options.columns ??
    (options.out === undefined && process.stdout.isTTY ? process.stdout.columns : undefined);
  const [name, ...rest] = argv;
  const debug = argv.includes('--debug');
  // Progress is set up before a command parses its options, so -q is also found in groups like -qo.
  // What follows -o in a group is its value (-oq is --out q, as the commands read it); -o is the only short
  // option that takes one.
  const quiet = argv.some((a) => a === '--quiet' || /^-[a-np-zA-Z]*q[a-zA-Z]*$/.test(a));
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const HELP = await help(columns);
    // A misspelt topic is said so, not answered with the general help as if it had worked.
    if (name === 'help' && rest[0] !== undefined && !HELP[rest[0]]) {
      return noCommand(rest[0], unknownCommand(rest[0]), rest, { out, err });
    }
    const topic = name === 'help' && rest[0] ? rest[0] : 'main';
    out(`${HELP[topic]}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    out(`${version()}\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    const message = name.startsWith('-') ? misplacedOption(name, rest) : unknownCommand(name);
    const named = rest.find((word) => COMMANDS[word] !== undefined);
    // `--json` may be the misplaced option itself (`talent-export --json inspect x`).
    return noCommand(name.startsWith('-') ? (named ?? name) : name, message, argv, { out, err });
  }
  // `convert help` as git and npm take it; a folder named "help" here is still read as the export.
  const helpWord = rest.length === 1 && rest[0] === 'help' && !existsSync('help');
  if (rest.includes('--help') || rest.includes('-h') || helpWord) {
    out(`${(await help(columns))[name]}\n`);
    return EXIT.ok;
  }
  const progress = createProgress({ quiet });
  const signal = options.signal ?? new AbortController().signal;
  let printed = false;
  const result = (text: string) => {
    printed = true;
    out(text);
  };
  try {
    currentFolder();
    // Loaded here, so a module that cannot be read (EMFILE: too many open files) is told as any error is.
    const command = await load();
    // A command that finished keeps its code, even if Ctrl-C came after its outputs were complete.
    const code = await command(rest, { signal, progress, quiet, out: result, err });
    progress.end();
    return code;
  } catch (error) {
    const exit = signal.aborted ? EXIT.interrupted : exitCodeFor(error);
    const reason = exit === EXIT.interrupted ? new InterruptedError() : await otherCommands(name, error);
    // Nothing is drawn below the error: tables still winding down finish their bars unseen.
    progress.end();
    // A script reading stdout gets one JSON document whatever happens, and can tell a failure by its error.
    // Not a second one after the result (an error while closing the export).
    if (JSON_COMMANDS.has(name) && wantsJson(rest) && !printed)
      out(`${jsonText(errorDocument(name, reason, exit))}\n`);
    err(`talent-export ${name}: ${describeError(reason)}\n`);
    if (exit === EXIT.usage) err(`Try "talent-export ${name} --help".\n`);
    if (debug && error instanceof Error && error.stack) err(`${error.stack}\n`);
    else if (exit === EXIT.internal) err('Run again with --debug for details.\n');
    return exit;
  }
}

/**
 * A shell left in a folder that was since removed: relative paths mean nothing, and worker threads cannot
 * start (they failed as a lost worker, exit 4). Said once, before any work.
 */
function currentFolder(): void {
  try {
    process.cwd();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'ENOENT';
    throw Object.assign(
      new Error(
        'the current folder no longer exists (removed or renamed since the shell entered it): cd to a folder that exists, then run again',
      ),
      { code },
    );
  }
}

/** `--json` among the options, before a `--` (after it, a path named "--json"). */
function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** What `--json` prints for a run that ended in an error: no result, only what failed and the exit code. */
function errorDocument(command: string, error: unknown, exitCode: number) {
  const code = (error as { code?: unknown } | null)?.code;
  const line = describeError(error);
  // The code has a field of its own.
  const message =
    typeof code === 'string' && line.startsWith(`${code}: `) ? line.slice(code.length + 2) : line;
  return {
    command,
    error: { ...(typeof code === 'string' ? { code } : {}), kind: errorKind(error), message },
    exitCode,
  };
}

/**
 * An unknown option that other commands have (`report --json`, `inspect -o`) is said to be theirs: the
 * user mixed up commands, and "Unknown option" alone reads as a typo. Left as it is when a hint was found.
 */
async function otherCommands(command: string, error: unknown): Promise<unknown> {
  if (!(error instanceof UsageError)) return error;
  const given = /^Unknown option '(-[^']+)'$/.exec(error.message)?.[1];
  if (given === undefined) return error;
  if (given === '--version' || given === '-v') {
    return new UsageError(
      `${error.message}; the version is printed by "talent-export --version", without a command`,
      command,
    );
  }
  // A module that cannot be loaded now (too many open files) costs the hint, not the error's own words.
  const loaded = await import('./help.js').catch(() => undefined);
  if (loaded === undefined) return error;
  const { OPTIONS_OF } = loaded;
  const named = (options: OptionSpecs) =>
    given.startsWith('--')
      ? options[given.slice(2)] === undefined
        ? undefined
        : given.slice(2)
      : Object.keys(options).find((key) => options[key]?.short === given.slice(1));
  const long = Object.values(OPTIONS_OF)
    .map(named)
    .find((name) => name !== undefined);
  if (long === undefined) return error;
  const owners = Object.keys(OPTIONS_OF).filter(
    (other) => other !== command && named(OPTIONS_OF[other]!) === long,
  );
  const option = given.startsWith('--') ? 'an option' : `--${long} (${given})`;
  return new UsageError(
    `${error.message}; it is ${option} of ${owners.join(', ')}, not of ${command}`,
    command,
  );
}

/** An option before any command: one of a command's (`-q inspect`), or a misspelt --version or --help. */
function misplacedOption(option: string, rest: string[]): string {
  const command = rest.find((word) => COMMANDS[word] !== undefined);
  if (command !== undefined) return `options go after the command: talent-export ${command} ${option} ...`;
  const near = closestName(option.replace(/^-+/, ''), ['version', 'help']);
  return `unknown option "${option}".${near ? ` Did you mean --${near}?` : ''} Usage: talent-export <command> [options]; try --help.`;
}

function unknownCommand(name: string): string {
  return `unknown command "${name}".${suggestion(name)} Commands: ${Object.keys(COMMANDS).join(', ')}. Try --help.`;
}

/** No command to run: said on stderr, and as the JSON document a script asked for with --json. */
function noCommand(name: string, message: string, argv: string[], { out, err }: Output): number {
  if (wantsJson(argv)) {
    out(`${jsonText(errorDocument(name, new UsageError(message), EXIT.usage))}\n`);
  }
  err(`talent-export: ${message}\n`);
  return EXIT.usage;
}

/**
 * " Did you mean convert?" for a command one or two letters off one of ours (or --version), in capitals
 * (Caps Lock), or begun (`verify`), else nothing.
 */
function suggestion(name: string): string {
  if (name === 'version') return ' Did you mean --version?';
  const names = Object.keys(COMMANDS);
  const word = name.toLowerCase();
  const near = names.includes(word)
    ? word
    : (closestName(word, names) ?? (word.length >= 3 ? begun(word, names) : undefined));
  return near ? ` Did you mean ${near}?` : '';
}

export { COMMON_OPTIONS, UsageError, version };
