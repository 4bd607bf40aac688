// The thread checking zip parts lost, on the build in a process of its own: a preload that fails in worker
// threads alone (as a tracing agent given with --require can), or a thread that ends part way through a
// part. The attachments are still checked, every entry once, on the calling thread, and a notice says so.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'verify-thread-lost-'));
const dir = join(work, 'export');
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  // Some 3,700 entries in one part: batches of 1,024, so a thread can end between two of them.
  await generateExport({ dir, candidates: 2000, messagesPerCandidate: 1, attachmentsMb: 1 });
});

let runs = 0;

/** What verifying every attachment gives, in a node process given `execArgv`, on `threads`. */
function verify(execArgv: string[], threads?: number) {
  const script = join(work, `run-${runs++}.mjs`);
  writeFileSync(
    script,
    `const { openExport } = await import(${JSON.stringify(built)});
const ex = await openExport(${JSON.stringify(dir)});
const checking = ex.verifyAttachments(${threads === undefined ? '' : `{ threads: ${threads} }`});
let records = 0;
let step = await checking.next();
for (; !step.done; step = await checking.next()) records += 1;
await ex.close();
const { problems, parts, files, markers, bytes } = step.value;
console.log(JSON.stringify({ records, files, markers, bytes, verified: parts.map((p) => p.verifiedBytes), problems }));
`,
  );
  const out = execFileSync(process.execPath, [...execArgv, script], { encoding: 'utf8', timeout: 150_000 });
  return JSON.parse(out) as {
    records: number;
    files: number;
    problems: { code: string; message: string }[];
  };
}

const preload = (name: string, source: string) => {
  const path = join(work, name);
  writeFileSync(path, source);
  return ['--require', path];
};
const reduced = (got: { problems: { code: string; message: string }[] }) =>
  got.problems.filter((p) => p.code === 'THREADS_REDUCED').map((p) => p.message);

describe('the thread checking attachments lost', () => {
  let want: ReturnType<typeof verify>;
  beforeAll(() => {
    want = verify([]);
  });

  it('checks them all on the calling thread when no worker thread can start, and says so once', () => {
    expect(want.files).toBeGreaterThan(1000);
    expect(reduced(want)).toEqual([]);
    const throws = preload(
      'throws.cjs',
      "if (!require('node:worker_threads').isMainThread) throw new Error('no tracing in worker threads');",
    );
    const got = verify(throws);
    expect({ ...got, problems: got.problems.filter((p) => p.code !== 'THREADS_REDUCED') }).toEqual(want);
    expect(reduced(got)).toEqual([
      'the attachments were checked on the calling thread: a worker thread could not start (no tracing in worker threads)',
    ]);
  });

  it('a thread that ends while it starts, saying only "exit" with code 0', () => {
    const exits = preload('exits.cjs', "if (!require('node:worker_threads').isMainThread) process.exit(0);");
    const got = verify(exits);
    expect({ ...got, problems: got.problems.filter((p) => p.code !== 'THREADS_REDUCED') }).toEqual(want);
    expect(reduced(got)).toEqual([
      'the attachments were checked on the calling thread: a worker thread could not start (it exited with code 0)',
    ]);
  });

  it('a thread that never gets ready (a preload that waits) is given up on after 10 s', () => {
    const waits = preload(
      'waits.cjs',
      "if (!require('node:worker_threads').isMainThread) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);",
    );
    const got = verify(waits);
    expect({ ...got, problems: got.problems.filter((p) => p.code !== 'THREADS_REDUCED') }).toEqual(want);
    expect(reduced(got)).toEqual([
      'the attachments were checked on the calling thread: a worker thread could not start (it was not ready after 10 s)',
    ]);
  }, 200_000);

  it('a thread that ends part way: the entries after its last batch are checked here, each once', () => {
    const ends = preload(
      'ends.cjs',
      // Ends once it sent its second batch (a listener of its own would take the messages meant for it).
      `const { isMainThread, parentPort } = require('node:worker_threads');
if (!isMainThread) {
  const post = parentPort.postMessage.bind(parentPort);
  let batches = 0;
  parentPort.postMessage = (message, transfer) => {
    post(message, transfer);
    if (message?.batch && ++batches === 2) process.exit(0);
  };
}`,
    );
    const got = verify(ends);
    expect({ ...got, problems: got.problems.filter((p) => p.code !== 'THREADS_REDUCED') }).toEqual(want);
    expect(reduced(got)).toEqual([
      expect.stringMatching(
        /^Attachment_\d+-\d+\.zip: the worker thread checking it stopped part way \(it exited with code 0\); the rest of its entries were checked on the calling thread$/,
      ),
    ]);
  });
});

describe('verifyAttachments on one thread', () => {
  it('starts no worker thread: none that cannot start is tried, nor told of, and the outcome is the same', () => {
    const want = verify([]);
    const started = join(work, 'a-worker-started');
    const throws = preload(
      'throws-told.cjs',
      `if (!require('node:worker_threads').isMainThread) {
  require('node:fs').writeFileSync(${JSON.stringify(started)}, '');
  throw new Error('no tracing in worker threads');
}`,
    );
    expect(verify(throws, 1)).toEqual(want);
    expect(existsSync(started)).toBe(false);
  });

  it('refuses a number of threads that is not a whole number of at least 1', async () => {
    const { openExport } = (await import(built)) as typeof import('./index.js');
    const ex = await openExport(dir);
    try {
      for (const threads of [0, 1.5, Number.NaN]) {
        await expect(ex.verifyAttachments({ threads }).next()).rejects.toMatchObject({
          code: 'EXPORT_BAD_OPTION',
          kind: 'usage',
          message: `threads must be a whole number >= 1, got ${threads}`,
        });
      }
    } finally {
      await ex.close();
    }
  });
});
