// Worker threads that cannot start, end to end on the built CLI: a preload that fails in worker threads
// alone (NODE_OPTIONS=--require agent.cjs, as a tracing agent is given) must not crash validate, nor leave
// a run on one thread unsaid.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'cli-threads-lost-'));
const dir = join(work, 'export');
const agent = join(work, 'agent.cjs');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[], preload = false) {
  const env = { ...process.env, NODE_OPTIONS: preload ? `--require ${agent}` : '' };
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, cwd: work });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  writeFileSync(
    agent,
    "if (!require('node:worker_threads').isMainThread) throw new Error('no tracing in worker threads');",
  );
  expect(run(['sample', '--out', dir, '--candidates', '3000', '--quiet']).code).toBe(0);
});

describe('worker threads that cannot start', () => {
  it('validate finishes as with threads, and says once for the whole run that it ran on the calling thread', () => {
    const want = run(['validate', dir, '--json', '--threads', '3']);
    const got = run(['validate', dir, '--json', '--threads', '3'], true);
    expect(got.stderr).not.toMatch(/--debug/);
    expect(got.code).toBe(want.code);
    const a = JSON.parse(want.stdout);
    const b = JSON.parse(got.stdout);
    expect(b.tables).toEqual(a.tables);
    expect(b.attachments).toEqual(a.attachments);
    expect(b.problems).toEqual(a.problems);
    expect(b.notices.filter((n: { code: string }) => n.code !== 'THREADS_REDUCED')).toEqual(a.notices);
    expect(
      b.notices
        .filter((n: { code: string }) => n.code === 'THREADS_REDUCED')
        .map((n: { message: string }) => n.message),
    ).toEqual([
      'ran on 1 thread: a worker thread could not start (no tracing in worker threads); --threads 1 avoids trying',
    ]);
  });

  it('convert finishes as with one thread, and its summary says it ran on one and what avoids trying', () => {
    const got = run(['convert', dir, '--out', join(work, 'lake'), '--threads', '3'], true);
    expect(got.code).toBe(run(['convert', dir, '--out', join(work, 'lake1'), '--threads', '1']).code);
    expect(got.stdout + got.stderr).toContain(
      'notice   THREADS_REDUCED: ran on 1 thread: a worker thread could not start (no tracing in worker threads); --threads 1 avoids trying',
    );
  });
});
