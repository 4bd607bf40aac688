import { randomBytes } from 'node:crypto';
import { lstat, open, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Problem } from '@talent-export/export';
import { readTables, WordFilter } from '@talent-export/pipeline';
import { TABLE_NAMES, type TableName } from '@talent-export/schema';
import { removeDeadTemps } from '@talent-export/writers/internal';
import { INPUT_OPTIONS, inputLimits, type OptionSpecs, parseCommand, threadCount } from '../args.js';
import { engineOptions, indexAttachments, ownStage } from '../attachments.js';
import type { Context } from '../context.js';
import { exitCodeForProblems, OutUnwritableError, UsageError } from '../exit.js';
import { formatBytes } from '../progress.js';
import { REDACTION_OPTIONS, type Redaction, redactionFrom } from '../redaction.js';
import { labelScrubber } from '../report/names.js';
import { renderPage, shownSource } from '../report/page.js';
import { addAttachment, addCounted, COUNTED, createTally, labelsOf, scrubLabels } from '../report/tally.js';
import { inputAmong, openInput, withHint } from '../source.js';
import { version } from '../version.js';
import { oneThreadsNotice, readAttachments, referencesNotChecked } from './inspect.js';

export const OPTIONS = {
  out: {
    type: 'string',
    short: 'o',
    value: 'FILE',
    help: 'the HTML file to write (default: report.html in the current folder); a page an earlier\nreport wrote is replaced, any other file of that name is refused; "-" writes the page to\nstandard output',
  },
  deep: {
    type: 'boolean',
    help: "also read every attachment byte (CRC, sizes), as validate does; without it the\nattachments are listed from the zips' directories",
  },
  ...REDACTION_OPTIONS,
  ...INPUT_OPTIONS,
} as const satisfies OptionSpecs;

// The --policy stage is loaded by worker threads, from the compiled file: this module is two folders below the
// package in src/ and in dist/ alike.
const STAGE = new URL('../../dist/report/stage.js', import.meta.url).href;

