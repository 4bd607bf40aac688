// Worker threads started with the flags of this process that apply to them. By default a worker is given
// this process's flags (`process.execArgv`), those that only say how to read the main script included:
// `--input-type=module`, which `node --input-type=module -e "..."` needs, made every worker whose code is a
// file fail ("--input-type can only be used with string input"), and one given source with `eval` read it
// as a module (no `require`).
import type { Worker, WorkerOptions } from 'node:worker_threads';

/** Flags that only tell what the main script is and how to read it: none applies to a worker's code. */
const MAIN_SCRIPT_FLAGS = new Set(['--input-type', '-e', '--eval', '-p', '--print', '-pe']);

/**
 * `execArgv` (this process's flags) without the flags that only apply to the main script (`--input-type`,
 * `-e`/`--eval`, `-p`/`--print`, `-pe`, and their `=` forms), with their values; the others kept in order
 * (`--require`, `--import`, `--max-old-space-size`, `--cpu-prof` ...). Undefined when there is none to
 * drop: a worker is then given this process's flags as Node gives them.
 */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] | undefined {
  const kept: string[] = [];
  let dropped = false;
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const equals = arg.indexOf('=');
    if (!MAIN_SCRIPT_FLAGS.has(equals < 0 ? arg : arg.slice(0, equals))) {
      kept.push(arg);
      continue;
    }
    dropped = true;
    // Its value, when given apart (`-e code`, `--input-type module`): Node takes none that begins with '-',
    // so a '-' is the next flag (`-p -e code`, a lone `-p` after `-e code`).
    const next = execArgv[i + 1];
    if (equals < 0 && next !== undefined && !next.startsWith('-')) i += 1;
  }
  return dropped ? kept : undefined;
}

/**
 * The flags given to workers, worked out at the first start: Node refuses, when they are given explicitly,
 * the flags that apply to the whole process (V8's `--max-old-space-size`, `--stack-size`, `--title` ...),
 * which it leaves out of those a worker inherits; they are left out here too. Null: none to give.
 */
let resolved: string[] | null | undefined;

/**
 * `new Worker(file, options)`, with this process's flags that apply to workers (see `workerExecArgv`);
 * `options.execArgv`, when given, is used as it is. `WorkerClass` is `Worker` of `node:worker_threads`,
 * given by the caller, which may load that module only when it needs a worker.
 */
export function startWorker(
  WorkerClass: typeof Worker,
  file: string | URL,
  options: WorkerOptions = {},
): Worker {
  if (options.execArgv !== undefined) return new WorkerClass(file, options);
  if (resolved === undefined) resolved = workerExecArgv() ?? null;
  for (;;) {
    if (resolved === null) return new WorkerClass(file, options);
    try {
      return new WorkerClass(file, { ...options, execArgv: resolved });
    } catch (error) {
      // Anything else (the system refusing a thread) is the caller's, as it is for a worker started as is.
      if ((error as { code?: unknown } | null)?.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
      // Refused flags that cannot be told apart: the flags are inherited as Node gives them.
      resolved = withoutRefused(resolved, (error as Error).message) ?? null;
    }
  }
}

/**
 * `execArgv` without the flags Node named in refusing them ("Initiated Worker with invalid execArgv flags:
 * --a=1, --b"), or undefined when it names none of them.
 */
function withoutRefused(execArgv: string[], message: string): string[] | undefined {
  const colon = message.indexOf(': ');
  const refused = new Set(colon < 0 ? [] : message.slice(colon + 2).split(', '));
  const kept = execArgv.filter((arg) => !refused.has(arg));
  return kept.length < execArgv.length ? kept : undefined;
}
