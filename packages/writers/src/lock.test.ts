import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTime } from '@talent-export/errors';
import { SCHEMAS } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { LOCK_NAME, removeStale } from './lock.js';
import { openOutput } from './output.js';
import { listDir, tempDir } from './test-support.js';

const fields = SCHEMAS.hiring_states.fields;

describe('lock: true', () => {
  it("refuses a folder a live process writes (WRITER_BUSY, kind output) and takes a dead one's over", async () => {
    const dir = tempDir('lock-busy');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dir, LOCK_NAME), `${other.pid}\n`);
      const busy = await openOutput({ dir, formats: ['ndjson'], lock: true }).catch((e: unknown) => e);
      expect(busy).toMatchObject({ code: 'WRITER_BUSY', kind: 'output' });
      expect((busy as Error).message).toContain(`another run (process ${other.pid})`);
      expect(listDir(dir)).toEqual([LOCK_NAME]);
    } finally {
      other.kill('SIGKILL');
    }
    // A run killed with SIGKILL left its lock: the next run takes it over.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dir, LOCK_NAME), `${dead}\n`);
    const output = await openOutput({ dir, formats: ['ndjson'], lock: true });
    expect(listDir(dir)).toEqual([LOCK_NAME]);
    await output.table('hiring_states', fields).write({ candidate_hiringstate_id: '1' });
    await output.finish();
    expect(listDir(dir)).toEqual(['hiring_states.ndjson', 'manifest.json']);
  });

  it('is given back on abort, and a folder it made is removed; without lock nothing is written', async () => {
    const dir = join(tempDir('lock-abort'), 'made');
    const output = await openOutput({ dir, formats: ['ndjson'], lock: true });
    expect(listDir(dir)).toEqual([LOCK_NAME]);
    await output.abort();
    expect(existsSync(dir)).toBe(false);
    const plain = await openOutput({ dir, formats: ['ndjson'] });
    expect(listDir(dir)).toEqual([]);
    await plain.abort();
  });

  it.runIf(existsSync('/proc/self/stat'))(
    'tells its holder from another process given the same pid later (Linux start times), and a run before in this pid',
    async () => {
      const dir = tempDir('lock-reused');
      const lock = join(dir, LOCK_NAME);
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
      try {
        const pid = other.pid as number;
        // The live holder, as it writes its lock: refused.
        writeFileSync(lock, `${pid} ${startTime(pid)} 0123456789abcdef\n`);
        const busy = await openOutput({ dir, formats: ['ndjson'], lock: true }).catch((e: unknown) => e);
        expect(busy).toMatchObject({ code: 'WRITER_BUSY' });
        // A lock of a dead run whose pid is now another process's (pid 1, alive since boot): taken over.
        writeFileSync(lock, `1 ${Number(startTime(1)) + 1} 0123456789abcdef\n`);
        let output = await openOutput({ dir, formats: ['ndjson'], lock: true });
        expect(readFileSync(lock, 'utf8')).toMatch(
          new RegExp(`^${process.pid} ${startTime(process.pid)} [0-9a-f]{16}\n$`),
        );
        await output.abort();
        // A lock of an earlier version (a pid alone) written before its process started: not its own.
        writeFileSync(lock, `${pid}\n`);
        utimesSync(lock, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
        output = await openOutput({ dir, formats: ['ndjson'], lock: true });
        await output.abort();
        // This pid, another run: just written, it may be a live run's in another container sharing the
        // folder (pid 1 both), refused; left an hour, the run before this one in a container's, taken over.
        writeFileSync(lock, `${process.pid} ${startTime(process.pid)} fedcba9876543210\n`);
        const mine = await openOutput({ dir, formats: ['ndjson'], lock: true }).catch((e: unknown) => e);
        expect(mine).toMatchObject({ code: 'WRITER_BUSY' });
        utimesSync(lock, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
        output = await openOutput({ dir, formats: ['ndjson'], lock: true });
        expect(readFileSync(lock, 'utf8')).not.toContain('fedcba9876543210');
        await output.abort();
        expect(listDir(dir)).toEqual([]);
      } finally {
        other.kill('SIGKILL');
      }
    },
  );

  it('gives back only a lock that is still its own, never one another run took over since', async () => {
    const dir = tempDir('lock-given-back');
    const lock = join(dir, LOCK_NAME);
    const output = await openOutput({ dir, formats: ['ndjson'], lock: true });
    // Taken over meanwhile (a run in another container sharing the folder took it for a dead one's).
    writeFileSync(lock, '1 - 0123456789abcdef\n');
    await output.abort();
    expect(readFileSync(lock, 'utf8')).toBe('1 - 0123456789abcdef\n');
  });

  it('of runs that find one stale lock at once, one takes the folder and the others are told it is busy', async () => {
    const index = new URL('../dist/index.js', import.meta.url).href;
    // Each holds the folder until told to end (its stdin closed), so that none gives it back to a later one.
    const child = `
      const { openOutput } = await import(${JSON.stringify(index)});
      const end = new Promise((resolve) => process.stdin.on('end', resolve).resume());
      try {
        const output = await openOutput({ dir: process.argv[1], formats: ['ndjson'], lock: true });
        process.stdout.write('took');
        await end;
        await output.abort();
      } catch (error) {
        process.stdout.write(error.code);
      }`;
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    for (let round = 0; round < 3; round++) {
      const dir = tempDir(`lock-race-${round}`);
      writeFileSync(join(dir, LOCK_NAME), `${dead}\n`);
      const procs = Array.from({ length: 4 }, () =>
        spawn(process.execPath, ['--input-type=module', '-e', child, dir]),
      );
      const runs = procs.map(
        (proc) =>
          new Promise<string>((resolve) => proc.stdout.once('data', (chunk) => resolve(String(chunk)))),
      );
      const told = (await Promise.all(runs)).sort();
      for (const proc of procs) proc.stdin.end();
      await Promise.all(procs.map((proc) => new Promise((resolve) => proc.on('close', resolve))));
      expect(told).toEqual(['WRITER_BUSY', 'WRITER_BUSY', 'WRITER_BUSY', 'took']);
    }
  });

  it('a breaker left by a run killed while it removed a stale lock does not keep the folder busy', async () => {
    const dir = tempDir('lock-breaker');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dir, LOCK_NAME), `${dead}\n`);
    writeFileSync(join(dir, `${LOCK_NAME}.break`), `${dead}\n`);
    const output = await openOutput({ dir, formats: ['ndjson'], lock: true });
    expect(readFileSync(join(dir, LOCK_NAME), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    await output.abort();
    expect(listDir(dir)).toEqual([]);
  });

  it('removes a lock found stale only if it is still the one found: a fresh one that took its place stays', async () => {
    const dir = tempDir('lock-replaced');
    const lock = join(dir, LOCK_NAME);
    writeFileSync(lock, '999999999\n');
    const seen = statSync(lock);
    // Another run removed the stale lock and took the folder between this one's look and its removal.
    writeFileSync(join(dir, 'fresh'), `${process.pid} - 0123456789abcdef\n`);
    renameSync(join(dir, 'fresh'), lock);
    // This run's lock, written whole (elsewhere on the same disk: the folder's listing is checked).
    const mine = join(tempDir('lock-mine'), 'mine');
    writeFileSync(mine, `${process.pid} - fedcba9876543210\n`);
    await removeStale(lock, seen, mine);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid} - 0123456789abcdef\n`);
    expect(listDir(dir)).toEqual([LOCK_NAME]);
    // Still the one found: removed.
    await removeStale(lock, statSync(lock), mine);
    expect(listDir(dir)).toEqual([]);
  });
});