export async function report(argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseCommand('report', argv, OPTIONS, 1);
  const out = typeof values.out === 'string' ? values.out : 'report.html';
  if (out === '') throw new UsageError('--out needs a file name', 'report');
  const deep = values.deep === true;
  const limits = inputLimits('report', values);
  const threads = threadCount('report', values, (line) => context.progress.log(line));
  const ex = await openInput(positionals[0], context, limits);
  let redaction: Redaction | undefined;
  try {
    const target = await pageTarget(out);
    if (typeof target === 'string' && inputAmong(ex, dirname(target), [basename(target)]) !== undefined) {
      throw new UsageError(
        `--out ${out} is a file of the export being read; write the page to another file`,
        'report',
      );
    }
    if (typeof target === 'string' && !(await replaceable(target))) {
      throw new UsageError(
        `--out ${out} exists and is no page report wrote; report would replace it: move it away, or give another file`,
        'report',
      );
    }
    // Said before the export is read (minutes for a big one, with --deep), not after.
    if (typeof target === 'string') await probeWritable(target, out, values.out === undefined);
    redaction = await redactionFrom('report', values, ex, threads, context);
    const tally = createTally();
    // Without --policy, the words of the candidates' names, for the labels' scrubber (see `labelScrubber`).
    const nameWords = redaction ? undefined : new WordFilter();
    const tables = readTables(
      ex,
      TABLE_NAMES,
      {
        counted: (table, values, rows, group) => addCounted(tally, table, values, rows, group),
        ...(nameWords ? { words: (_table, hashes) => nameWords.addHashes(hashes) } : {}),
      },
      {
        ...engineOptions(limits, threads, context),
        references: true,
        failFast: false,
        // As inspect: this thread, waiting on the workers, decodes slices too.
        decodeHere: true,
        count: COUNTED,
        ...(nameWords ? { words: { candidates: ['first_name', 'last_name'] } } : {}),
        ...(redaction ? { stage: { module: STAGE, options: { redact: redaction.stage.options } } } : {}),
      },
    ).catch((error: unknown) => {
      throw ownStage(error);
    });
    // Without --policy the labels' scrubber reads the candidates' names once more. The labels are all known
    // once the tables are read (no attachment adds one), so it starts then, beside the attachments' check
    // (--deep: ~0.7 s of a 7.8 s run no longer after it), not once both are done.
    const scrubberOf = (outcome: Awaited<typeof tables>) =>
      labelScrubber(
        ex,
        [
          ...labelsOf(tally),
          ...Object.values(outcome.tables).flatMap((result) => result?.extraColumns ?? []),
        ],
        {
          threads,
          signal: context.signal,
          candidatesRead: (outcome.tables.candidates?.decoded ?? 0) > 0 && !ex.tables.candidates?.truncated,
          ...(nameWords ? { nameWords } : {}),
        },
      );
    const scrubbing = redaction ? undefined : tables.then(scrubberOf);
    // Should the tables or the attachments fail first, its failure is not left unhandled.
    scrubbing?.catch(() => undefined);
    const onAttachment = (record: Parameters<typeof addAttachment>[1]) => {
      redaction?.attachment(record);
      addAttachment(tally, record);
    };
    const [outcome, checked] = await Promise.all([
      tables,
      readAttachments(ex, context, tables, deep, onAttachment, threads),
    ]);
    const { problems: found, ...attachments } =
      checked.summary ?? (await indexAttachments(ex, context, outcome.candidateIds, onAttachment));
    const problems: Problem[] = [
      ...oneThreadsNotice(found, outcome.problems),
      ...outcome.problems,
      ...(redaction?.problems ?? []),
    ];
    // The labels the page shows pass through a scrubber, the policy's when one is given: a project named
    // for a candidate (`Backfill for Jane Doe`) would name a person on a page said to name none.
    const local = redaction?.local();
    const scrub = local ? (text: string) => local.text(text) : await scrubbing!;
    scrubLabels(tally, scrub);
    const unchecked = referencesNotChecked(outcome);
    if (unchecked) problems.push(unchecked);
    if (checked.error) problems.push(checked.error);
    const verified = deep && !checked.error && !found.some((p) => p.refused);
    const all = [...ex.problems, ...problems].map(withHint);
    // The --policy stage drops every row it counted: that is no loss of the export's, so not shown.
    const tablesShown = Object.fromEntries(
      Object.entries(outcome.tables).map(([name, { dropped: _, ...read }]) => {
        const source = ex.tables[name as TableName];
        // Extra columns are shown by their headers, which a name pasted into one makes a person's.
        const result = {
          ...read,
          ...(read.extraColumns ? { extraColumns: read.extraColumns.map(scrub) } : {}),
          ...(read.emptyColumns ? { emptyColumns: read.emptyColumns.map(scrub) } : {}),
        };
        return [name, source ? { ...result, source: shownSource(source) } : result];
      }),
    );
    const page = renderPage({
      version: version(),
      name: basename(ex.root),
      layout: ex.layout,
      deep,
      manifest: ex.manifest,
      parts: ex.parts,
      attachments: { ...attachments, ...(verified ? { verified: true } : {}) },
      tables: tablesShown,
      ...(outcome.references ? { references: outcome.references } : {}),
      ...(outcome.candidateIds ? { candidates: outcome.candidateIds.size } : {}),
      problems: all.filter((p) => p.severity === 'problem'),
      notices: all.filter((p) => p.severity !== 'problem'),
      tally,
      ...(redaction ? { redaction: redaction.report() } : {}),
    });
    if (target === STDOUT) {
      context.out(page);
      // A write standard output refuses (a full disk) is told as an error a turn later, and stops the run
      // (exit 3): the line below would say it was written.
      await new Promise((done) => setImmediate(done));
    } else if (target === STREAM) await writeStream(out, page);
    else await writeAtomically(target, page);
    const problemsFound = all.filter((p) => p.severity === 'problem');
    if (!context.quiet && !context.signal.aborted) {
      // Exit 3 says part of the input was not read: the line says where to read which and what to do.
      const refused = problemsFound.some((p) => p.refused === true)
        ? '; part of the export was refused or could not be read: its problems on the page say what to do'
        : '';
      context.err(
        `report: wrote ${target === STDOUT ? 'standard output' : out} (${formatBytes(Buffer.byteLength(page))}); ${problemsFound.length} problem(s), ${all.length - problemsFound.length} notice(s)${refused}\n`,
      );
    }
    return exitCodeForProblems(problemsFound);
  } finally {
    await ex.close();
  }
}

