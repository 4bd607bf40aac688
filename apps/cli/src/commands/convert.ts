import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ATTACHMENT_FIELDS, type Problem, problem, type TalentExport } from '@talent-export/export';
import { readTables } from '@talent-export/pipeline';
import {
  REJECT_FIELDS,
  type ReferenceReport,
  type Reject,
  SCHEMAS,
  TABLE_NAMES,
  type TableName,
  tableForFile,
} from '@talent-export/schema';
import { type Format, type Output, openOutput, type TableWriter } from '@talent-export/writers';
import { INPUT_OPTIONS, inputLimits, list, type OptionSpecs, parseCommand, threadCount } from '../args.js';
import { engineOptions, ownStage } from '../attachments.js';
import type { Context } from '../context.js';
import { foreignFiles, otherOutput, readManifest } from '../earlier.js';
import { exitCodeForProblems, UsageError } from '../exit.js';
import { formatBytes } from '../progress.js';
import { extraNamesOf, REDACTION_OPTIONS, type Redaction, redactionFrom } from '../redaction.js';
import { inputAmong, openInput, withHint } from '../source.js';
import { printSummary } from '../summary.js';
import { readAttachments } from './inspect.js';

export const OPTIONS = {
  out: {
    type: 'string',
    short: 'o',
    value: 'DIR',
    help: 'output folder, created if needed; what an earlier convert wrote there is replaced (or\nremoved, as its CSV files by a run --to ndjson), other files are left alone (one named as\nan output that no convert wrote is refused, as is a folder join wrote)',
  },
  to: { type: 'string', value: 'FORMATS', help: 'comma-separated: ndjson, csv, parquet (default: ndjson)' },
  tables: {
    type: 'string',
    value: 'NAMES',
    help: 'comma-separated subset: candidates, custom_field_definitions, custom_field_values,\nfeedbacks, hiring_states, interview_modules, messages, notes, projects, scorecards,\nattachments (default: all)',
  },
  ...REDACTION_OPTIONS,
  ...INPUT_OPTIONS,
} as const satisfies OptionSpecs;

const FORMATS: readonly Format[] = ['ndjson', 'csv', 'parquet'];
const CHOICES = [...TABLE_NAMES, 'attachments'] as const;

