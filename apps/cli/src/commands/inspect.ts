import { Worker } from 'node:worker_threads';
import type { Problem, TalentExport } from '@talent-export/export';
import { type Reject, TABLE_NAMES } from '@talent-export/schema';
import { INPUT_OPTIONS, type InputLimits, inputLimits, parseCommand } from '../args.js';
import type { Context } from '../context.js';
import { EXIT, exitCodeForProblems, InterruptedError } from '../exit.js';
import { indexAttachments, readTables } from '../pipeline.js';
import { formatBytes } from '../progress.js';
import { openInput, withHint, zipOptions } from '../source.js';
import { printSummary } from '../summary.js';
import type { VerifyMessage } from '../verify-worker.js';

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
  const ex = await openInput(positionals[0], context, limits);
  let verifying: ReturnType<typeof verify> | undefined;
  try {
    const rejects: Reject[] = [];
    const perTable = new Map<string, number>();
    const keep = (reject: Reject) => {
      const seen = perTable.get(reject.table) ?? 0;
      perTable.set(reject.table, seen + 1);
      if (seen < REJECT_EXAMPLES) rejects.push(reject);
    };
    // validate reads attachment bytes while the tables decode: zlib runs off the main thread, so the two overlap.
    verifying = deep ? verify(ex, context, limits) : undefined;
    const outcome = await readTables(
      ex,
      TABLE_NAMES,
      context,
      { reject: keep },
      { references: deep, failFast: false, maxRecordBytes: limits.maxRecordBytes },
    );
    const attachments = await indexAttachments(ex, context, outcome.candidateIds);
    const problems: Problem[] = [...outcome.problems];
    let refused = outcome.refused;
    let verified: { bytes: number } | undefined;
    if (verifying) {
      const result = await verifying.finish(attachments.bytes);
      problems.push(...result.problems);
      if (result.error) {
        refused = true;
        problems.push(result.error);
      } else if (!result.problems.some((p) => UNVERIFIED.has(p.code)))
        verified = { bytes: attachments.bytes };
    }
    const all = unique([...ex.problems, ...problems]).map(withHint);
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
    verifying?.stop();
    await ex.close();
  }
}

/**
 * Starts reading every attachment byte in a worker thread; its progress is shown once `finish` is
 * called (the tables show theirs first). Problems it finds come back with the result.
 */
function verify(ex: TalentExport, { signal, progress }: Context, limits: InputLimits) {
  const worker = new Worker(new URL('../verify-worker.js', import.meta.url), {
    workerData: { path: ex.root, ...zipOptions(limits) },
  });
  let bytes = 0;
  let shown = false;
  const onAbort = () => worker.postMessage('abort');
  signal.addEventListener('abort', onAbort, { once: true });
  const running = new Promise<{ error?: Problem; problems: Problem[] }>((resolve, reject) => {
    worker.on('message', (message: VerifyMessage) => {
      if (message.type === 'progress') {
        bytes = message.bytes;
        if (shown) progress.update(bytes);
      } else if (message.type === 'done') resolve({ problems: message.problems as Problem[] });
      else if (signal.aborted) reject(new InterruptedError());
      else {
        const e = message.error;
        resolve({
          problems: message.problems as Problem[],
          error: {
            severity: 'problem',
            code: e.code ?? 'ATTACHMENTS_UNREADABLE',
            message: `attachments: ${e.message}`,
            ...(e.archive ? { file: e.archive } : {}),
            ...(e.entry ? { entry: e.entry } : {}),
          },
        });
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the attachment check stopped early (exit code ${code})`)));
  }).finally(() => {
    signal.removeEventListener('abort', onAbort);
    void worker.terminate();
  });
  // Handled here too, so an interrupted run that never calls finish() raises no unhandled rejection.
  running.catch(() => undefined);
  return {
    async finish(total: number) {
      shown = true;
      progress.start('attachment bytes', total, 'bytes');
      progress.update(bytes);
      const result = await running;
      progress.update(total);
      progress.done();
      return result;
    },
    stop: () => void worker.terminate(),
  };
}

/** The same problem found by the index and by the byte check is listed once. */
function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.severity, p.code, p.message, p.file, p.entry]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