/** The longest file name in bytes the temp's may take, so it fits wherever a 255-byte name does. */
const TEMP_NAME_BYTES = 200;

/**
 * `.<name>.<pid>-<hex>.tmp` beside `path`, hidden and named as the writers name theirs, so a later run
 * removes it if this one is killed (SIGKILL); a long name is cut at a whole character to fit.
 */
function tempBeside(path: string): string {
  const chars = [...basename(path)];
  while (Buffer.byteLength(chars.join('')) > TEMP_NAME_BYTES) chars.pop();
  return join(dirname(path), `.${chars.join('')}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

const STDOUT = Symbol('standard output');
const STREAM = Symbol('a device or pipe');

/**
 * Where the page goes: `-` is standard output; a device or pipe (/dev/stdout, a FIFO) is written into as
 * it is, since a page renamed over it would replace it (as root, /dev/stdout became a file); a link to a
 * file is followed, so the file is replaced and the link kept; otherwise the path itself.
 */
async function pageTarget(out: string): Promise<string | typeof STDOUT | typeof STREAM> {
  if (out === '-') return STDOUT;
  const info = await stat(out).catch(() => undefined);
  // Said now, not after the whole export is read.
  if (info?.isDirectory()) throw cannotWrite(out, 'EISDIR', 'it is a folder: give the file to write in it');
  if (info !== undefined && !info.isFile()) return STREAM;
  if (info === undefined) {
    const folder = await stat(dirname(out)).catch(() => undefined);
    const code = folder === undefined ? 'ENOENT' : folder.isDirectory() ? undefined : 'ENOTDIR';
    if (code) throw cannotWrite(out, code, 'give --out a file in a folder that exists and can be written');
  }
  const link = await lstat(out).catch(() => undefined);
  return info?.isFile() && link?.isSymbolicLink() ? await realpath(out) : out;
}

/** How a page report writes begins, within its first bytes. */
const PAGE_START = '<!doctype html>';
const PAGE_TITLE = '<title>Talent Hub export report: ';

/**
 * Whether `path` may be replaced: missing, empty, or a page an earlier report wrote (told by its first
 * bytes). A user's own file given as --out by mistake (`-o notes.txt`) was replaced without a word.
 */
async function replaceable(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => undefined);
  // Not there, or not readable: writing it says what is wrong.
  if (file === undefined) return true;
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    if (bytesRead === 0) return true;
    const text = head.subarray(0, bytesRead).toString('utf8');
    return text.startsWith(PAGE_START) && text.includes(PAGE_TITLE);
  } finally {
    await file.close();
  }
}

/**
 * Creates and removes an empty temp beside `path`, as the page will be written at the end: a folder that
 * cannot be written (read-only, no permission) is said now. `byDefault`: --out was not given, so the user
 * may not know where the page goes.
 */
async function probeWritable(path: string, out: string, byDefault: boolean): Promise<void> {
  const temp = tempBeside(path);
  try {
    await (await open(temp, 'wx')).close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    const where = byDefault
      ? `the page goes to ${out} in the current folder by default: run where you can write, or give --out a file in a folder that can be written`
      : 'give --out a file in a folder that exists and can be written';
    throw cannotWrite(out, code, where);
  }
  await rm(temp, { force: true });
}

async function writeStream(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    // A reader that stopped early (`--out /dev/stdout | head`), as on standard output.
    if (e.code === 'EPIPE') return;
    throw new OutUnwritableError(`cannot write ${path} (${e.code ?? e.message}); give --out a file`);
  }
}

function cannotWrite(path: string, code: string, fix: string): Error {
  // One code as every error has, the system's in the message: an output that could not be written (exit 3).
  return new OutUnwritableError(`cannot write ${path} (${code}); ${fix}`);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = tempBeside(path);
  try {
    await removeDeadTemps(dirname(path));
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    // Removing the temp fails as writing it did where its folder is a file (ENOTDIR): the first error says why.
    await rm(temp, { force: true }).catch(() => undefined);
    const e = error as NodeJS.ErrnoException;
    const fix =
      e.code === 'ENOSPC' || e.code === 'EDQUOT'
        ? 'the disk is full: free space there, or give --out a file on a disk with room'
        : 'give --out a file in a folder that exists and can be written';
    throw cannotWrite(path, e.code ?? 'EIO', fix);
  }
}
