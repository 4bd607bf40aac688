// Worker threads that cannot start, or stop part way, on the built engine in a process of its own (a
// preload that fails in worker threads alone, as a tracing or security agent given with --require can): the
// run reads the same rows on fewer threads and says so, rather than running on one thread unawares.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { bigExport, dist, exportDist, tempDir, writeStage } from './test-export.js';

let dir: string;
let work: string;
let runs = 0;

beforeAll(async () => {
  dir = await bigExport();
  work = tempDir('threads-lost-');
});

/** The counts and notices of reading every table with `threads`, in a node process given `execArgv`. */
function run(execArgv: string[], threads: number, stage?: string, decodeHere = false) {
  const script = `
const { readTables } = await import(${JSON.stringify(dist)});
const { openExport } = await import(${JSON.stringify(exportDist)});
const ex = await openExport(${JSON.stringify(dir)});
let rejects = 0;
// No record hook: the tables are cut into slices for the workers, as validate reads them.
const outcome = await readTables(ex, ['candidates', 'messages'], { reject: () => { rejects += 1; } }, {
  threads: ${threads},
  decodeHere: ${decodeHere},
  ${stage ? `stage: { module: ${JSON.stringify(stage)} },` : ''}
});
await ex.close();
const rows = Object.fromEntries(Object.entries(outcome.tables).map(([t, r]) => [t, r.rows]));
console.log(JSON.stringify({ rows, rejects, problems: outcome.problems }));
`;
  const file = writeStage(work, `run-${runs++}.mjs`, script);
  const out = execFileSync(process.execPath, [...execArgv, file], {
    encoding: 'utf8',
    timeout: 150_000,
  });
  return JSON.parse(out) as {
    rows: Record<string, number>;
    rejects: number;
    problems: { code: string; severity: string; message: string }[];
  };
}

const preload = (name: string, source: string) => ['--require', writeStage(work, name, source)];

describe('worker threads lost', () => {
  it('a preload that throws in worker threads: the same rows, and a notice of one thread and why', () => {
    const want = run([], 1);
    expect(want.rows.messages).toBeGreaterThan(40_000);
    expect(want.problems.filter((p) => p.code === 'THREADS_REDUCED')).toEqual([]);
    const throws = preload(
      'throws.cjs',
      "if (!require('node:worker_threads').isMainThread) throw new Error('no tracing in worker threads');",
    );
    const got = run(throws, 3);
    expect(got.rows).toEqual(want.rows);
    expect(got.rejects).toBe(want.rejects);
    expect(got.problems.filter((p) => p.code === 'THREADS_REDUCED')).toEqual([
      {
        severity: 'notice',
        code: 'THREADS_REDUCED',
        message:
          'ran on 1 thread: a worker thread could not start (no tracing in worker threads); running with one thread avoids trying',
      },
    ]);
  });

  it('a worker that ends while it starts says only "exit", code 0: told too', () => {
    const exits = preload('exits.cjs', "if (!require('node:worker_threads').isMainThread) process.exit(0);");
    const got = run(exits, 2, undefined, true);
    expect(got.rows).toEqual(run([], 1).rows);
    expect(got.problems.filter((p) => p.code === 'THREADS_REDUCED').map((p) => p.message)).toEqual([
      'ran on 1 thread: a worker thread could not start (it exited with code 0); running with one thread avoids trying',
    ]);
  });

  it('a stage that loads here but not in worker threads: told, and the rows the same', () => {
    const stage = writeStage(
      work,
      'here-only.mjs',
      `import { isMainThread } from 'node:worker_threads';
if (!isMainThread) throw new Error('this stage runs on the main thread only');
export function createStage() { return (table, record) => record; }`,
    );
    const got = run([], 3, stage);
    expect(got.rows).toEqual(run([], 1).rows);
    expect(got.problems.filter((p) => p.code === 'THREADS_REDUCED').map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^ran on 1 thread: a worker thread could not start \(the record stage could not be loaded there: the record stage module ".*here-only\.mjs" could not be loaded \(this stage runs on the main thread only\); .*\); running with one thread avoids trying$/,
      ),
    ]);
  });

  it('a worker that never gets ready (a preload that waits) is given up on: the run ends, told', () => {
    const waits = preload(
      'waits.cjs',
      "if (!require('node:worker_threads').isMainThread) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);",
    );
    const got = run(waits, 2);
    expect(got.rows).toEqual(run([], 1).rows);
    expect(got.problems.filter((p) => p.code === 'THREADS_REDUCED').map((p) => p.message)).toEqual([
      'ran on 1 thread: a worker thread could not start (it was not ready after 10 s); running with one thread avoids trying',
    ]);
  }, 200_000);

  it('threads that start say nothing', () => {
    const got = run([], 3);
    expect(got.problems.filter((p) => p.code === 'THREADS_REDUCED')).toEqual([]);
    expect(got.rows).toEqual(run([], 1).rows);
  });

  // A script awaiting the run at its top level: the workers stopping kept nothing alive, and the process
  // ended mid-await (exit 13), the error never said; run a few times, as it depended on timing.
  it('a stage that returns no record fails the run, named, and the process waits for it to say so', () => {
    const stage = writeStage(
      work,
      'forgets.mjs',
      `let n = 0;
export function createStage() {
  return (table, record) => (table === 'messages' && ++n % 5000 === 0 ? undefined : record);
}`,
    );
    const script = writeStage(
      work,
      'fails.mjs',
      `const { readTables } = await import(${JSON.stringify(dist)});
const { openExport } = await import(${JSON.stringify(exportDist)});
const ex = await openExport(${JSON.stringify(dir)});
try {
  await readTables(ex, ['messages'], {}, { threads: 3, stage: { module: ${JSON.stringify(stage)} } });
  console.log('read');
} catch (error) {
  console.log(error.code, error.message);
}
await ex.close();`,
    );
    for (let i = 0; i < 4; i++) {
      const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
      expect(out).toBe(
        'PIPELINE_STAGE_FAILED messages: the record stage failed (it returned undefined for a record, not a record or null); fix the stage module\n',
      );
    }
  });
});
