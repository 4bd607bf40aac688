// `convert --policy`: the first pass that builds the known-value dictionary, the key and the list of
// candidates to drop that the worker threads read in shared memory (never from a file this run writes),
// and the stage that redacts every table where it is decoded.
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isatty } from 'node:tty';
import { alive, untouchedFor } from '@talent-export/errors';
import {
  type AttachmentRecord,
  type Problem,
  problem,
  readTableHeader,
  type TalentExport,
} from '@talent-export/export';
import { readBatches, type StageSpec } from '@talent-export/pipeline';
import type { PersonClass, Policy, RedactionReport, Redactor } from '@talent-export/redact';
import {
  columnKey,
  foldHeader,
  headerNames,
  isEntityType,
  SCHEMAS,
  shownColumn,
  type TableName,
} from '@talent-export/schema';
import type { OptionSpecs } from './args.js';
import { decodeText } from './candidates.js';
import type { Context } from './context.js';
import { UsageError } from './exit.js';

/** `--policy` and `--key-file`, for every command that can redact (or count what redaction would change). */
export const REDACTION_OPTIONS = {
  policy: {
    type: 'string',
    value: 'FILE',
    help: 'a JSON or YAML redaction policy, or "default" (people faked, free text scrubbed,\ncandidate and project ids pseudonymized)',
  },
  'key-file': {
    type: 'string',
    value: 'K',
    help: 'the pseudonym key (16+ bytes, or hex; "-" reads it from standard input); else\n$TALENT_EXPORT_REDACT_KEY; else a random key for this run only',
  },
} as const satisfies OptionSpecs;

export interface Redaction {
  stage: StageSpec;
  /** What the first pass found that weakens the redaction (candidates rows it could not read). */
  problems: Problem[];
  /** The attachment index's rows, redacted the same way (null: the kind is dropped). */
  attachment(record: AttachmentRecord): AttachmentRecord | null;
  report(): RedactionReport;
  /** A redactor on this thread that counts nothing (its names and ids are those the stage gives). */
  local(): Redactor;
  policy: Policy;
}

/**
 * Names for the tables' extra columns (not in the schema), their headers scrubbed as the policy scrubs
 * text: a header may name a person (a column headed with a candidate's name), which a redacted output must
 * not carry as a key. Columns the policy names keep their names (its rules are keyed by them).
 */
export async function extraNamesOf(
  ex: TalentExport,
  local: Redactor,
  policy: Policy,
  tables: readonly TableName[],
  signal?: AbortSignal,
): Promise<Partial<Record<TableName, Record<string, string>>>> {
  const out: Partial<Record<TableName, Record<string, string>>> = {};
  for (const table of tables) {
    if (!ex.tables[table]) continue;
    const header = (await readTableHeader(ex, table, signal)) ?? [];
    const taken = new Set(header.map(foldHeader));
    const known = new Set(SCHEMAS[table].fields.map((field) => columnKey(field.name)));
    const named = policy.extraColumns[table] ?? {};
    const names: Record<string, string> = {};
    headerNames(header).forEach((name, index) => {
      if (known.has(columnKey(name)) || Object.hasOwn(named, name)) return;
      const renamed = redactedHeader(local, name, index);
      if (renamed !== name) names[name] = unusedHeader(renamed, taken);
    });
    if (Object.keys(names).length > 0) out[table] = names;
  }
  return out;
}

/**
 * An extra column's header in a redacted output: scrubbed, and by its place (`column 7`) where what is left
 * is no plausible column name: the scrubber knows the export's people, not a stranger's name or a sentence
 * pasted into a header (see `shownColumn`).
 */
export const redactedHeader = (local: Redactor, header: string, index: number): string =>
  shownColumn(local.text(header), index);

/**
 * The ids of `--drop-candidates` that no row of the candidates table holds: nothing is dropped for them,
 * which must not pass for an erasure done (an id quoted or padded in the list, a header line, a typo). Ids
 * are shown only when made of digits: a line of the list may be anything, a name too.
 */
