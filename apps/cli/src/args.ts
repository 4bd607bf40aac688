import { existsSync, statSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { closestName } from '@talent-export/errors';
import { NotAFolderError, UsageError } from './exit.js';

/**
 * One option: how it is parsed and how `--help` shows it, in one place so the two cannot drift. `value`
 * names a string option's argument in the help (`--out DIR`); `help` may run over several lines.
 */
export type OptionSpec = { type: 'string' | 'boolean'; short?: string; value?: string; help: string };
export type OptionSpecs = Record<string, OptionSpec>;

/** Limits on untrusted input that a user may need to raise for an unusual but genuine export. */
export const INPUT_OPTIONS = {
  'max-record-mb': {
    type: 'string',
    value: 'N',
    help: 'largest CSV row accepted, in MiB (default 8, at most 4096); past it the table\ncannot be read: convert, redact and join stop (exit 3, nothing written); inspect,\nvalidate and report name the table and go on',
  },
  'max-ratio': {
    type: 'string',
    value: 'N',
    help: 'compression ratio above which an entry over 1 MiB is refused as a zip bomb\n(default 200); raise it for a genuine, very repetitive table',
  },
  threads: {
    type: 'string',
    value: 'N',
    help: 'threads to use (default: the number of CPUs, at most 4; more than the CPUs, or 4,\nare lowered to that); tables of 64 KiB or more are cut into slices decoded by N-1\nworker threads; 1 does all on one thread',
  },
  'lenient-quotes': {
    type: 'boolean',
    help: 'read a quote inside an unquoted field (1,5" screen) as text, as Python\'s csv and\nDuckDB do, instead of rejecting the row; such rows are counted in a\nQUOTES_LENIENT notice. Text after a closing quote ("a"b) is still rejected',
  },
} as const satisfies OptionSpecs;

/**
 * `--threads N`: threads in all for decoding; big tables are split over N-1 worker threads. More than the
 * CPUs (or 4 on a smaller machine) are lowered to that, said with `log`: each worker holds its own buffers,
 * so `--threads 1000` took 0.7 GB and three times as long on 2 CPUs.
 */
export function threadCount(
  command: string,
  values: Record<string, string | boolean | undefined>,
  log?: (line: string) => void,
): number {
  const n = positiveInt(command, 'threads', values.threads);
  if (n === 0) throw new UsageError('--threads must be at least 1', command);
  const cpus = availableParallelism();
  const most = Math.max(cpus, 4);
  if (n !== undefined && n > most) {
    log?.(`--threads ${n}: this machine has ${cpus} CPU(s); using ${most} threads`);
    return most;
  }
  return n ?? Math.min(cpus, 4);
}

/** The largest --max-record-mb: 4 GiB, more than one row can hold in memory. */
const MAX_RECORD_MB = 4096;

export interface InputLimits {
  /** The largest CSV record the decoders accept (an unclosed quote otherwise reads to the end). */
  maxRecordBytes?: number;
  /** The compression ratio above which a large zip entry is refused as a bomb. */
  maxRatio?: number;
  /** Read a quote inside an unquoted field (`5" screen`) as text, as Python's csv does, not reject the row. */
  lenientQuotes?: boolean;
}

export function inputLimits(
  command: string,
  values: Record<string, string | boolean | undefined>,
): InputLimits {
  const limits: InputLimits = {};
  for (const name of ['max-record-mb', 'max-ratio'] as const) {
    const n = positiveInt(command, name, values[name]);
    if (n === 0) throw new UsageError(`--${name} must be at least 1`, command);
    if (n === undefined) continue;
    // A row that is a whole heap's worth cannot be read anyway; the decoders want a byte count they can hold.
    if (name === 'max-record-mb' && n > MAX_RECORD_MB) {
      throw new UsageError(`--max-record-mb must be at most ${MAX_RECORD_MB}, got ${n}`, command);
    }
    if (name === 'max-record-mb') limits.maxRecordBytes = n * 1024 * 1024;
    else limits.maxRatio = n;
  }
  if (values['lenient-quotes'] === true) limits.lenientQuotes = true;
  return limits;
}

export const COMMON_OPTIONS = {
  quiet: { type: 'boolean', short: 'q', help: 'no progress or summary on stderr' },
  debug: { type: 'boolean', help: 'print stack traces on errors' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
} as const satisfies OptionSpecs;

/** The options block of `--help`, from the definitions that parse them. */
export function renderOptions(options: OptionSpecs): string {
  const all: OptionSpecs = { ...options, ...COMMON_OPTIONS };
  const heads = Object.entries(all).map(
    ([name, spec]) =>
      `  ${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`,
  );
  const width = Math.max(...heads.map((head) => head.length)) + 2;
  return Object.values(all)
    .map((spec, i) =>
      fitLines(spec.help.split('\n'), HELP_WIDTH - width)
        .map((line, k) => (k === 0 ? heads[i]!.padEnd(width) : ' '.repeat(width)) + line)
        .join('\n'),
    )
    .join('\n');
}

/** The widest line of `--help`. */
export const HELP_WIDTH = 110;

/** Lines as written, or wrapped again to `width` when one is longer (a wide option name beside them). */
export function fitLines(lines: string[], width: number): string[] {
  if (lines.every((line) => line.length <= width)) return lines;
  const wrapped: string[] = [];
  let line = '';
  for (const word of lines.join(' ').split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      wrapped.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...wrapped, line];
}

/** What node:util's parseArgs takes of a definition. */
function parseSpecs(options: OptionSpecs) {
  return Object.fromEntries(
    Object.entries(options).map(([name, { type, short }]) => [name, short ? { type, short } : { type }]),
  );
}

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** What other tools call our options: `--output`, `--format`, `--silent`. */
const SYNONYMS: Record<string, string> = {
  output: 'out',
  'output-dir': 'out',
  dir: 'out',
  format: 'to',
  formats: 'to',
  silent: 'quiet',
  jobs: 'threads',
  verbose: 'debug',
};

export function parseCommand(
  command: string,
  argv: string[],
  options: OptionSpecs,
  maxPositionals: number,
): Parsed {
  const all: OptionSpecs = { ...COMMON_OPTIONS, ...options };
  let parsed: Parsed & { tokens: { kind: string; name?: string }[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: parseSpecs(all),
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    // The what-to-do of "--out -q" is on the message's later lines, and errors are shown one line each.
    const message = (error as Error).message.replace(/\. To specify a positional.*$/s, '');
    const valueless = valueMissing(message, argv, all);
    if (valueless) throw new UsageError(valueless, command);
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
    const near = unknown === undefined ? undefined : nearestOption(unknown, all);
    // A file or folder whose name begins with a dash reads as an option.
    const path = message.startsWith('Unknown option')
      ? argv.find((arg) => /^-[^-]/.test(arg) && existsSync(arg))
      : undefined;
    const hint = near
      ? `; did you mean --${near}?`
      : path !== undefined
        ? `; if "${path}" is a path, write ./${path}`
        : '';
    throw new UsageError(`${message.replace(/\n/g, ' ')}${hint}`, command);
  }
  // The last of two values would win without a word: `--candidates 1 --candidates 2` asks for one.
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || token.name === undefined || all[token.name]?.type !== 'string') continue;
    if (seen.has(token.name)) {
      throw new UsageError(`--${token.name} is given more than once; give it once`, command);
    }
    seen.add(token.name);
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals]!;
    // Before "--" a word with a dash is an option (or an error): after it, it can only be a path.
    const ended = argv.includes('--') && extra.length > 1 && extra.startsWith('-');
    throw new UsageError(
      `unexpected argument "${extra}"${ended ? '; after "--" every word is a path: put options before "--"' : unquoted(parsed.positionals, maxPositionals)}`,
      command,
    );
  }
  const values = Object.fromEntries(
    Object.entries(parsed.values).map(([name, value]) => [
      name,
      typeof value === 'string' ? home(value) : value,
    ]),
  );
  for (const [name, value] of Object.entries(values)) {
    // `-` means standard output to report and to most tools; here it would quietly make a folder named "-".
    if (all[name]?.value === 'DIR' && value === '-') {
      throw new UsageError(
        `--${name} - : ${command} writes a folder of files, not standard output; give a folder (./- for one named "-")`,
        command,
      );
    }
    // The writers would fail on it their own ways (EEXIST, ENOTDIR), some asking to check the free space.
    // extract and redact stage their output folder and refuse a file there themselves, in these words.
    const own = name === 'out' && (command === 'extract' || command === 'redact');
    if (all[name]?.value === 'DIR' && typeof value === 'string' && !own && notAFolder(value)) {
      throw new NotAFolderError(`--${name} ${value} exists and is not a folder; give a folder`);
    }
  }
  return { values, positionals: parsed.positionals.map(home) };
}

