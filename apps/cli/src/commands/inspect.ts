import type { Problem, TalentExport } from '@talent-export/export';
import { type Reject, TABLE_NAMES } from '@talent-export/schema';
import { INPUT_OPTIONS, inputLimits, parseCommand, threadCount } from '../args.js';
import type { Context } from '../context.js';
import { EXIT, exitCodeForProblems } from '../exit.js';
import { indexAttachments, readTables } from '../pipeline.js';
import { deferred, formatBytes } from '../progress.js';
import { openInput, withHint } from '../source.js';
import { printSummary } from '../summary.js';

const OPTIONS = { json: { type: 'boolean' }, ...INPUT_OPTIONS } as const;
/** Rejected rows shown per table; `convert` writes every one to rejects.ndjson. */
const REJECT_EXAMPLES = 10;
/** Problems that mean some attachment bytes could not be read or were wrong. */
const UNVERIFIED = new Set(['PART_UNREADABLE', 'ATTACHMENT_CORRUPT', 'ENTRY_REFUSED']);

export const inspect = (argv: string[], context: Context) => run('inspect', argv, context);
export const validate = (argv: string[], context: Context) => run('validate', argv, context);

async function run(command: 'inspect' | 'validate', argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseCommand(command, argv, OPTIONS, 1);
  const deep = command === 'validate';
  const limits = inputLimits(command, values);
  const threads = threadCount(command, values);
  const ex = await openInput(positionals[0], context, limits);
  try {
    const rejects: Reject[] = [];
    const perTable = new Map<string, number>();
    const keep = (reject: Reject) => {
      const seen = perTable.get(reject.table) ?? 0;
      perTable.set(reject.table, seen + 1);
      if (seen < REJECT_EXAMPLES) rejects.push(reject);
    };
    // validate reads every attachment byte on this thread while a worker decodes the tables.
    const bytesBar = deep ? deferred(context.progress) : undefined;
    const [outcome, verifyError] = await Promise.all([
      readTables(
        ex,
        TABLE_NAMES,
        context,
        { reject: keep },
        {
          references: deep,
          failFast: false,
          maxRecordBytes: limits.maxRecordBytes,
          threads,
        },
      ),
      bytesBar ? verify(ex, { ...context, progress: bytesBar }) : undefined,
    ]);
    const attachments = await indexAttachments(ex, context, outcome.candidateIds);
    bytesBar?.show(attachments.bytes);
    const problems: Problem[] = [...outcome.problems];
    let refused = outcome.refused;
    let verified: { bytes: number } | undefined;
    if (verifyError) {
      refused = true;
      problems.push(verifyError);
    } else if (deep && !ex.problems.some((p) => UNVERIFIED.has(p.code))) {
      verified = { bytes: attachments.bytes };
    }
    const all = [...ex.problems, ...problems].map(withHint);
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
      ...(rejects.length > 0 ? { rejects } : {}),
      problems: all.filter((p) => p.severity === 'problem'),
      notices: all.filter((p) => p.severity !== 'problem'),
    };
    const code = refused ? EXIT.refused : exitCodeForProblems(report.problems);
    if (values.json === true) context.out(`${JSON.stringify({ ...report, exitCode: code }, null, 2)}\n`);
    else printSummary(report, context, formatBytes);
    return code;
  } finally {
    await ex.close();
  }
}

/**
 * Reads every attachment byte (CRC, sizes, bomb caps). Corrupt entries and unreadable parts become
 * problems of the export; only a failure of the whole check comes back here.
 */
async function verify(ex: TalentExport, { signal, progress }: Context): Promise<Problem | undefined> {
  // Bytes of finished parts, plus the current part's progress.
  let before = 0;
  let part = '';
  let current = 0;
  progress.start('attachment bytes', 0, 'bytes');
  try {
    await ex.verifyAttachments({
      signal,
      onProgress: (p) => {
        if (p.part !== part) {
          before += current;
          part = p.part;
        }
        current = p.bytesDone;
        progress.update(before + current);
      },
    });
    return undefined;
  } catch (error) {
    if (signal.aborted) throw error;
    const e = error as { code?: string; message?: string; archive?: string; entry?: string };
    return {
      severity: 'problem',
      code: String(e.code ?? 'ATTACHMENTS_UNREADABLE'),
      message: `attachments: ${e.message ?? String(error)}`,
      ...(e.archive ? { file: e.archive } : {}),
      ...(e.entry ? { entry: e.entry } : {}),
    };
  } finally {
    progress.done();
  }
}
