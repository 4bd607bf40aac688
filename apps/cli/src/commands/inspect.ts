import { kindOf } from '@talent-export/errors';
import {
  type AttachmentRecord,
  type AttachmentSummary,
  type Problem,
  problem,
  type TalentExport,
} from '@talent-export/export';
import { readTables, type TablesOutcome } from '@talent-export/pipeline';
import { type IdLookup, type Reject, TABLE_NAMES } from '@talent-export/schema';
import { INPUT_OPTIONS, inputLimits, type OptionSpecs, parseCommand, threadCount } from '../args.js';
import { engineOptions, indexAttachments } from '../attachments.js';
import type { Context } from '../context.js';
import { describeError, exitCodeForProblems } from '../exit.js';
import { jsonText } from '../json.js';
import { deferred, formatBytes } from '../progress.js';
import { openInput, withHint } from '../source.js';
import { printSummary } from '../summary.js';

export const OPTIONS = {
  json: {
    type: 'boolean',
    help: 'print one JSON object on stdout instead of the summary; a run that fails prints\n{"command", "error": {"code", "kind", "message"}, "exitCode"} instead',
  },
  ...INPUT_OPTIONS,
} as const satisfies OptionSpecs;
/** Rejected rows shown per table; `convert` writes every one to rejects.ndjson. */
const REJECT_EXAMPLES = 10;

export const inspect = (argv: string[], context: Context) => run('inspect', argv, context);
export const validate = (argv: string[], context: Context) => run('validate', argv, context);

async function run(command: 'inspect' | 'validate', argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseCommand(command, argv, OPTIONS, 1);
  const deep = command === 'validate';
  const limits = inputLimits(command, values);
  const threads = threadCount(command, values, (line) => context.progress.log(line));
  const ex = await openInput(positionals[0], context, limits);
  try {
    const rejects: Omit<Reject, 'raw'>[] = [];
    const perTable = new Map<string, number>();
    const keep = ({ raw: _, ...reject }: Reject) => {
      const seen = perTable.get(reject.table) ?? 0;
      perTable.set(reject.table, seen + 1);
      // Where a row is, never its text: a rejected row holds names and emails like any other.
      if (seen < REJECT_EXAMPLES) rejects.push(reject);
    };
    const tables = readTables(
      ex,
      TABLE_NAMES,
      { reject: keep },
      {
        ...engineOptions(limits, threads, context),
        references: deep,
        failFast: false,
        // This thread only lists or tallies the attachments (validate checks their bytes in a thread of its
        // own): waiting on the workers, it decodes slices too (inspect 4.3 -> 3.75 s, validate 5.4 -> 5.15 s).
        decodeHere: true,
      },
    );
    const [outcome, checked] = await Promise.all([
      tables,
      readAttachments(ex, context, tables, deep, undefined, threads),
    ]);
    const { problems: found, ...attachments } =
      checked.summary ?? (await indexAttachments(ex, context, outcome.candidateIds));
    const problems: Problem[] = [...oneThreadsNotice(found, outcome.problems), ...outcome.problems];
    let verified: { bytes: number } | undefined;
    // Orphans are only told against whole tables: a table missing or not read to the end leaves every
    // check unsaid, and validate says so rather than nothing.
    const unchecked = deep ? referencesNotChecked(outcome) : undefined;
    if (unchecked) problems.push(unchecked);
    if (checked.error) problems.push(checked.error);
    // Some attachment bytes could not be read, were refused or were wrong: not every byte is verified.
    else if (deep && !found.some((p) => p.refused)) verified = { bytes: attachments.bytes };
    const seen = [...ex.problems, ...problems];
    // Entries refused, or parts not read, are why counts fall short already.
    const explained = seen.some((p) => p.code === 'ENTRY_REFUSED' || p.code === 'PART_UNREADABLE');
    const all = seen.map(withHint).map((p) => (deep || explained ? p : listedOnly(p, ex)));
    const report = {
      command,
      export: {
        path: ex.root,
        layout: ex.layout,
        manifest: ex.manifest,
        parts: ex.parts,
      },
      tables: outcome.tables,
      attachments: { ...attachments, ...(verified ? { verified: true } : {}) },
      ...(outcome.references ? { references: outcome.references } : {}),
      // Always there, [] when none: a script reads the same keys from every run.
      rejects,
      problems: all.filter((p) => p.severity === 'problem'),
      notices: all.filter((p) => p.severity !== 'problem'),
    };
    const code = exitCodeForProblems(report.problems);
    if (values.json === true) context.out(`${jsonText({ ...report, exitCode: code })}\n`);
    else printSummary(report, context, formatBytes);
    return code;
  } finally {
    await ex.close();
  }
}

/**
 * The attachments' problems without their notice that no worker thread could start when the tables' run
 * tells of fewer threads already: a worker that cannot start (a preload that fails in worker threads) fails
 * every one alike, and one line says so for the whole run, with what avoids trying (--threads 1).
 */
export function oneThreadsNotice(attachments: Problem[], tables: Problem[]): Problem[] {
  if (!tables.some((p) => p.code === 'THREADS_REDUCED')) return attachments;
  // A part the thread stopped part way through names its file: that one is told apart.
  return attachments.filter((p) => p.code !== 'THREADS_REDUCED' || p.file !== undefined);
}

/** Counts of export.csv that the parts fall short of, told by inspect from the zips' directories alone. */
const SHORT_COUNT = /^MANIFEST_(TOTAL|EXPORTED)_FILES_DIFFER$/;