export async function convert(argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseCommand('convert', argv, OPTIONS, 1);
  const dir = values.out;
  if (typeof dir !== 'string' || dir === '') throw new UsageError('--out DIR is required', 'convert');
  const formats = list('convert', 'to', values.to, FORMATS) ?? ['ndjson'];
  // A table named by its file in export.zip (Candidate.csv, HiringStates) is told its name here.
  const fileOf = (bad: string) => tableForFile(/\.csv$/i.test(bad) ? bad : `${bad}.csv`);
  const chosen = list('convert', 'tables', values.tables, CHOICES, fileOf) ?? [...CHOICES];
  const tables = TABLE_NAMES.filter((t) => chosen.includes(t));
  const started = Date.now();

  const limits = inputLimits('convert', values);
  const threads = threadCount('convert', values, (line) => context.progress.log(line));
  const ex = await openInput(positionals[0], context, limits);
  let output: Output | undefined;
  let redaction: Redaction | undefined;
  let reading: Promise<unknown> | undefined;
  try {
    redaction = await redactionFrom('convert', values, ex, threads, context);
    const previous = await readManifest(dir);
    const other = otherOutput('convert', dir, previous);
    if (other !== undefined) throw new UsageError(other, 'convert');
    const outputs = [...CHOICES, 'rejects'].flatMap((table) =>
      [...formats, 'ndjson'].map((format) => `${table}.${format}`),
    );
    const input = inputAmong(ex, dir, [...outputs, 'manifest.json', 'datapackage.json', 'report.json']);
    if (input !== undefined) {
      throw new UsageError(
        `--out ${dir} would replace ${input}, a file of the export being read; give another folder`,
        'convert',
      );
    }
    // A file of the export being read is said so above; any other file by an output's name, here.
    const outputNames = [...chosen, 'rejects'].flatMap((table) =>
      (table === 'rejects' ? ['ndjson'] : formats).map((format) => `${table}.${format}`),
    );
    const beside = ['manifest.json', 'report.json', ...(formats.includes('csv') ? ['datapackage.json'] : [])];
    const foreign = foreignFiles('convert', dir, [...outputNames, ...beside], previous, beside);
    if (foreign !== undefined) throw new UsageError(foreign, 'convert');
    // The input's name, not its path: the same export read from two places gives the same manifest.
    output = await openOutput({
      dir,
      // Rejected rows are NDJSON whatever the tables are written in; each table narrows to `formats`.
      formats: formats.includes('ndjson') ? formats : [...formats, 'ndjson'],
      source: basename(ex.root),
      signal: context.signal,
      handleSignals: true,
      // Two runs into one folder at once would publish their files over each other's.
      lock: true,
    });
    const out = output;
    let writer: TableWriter | undefined;
    let rejects: TableWriter | undefined;
    const tablesRead = readTables(
      ex,
      tables,
      {
        open: (table) => {
          writer = out.table(table, SCHEMAS[table].fields, { formats });
        },
        record: (_table, record) => writer!.write(record),
        encoded: (_table, rows) => writer!.writeEncoded(rows),
        reject: (reject: Reject) => {
          rejects ??= out.table('rejects', REJECT_FIELDS, { formats: ['ndjson'] });
          // A row that could not be read could not be redacted either: with a policy, not its text, nor
          // the message, which quotes the cell at fault (a time the policy would have shifted).
          const raw = redaction ? null : reject.raw;
          const shown = redaction ? redactedReject(reject) : reject;
          return rejects.write({ ...shown, column: shown.column ?? null, file: reject.file ?? null, raw });
        },
        close: async (_table, extraColumnsShown) => {
          // Waited for: reading the next table while this one's fsync ran made a big export's writes queue
          // up behind it (x4: +20 MB peak RSS for ~1 s).
          await writer!.close({ extraColumnsShown });
          writer = undefined;
        },
      },
      {
        ...engineOptions(limits, threads, context),
        references: tables.length === TABLE_NAMES.length,
        failFast: true,
        threads,
        formats,
        decodeHere: true,
        signal: context.signal,
        ...(redaction
          ? {
              stage: redaction.stage,
              extraNames: await extraNamesOf(ex, redaction.local(), redaction.policy, tables, context.signal),
            }
          : {}),
      },
    ).catch((error: unknown) => {
      throw ownStage(error);
    });
    // Should the attachment index fail to open (a read-only folder), this is not yet awaited: its failure
    // must not end the process as an unhandled rejection.
    reading = tablesRead.catch(() => undefined);
    // The attachment index is read beside the tables: after them, this thread did it alone while the
    // decoding workers sat idle (+1.6 s of 8 on the benchmark export).
    const index = chosen.includes('attachments')
      ? out.table('attachments', ATTACHMENT_FIELDS, { formats })
      : undefined;
    const indexing = index
      ? readAttachments(ex, context, tablesRead, false, (record) => {
          const row = redaction ? redaction.attachment(record) : record;
          return row ? index.write({ ...row }) : undefined;
        })
      : undefined;
    const outcome = await tablesRead;
    await rejects?.close();
    const attachments = (await indexing)?.summary;
    await index?.close();
    // A table left out with --tables is not missed.
    const asked = (p: Problem) => p.table === undefined || tables.includes(p.table);
    const all: Problem[] = [
      ...ex.problems.filter(asked),
      ...(attachments?.problems ?? []),
      ...outcome.problems,
      ...(redaction?.problems ?? []),
    ].map(withHint);
    if (!outcome.references) {
      all.push(
        problem(
          'REFERENCES_NOT_CHECKED',
          'references between tables are checked only when every table is read (all ten present, no --tables)',
        ),
      );
    }
    all.push(...extraColumnsUntyped(outcome.tables, formats));
    const report = {
      command: 'convert',
      export: { path: ex.root, layout: ex.layout, manifest: ex.manifest, parts: ex.parts },
      output: { dir, formats },
      tables: outcome.tables,
      attachments: attachments ? withoutProblems(attachments) : { files: 0, bytes: 0, candidates: 0 },
      ...(outcome.references ? { references: outcome.references } : {}),
      ...(redaction ? { redaction: redaction.report() } : {}),
      problems: all.filter((p) => p.severity === 'problem'),
      notices: all.filter((p) => p.severity !== 'problem'),
    };
    // Beside redacted tables, report.json is shared with them: it must not name what they pseudonymize.
    const written = redaction ? redactedReport(report) : report;
    const code = exitCodeForProblems(report.problems);
    const secondsNow = () => (Date.now() - started) / 1000;
    // Written with the tables, so a disk that fills up on it leaves none of them.
    const manifest = await out.finish({
      json: {
        'report.json': ({ files }) => ({ ...written, exitCode: code, seconds: secondsNow(), files }),
      },
    });
    await removeStale(dir, previous, manifest.files);
    const seconds = secondsNow();
    if (!context.quiet) {
      printSummary(report, { ...context, out: context.err }, formatBytes);
      // The tables' files, and beside them report.json, manifest.json and, with csv, datapackage.json.
      const files = manifest.files.length + 2 + (formats.includes('csv') ? 1 : 0);
      context.err(`wrote ${files} file(s) to ${dir} in ${seconds.toFixed(1)} s\n`);
    }
    return code;
  } catch (error) {
    await output?.abort();
    // The tables stop at their next row on the aborted output; the export is closed once they have.
    await reading;
    throw error;
  } finally {
    await ex.close();
  }
}

type Report = {
  export: { layout: string; manifest: TalentExport['manifest']; parts: readonly unknown[] };
  attachments: object;
  references?: readonly ReferenceReport[];
  problems: readonly Problem[];
  notices: readonly Problem[];
};

/**
 * The report as written beside redacted tables: counts and codes, no id, part name, download link or
 * message. Those name real candidate ids (orphans, candidates without attachments, the id range in a
 * part's name) that the tables hold only as pseudonyms, so they would undo the pseudonyms they sit beside.
 */
