import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleCandidates, type SubjectsProgress } from '@talent-export/join';
import { INPUT_OPTIONS, inputLimits, type OptionSpecs, parseCommand, threadCount } from '../args.js';
import { candidateIds } from '../candidates.js';
import type { Context } from '../context.js';
import { exitCodeForProblems, UsageError } from '../exit.js';
import { formatBytes, type Progress } from '../progress.js';
import { openInput, withHint } from '../source.js';
import { indexProgress, tableProgress } from './join.js';

export const OPTIONS = {
  out: {
    type: 'string',
    short: 'o',
    value: 'DIR',
    help: 'output folder, created if needed; a Candidate_<id>.zip an earlier bundle wrote is replaced\n(or removed for an id asked for that gets none this time: the problem about it says so),\nother files are left alone (a Candidate_<id>.zip of an id asked for that no bundle wrote\nis refused)',
  },
  candidates: {
    type: 'string',
    value: 'IDS',
    help: 'comma-separated candidate ids: one Candidate_<id>.zip each',
  },
  'candidates-file': {
    type: 'string',
    value: 'F',
    help: 'the same, ids read from a file (separated by lines, commas or spaces; "-" reads\nthem from standard input)',
  },
  tmp: {
    type: 'string',
    value: 'DIR',
    help: "folder for the temporary files (the candidates' rows; default: --out); removed at\nthe end, on failure and on Ctrl-C",
  },
  'max-record-mb': INPUT_OPTIONS['max-record-mb'],
  'max-ratio': INPUT_OPTIONS['max-ratio'],
  threads: INPUT_OPTIONS.threads,
} as const satisfies OptionSpecs;

export async function bundle(argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseCommand('bundle', argv, OPTIONS, 1);
  const dir = values.out;
  if (typeof dir !== 'string' || dir === '') throw new UsageError('--out DIR is required', 'bundle');
  if (values.tmp === '') throw new UsageError('--tmp wants a folder', 'bundle');
  const ids = await candidateIds('bundle', values.candidates, values['candidates-file'], {
    tell: (line) => context.progress.log(line),
  });
  if (!ids) throw new UsageError('--candidates IDS or --candidates-file F is required', 'bundle');
  const foreign = await foreignArchives(dir, ids);
  if (foreign !== undefined) throw new UsageError(foreign, 'bundle');
  const started = Date.now();
  const limits = inputLimits('bundle', values);
  const threads = threadCount('bundle', values, (line) => context.progress.log(line));
  const ex = await openInput(positionals[0], context, limits);
  try {
    const result = await bundleCandidates(ex, {
      out: dir,
      candidates: ids,
      ...(typeof values.tmp === 'string' ? { tmp: values.tmp } : {}),
      threads,
      signal: context.signal,
      onProgress: bundleProgress(context.progress),
      ...(limits.maxRecordBytes ? { maxRecordBytes: limits.maxRecordBytes } : {}),
      // The parts' entries are read with the limits their index was made with.
      ...(limits.maxRatio === undefined ? {} : { zip: { limits: { maxRatio: limits.maxRatio } } }),
    });
    const problems = result.problems.map(withHint);
    if (!context.quiet) {
      const n = (v: number) => v.toLocaleString('en-US');
      const say = (line: string) => context.err(`${line}\n`);
      const rows = result.bundles.reduce((s, b) => s + Object.values(b.rows).reduce((a, c) => a + c, 0), 0);
      const files = result.bundles.reduce((s, b) => s + b.attachments, 0);
      const bytes = result.bundles.reduce((s, b) => s + b.bytes, 0);
      say(
        `bundles  ${n(result.bundles.length)} of ${n(ids.size)} candidate(s): ${n(rows)} rows, ${n(files)} attachments, ${formatBytes(bytes)}`,
      );
      for (const p of problems)
        say(`${p.severity === 'problem' ? 'problem' : 'notice '}  ${p.code}: ${p.message}`);
      const found = problems.filter((p) => p.severity === 'problem').length;
      if (found > 0) say(`bundle: ${found} problem(s) found`);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      say(
        result.bundles.length === 0
          ? `wrote no archive in ${seconds} s`
          : `wrote ${n(result.bundles.length)} file(s) to ${dir} in ${seconds} s`,
      );
    }
    return exitCodeForProblems(problems);
  } finally {
    await ex.close();
  }
}

/**
 * A usage error when `dir` holds a Candidate_<id>.zip of an id asked for that no bundle wrote: the run
 * replaces that name, or removes it for an id that gets no archive, and a user's own file of that name
 * (an attachment part's candidate zipped by hand, a mail's attachment) was lost without a word. A bundle
 * holds candidate.json first, so its first local header tells it (one small read per such file).
 */
async function foreignArchives(dir: string, ids: ReadonlySet<string>): Promise<string | undefined> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const foreign: string[] = [];
  // A folder of that name is said to be in the way where the archive is put in place.
  for (const entry of entries.filter((e) => e.isFile())) {
    const id = /^Candidate_(.+)\.zip$/.exec(entry.name)?.[1];
    if (id === undefined || !ids.has(id) || (await isBundle(join(dir, entry.name)))) continue;
    foreign.push(entry.name);
  }
  if (foreign.length === 0) return undefined;
  foreign.sort();
  const shown =
    foreign.length > 3
      ? `${foreign.slice(0, 3).join(', ')} and ${foreign.length - 3} more`
      : foreign.join(', ');
  const them = foreign.length === 1 ? 'it' : 'them';
  return `--out ${dir} holds ${shown}, which no earlier bundle wrote (no candidate.json first in ${them}); bundle would replace ${them}: move ${them} away, or give another folder`;
}

/** Whether the file begins with a zip entry named candidate.json, as every archive bundle writes does. */
async function isBundle(path: string): Promise<boolean> {
  const NAME = Buffer.from('candidate.json');
  const head = Buffer.alloc(30 + NAME.length);
  const file = await open(path, 'r').catch(() => undefined);
  if (file === undefined) return false;
  try {
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return (
      bytesRead === head.length &&
      head.readUInt32LE(0) === 0x04034b50 &&
      head.readUInt16LE(26) === NAME.length &&
      head.subarray(30).equals(NAME)
    );
  } catch {
    return false;
  } finally {
    await file.close();
  }
}

function bundleProgress(progress: Progress): (event: SubjectsProgress) => void {
  const index = indexProgress(progress);
  return (p) => {
    if (p.phase === 'table') tableProgress(progress, p.event);
    else if (p.phase === 'attachments') index(p.files, p.done);
    else {
      if (p.done === 1) progress.start('bundles', p.total, 'files');
      progress.update(p.done);
      if (p.done === p.total) progress.done();
    }
  };
}
