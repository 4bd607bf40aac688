import { lstat, rm } from 'node:fs/promises';
import { basename, join as inFolder } from 'node:path';
import { type JoinProgress, joinExport } from '@talent-export/join';
import type { ProgressEvent } from '@talent-export/pipeline';
import { INPUT_OPTIONS, inputLimits, list, type OptionSpecs, parseCommand, threadCount } from '../args.js';
import type { Context } from '../context.js';
import { foreignFiles, otherOutput, readManifest, writtenBy } from '../earlier.js';
import { exitCodeForProblems, UsageError } from '../exit.js';
import type { Progress } from '../progress.js';
import { openInput, withHint } from '../source.js';

export const OPTIONS = {
  out: {
    type: 'string',
    short: 'o',
    value: 'DIR',
    help: 'output folder, created if needed; what an earlier join wrote there is replaced (or removed,\nas projects.ndjson and projects.schema.json without --by project), other files are left\nalone (one named as an output that no join wrote is refused, as is a folder convert wrote)',
  },
  by: {
    type: 'string',
    value: 'KINDS',
    help: 'comma-separated: candidate, project (default: candidate); project also writes\nprojects.ndjson: one document per project with its job posts, pipeline stages and\nthe number of candidates in each stage, and its JSON Schema, projects.schema.json',
  },
  to: {
    type: 'string',
    value: 'FORMATS',
    help: 'ndjson (the only one: documents are nested, and Parquet output has no nested columns)',
  },
  tmp: {
    type: 'string',
    value: 'DIR',
    help: 'folder for the temporary files, about the size of the tables (default: --out);\nremoved at the end, on failure and on Ctrl-C',
  },
  // Not --lenient-quotes: the join package reads every row strictly, so it would be taken and ignored.
  'max-record-mb': INPUT_OPTIONS['max-record-mb'],
  'max-ratio': INPUT_OPTIONS['max-ratio'],
  threads: INPUT_OPTIONS.threads,
} as const satisfies OptionSpecs;

