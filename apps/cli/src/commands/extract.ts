import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { type ExtractProgress, extractExport, type Problem } from '@talent-export/export';
import { INPUT_OPTIONS, type OptionSpecs, parseCommand, positiveInt } from '../args.js';
import { candidateIds } from '../candidates.js';
import type { Context } from '../context.js';
import { exitCodeForProblems, UsageError } from '../exit.js';
import { formatBytes } from '../progress.js';
import { openInput, withHint } from '../source.js';

export const OPTIONS = {
  out: {
    type: 'string',
    short: 'o',
    value: 'DIR',
    help: 'output folder, new or empty (any other is refused, so nothing there is replaced or mixed in);\nit appears only once complete',
  },
  'no-markers': { type: 'boolean', help: 'leave out the empty.txt markers of empty attachment folders' },
  candidates: {
    type: 'string',
    value: 'IDS',
    help: 'comma-separated candidate ids: extract only their folders (the tables stay whole)',
  },
  'candidates-file': {
    type: 'string',
    value: 'F',
    help: 'the same, ids read from a file (separated by lines, commas or spaces; "-" reads\nthem from standard input)',
  },
  'max-ratio': INPUT_OPTIONS['max-ratio'],
} as const satisfies OptionSpecs;

export async function extract(argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseCommand('extract', argv, OPTIONS, 1);
  const dir = values.out;
  if (typeof dir !== 'string' || dir === '') throw new UsageError('--out DIR is required', 'extract');
  const maxRatio = positiveInt('extract', 'max-ratio', values['max-ratio']);
  if (maxRatio === 0) throw new UsageError('--max-ratio must be at least 1', 'extract');
  const candidates = await candidateIds('extract', values.candidates, values['candidates-file'], {
    tell: (line) => context.progress.log(line),
  });
  const started = Date.now();
  const ex = await openInput(positionals[0], context, maxRatio === undefined ? {} : { maxRatio });
  try {
    refuseInside(dir, ex.root, ex.layout, positionals[0]);
    const { progress } = context;
    progress.start('extract', 0, 'bytes');
    let shown = 0;
    let last: ExtractProgress | undefined;
    const result = await extractExport(ex, {
      out: dir,
      markers: values['no-markers'] !== true,
      ...(candidates ? { candidates } : {}),
      ...(maxRatio === undefined ? {} : { zip: { limits: { maxRatio } } }),
      signal: context.signal,
      onProgress: (p) => {
        // Called for every file and chunk: the note is formatted only as often as a line is drawn.
        last = p;
        const now = Date.now();
        if (now - shown < 100) return;
        shown = now;
        progress.update(p.bytesDone, p.bytesTotal, `${p.files.toLocaleString('en-US')} files`);
      },
    }).finally(() => {
      if (last)
        progress.update(last.bytesDone, last.bytesTotal, `${last.files.toLocaleString('en-US')} files`);
      progress.done();
    });
    const all: Problem[] = [...ex.problems, ...result.problems].map(withHint);
    const problems = all.filter((p) => p.severity === 'problem');
    const notices = all.filter((p) => p.severity !== 'problem');
    if (!context.quiet) {
      const n = (v: number) => v.toLocaleString('en-US');
      const lines = [
        `export   ${positionals[0] ?? ex.root} (${ex.layout})`,
        `parts    ${ex.parts.length === 0 ? 'none' : ex.parts.map((p) => p.file).join(', ')}`,
        `tables   ${result.tables.length === 0 ? 'none' : result.tables.map((t) => t.file).join(', ')}`,
        `attachments  ${n(result.files)} files, ${formatBytes(result.bytes)}, ${n(result.candidates)} candidate folders, ${n(result.markers)} empty.txt markers` +
          (result.renamedCount > 0 ? `, ${n(result.renamedCount)} renamed` : ''),
        ...problems.map((p) => `problem  ${p.code}: ${p.message}`),
        ...notices.map((p) => `notice   ${p.code}: ${p.message}`),
        problems.length === 0 ? 'extract: no problems found' : `extract: ${problems.length} problem(s) found`,
        `wrote ${n(result.tables.length + (result.manifest ? 1 : 0) + result.files + result.markers)} file(s) to ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ];
      context.err(`${lines.join('\n')}\n`);
    }
    return exitCodeForProblems(problems);
  } finally {
    await ex.close();
  }
}

/**
 * An extracted export is read from every folder in it: extracted again inside it, the copy's tables and
 * Candidate_<id> folders would count as its own (every file twice). A download's zips are read instead, and
 * a folder beside them is told apart, so only this layout is refused.
 */
function refuseInside(out: string, root: string, layout: string, given: string | undefined): void {
  if (layout !== 'extracted') return;
  // The folder given, too: its tables may be a folder down (`Contract_123456/`), which the export's root is.
  // Both sides with their links followed: through a link to the export, --out lands inside it all the same.
  const target = real(out);
  const inside = (folder: string) => {
    const within = relative(real(folder), target);
    return within !== '' && !within.startsWith('..') && !isAbsolute(within);
  };
  if (!inside(root) && !(given !== undefined && inside(given))) return;
  throw new UsageError(
    `--out ${out} is inside the extracted export ${given ?? root}: its tables and Candidate_<id> folders would be read as the export's own from then on (every file twice); give a folder outside it`,
    'extract',
  );
}

/** The path with the links of its longest existing part followed (the rest does not exist yet). */
function real(path: string): string {
  const absolute = resolve(path);
  let existing = absolute;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    return join(realpathSync(existing), relative(existing, absolute));
  } catch {
    return absolute;
  }
}