/**
 * The option a mistyped or other tool's one most likely meant: another tool's name (`--output`), a typo of
 * ours or of such a name (`--ouput`), or the start of only one of ours (`--key` for `--key-file`).
 */
function nearestOption(unknown: string, all: OptionSpecs): string | undefined {
  const ours = (name: string | undefined) => (name !== undefined && all[name] ? name : undefined);
  // `--formt` is near both --format and --formats: one meaning.
  const meant = new Set(
    Object.keys(SYNONYMS)
      .filter((name) => name === unknown || closestName(unknown, [name]) !== undefined)
      .map((name) => SYNONYMS[name]),
  );
  const synonym = meant.size === 1 ? ours([...meant][0]) : undefined;
  if (synonym !== undefined) return synonym;
  const near = closestName(unknown, Object.keys(all));
  if (near !== undefined) return near;
  return unknown.length >= 3 ? begun(unknown, Object.keys(all)) : undefined;
}

/**
 * Why there are more arguments than paths wanted: a path with a space given unquoted (if together they name
 * a path), or the export's files given one by one (`export/*`), which name the folder that holds them.
 */
function unquoted(positionals: string[], wanted: number): string {
  const places = positionals.map((path) => resolve(home(path)));
  if (new Set(places).size < places.length) return '; the same path is given twice: give it once';
  const folders = new Set(positionals.map((path) => dirname(path)));
  // Folders (two exports) are not an export's files: their parent folder is no export.
  if (wanted === 1 && folders.size === 1 && positionals.every((path) => isFile(home(path)))) {
    return `; give the folder that holds these files, once: ${[...folders][0]}`;
  }
  for (let end = positionals.length; end >= 2; end--) {
    for (let start = 0; start + 2 <= end; start++) {
      const path = positionals.slice(start, end).join(' ');
      if (existsSync(home(path))) return `; to give the path "${path}", put it in quotes`;
    }
  }
  return '';
}

