import type { Problem } from '@talent-export/export';
import { type Reject, TABLE_NAMES } from '@talent-export/schema';
import { parseCommand } from '../args.js';
import type { Context } from '../context.js';
import { EXIT, exitCodeForProblems } from '../exit.js';
import { indexAttachments, readTables } from '../pipeline.js';
import { formatBytes } from '../progress.js';
import { openInput } from '../source.js';
import { printSummary } from '../summary.js';

const OPTIONS = { json: { type: 'boolean' } } as const;
/** Rejected rows shown per table; `convert` writes every one to rejects.ndjson. */
const REJECT_EXAMPLES = 10;

export const inspect = (argv: string[], context: Context) => run('inspect', argv, context);
export const validate = (argv: string[], context: Context) => run('validate', argv, context);

async function run(command: 'inspect' | 'validate', argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseCommand(command, argv, OPTIONS, 1);
  const deep = command === 'validate';
  const ex = await openInput(positionals[0], context);
  try {
    const rejects: Reject[] = [];
    const perTable = new Map<string, number>();
    const keep = (reject: Reject) => {
      const seen = perTable.get(reject.table) ?? 0;
      perTable.set(reject.table, seen + 1);
      if (seen < REJECT_EXAMPLES) rejects.push(reject);
    };
    const outcome = await readTables(
      ex,
      TABLE_NAMES,
      context,
      { reject: keep },
      { references: deep, failFast: false },
    );
    const attachments = await indexAttachments(ex, context, outcome.candidateIds);
    let verified: { bytes: number } | undefined;
    const problems: Problem[] = [...outcome.problems];
    let refused = outcome.refused;
    if (deep) {
      try {
        context.progress.start('attachment bytes', attachments.bytes, 'bytes');
        let base = 0;
        let lastPart = '';
        let lastDone = 0;
        await ex.verifyAttachments({
          signal: context.signal,
          onProgress: (p) => {
            if (p.part !== lastPart) {
              base += lastDone;
              lastPart = p.part;
            }
            lastDone = p.bytesDone;
            context.progress.update(base + p.bytesDone);
          },
        });
        context.progress.done();
        verified = { bytes: attachments.bytes };
      } catch (error) {
        context.progress.done();
        if (context.signal.aborted) throw error;
        const e = error as { code?: string; message?: string; archive?: string; entry?: string };
        refused = true;
        problems.push({
          severity: 'problem',
          code: String(e.code ?? 'ATTACHMENTS_UNREADABLE'),
          message: `attachments: ${e.message ?? String(error)}`,
          ...(e.archive ? { file: e.archive } : {}),
          ...(e.entry ? { entry: e.entry } : {}),
        });
      }
    }
    const all = [...ex.problems, ...problems];
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
