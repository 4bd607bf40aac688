// The record stage for @talent-export/pipeline: each thread that decodes records loads this module and
// builds its own redactor from what the caller shares in memory (the key, the candidates to drop, the
// dictionary: one SharedArrayBuffer each, read by every thread, written to no file) or from files the
// caller names. Counts go to the caller's shared memory.
import {
  IdSet,
  listedIdFault,
  parseIdList,
  TABLE_NAMES,
  type TableName,
  type TypedRecord,
} from '@talent-export/schema';
import { Dictionary, loadDictionary } from './dictionary.js';
import { RedactError } from './errors.js';
import { fileText, pathWords, readAtMost, unreadableFix } from './file-text.js';
import { keyFromText, keyOfBytes, readKeyFile } from './key.js';
import { loadPolicy, type Policy, type PolicyInput, type Rule } from './policy.js';
import type { PersonClass } from './pseudonym.js';
import { contextColumns, createRedactor } from './redactor.js';
import { bytesOf, candidateListOf } from './shared.js';

export interface StageOptions {
  /** A normalized policy, a policy object or its JSON/YAML text ("default" for the shipped one). */
  policy: Policy | PolicyInput | string;
  /**
   * The key's bytes in shared memory (`shareKey(resolveKey().bytes)`): for a key read once by the caller
   * (from a pipe, the environment, or drawn for the run), which is then written nowhere.
   */
  key?: SharedArrayBuffer;
  /** Path of a key file each thread reads (a regular file: a pipe is read once, so give its `key`). */
  keyFile?: string;
  /** The key as hex (a copy in every message to a thread: prefer `key`). */
  keyHex?: string;
  /**
   * Path of a dictionary written by `DictionaryBuilder.write`, or better the memory of one loaded by the
   * caller (`loadDictionary(path).memory`): every thread then reads that one copy.
   */
  dictionary?: string | SharedArrayBuffer;
  /**
   * Candidate ids to remove entirely: shared memory from `shareCandidateList(readCandidateList(path))`
   * (read once by the caller), or the path of a file of them (see `readCandidateList`) that each thread reads.
   */
  dropCandidates?: string | SharedArrayBuffer;
  /** Shared memory from `createCounters()`. */
  counters?: SharedArrayBuffer;
  /** Custom fields named for a person or a contact, by id (see `RedactorOptions.personFields`). */
  personFields?: Record<string, PersonClass>;
  /** Custom fields of special personal data, by id (see `RedactorOptions.sensitiveFields`). */
  sensitiveFields?: string[];
}

/** A list of ids is small; anything far larger is another file named by mistake. */
const MAX_LIST_BYTES = 64 * 1024 * 1024;

/**
 * Reads a file of candidate ids as `bundle --candidates-file` reads one (see `parseIdList`: separated by
 * lines, commas or spaces; a spreadsheet's candidate id column, text formulas, grouped digits; `#`
 * comments): UTF-8 or UTF-16 with a BOM (see `fileText`). A value that is no id is refused by its line.
 */
export function readCandidateList(path: string): IdSet {
  let raw: Buffer | undefined;
  try {
    raw = readAtMost(path, MAX_LIST_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const fix = unreadableFix(code, '--drop-candidates', 'a file of ids');
    throw new RedactError(
      'REDACT_BAD_CANDIDATE_LIST',
      `${pathWords(path, 'the list of candidates to drop')} cannot be read (${code}); ${fix}`,
      { cause: error },
    );
  }
  if (raw === undefined) {
    throw new RedactError(
      'REDACT_BAD_CANDIDATE_LIST',
      `${pathWords(path, 'the list of candidates to drop')} holds more than ${MAX_LIST_BYTES / 1024 / 1024} MB, which is no list of ids; check --drop-candidates`,
    );
  }
  const ids = new IdSet();
  for (const listed of parseIdList(fileText(raw))) {
    const fault = listedIdFault(listed);
    if (fault !== undefined) {
      throw new RedactError(
        'REDACT_BAD_CANDIDATE_LIST',
        `${pathWords(path, 'the list of candidates to drop')}, line ${listed.line}: ${fault}`,
      );
    }
    ids.add(listed.id);
  }
  return ids;
}

/**
 * Per table, the columns the policy keeps and the stage does not read (the row's candidate): the stage's
 * `passThrough` (see @talent-export/pipeline's `StageSpec`), which the engine then leaves as bytes.
 */
export function passThroughColumns(policy: Policy): Partial<Record<TableName, string[]>> {
  const kept = (rules: Record<string, Rule> | undefined, table: TableName) =>
    Object.entries(rules ?? {})
      .filter(([name, rule]) => rule.op === 'keep' && !contextColumns(table).includes(name))
      .map(([name]) => name);
  const columns: Partial<Record<TableName, string[]>> = {};
  for (const table of TABLE_NAMES) {
    const names = [...kept(policy.tables[table], table), ...kept(policy.extraColumns[table], table)];
    if (names.length > 0) columns[table] = names;
  }
  return columns;
}

export function createStage(options: StageOptions): {
  transform: (table: TableName, record: TypedRecord) => TypedRecord | null;
} {
  if (typeof options !== 'object' || options === null) {
    throw new RedactError(
      'REDACT_BAD_OPTION',
      'the redaction stage needs options { policy, key, keyFile or keyHex, ... }',
    );
  }
  if (options.key !== undefined && !(options.key instanceof SharedArrayBuffer)) {
    throw new RedactError(
      'REDACT_BAD_OPTION',
      'the redaction stage takes its key as a SharedArrayBuffer (see shareKey), or keyFile or keyHex',
    );
  }
  let key: Buffer;
  if (options.key !== undefined) key = keyOfBytes(bytesOf(options.key), 'the key');
  else if (options.keyFile !== undefined) key = readKeyFile(options.keyFile);
  else if (options.keyHex !== undefined) key = keyFromText(options.keyHex, 'keyHex');
  else {
    // A random key per thread would give each thread other pseudonyms: the caller draws one for the run.
    throw new RedactError(
      'REDACT_BAD_KEY',
      'the redaction stage needs key, keyFile or keyHex; draw a random key for the run if none was given',
    );
  }
  const dictionary: Dictionary | undefined =
    options.dictionary === undefined
      ? undefined
      : typeof options.dictionary === 'string'
        ? loadDictionary(options.dictionary)
        : new Dictionary(options.dictionary);
  const redactor = createRedactor({
    policy: loadPolicy(options.policy),
    key,
    ...(dictionary ? { dictionary } : {}),
    ...(options.dropCandidates !== undefined ? { dropCandidates: dropList(options.dropCandidates) } : {}),
    ...(options.counters ? { counters: options.counters } : {}),
    ...(options.personFields ? { personFields: options.personFields } : {}),
    ...(options.sensitiveFields ? { sensitiveFields: options.sensitiveFields } : {}),
  });
  return { transform: redactor.transform };
}

const dropList = (list: string | SharedArrayBuffer): IdSet =>
  typeof list === 'string' ? readCandidateList(list) : candidateListOf(list);
