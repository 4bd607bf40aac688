import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMAS } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { WriterError } from './errors.js';
import { openOutput } from './output.js';
import { listDir, tempDir } from './test-support.js';

const fields = SCHEMAS.messages.fields;
const body = 'Bonjour Zoë, 你好 😀; "quoted", line\n'.repeat(40);
const message = (i: number) => ({ message_id: String(i), candidate_id: '42', body, type: 'InMail' });

/** Writes until `count` rows, honouring backpressure; returns how often write() asked to wait. */
async function writeRows(
  table: { write: (r: ReturnType<typeof message>) => void | Promise<void> },
  count: number,
) {
  let waits = 0;
  for (let i = 0; i < count; i++) {
    const wait = table.write(message(i));
    if (wait) {
      waits++;
      await wait;
    }
  }
  return waits;
}

describe('atomic outputs', () => {
  it('a closed table gets its final name only at finish(), so an abort after close() leaves nothing', async () => {
    const dir = tempDir('publish');
    const output = await openOutput({ dir, formats: ['ndjson', 'parquet'] });
    const table = output.table('messages', fields);
    await writeRows(table, 10);
    await table.close();
    expect(listDir(dir).filter((name) => !name.endsWith('.tmp'))).toEqual([]);
    await output.abort();
    expect(listDir(dir)).toEqual([]);

    const again = await openOutput({ dir, formats: ['ndjson', 'parquet'] });
    await writeRows(again.table('messages', fields), 10);
    const rejects = again.table('rejects', fields, { formats: ['ndjson'] });
    await writeRows(rejects, 2);
    await again.finish();
    expect(listDir(dir)).toEqual(['manifest.json', 'messages.ndjson', 'messages.parquet', 'rejects.ndjson']);
    expect(() => again.table('x', fields, { formats: ['csv'] })).toThrow(WriterError);
  });

  it('abort() mid-way leaves no partial final file, no temp, and older files untouched', async () => {
    const dir = tempDir('abort');
    writeFileSync(join(dir, 'messages.ndjson'), 'from an earlier run\n');
    const output = await openOutput({ dir, formats: ['ndjson', 'csv', 'parquet'], rowGroupRows: 500 });
    const table = output.table('messages', fields);
    const waits = await writeRows(table, 8000);
    expect(waits).toBeGreaterThan(0); // about 12 MB per format: the disk queue made the caller wait
    expect(listDir(dir).filter((name) => name.endsWith('.tmp'))).toHaveLength(3);
    await output.abort();
    expect(listDir(dir)).toEqual(['messages.ndjson']);
    expect(readFileSync(join(dir, 'messages.ndjson'), 'utf8')).toBe('from an earlier run\n');
    expect(() => table.write(message(1))).toThrow(expect.objectContaining({ code: 'WRITER_ABORTED' }));
  });

  it('abort() removes the folders the output made, when empty; a folder that was there stays', async () => {
    const parent = tempDir('made');
    const dir = join(parent, 'new', 'out');
    const output = await openOutput({ dir, formats: ['ndjson'] });
    await writeRows(output.table('messages', fields), 10);
    await output.abort();
    expect(existsSync(join(parent, 'new'))).toBe(false);
    expect(existsSync(parent)).toBe(true);
  });

  it('an AbortSignal aborts the output and the next write fails with WRITER_ABORTED', async () => {
    const dir = tempDir('signal');
    const controller = new AbortController();
    const output = await openOutput({ dir, formats: ['parquet', 'csv'], signal: controller.signal });
    const table = output.table('messages', fields);
    await writeRows(table, 2000);
    controller.abort();
    await expect(output.finish()).rejects.toMatchObject({ code: 'WRITER_ABORTED' });
    await output.abort();
    expect(listDir(dir)).toEqual([]);
  });

  it('a finished run replaces files of the same name and leaves other files alone', async () => {
    const dir = tempDir('replace');
    writeFileSync(join(dir, 'messages.csv'), 'old\n');
    writeFileSync(join(dir, 'notes-by-hand.txt'), 'keep me\n');
    const output = await openOutput({ dir, formats: ['csv'] });
    output.table('messages', fields).write(message(1));
    await output.finish();
    expect(readFileSync(join(dir, 'messages.csv'), 'utf8')).toMatch(/^message_id,project_id,/);
    expect(readFileSync(join(dir, 'notes-by-hand.txt'), 'utf8')).toBe('keep me\n');
    expect(listDir(dir)).toEqual(['datapackage.json', 'manifest.json', 'messages.csv', 'notes-by-hand.txt']);
  });

  it('a disk that fills up while manifest.json is written leaves no table under its final name', async (context) => {
    const disk = tempDir('full');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      console.warn('writers: no small file system could be mounted here (root on Linux); ENOSPC not checked');
      context.skip();
    }
    try {
      const dir = join(disk, 'out');
      const output = await openOutput({ dir, formats: ['ndjson', 'csv'] });
      const table = output.table('messages', fields);
      await writeRows(table, 20);
      await table.close();
      // Every byte left goes to another file, so the first write of finish() fails.
      const filler = openSync(join(disk, 'filler'), 'w');
      try {
        for (;;) writeSync(filler, Buffer.alloc(4096));
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        closeSync(filler);
      }
      await expect(output.finish()).rejects.toMatchObject({ code: 'WRITER_IO', message: /ENOSPC/ });
      expect(listDir(disk)).toEqual(['filler']);
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('a write that fails (full disk) and abort() leave no temp and not the folder the output made', async (context) => {
    const disk = tempDir('full-write');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      console.warn('writers: no small file system could be mounted here (root on Linux); ENOSPC not checked');
      context.skip();
    }
    try {
      const output = await openOutput({ dir: join(disk, 'out'), formats: ['ndjson', 'csv'] });
      const table = output.table('messages', fields);
      await expect(writeRows(table, 8000)).rejects.toMatchObject({ code: 'WRITER_IO', message: /ENOSPC/ });
      await output.abort();
      expect(listDir(disk)).toEqual([]);
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('a bad value is refused with its table, row and field, and the table stays usable', async () => {
    const dir = tempDir('bad');
    const output = await openOutput({ dir, formats: ['ndjson', 'parquet'] });
    const table = output.table('interview_modules', SCHEMAS.interview_modules.fields);
    table.write({ interview_module_id: '1' });
    let error: unknown;
    try {
      table.write({ interview_module_id: '2', start_time: '2021-01-26 17:45:00' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WriterError);
    expect(error).toMatchObject({ code: 'WRITER_BAD_VALUE' });
    expect((error as Error).message).toContain('table interview_modules, row 2, field start_time');
    table.write({ interview_module_id: '3' });
    const manifest = await output.finish();
    expect(manifest.files.map((file) => file.rows)).toEqual([2, 2]);
  });

  it('closed tables and finished outputs refuse more work with coded errors', async () => {
    const output = await openOutput({ dir: tempDir('closed'), formats: ['ndjson'] });
    const table = output.table('t', fields);
    await table.close();
    expect(() => table.write(message(1))).toThrow(expect.objectContaining({ code: 'WRITER_CLOSED' }));
    expect(() => output.table('t', fields)).toThrow(
      expect.objectContaining({ code: 'WRITER_DUPLICATE_TABLE' }),
    );
    expect(() => output.table('../escape', fields)).toThrow(
      expect.objectContaining({ code: 'WRITER_BAD_TABLE' }),
    );
    await output.finish();
    expect(() => output.table('u', fields)).toThrow(expect.objectContaining({ code: 'WRITER_CLOSED' }));
  });

  it('options are checked in one place with WRITER_BAD_OPTION', async () => {
    const dir = tempDir('options');
    await expect(openOutput({ dir, formats: [] })).rejects.toMatchObject({ code: 'WRITER_BAD_OPTION' });
    await expect(openOutput({ dir, formats: ['xml' as 'csv'] })).rejects.toThrow(/unknown format "xml"/);
    await expect(openOutput({ dir, formats: ['parquet'], rowGroupRows: 0 })).rejects.toMatchObject({
      code: 'WRITER_BAD_OPTION',
    });
  });
});

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const child = `
import { openOutput } from ${JSON.stringify(dist)};
const fields = ${JSON.stringify(fields)};
const output = await openOutput({ dir: process.argv[2], formats: ['ndjson', 'csv', 'parquet'], rowGroupRows: 1000, handleSignals: process.argv[3] === 'signals' });
const table = output.table('messages', fields);
const body = ${JSON.stringify(body)};
for (let i = 0; ; i++) {
  const wait = table.write({ message_id: String(i), body });
  if (wait) await wait;
  if (i === 5000) process.stdout.write('writing\\n');
}
`;

/** Starts a child writing into `dir`; resolves once it is writing, with its three temps there. */
async function writing(dir: string, mode: 'signals' | 'plain') {
  const script = join(tempDir('child'), 'child.mjs');
  writeFileSync(script, child);
  const proc = spawn(process.execPath, [script, dir, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => proc.stdout.once('data', () => resolve()));
  expect(listDir(dir).filter((name) => name.endsWith('.tmp'))).toHaveLength(3);
  const exited = new Promise<[number | null, string | null]>((resolve) =>
    proc.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  return { proc, exited };
}

/** A child that finishes an output of two tables, sent SIGINT by its first rename to a final name. */
const renaming = `
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const rename = fs.rename;
let sent = false;
fs.rename = (from, to, done) => {
  if (!sent && !String(to).endsWith('.tmp')) {
    sent = true;
    process.kill(process.pid, 'SIGINT');
  }
  return rename(from, to, done);
};
syncBuiltinESMExports();
const { openOutput } = await import(${JSON.stringify(dist)});
const fields = ${JSON.stringify(fields)};
const output = await openOutput({ dir: process.argv[2], formats: ['ndjson', 'csv'], handleSignals: true });
for (const name of ['a', 'b', 'c']) {
  const table = output.table(name, fields);
  await table.write({ message_id: '1', body: 'x' });
}
await output.finish();
`;

describe('a process interrupted mid-write', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s leaves no final file and no temp (handleSignals)',
    async (signal) => {
      const dir = tempDir(`kill-${signal}`);
      const { proc, exited } = await writing(dir, 'signals');
      proc.kill(signal);
      expect(await exited).toEqual([null, signal]); // the signal is re-raised once temps are gone
      expect(listDir(dir)).toEqual([]);
    },
  );

  it('SIGINT while the complete files are renamed: every file appears, then the process dies of it', async () => {
    const dir = tempDir('kill-publishing');
    const script = join(tempDir('child'), 'renaming.mjs');
    writeFileSync(script, renaming);
    const proc = spawn(process.execPath, [script, dir], { stdio: 'inherit' });
    const exited = await new Promise((resolve) =>
      proc.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    expect(exited).toEqual([null, 'SIGINT']);
    expect(listDir(dir)).toEqual([
      'a.csv',
      'a.ndjson',
      'b.csv',
      'b.ndjson',
      'c.csv',
      'c.ndjson',
      'datapackage.json',
      'manifest.json',
    ]);
  });

  it('without handleSignals a library installs no signal handler: the process dies of SIGINT as it would', async () => {
    const dir = tempDir('kill-plain');
    const { proc, exited } = await writing(dir, 'plain');
    proc.kill('SIGINT');
    expect(await exited).toEqual([null, 'SIGINT']);
    // No final file ever; the temps of the dead run are removed by the next output into the folder.
    expect(listDir(dir).every((name) => name.endsWith('.tmp'))).toBe(true);
    const next = await openOutput({ dir, formats: ['ndjson'] });
    expect(listDir(dir)).toEqual([]);
    await next.abort();
  });

  it('temps of a run killed with SIGKILL are removed by the next run into the folder, those of a live run are not', async () => {
    const dir = tempDir('kill-9');
    const dead = await writing(dir, 'signals');
    dead.proc.kill('SIGKILL');
    expect(await dead.exited).toEqual([null, 'SIGKILL']);
    const left = listDir(dir);
    expect(left).toHaveLength(3);
    const live = await writing(dir, 'plain');
    const mine = listDir(dir).filter((name) => !left.includes(name));
    const output = await openOutput({ dir, formats: ['ndjson'] });
    expect(listDir(dir).sort()).toEqual(mine.sort());
    live.proc.kill('SIGKILL');
    await live.exited;
    await output.abort();
  });

  it.runIf(existsSync('/proc/self/stat'))(
    "temps whose pid is now a process started well after them (pid 1, this one) are a former run's: removed",
    async () => {
      const dir = tempDir('pid-reused');
      // Left by killed runs that were pid 1 and this pid (a container's runs), before this boot even.
      const old = new Date('2000-01-01T00:00:00Z');
      const former = [
        `.hiring_states.ndjson.1-${'a'.repeat(12)}.tmp`,
        `.notes.ndjson.${process.pid}-${'b'.repeat(12)}.tmp`,
      ];
      for (const name of former) {
        writeFileSync(join(dir, name), 'partial');
        utimesSync(join(dir, name), old, old);
      }
      // One of another live process written just now: its own, kept.
      const fresh = `.projects.ndjson.${process.ppid}-${'c'.repeat(12)}.tmp`;
      writeFileSync(join(dir, fresh), 'partial');
      const output = await openOutput({ dir, formats: ['ndjson'] });
      expect(listDir(dir)).toEqual([fresh]);
      await output.abort();
    },
  );
});

describe('temps named with this process id', () => {
  it("are an earlier process's when this one is not writing them (a container's process 1), and removed", async () => {
    const dir = tempDir('same-pid');
    const output = await openOutput({ dir, formats: ['ndjson'] });
    const writing = listDir(dir);
    // Left by a run killed with SIGKILL that had this process's id, two hours ago.
    const earlier = `.candidates.ndjson.${process.pid}-0123456789ab.tmp`;
    writeFileSync(join(dir, earlier), 'half a file');
    const hoursAgo = new Date(Date.now() - 2 * 3600e3);
    utimesSync(join(dir, earlier), hoursAgo, hoursAgo);
    // Written just now, not by this output: a live run's in another container may have this id too, or
    // another part of this program may be writing it.
    const fresh = `.notes.ndjson.${process.pid}-ba9876543210.tmp`;
    writeFileSync(join(dir, fresh), 'being written');
    const next = await openOutput({ dir, formats: ['ndjson'] });
    expect(listDir(dir).sort()).toEqual([...writing, fresh].sort());
    await next.abort();
    await output.abort();
  });
});
