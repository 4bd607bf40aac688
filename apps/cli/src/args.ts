import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { UsageError } from './exit.js';

type OptionSpec = { type: 'string' | 'boolean'; short?: string };
export type OptionSpecs = Record<string, OptionSpec>;

/** Limits on untrusted input that a user may need to raise for an unusual but genuine export. */
export const INPUT_OPTIONS = {
  'max-record-mb': { type: 'string' },
  'max-ratio': { type: 'string' },
  threads: { type: 'string' },
  'lenient-quotes': { type: 'boolean' },
} as const;

/** `--threads N`: threads in all for decoding; big tables are split over N-1 worker threads. */
export function threadCount(command: string, values: Record<string, string | boolean | undefined>): number {
  const n = positiveInt(command, 'threads', values.threads);
  if (n === 0) throw new UsageError('--threads must be at least 1', command);
  return n ?? Math.min(availableParallelism(), 4);
}

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
    if (name === 'max-record-mb') limits.maxRecordBytes = n * 1024 * 1024;
    else limits.maxRatio = n;
  }
  if (values['lenient-quotes'] === true) limits.lenientQuotes = true;
  return limits;
}

export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean', short: 'q' },
  debug: { type: 'boolean' },
} as const satisfies OptionSpecs;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseCommand(
  command: string,
  argv: string[],
  options: OptionSpecs,
  maxPositionals: number,
): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''), command);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`, command);
  }
  return parsed;
}

export function positiveInt(
  command: string,
  name: string,
  value: string | boolean | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
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
): T[] | undefined {
  if (value === undefined) return undefined;
  const items = String(value)
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = items.filter((item) => !allowed.includes(item as T));
  if (bad.length > 0 || items.length === 0) {
    throw new UsageError(
      `--${name}: unknown value "${bad.join(',')}"; choose from ${allowed.join(', ')}`,
      command,
    );
  }
  return [...new Set(items)] as T[];
}
