import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { LOCK_NAME } from './lock.js';
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
});