function dropUnknown(drop: Iterable<string>, found: ReadonlySet<string>): Problem {
  const missing: string[] = [];
  let count = 0;
  for (const id of drop) {
    if (found.has(id)) continue;
    count += 1;
    if (missing.length < 5 && /^\d{1,40}$/.test(id)) missing.push(id);
  }
  const shown = missing.length > 0 ? ` (e.g. ${missing.join(', ')})` : '';
  return problem(
    'CANDIDATE_UNKNOWN',
    `${count} id(s) of --drop-candidates are in no row of the candidates table${shown}, so nothing was dropped for them; check the list: the ids as Candidate.csv writes them, or a sheet's candidate id column`,
    { table: 'candidates' },
  );
}

/**
 * `name`, or `name (2)`, `(3)`, …: the first that `taken` (headers as `foldHeader` gives them) does not
 * hold, added to it. Two headers alike would make the output unreadable (a repeated column is refused).
 */
export function unusedHeader(name: string, taken: Set<string>): string {
  let header = name;
  for (let n = 2; taken.has(foldHeader(header)); n++) header = `${name} (${n})`;
  taken.add(foldHeader(header));
  return header;
}

/** The redaction `--policy` asks for, or undefined without one; `--key-file` alone is a usage error. */
export async function redactionFrom(
  command: string,
  values: { policy?: unknown; 'key-file'?: unknown },
  ex: TalentExport,
  threads: number,
  context: Context,
): Promise<Redaction | undefined> {
  const keyFile = typeof values['key-file'] === 'string' ? values['key-file'] : undefined;
  if (typeof values.policy !== 'string') {
    if (values['key-file'] !== undefined)
      throw new UsageError(
        "--key-file needs --policy: the key makes a redaction's pseudonyms; add --policy default, or --policy FILE",
        command,
      );
    return undefined;
  }
  return prepareRedaction(command, ex, {
    policy: values.policy,
    ...(keyFile !== undefined ? { keyFile } : {}),
    threads,
    signal: context.signal,
  });
}

/**
 * Private folders in the system's temporary folder: those older versions made for their threads (a
 * generated key, a copy of a piped key or drop list; nothing is made there any more), and verify-redaction's
 * copy of a kept attachment that is itself a zip (`leaks.ts`). A run killed leaves its own; they are removed
 * once their run is no longer alive.
 */
const DEAD_WORK = /^talent-export-(?:redact|scan)-(\d+)-[0-9A-Za-z]{6}$/;

export async function removeDeadWork(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(DEAD_WORK.exec(name)?.[1]);
    const path = join(tmpdir(), name);
    // This version makes none: one of a live pid (this process's own, pid 1 in a container) is an older
    // run's once left unchanged an hour.
    if (pid && (!alive(pid) || (await untouchedFor(path))))
      await rm(path, { recursive: true, force: true }).catch(() => {});
  }
}

