// Worker threads that cannot start, end to end on the built CLI: a preload that fails in worker threads
// alone (NODE_OPTIONS=--require agent.cjs, as a tracing agent is given) must not crash validate, nor leave
// a run on one thread unsaid.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('validate --threads 1 starts no worker thread: nothing tried, nothing told, the same report', () => {
    const want = run(['validate', dir, '--json', '--threads', '1']);
    const got = run(['validate', dir, '--json', '--threads', '1'], true);
    // The sample's planted problems end it with 1 on any number of threads.
    expect(got.code).toBe(want.code);
    expect(got.stdout).toBe(want.stdout);
    expect(JSON.parse(got.stdout).notices.map((n: { code: string }) => n.code)).not.toContain(
      'THREADS_REDUCED',
    );
    // The summary too: its lines are the same.
    expect(run(['validate', dir, '--threads', '1'], true).stdout).toBe(
      run(['validate', dir, '--threads', '1']).stdout,
    );
  });

  it('report --deep --threads 1 starts no worker thread either; with threads, its page tells it', () => {
    const page = (threads: string, preload: boolean) => {
      const out = join(work, `report-${threads}-${preload}.html`);
      expect(run(['report', dir, '--deep', '--threads', threads, '--out', out, '-q'], preload).code).toBe(1);
      return readFileSync(out, 'utf8');
    };
    const findings = (html: string) => /<h3>Problems and notices<\/h3>.*/.exec(html)?.[0];
    expect(findings(page('1', true))).toBe(findings(page('1', false)));
    expect(page('1', true)).not.toContain('THREADS_REDUCED');
    expect(page('3', true).match(/<code>THREADS_REDUCED<\/code>/g)).toHaveLength(1);
  });

  it('convert finishes as with one thread, and its summary says it ran on one and what avoids trying', () => {
    const got = run(['convert', dir, '--out', join(work, 'lake'), '--threads', '3'], true);
    expect(got.code).toBe(run(['convert', dir, '--out', join(work, 'lake1'), '--threads', '1']).code);
    expect(got.stdout + got.stderr).toContain(
      'notice   THREADS_REDUCED: ran on 1 thread: a worker thread could not start (no tracing in worker threads); --threads 1 avoids trying',
    );
  });
});