function redactedReport(report: Report): object {
  const { path: _, ...rest } = report.export as Report['export'] & { path?: string };
  const manifest = rest.manifest ? { ...rest.manifest, files: rest.manifest.files.length } : rest.manifest;
  return {
    ...report,
    export: { layout: rest.layout, manifest, parts: rest.parts.length },
    attachments: redactedAttachments(report.attachments),
    ...(report.references
      ? { references: report.references.map((r) => ({ ...r, examples: [] as string[] })) }
      : {}),
    problems: report.problems.map(codeOnly),
    notices: report.notices.map(codeOnly),
  };
}

/** A problem without its message, file or entry: each may quote an id or an attachment's file name. */
function codeOnly(p: Problem): Pick<Problem, 'severity' | 'code' | 'table' | 'refused'> {
  return {
    severity: p.severity,
    code: p.code,
    ...(p.table ? { table: p.table } : {}),
    ...(p.refused ? { refused: p.refused } : {}),
  };
}

function redactedAttachments(summary: object): object {
  const {
    candidatesUnknown: _unknown,
    candidatesWithoutAttachments: _without,
    parts,
    ...counts
  } = summary as {
    candidatesUnknown?: unknown;
    candidatesWithoutAttachments?: unknown;
    parts?: Record<string, unknown>[];
  };
  if (!parts) return counts;
  const partCounts = parts.map(({ file: _f, first: _a, last: _b, ...rest }: Record<string, unknown>) => rest);
  return { ...counts, parts: partCounts };
}

/**
 * A rejected row's message without what it quotes, and its column only when a schema column: an extra
 * column's header may be a value too.
 */
function redactedReject(reject: Reject): Reject {
  const { table, file, line, offset, code, column, ...rest } = reject;
  const known = column !== undefined && SCHEMAS[table].fields.some((f) => f.name === column);
  const message =
    `${file ?? table} line ${line} (byte ${offset}), table ${table}${known ? `, column "${column}"` : ''}: ` +
    `${code}; the text is not shown as the output is redacted: convert without --policy to see it`;
  return {
    ...rest,
    table,
    line,
    offset,
    code,
    message,
    ...(file === undefined ? {} : { file }),
    ...(known ? { column } : {}),
  };
}

/** The summary as reported: its problems are listed with the run's. */
function withoutProblems<T extends { problems: unknown }>({ problems: _, ...rest }: T): Omit<T, 'problems'> {
  return rest;
}

/** Every table file a convert can write. */
const OWN_FILES: ReadonlySet<string> = new Set(
  [...CHOICES, 'rejects'].flatMap((table) => FORMATS.map((format) => `${table}.${format}`)),
);

/**
 * Removes what an earlier convert into the same folder wrote and this one did not replace (a format or
 * table left out this time), so the folder holds one run's files; other files are never touched.
 */
async function removeStale(
  dir: string,
  previous: string[],
  files: readonly { path: string }[],
): Promise<void> {
  // A join's manifest (it lists orphans.ndjson) names its own candidates.ndjson, projects.ndjson and
  // rejects.ndjson, which are no convert's tables.
  if (previous.includes('orphans.ndjson')) return;
  const now = new Set(files.map((f) => f.path));
  // Only names convert writes: a manifest.json another tool left in the folder lists that tool's files.
  const ours = previous.filter((p) => OWN_FILES.has(p));
  const stale = ours.filter((p) => !now.has(p));
  const csv = (p: string) => p.endsWith('.csv');
  if (ours.some(csv) && ![...now].some(csv)) stale.push('datapackage.json');
  for (const path of stale) await rm(join(dir, path), { force: true });
}

/**
 * Columns beyond LinkedIn's guide that hold values (a column always empty loses nothing): NDJSON keeps them
 * as text, while typed CSV and Parquet hold the guide's columns, the same for every export a lake loads.
 * Said, or the values of a `--to parquet` run were dropped without a word.
 */
function extraColumnsUntyped(
  tables: Awaited<ReturnType<typeof readTables>>['tables'],
  formats: readonly Format[],
): Problem[] {
  const typed = formats.filter((format) => format !== 'ndjson');
  if (typed.length === 0) return [];
  const kept = formats.includes('ndjson');
  return Object.entries(tables).flatMap(([table, result]) => {
    const empty = new Set(result?.emptyColumns ?? []);
    const filled = (result?.extraColumns ?? []).filter((column) => !empty.has(column));
    if (filled.length === 0) return [];
    const columns = `${filled.length} column(s) beyond LinkedIn's guide (${filled.join(', ')})`;
    return [
      kept
        ? problem(
            'EXTRA_COLUMNS_NDJSON_ONLY',
            `${table}: ${columns} are in ${table}.ndjson only, as text; ${typed.join(' and ')} hold the guide's columns`,
            { table: table as TableName },
          )
        : problem(
            'EXTRA_COLUMNS_DROPPED',
            `${table}: ${columns} hold values written nowhere: ${typed.join(' and ')} hold the guide's columns; add ndjson to --to to keep them`,
            { table: table as TableName },
          ),
    ];
  });
}