export async function prepareRedaction(
  command: string,
  ex: TalentExport,
  options: {
    policy: string;
    keyFile?: string;
    /** A file of candidate ids to remove entirely, one a line. */
    dropCandidates?: string;
    threads: number;
    signal: AbortSignal;
  },
): Promise<Redaction> {
  // Loaded only when asked for: convert and report without a policy keep its code (and YAML's) off the
  // heap, which held report's main thread just above the size where V8 collects it again and again.
  const {
    createCounters,
    createRedactor,
    DICTIONARY_COLUMNS,
    Dictionary,
    DictionaryBuilder,
    labelClass,
    loadPolicy,
    looksLike,
    namesIn,
    PEOPLE_COLUMNS,
    passThroughColumns,
    profileFieldsIn,
    readCandidateList,
    readReport,
    RedactError,
    rejectedRecord,
    resolveKey,
    sensitiveField,
    shareCandidateList,
    shareKey,
    STAGE_MODULE,
  } = await import('@talent-export/redact');
  // `--key-file "$KEY"` with the variable unset: a random key, or nothing dropped, would pass for what was asked.
  // `--policy "$POLICY"` so too: "cannot read  (ENOENT)" named no file.
  for (const [flag, path] of [
    ['policy', options.policy],
    ['key-file', options.keyFile],
    ['drop-candidates', options.dropCandidates],
  ] as const) {
    if (path === '')
      throw new UsageError(
        `--${flag} was given an empty path (an unset variable?); give the file${flag === 'policy' ? ', or "default"' : ''}`,
        command,
      );
  }
  // Only the key and the list of ids are read from standard input: "cannot read - (ENOENT)" said nothing.
  if (options.policy === '-')
    throw new UsageError(
      '--policy - : a policy is read from a file (standard input is for --key-file - or --drop-candidates -); give its path, or "default"',
      command,
    );
  // Standard input is read once, and a key typed at a terminal would show on the screen.
  if (options.keyFile === '-' && options.dropCandidates === '-')
    throw new UsageError(
      '--key-file - and --drop-candidates - both read standard input; give one of them as a file',
      command,
    );
  for (const [flag, path] of [
    ['key-file', options.keyFile],
    ['drop-candidates', options.dropCandidates],
  ] as const) {
    // isatty, not process.stdin.isTTY: making that stream turns standard input non-blocking for every reader.
    if (path === '-' && isatty(0))
      throw new UsageError(
        `--${flag} - reads standard input, which is this terminal: pipe it in (\`... | talent-export ${command} ... --${flag} -\`) or give a file`,
        command,
      );
  }
  // A bad policy or key is a RedactError of kind usage: exit 2, like any usage error.
  const text = options.policy === 'default' ? 'default' : await readPolicy(command, options.policy);
  const policy: Policy = loadPolicyIn(options.policy, text, loadPolicy);
  await removeDeadWork();
  // The key and the list are read once, here (a pipe, `--key-file <(vault read ...)`, can be read once
  // only), and the threads get them in shared memory: a key is written nowhere, not even for them. A list
  // that cannot be read fails before any thread starts.
  const key = resolveKey(options.keyFile === undefined ? {} : { keyFile: options.keyFile });
  const drop = options.dropCandidates === undefined ? undefined : readCandidateList(options.dropCandidates);
  if (drop?.size === 0) {
    // A list made by a command that found nothing (`<(grep ...)`): an erasure asked for, none done.
    throw new RedactError(
      'REDACT_BAD_CANDIDATE_LIST',
      `the list of candidates to drop ${options.dropCandidates === '-' ? 'on standard input' : options.dropCandidates} holds no candidate id; give the ids to remove, one a line, or leave out --drop-candidates`,
    );
  }
  const dropFound = new Set<string>();
  const builder = new DictionaryBuilder();
  // A value of a custom field named for a person or a phone, known to the scrubber wherever else it
  // stands: whole where it looks like one, and the names it holds beside an e-mail, a phone, a title or
  // another name (`Anna Schmidt +49 171 1234567`).
  const addPerson = (cls: 'name' | 'phone', value: string) => {
    if (looksLike(cls, value)) builder.addOther(cls, value);
    if (cls === 'name') for (const name of namesIn(value)) builder.addOther('name', name);
  };
  // Custom fields named for a person or a contact (`Hiring Manager`, `Personal e-mail`): their values
  // are redacted as that class, since the scrubber knows no one but candidates.
  const personFields: Record<string, PersonClass> = {};
  // Custom fields of special personal data (`Home address`, `Date of birth`): their values are replaced
  // whole, since no detector tells `12 Rose Street, Leeds` from other text. A project's are no person's.
  const sensitiveFields: string[] = [];
  // Columns of the candidates table beyond the schema headed for a name or contact (`Mobile 2`,
  // `Preferred name`): dropped from the output, their values are the candidate's, wherever else they stand.
  const known = new Set(SCHEMAS.candidates.fields.map((field) => columnKey(field.name)));
  const candidatesHeader = ex.tables.candidates
    ? ((await readTableHeader(ex, 'candidates', options.signal)) ?? [])
    : [];
  const contacts = headerNames(candidatesHeader).flatMap((name) => {
    const cls = known.has(columnKey(name)) ? undefined : labelClass(name);
    return cls === undefined || cls === 'profile_url' ? [] : [{ name, cls }];
  });
  // The definitions first (a few rows): the values are read only when some field is named so.
  const definitions = readBatches(ex, ['custom_field_definitions'], {
    threads: 1,
    signal: options.signal,
    columns: {
      custom_field_definitions: [
        'custom_field_id',
        'entity_type',
        'name',
        'description',
        'custom_field_definition_values',
      ],
    },
  });
  for await (const batch of definitions) {
    if (batch.kind !== 'records') continue;
    for (const record of batch.records) {
      const { custom_field_id: id, name, custom_field_definition_values: choices } = record;
      const cls = typeof name === 'string' ? labelClass(name) : undefined;
      if (typeof id === 'string' && cls !== undefined) personFields[id] = cls;
      if (typeof id === 'string' && !isEntityType(record.entity_type, 'project') && sensitiveField(record))
        sensitiveFields.push(id);
      // The choices of a field named for a person (a `Hiring Manager` list) are people, chosen or not.
      if ((cls === 'name' || cls === 'phone') && Array.isArray(choices))
        for (const choice of choices) addPerson(cls, choice);
    }
  }
  await definitions.outcome;
  const fieldValues = Object.keys(personFields).length > 0 ? (['custom_field_values'] as const) : [];
  // The people no table names but by profile URL (a project's owner, an interviewer): the names their URLs
  // are made of, for every row's text, not only their own rows'. Only those columns are decoded. The
  // messages' senders are learned apart, once the candidates are known (below).
  const people = (Object.keys(PEOPLE_COLUMNS) as TableName[]).filter(
    (table) => table !== 'messages' && ex.tables[table],
  );
  // The messages' senders (a coordinator or sourcer who owns no project and writes no note), for the text of
  // every row: another sender's message or a reply naming them. The table is the biggest: its bytes are
  // scanned for URL fields, not decoded again (that made convert --policy a sixth slower), and while the
  // first pass runs (the scan takes this thread, the first pass mostly the workers); the builder is given
  // them once the candidates are known (below).
  const senders = ex.tables.messages
    ? profileFieldsIn(await ex.openTable('messages', { signal: options.signal }))
    : undefined;
  // Awaited once the first pass is done; should that fail first, its end (the export closed) is no error.
  senders?.catch(() => undefined);
  const first = readBatches(ex, ['candidates', ...fieldValues, ...people], {
    threads: options.threads,
    signal: options.signal,
    columns: {
      ...PEOPLE_COLUMNS,
      candidates: [...DICTIONARY_COLUMNS, ...contacts.map((c) => c.name)],
      custom_field_values: ['custom_field_id', 'custom_field_values'],
    },
  });
  let header: string[] | undefined;
  for await (const batch of first) {
    if (batch.kind === 'rejects' && batch.table === 'candidates') {
      // Not written, but its people are named elsewhere (messages, notes): their names are still scrubbed.
      header ??= (await readTableHeader(ex, 'candidates', options.signal)) ?? [];
      for (const reject of batch.rejects) {
        const record = rejectedRecord('candidates', header, reject.raw);
        builder.add('candidates', record);
        // Its rows elsewhere are dropped by its id all the same: an erasure done, not an id unknown.
        const id = record.candidate_id;
        if (drop && typeof id === 'string' && drop.has(id)) dropFound.add(id);
      }
      continue;
    }
    if (batch.kind !== 'records') continue;
    if (batch.table !== 'candidates' && batch.table !== 'custom_field_values') {
      for (const record of batch.records) builder.add(batch.table, record);
      continue;
    }
    if (batch.table === 'custom_field_values') {
      // The names and numbers of such fields, wherever else they stand (a hiring manager in a message).
      for (const { custom_field_id: id, custom_field_values: values } of batch.records) {
        const cls = typeof id === 'string' && Object.hasOwn(personFields, id) ? personFields[id] : undefined;
        if ((cls !== 'name' && cls !== 'phone') || !Array.isArray(values)) continue;
        for (const value of values) addPerson(cls, value);
      }
      continue;
    }
    for (const record of batch.records) {
      builder.add(batch.table, record);
      const id = record.candidate_id;
      for (const { name, cls } of contacts) {
        const value = record[name];
        if (typeof id !== 'string' || typeof value !== 'string' || !looksLike(cls, value)) continue;
        const column = cls === 'name' ? 'first_name' : cls === 'email' ? 'emails' : 'phone_numbers';
        builder.add('candidates', {
          candidate_id: id,
          [column]: cls === 'name' ? value : value.split(';'),
        });
      }
      if (drop && (typeof id === 'string' || typeof id === 'number') && drop.has(id))
        dropFound.add(String(id));
    }
  }
  const rejected = (await first.outcome).tables.candidates?.rejected ?? 0;
  for (const url of (await senders) ?? []) builder.addProfile(url);
  const problems: Problem[] = [];
  if (rejected > 0) {
    // Their names are read by place, which the fault may have moved: mentions elsewhere may stay.
    problems.push(
      problem(
        'NAMES_UNKNOWN',
        `${rejected} candidates row(s) could not be read (see the rejected rows): the scrubber and the leak scan know the names in them only by their places in the row, which the fault may have moved, so mentions of those people in free text may remain; fix the rows and run again`,
        { table: 'candidates' },
      ),
    );
  }
  // Shared memory, never a file: every thread's stage reads this one copy.
  const dictionary = new Dictionary(builder.build());
  const counters = createCounters();
  if (drop && dropFound.size < drop.size) problems.push(dropUnknown(drop, dropFound));
  const make = (withCounters: boolean) =>
    createRedactor({
      policy,
      key: key.bytes,
      dictionary,
      personFields,
      sensitiveFields,
      ...(withCounters ? { counters } : {}),
      ...(drop ? { dropCandidates: drop } : {}),
    });
  let here: Redactor | undefined;
  const redactor = () => {
    here ??= make(true);
    return here;
  };
  let quiet: Redactor | undefined;
  return {
    problems,
    stage: {
      module: STAGE_MODULE,
      options: {
        policy,
        key: shareKey(key.bytes),
        dictionary: dictionary.memory,
        counters,
        personFields,
        sensitiveFields,
        ...(drop ? { dropCandidates: shareCandidateList(drop) } : {}),
      },
      // Kept columns are copied from the CSV bytes where the workers write NDJSON.
      passThrough: passThroughColumns(policy),
    },
    local: () => {
      quiet ??= make(false);
      return quiet;
    },
    policy,
    attachment: (record) => {
      const entry = redactor().attachment(record.entry);
      if (entry === null) return null;
      const folder = /Candidate_([^/]+)\//.exec(entry)?.[1] ?? record.candidate_id;
      return {
        ...record,
        candidate_id: folder,
        file_name: entry.split('/').pop()!,
        entry,
        part: redactor().part(record.part),
      };
    },
    report: () => readReport(counters, policy, key.source),
  };
}

/**
 * The policy of `text`; a mistake in it names the file it is in (`the policy file policy.yaml: unknown table
 * ...`), as the key and the list of candidates do: a command line can give a policy beside other files.
 */
function loadPolicyIn(path: string, text: string, load: (text: string) => Policy): Policy {
  try {
    return load(text);
  } catch (error) {
    if (
      path === 'default' ||
      !(error instanceof Error) ||
      (error as { code?: unknown }).code !== 'REDACT_BAD_POLICY'
    )
      throw error;
    error.message = `the policy file ${path}: ${error.message}`;
    throw error;
  }
}

async function readPolicy(command: string, path: string): Promise<string> {
  try {
    // `redact --print-policy > policy.yaml` in Windows PowerShell 5 writes UTF-16: the same policy.
    return decodeText(await readFile(path));
  } catch (error) {
    throw new UsageError(
      `--policy: cannot read ${path} (${(error as NodeJS.ErrnoException).code}); give a JSON or YAML policy file, or "default"`,
      command,
    );
  }
}
