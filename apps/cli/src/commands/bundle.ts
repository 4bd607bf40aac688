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
    help: 'output folder, created if needed; a Candidate_<id>.zip of the same name is replaced, and\nremoved for an id asked for that gets none this time (the problem about it says so)',
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
