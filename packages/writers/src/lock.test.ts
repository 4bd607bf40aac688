import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { LOCK_NAME } from './lock.js';
import { openOutput } from './output.js';
import { startTime } from './started.js';
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
        // This pid, another run (the run before this one in a container, pid 1 both): taken over.
        writeFileSync(lock, `${process.pid} ${startTime(process.pid)} fedcba9876543210\n`);
        output = await openOutput({ dir, formats: ['ndjson'], lock: true });
        expect(readFileSync(lock, 'utf8')).not.toContain('fedcba9876543210');
        await output.abort();
        expect(listDir(dir)).toEqual([]);
      } finally {
        other.kill('SIGKILL');
      }
    },
  );
});
