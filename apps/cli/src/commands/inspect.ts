import type { AttachmentSummary, Problem, TalentExport } from '@talent-export/export';
import { type IdLookup, type Reject, TABLE_NAMES } from '@talent-export/schema';
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
    // validate reads every attachment byte on this thread while a worker decodes the tables; the byte
    // check lists the parts as the index does, so its summary serves (candidate ids once the tables end).
    const bytesBar = deep ? deferred(context.progress) : undefined;
    const tables = readTables(
      ex,
      TABLE_NAMES,
      context,
      { reject: keep },
      {
        references: deep,
        failFast: false,
        maxRecordBytes: limits.maxRecordBytes,
        lenientQuotes: limits.lenientQuotes,
        threads,
      },
    );
    const candidateIds = tables.then(
      (outcome) => outcome.candidateIds,
      () => undefined,
    );
    void tables.then(
      () => bytesBar?.show(),
      () => undefined,
    );
    const [outcome, checked] = await Promise.all([
      tables,
      bytesBar ? verify(ex, { ...context, progress: bytesBar }, candidateIds) : undefined,
    ]);
    const attachments = checked?.summary ?? (await indexAttachments(ex, context, outcome.candidateIds));
    const problems: Problem[] = [...outcome.problems];
    let refused = outcome.refused;
    let verified: { bytes: number } | undefined;
    if (checked?.error) {
      refused = true;
      problems.push(checked.error);
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
async function verify(
  ex: TalentExport,
  { signal, progress }: Context,
  candidateIds: Promise<IdLookup | undefined>,
): Promise<{ summary?: AttachmentSummary; error?: Problem }> {
  // Bytes of finished parts, plus the current part's progress.
  let before = 0;
  let part = '';
  let current = 0;
  // Attachments are mostly stored, so the parts' sizes on disk are a fair total.
  const total = ex.parts.reduce((sum, p) => sum + p.bytes, 0);
  progress.start('attachment bytes', total, 'bytes');
  try {
    const summary = await ex.verifyAttachments({
      signal,
      candidateIds,
      onProgress: (p) => {
        if (p.part !== part) {
          before += current;
          part = p.part;
        }
        current = p.bytesDone;
        progress.update(before + current);
      },
    });
    return { summary };
  } catch (error) {
    if (signal.aborted) throw error;
    const e = error as { code?: string; message?: string; archive?: string; entry?: string };
    return {
      error: {
        severity: 'problem',
        code: String(e.code ?? 'ATTACHMENTS_UNREADABLE'),
        message: `attachments: ${e.message ?? String(error)}`,
        ...(e.archive ? { file: e.archive } : {}),
        ...(e.entry ? { entry: e.entry } : {}),
      },
    };
  } finally {
    progress.done();
  }
}
