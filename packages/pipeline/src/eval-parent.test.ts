// The engine used from `node --input-type=module -e "..."`: worker threads were given that process's flags,
// --input-type among them, and none of them could start (the tables decoded on one thread, the attachments
// checked on the calling thread, each told by a THREADS_REDUCED notice). They are given the flags that
// apply to them: a preload (--require) still runs in them, and a flag of the whole process
// (--max-old-space-size), which Node refuses for a worker when given explicitly, does not stop them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bigExport, dist, exportDist, tempDir, writeStage } from './test-export.js';

let dir: string;
let work: string;

beforeAll(async () => {
  dir = await bigExport();
  work = tempDir('eval-parent-');
});

const script = () => `
const { readTables } = await import(${JSON.stringify(dist)});
const { openExport } = await import(${JSON.stringify(exportDist)});
const ex = await openExport(${JSON.stringify(dir)});
const outcome = await readTables(ex, ['candidates', 'messages'], {}, { threads: 2 });
const checking = ex.verifyAttachments();
let step = await checking.next();
while (!step.done) step = await checking.next();
await ex.close();
const rows = Object.fromEntries(Object.entries(outcome.tables).map(([t, r]) => [t, r.rows]));
const notices = [...outcome.problems, ...step.value.problems].filter((p) => p.code === 'THREADS_REDUCED');
console.log(JSON.stringify({ rows, files: step.value.files, notices }));
`;

describe('a parent run with --input-type=module -e', () => {
  it('reads an export on 2 threads, its workers started with its other flags', () => {
    const log = join(work, 'worker-flags.ndjson');
    const preload = writeStage(
      work,
      'flags.cjs',
      `if (!require('node:worker_threads').isMainThread)
  require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.execArgv) + '\\n');`,
    );
    const flags = ['--max-old-space-size=512', '--require', preload];
    const file = writeStage(work, 'run.mjs', script());
    const run = (args: string[]) =>
      JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', timeout: 150_000 }));
    const want = run([file]);
    expect(want.notices).toEqual([]);
    const got = run([...flags, '--input-type=module', '-e', script()]);
    expect(got).toEqual(want);
    const started = readFileSync(log, 'utf8').trim().split('\n');
    // The decoding worker and the one checking attachments, at least; none given the main script's flags.
    expect(started.length).toBeGreaterThanOrEqual(2);
    expect(new Set(started)).toEqual(new Set([JSON.stringify(['--require', preload])]));
  });
});