export async function join(argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseCommand('join', argv, OPTIONS, 1);
  const dir = values.out;
  if (typeof dir !== 'string' || dir === '') throw new UsageError('--out DIR is required', 'join');
  // Parquet is asked for often enough to be told why not; listed among the choices, it was offered too.
  const asked = String(values.to ?? '').split(',');
  if (asked.some((format) => format.trim().toLowerCase() === 'parquet')) {
    throw new UsageError(
      '--to parquet: documents are nested (lists of objects) and the Parquet writer has no nested columns yet: join writes NDJSON only (--to ndjson); `convert --to parquet` gives flat tables',
      'join',
    );
  }
  list('join', 'to', values.to, ['ndjson'] as const);
  const by = list('join', 'by', values.by, ['candidate', 'project'] as const) ?? ['candidate'];
  if (values.tmp === '') throw new UsageError('--tmp wants a folder', 'join');
  const started = Date.now();
  const limits = inputLimits('join', values);
  const threads = threadCount('join', values, (line) => context.progress.log(line));
  const ex = await openInput(positionals[0], context, limits);
  try {
    const previous = await readManifest(dir);
    const other = otherOutput('join', dir, previous);
    if (other !== undefined) throw new UsageError(other, 'join');
    const beside = ['manifest.json', 'candidates.schema.json', 'projects.schema.json'];
    const foreign = foreignFiles('join', dir, [...OWN_FILES, ...beside], previous, beside);
    if (foreign !== undefined) throw new UsageError(foreign, 'join');
    const result = await joinExport(ex, {
      out: dir,
      ...(typeof values.tmp === 'string' ? { tmp: values.tmp } : {}),
      byProject: by.includes('project'),
      threads,
      signal: context.signal,
      onProgress: joinProgress(context.progress),
      ...(limits.maxRecordBytes ? { maxRecordBytes: limits.maxRecordBytes } : {}),
      source: basename(ex.root),
      handleSignals: true,
      lock: true,
    });
    const removed = await removeStale(dir, previous, result.manifest.files);
    const problems = result.problems.map(withHint);
    const code = exitCodeForProblems(problems);
    if (!context.quiet) {
      const say = (line: string) => context.err(`${line}\n`);
      const n = (v: number) => v.toLocaleString('en-US');
      say(
        `documents  ${n(result.documents)} candidate(s)${result.projects === undefined ? '' : `, ${n(result.projects)} project(s)`}, ${n(result.partitions)} partition(s)`,
      );
      for (const [table, t] of Object.entries(result.tables)) {
        const rest = [
          t.inProjects > 0 ? `${n(t.inProjects)} in projects` : '',
          t.orphaned > 0 ? `${n(t.orphaned)} orphaned` : '',
          t.leftOut > 0 ? `${n(t.leftOut)} left out` : '',
          t.rejected > 0 ? `${n(t.rejected)} rejected` : '',
        ].filter(Boolean);
        say(
          `  ${table.padEnd(20)} ${n(t.inDocuments).padStart(10)} in documents${rest.length ? `, ${rest.join(', ')}` : ''}`,
        );
      }
      for (const p of problems)
        say(`${p.severity === 'problem' ? 'problem' : 'notice '}  ${p.code}: ${p.message}`);
      if (problems.some((p) => p.severity === 'problem'))
        say(`join: ${problems.filter((p) => p.severity === 'problem').length} problem(s) found`);
      // A re-run into the same folder is expected, but the user should know the earlier files are gone.
      if (writtenBy(previous) === 'join')
        say(
          `replaced what an earlier join wrote to ${dir}${removed.length > 0 ? `; removed ${removed.join(', ')}, which this run does not write` : ''}`,
        );
      say(
        `wrote ${result.manifest.files.length + schemas(result.projects)} file(s) to ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    return code;
  } finally {
    await ex.close();
  }
}

/** manifest.json and the JSON Schema files beside the files it lists: candidates', and projects' with --by project. */
const schemas = (projects: number | undefined) => (projects === undefined ? 2 : 3);

/** A file a join lists in its manifest -> the JSON Schema file written with it, not listed. */
const SCHEMA_OF: Readonly<Record<string, string>> = { 'projects.ndjson': 'projects.schema.json' };

/** Every file a join lists in its manifest; it always writes orphans.ndjson, which convert never does. */
const OWN_FILES: ReadonlySet<string> = new Set([
  'candidates.ndjson',
  'orphans.ndjson',
  'projects.ndjson',
  'rejects.ndjson',
]);

/**
 * Removes what an earlier join into the folder wrote and this one did not (projects.ndjson of a run with
 * --by project, rejects.ndjson of an export with rows it could not read), so the folder holds one run's
 * files and no other export's rows sit beside them; files no join wrote are never touched. The manifest
 * there may be convert's, listing its tables (messages.ndjson, projects.ndjson, rejects.ndjson): a join's
 * lists orphans.ndjson.
 */
async function removeStale(
  dir: string,
  previous: string[],
  files: readonly { path: string }[],
): Promise<string[]> {
  if (writtenBy(previous) !== 'join') return [];
  const now = new Set(files.map((f) => f.path));
  const removed: string[] = [];
  for (const path of previous)
    if (!now.has(path) && OWN_FILES.has(path)) {
      await rm(inFolder(dir, path), { force: true });
      removed.push(path);
      const schema = SCHEMA_OF[path];
      // A join that wrote none left no schema file: only one that is there is said removed.
      if (schema !== undefined && (await lstat(inFolder(dir, schema)).catch(() => undefined))) {
        await rm(inFolder(dir, schema), { force: true });
        removed.push(schema);
      }
    }
  return removed;
}

export function joinProgress(progress: Progress): (event: JoinProgress) => void {
  const index = indexProgress(progress);
  return (p) => {
    if (p.phase === 'table') tableProgress(progress, p.event);
    else if (p.phase === 'attachments') index(p.files, p.done);
    else {
      if (p.partitions === 1) progress.start('documents', p.total, 'partitions');
      progress.update(p.partitions);
      if (p.partitions === p.total) progress.done(`${p.documents.toLocaleString('en-US')} documents`);
    }
  };
}

/** The attachment index being read: files so far, the bar begun at the first report. */
export function indexProgress(progress: Progress): (files: number, done: boolean) => void {
  let started = false;
  return (files, done) => {
    if (!started) progress.start('attachments index', 0, 'files');
    started = true;
    progress.update(files);
    if (done) progress.done();
  };
}

/** A table being read: its bytes, then its rows. */
export function tableProgress(progress: Progress, event: ProgressEvent): void {
  const { phase, table, bytes, total, rows } = event;
  if (phase === 'start') progress.start(table, total, 'bytes');
  else if (phase === 'update') progress.update(bytes);
  else progress.done(rows === undefined ? undefined : `${rows.toLocaleString('en-US')} rows`);
}