/** Something other than a folder is there: a file, a device, a pipe (`--out /dev/null`). */
function notAFolder(path: string): boolean {
  try {
    const info = statSync(path, { throwIfNoEntry: false });
    return info !== undefined && !info.isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    // ENOTDIR, EACCES: the command says it, where it uses the path.
    return false;
  }
}

/**
 * `~/x` as the shell would have read it: the shell leaves the `~` of `--out=~/x` and of a quoted "~/x" as
 * it is, which would make a folder named "~" in the current one.
 */
function home(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/**
 * An option given without its value, said in the command line's words: node's "argument is ambiguous"
 * is what `--candidates -5` or `--out -q` get, a value that looks like an option.
 */
function valueMissing(message: string, argv: string[], all: OptionSpecs): string | undefined {
  const missing = /^Option '(?:-\w, )?--([^ ']+) <value>' argument missing/.exec(message)?.[1];
  if (missing !== undefined) {
    return `--${missing} needs a value: --${missing} ${all[missing]?.value ?? 'VALUE'}`;
  }
  const given = /^Option '(--?[^']+)' argument is ambiguous/.exec(message)?.[1];
  if (given === undefined) return undefined;
  const name = given.startsWith('--')
    ? given.slice(2)
    : Object.keys(all).find((key) => all[key]?.short === given.slice(1));
  if (name === undefined) return undefined;
  const next = argv[argv.indexOf(given) + 1] ?? '';
  return `--${name} needs a value (--${name} ${all[name]?.value ?? 'VALUE'}), not "${next}"; if "${next}" is the value, write --${name}=${next}`;
}

export function positiveInt(
  command: string,
  name: string,
  value: string | boolean | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value === 'string' && /^\d+$/.test(value) && !Number.isSafeInteger(n)) {
    throw new UsageError(`--${name} is too large: ${value}`, command);
  }
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 0) {
    throw new UsageError(`--${name} wants a whole number, got "${String(value)}"`, command);
  }
  return n;
}

export function list<T extends string>(
  command: string,
  name: string,
  value: string | boolean | undefined,
  allowed: readonly T[],
  /** The value meant by one that is none of `allowed` (a table's file name for the table), if known. */
  meant: (bad: string) => string | undefined = () => undefined,
): T[] | undefined {
  if (value === undefined) return undefined;
  const items = String(value)
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = items.filter((item) => !allowed.includes(item as T));
  // `--to "$FORMATS"` with the variable unset: no value was given, none was misspelt.
  if (items.length === 0) {
    throw new UsageError(`--${name} is empty; choose from ${allowed.join(', ')}`, command);
  }
  if (bad.length > 0 || items.length === 0) {
    const near =
      bad.length === 1
        ? (meant(bad[0]!) ?? closestName(bad[0]!, allowed) ?? begun(bad[0]!, allowed))
        : undefined;
    throw new UsageError(
      `--${name}: unknown value "${bad.join(',')}"; ${near ? `did you mean ${near}? ` : ''}choose from ${allowed.join(', ')}`,
      command,
    );
  }
  return [...new Set(items)] as T[];
}

/** The one name that begins with `word` (`proj` for project), a value cut short; undefined if none or many. */
export function begun(word: string, names: readonly string[]): string | undefined {
  const found = names.filter((name) => name.startsWith(word));
  return found.length === 1 ? found[0] : undefined;
}
