// Every error kind ends a run with its exit code: the built CLI is run for each kind, and the errors that
// mean a bug (a closed archive, export, decoder or output used again) are shown to exit 4.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kindOf } from '@talent-export/errors';
import { openExport, problem } from '@talent-export/export';
import { PipelineError } from '@talent-export/pipeline';
import { generateExport, SampleError, shippedExportPath } from '@talent-export/sample';
import { createTableDecoder, SCHEMAS } from '@talent-export/schema';
import { openOutput } from '@talent-export/writers';
import { openZip, type ZipEntry, ZipError } from '@talent-export/zip';
import { afterAll, describe, expect, it } from 'vitest';
import {
  describeError,
  EXIT,
  exitCodeFor,
  exitCodeForProblems,
  InterruptedError,
  UsageError,
} from './exit.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const helpOf = (command: string) =>
  spawnSync(process.execPath, [bin, command, '--help'], { encoding: 'utf8' }).stdout;
const work = mkdtempSync(join(tmpdir(), 'talent-export-exit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[], nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, bin, ...args], { encoding: 'utf8', cwd: work });
  return { code: r.status, stderr: r.stderr };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('should have failed'),
    (error: unknown) => error,
  );
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return expect.unreachable('should have thrown');
}

describe('the built CLI exits with the code of each error kind', () => {
  it('usage: an unknown option exits 2', () => {
    const r = run(['inspect', '--no-such-option']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/Unknown option '--no-such-option'/);
  });

  it('an error is one line on stderr, without --quiet too (no blank line before it off a terminal)', () => {
    const r = run(['inspect', 'no-such-folder']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^talent-export inspect: EXPORT_NOT_FOUND: [^\n]*\n$/);
  });

  it('input: an export.zip that is not a zip exits 3', () => {
    const zip = join(work, 'export.zip');
    writeFileSync(zip, '<!DOCTYPE html><html>Link expired</html>');
    const r = run(['inspect', zip, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^talent-export inspect: EXPORT_UNREADABLE: .*ZIP_NOT_A_ZIP/);
  });

  it('output: an --out folder that cannot be created exits 3', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'not a folder');
    const r = run(['convert', shippedExportPath(), '--out', join(file, 'out'), '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^talent-export convert: WRITER_IO: could not create the output folder .*ENOTDIR/,
    );
  });

  it('internal: an error no package coded (here a failing readdir) exits 4 and points at --debug', () => {
    const hook = join(work, 'break-readdir.mjs');
    writeFileSync(
      hook,
      [
        "import fs from 'node:fs/promises';",
        "import { syncBuiltinESMExports } from 'node:module';",
        "fs.readdir = async () => { throw new TypeError('readdir is broken'); };",
        'syncBuiltinESMExports();',
      ].join('\n'),
    );
    mkdirSync(join(work, 'folder'));
    const r = run(['inspect', 'folder', '--quiet'], ['--import', hook]);
    expect(r.code).toBe(EXIT.internal);
    expect(r.stderr).toBe('talent-export inspect: readdir is broken\nRun again with --debug for details.\n');
  });

  /** An export big enough to be interrupted mid-run, made once for the tests that interrupt one. */
  async function bigExport(): Promise<string> {
    const big = join(work, 'big');
    if (!existsSync(big)) {
      await generateExport({
        dir: big,
        seed: 3,
        candidates: 20000,
        messagesPerCandidate: 6,
        attachmentsMb: 1,
      });
    }
    return big;
  }

  // SIGHUP: the terminal closed (a window, an ssh session) is a stop as Ctrl-C is, cleaned up the same way;
  // so is SIGTERM (kill, a service manager, `docker stop`), as --help says.
  it.each(['SIGINT', 'SIGHUP', 'SIGTERM'] as const)(
    'interrupted: %s during a run exits 130 and leaves no partial output',
    async (signal) => {
      const big = await bigExport();
      const out = join(work, `interrupted-${signal}`);
      const child = spawn(process.execPath, [bin, 'convert', big, '--out', out, '--quiet'], { cwd: work });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const closed = new Promise((resolve) => child.on('close', resolve));
      // Interrupted once output is being written: a temporary file exists in --out.
      const writing = () => existsSync(out) && readdirSync(out).some((f) => f.endsWith('.tmp'));
      for (let i = 0; i < 600 && !writing(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(writing()).toBe(true);
      child.kill(signal);
      expect(await closed).toBe(EXIT.interrupted);
      expect(stderr).toBe(
        'talent-export convert: CLI_INTERRUPTED: interrupted: stopped before the end; nothing was left half-written; run the same command again to do it all\n',
      );
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
      expect(helpOf('convert')).toMatch(/130 interrupted \(Ctrl-C, SIGTERM or a closed terminal\)/);
    },
  );

  it('interrupted: one Ctrl-C delivered twice (npx, timeout) still cleans up and says so', async () => {
    const big = await bigExport();
    const out = join(work, 'interrupted-twice');
    const child = spawn(process.execPath, [bin, 'join', big, '--out', out, '--quiet'], { cwd: work });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // A copy that lands while the process is already exiting ends it by the signal: a shell shows 130 too.
    const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
    // Interrupted once rows are being spilled: join's temporary folder exists in --out.
    const spilling = () => existsSync(out) && readdirSync(out).length > 0;
    for (let i = 0; i < 600 && !spilling(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(spilling()).toBe(true);
    // The copy a wrapper forwards comes a moment after the one the terminal sent.
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect([EXIT.interrupted, 'SIGINT']).toContain(await closed);
    expect(stderr).toBe(
      'talent-export join: CLI_INTERRUPTED: interrupted: stopped before the end; nothing was left half-written; run the same command again to do it all\n',
    );
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

describe('--json: stdout holds one JSON document, also when the run fails', () => {
  function runJson(args: string[]) {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('a refused input: the error and exit code 3 on stdout, the one line on stderr as without --json', () => {
    const dir = join(work, 'json-refused');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'export.zip'), '<!DOCTYPE html><html>Link expired</html>');
    const r = runJson(['inspect', join(dir, 'export.zip'), '--json', '--quiet']);
    expect(r.code).toBe(3);
    const document = JSON.parse(r.stdout);
    expect(document).toMatchObject({
      command: 'inspect',
      error: { code: 'EXPORT_UNREADABLE', kind: 'input' },
    });
    expect(document.exitCode).toBe(3);
    expect(document.error.message).not.toMatch(/^EXPORT_UNREADABLE/);
    expect(r.stderr).toMatch(/^talent-export inspect: EXPORT_UNREADABLE: /);
  });

  it('a usage error of validate and verify-redaction: exit code 2 on stdout', () => {
    const validate = runJson(['validate', '--json', '--no-such-option']);
    expect(validate.code).toBe(2);
    expect(JSON.parse(validate.stdout)).toMatchObject({ error: { code: 'CLI_USAGE' }, exitCode: 2 });
    const verify = runJson(['verify-redaction', 'no-such-original', '--json']);
    expect(verify.code).toBe(2);
    expect(JSON.parse(verify.stdout)).toMatchObject({ command: 'verify-redaction', exitCode: 2 });
  });

  it('an unknown command, or an option before the command: exit code 2 on stdout', () => {
    const unknown = runJson(['inspct', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({
      command: 'inspct',
      error: { code: 'CLI_USAGE' },
      exitCode: 2,
    });
    expect(unknown.stderr).toMatch(/^talent-export: unknown command "inspct"\. Did you mean inspect\?/);
    const early = runJson(['-q', 'validate', '--json']);
    expect(JSON.parse(early.stdout)).toMatchObject({ command: 'validate', exitCode: 2 });
    const first = runJson(['--json', 'inspect', 'export']);
    expect(first.code).toBe(2);
    expect(JSON.parse(first.stdout)).toMatchObject({ command: 'inspect', exitCode: 2 });
  });

  it('a result that cannot be written (stdout on a full disk) exits 3 with one line, no crash', (context) => {
    if (!existsSync('/dev/full')) context.skip();
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, 'inspect', shippedExportPath(), '--json', '--quiet'], {
        cwd: work,
        encoding: 'utf8',
        stdio: ['ignore', full, 'pipe'],
      });
      expect(r.status).toBe(EXIT.refused);
      expect(r.stderr).toBe(
        'talent-export: standard output cannot be written: ENOSPC: no space left on device, write; check where it goes (a full disk?)\n',
      );
    } finally {
      closeSync(full);
    }
  });

  // It said "report: wrote standard output (69.2 KB)" before the line that it could not.
  it('report --out - on a full disk: exit 3, and no line saying the page was written', (context) => {
    if (!existsSync('/dev/full')) context.skip();
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, 'report', shippedExportPath(), '--out', '-'], {
        cwd: work,
        encoding: 'utf8',
        stdio: ['ignore', full, 'pipe'],
      });
      expect(r.status).toBe(EXIT.refused);
      expect(r.stderr).toMatch(/standard output cannot be written: ENOSPC/);
      expect(r.stderr).not.toMatch(/wrote/);
    } finally {
      closeSync(full);
    }
  });

  it('a command without --json prints nothing on stdout when it fails', () => {
    const r = runJson(['convert', 'no-such-folder', '--out', join(work, 'json-none'), '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });
});

describe('exitCodeFor: the errors that mean a bug exit 4', () => {
  const shipped = shippedExportPath();

  it('ZIP_CLOSED: an entry of a closed archive', async () => {
    const archive = await openZip(join(shipped, 'export.zip'));
    let first: ZipEntry | undefined;
    for await (const entry of archive.entries()) first ??= entry;
    await archive.close();
    const error = await rejection(archive.openStream(first!));
    expect(error).toMatchObject({ code: 'ZIP_CLOSED', kind: 'internal' });
    expect(exitCodeFor(error)).toBe(4);
  });

  it('EXPORT_CLOSED: a table of a closed export', async () => {
    const ex = await openExport(shipped);
    await ex.close();
    const error = await rejection(ex.openTable('candidates'));
    expect(error).toMatchObject({ code: 'EXPORT_CLOSED', kind: 'internal' });
    expect(exitCodeFor(error)).toBe(4);
  });

  it('SCHEMA_ENDED: bytes pushed into an ended decoder', () => {
    const decoder = createTableDecoder('hiring_states');
    decoder.push(Buffer.from('candidate_hiringstate_id\n'));
    decoder.end();
    const error = thrown(() => decoder.push(Buffer.from('x')));
    expect(error).toMatchObject({ code: 'SCHEMA_ENDED', kind: 'internal' });
    expect(exitCodeFor(error)).toBe(4);
  });

  it('WRITER_CLOSED: a row written to a closed table', async () => {
    const output = await openOutput({ dir: join(work, 'closed-output'), formats: ['ndjson'] });
    const table = output.table('notes', SCHEMAS.notes.fields);
    await table.close();
    const error = thrown(() => table.write({}));
    expect(error).toMatchObject({ code: 'WRITER_CLOSED', kind: 'internal' });
    expect(exitCodeFor(error)).toBe(4);
    await output.abort();
  });

  it('SAMPLE_INTERNAL', () => {
    const error = new SampleError('SAMPLE_INTERNAL', 'Zip x.zip closed twice.');
    expect(exitCodeFor(error)).toBe(4);
  });
});

describe('exitCodeFor: one exit code per kind', () => {
  it.each([
    [new UsageError('--out DIR is required'), 2],
    [new SampleError('SAMPLE_BAD_OPTION', 'candidates must be at least 1'), 2],
    [new ZipError({ code: 'ZIP_CRC_MISMATCH', detail: 'CRC differs', hint: 'download again' }, 'a.zip'), 3],
    [Object.assign(new Error('no such file'), { code: 'ENOENT' }), 3],
    [new SampleError('SAMPLE_WRITE_FAILED', 'disk full'), 3],
    [new ZipError({ code: 'ZIP_ABORTED', detail: 'aborted', hint: 'run again' }, 'a.zip'), 130],
    [new InterruptedError(), 130],
    [new DOMException('stopped', 'AbortError'), 130],
    [new TypeError('x is undefined'), 4],
  ])('%s exits %i', (error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });

  it('an output error is told from an input error by its kind', async () => {
    const file = join(work, 'not-a-folder');
    writeFileSync(file, '');
    const error = await rejection(openOutput({ dir: join(file, 'out'), formats: ['ndjson'] }));
    expect(error).toMatchObject({ code: 'WRITER_IO' });
    expect(kindOf(error)).toBe('output');
  });
});

describe('describeError', () => {
  it('names a code once, also when a system error begins with it', () => {
    const system = Object.assign(new Error("EROFS: read-only file system, mkdir '/ro/x'"), { code: 'EROFS' });
    expect(describeError(system)).toBe("EROFS: read-only file system, mkdir '/ro/x'");
    expect(describeError(new UsageError('--out DIR is required'))).toBe('CLI_USAGE: --out DIR is required');
  });

  it("says what to do about a permission Node's message only names", () => {
    const denied = (syscall: string) =>
      Object.assign(new Error(`EACCES: permission denied, ${syscall} '/x'`), { code: 'EACCES', syscall });
    expect(describeError(denied('scandir'))).toBe(
      "EACCES: permission denied, scandir '/x'; check its permissions: the user running talent-export must be able to read it",
    );
    expect(describeError(denied('mkdir'))).toMatch(/must be able to write it$/);
  });

  it('says what to do about too many open files: the limit, how to raise it, or one thread', () => {
    const emfile = Object.assign(new Error("EMFILE: too many open files, open '/app/dist/internal.js'"), {
      code: 'EMFILE',
      syscall: 'open',
    });
    expect(describeError(emfile)).toMatch(
      /^EMFILE: too many open files, open '\/app\/dist\/internal.js'; this process may have only (\d+|a few) files open at once \(`ulimit -n`\): raise it.*ulimit -n \d+.* and run again, or run with --threads 1$/,
    );
    const worker = new PipelineError(
      'PIPELINE_WORKER_UNSTARTED',
      'a worker thread could not start (EMFILE); raise it, or run with one thread',
    );
    expect(describeError(worker)).toBe(
      'PIPELINE_WORKER_UNSTARTED: a worker thread could not start (EMFILE); raise it, or run with --threads 1',
    );
    expect(exitCodeFor(worker)).toBe(3);
    // Node says a module it could not open (too many files open) is not found: no bug, exit 3.
    const lost = Object.assign(
      new Error("Cannot find module '/app/dist/internal.js' imported from /app/dist/index.js"),
      {
        code: 'ERR_MODULE_NOT_FOUND',
      },
    );
    expect(describeError(lost)).toMatch(
      /^ERR_MODULE_NOT_FOUND: Cannot find module .*; if that file is there, this process may have only (\d+|a few) files open at once \(`ulimit -n`\): raise it.*ulimit -n \d+.* and run again, or run with --threads 1; else install talent-export again$/,
    );
    expect(exitCodeFor(lost)).toBe(3);
  });
});

describe('exitCodeForProblems', () => {
  it('a refusal exits 3, another problem 1, notices 0', () => {
    const notice = problem('UNKNOWN_FILE', 'readme.txt is ignored');
    const orphans = problem('ORPHAN_REFERENCES', 'notes.candidate_id: 2 row(s) refer to missing values');
    const refused = problem('PART_UNREADABLE', 'Attachment_1-2.zip cannot be read');
    expect(refused.refused).toBe(true);
    expect(exitCodeForProblems([])).toBe(0);
    expect(exitCodeForProblems([notice])).toBe(0);
    expect(exitCodeForProblems([notice, orphans])).toBe(1);
    expect(exitCodeForProblems([orphans, refused])).toBe(3);
    // A table file that changed while it was read: its rows are as unreliable as a corrupt entry's.
    expect(exitCodeForProblems([notice, problem('TABLE_CHANGED', 'Messages.csv changed')])).toBe(3);
  });
});