/**
 * Inspect counts the files the parts' central directories list, and reads no entry: a file a zip holds
 * without listing it (its local header left in place, as when an entry is deleted by rewriting the
 * directory alone) is found by validate, which reads every entry through (ZIP_UNLISTED_ENTRY). Where the
 * parts hold fewer files than export.csv counts, the problem says where else to look.
 */
function listedOnly(p: Problem, ex: TalentExport): Problem {
  // A part not counted (missing, unreadable) is why already.
  if (!SHORT_COUNT.test(p.code) || !/\d+ missing$/.test(p.message) || p.message.includes('not counted:'))
    return p;
  if (!ex.parts.some((part) => part.kind === 'zip')) return p;
  return {
    ...p,
    message: `${p.message} (counted as the zips' directories list them: validate reads every entry, and tells of files a zip holds without listing them)`,
  };
}

/**
 * Why no reference was checked, when none was: the tables missing or not read to the end. Nothing when no
 * table was read at all: the problem that says why (no export.zip) says it all.
 */
export function referencesNotChecked(outcome: TablesOutcome): Problem | undefined {
  if (outcome.references || Object.keys(outcome.tables).length === 0) return undefined;
  const missing = TABLE_NAMES.filter((table) => outcome.tables[table] === undefined);
  const stopped = TABLE_NAMES.filter((table) => outcome.tables[table]?.error !== undefined);
  const cut = TABLE_NAMES.filter((table) => outcome.tables[table]?.truncated);
  const why = [
    ...(missing.length > 0 ? [`${missing.join(', ')} missing`] : []),
    ...(stopped.length > 0 ? [`${stopped.join(', ')} not read to the end`] : []),
    ...(cut.length > 0 ? [`${cut.join(', ')} cut short in export.zip`] : []),
  ].join('; ');
  return problem(
    'REFERENCES_NOT_CHECKED',
    `references between tables were not checked: they are checked only when all ten tables are read whole (${why || 'not all were read'})`,
  );
}

/**
 * The attachments, read beside the tables: every byte checked (`deep`) or the parts' directories listed.
 * Their progress shows once the tables' is done; the candidate ids are the tables' once they end.
 * `threads`: the run's (--threads); with 1 the bytes are checked on this thread, no worker thread started.
 */
export function readAttachments(
  ex: TalentExport,
  context: Context,
  tables: Promise<TablesOutcome>,
  deep: boolean,
  onRecord?: (record: AttachmentRecord) => Promise<void> | void,
  threads?: number,
): Promise<{ summary?: AttachmentSummary; error?: Problem }> {
  const bar = deferred(context.progress);
  const candidateIds = tables.then(
    (outcome) => outcome.candidateIds,
    () => undefined,
  );
  void tables.then(
    () => bar.show(),
    () => undefined,
  );
  const onBar = { ...context, progress: bar };
  const reading = deep
    ? verify(ex, onBar, candidateIds, onRecord, threads)
    : indexAttachments(ex, onBar, candidateIds, onRecord).then((summary) => ({ summary }));
  // Should the tables fail first, the attachments' own failure is not left unhandled.
  reading.catch(() => undefined);
  return reading;
}

/**
 * Reads every attachment byte (CRC, sizes, bomb caps). Corrupt entries and unreadable parts become
 * problems of the export; only a failure of the whole check comes back here.
 */
export async function verify(
  ex: TalentExport,
  { signal, progress }: Context,
  candidateIds: Promise<IdLookup | undefined>,
  onRecord?: (record: AttachmentRecord) => void,
  threads?: number,
): Promise<{ summary?: AttachmentSummary; error?: Problem }> {
  // Zip parts are measured in their sizes on disk: the bytes read back are inflated, more or fewer than a
  // part's size, so a part counts by the share of it read, and a finished part counts whole. Folders (an
  // extracted export) have no size on disk: their bytes read are counted, with no total.
  const sizes = new Map(ex.parts.map((p) => [p.file, p.bytes]));
  const total = ex.parts.reduce((sum, p) => sum + p.bytes, 0);
  let before = 0;
  let part: { file: string; counted: number } | undefined;
  progress.start('attachment bytes', total, 'bytes');
  try {
    const verifying = ex.verifyAttachments({
      signal,
      candidateIds,
      ...(threads === undefined ? {} : { threads }),
      onProgress: (p) => {
        if (p.part !== part?.file) {
          before += part === undefined ? 0 : total > 0 ? (sizes.get(part.file) ?? 0) : part.counted;
          part = { file: p.part, counted: 0 };
        }
        const share = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 1;
        part.counted = total > 0 ? share * (sizes.get(p.part) ?? 0) : p.bytesDone;
        progress.update(before + part.counted);
      },
    });
    let step = await verifying.next();
    while (!step.done) {
      onRecord?.(step.value);
      step = await verifying.next();
    }
    if (total > 0) progress.update(total);
    return { summary: step.value };
  } catch (error) {
    // A bug is not unreadable attachments: it ends the run with exit 4.
    if (signal.aborted || kindOf(error) === 'internal') throw error;
    const e = error as { archive?: unknown; entry?: unknown };
    return {
      error: problem('ATTACHMENTS_UNREADABLE', `attachments: ${describeError(error)}`, {
        ...(typeof e.archive === 'string' ? { file: e.archive } : {}),
        ...(typeof e.entry === 'string' ? { entry: e.entry } : {}),
      }),
    };
  } finally {
    progress.done();
  }
}
