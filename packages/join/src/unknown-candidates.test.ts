// Rows of candidates the candidates table lacks are orphans where they are read: spilled, they gathered in
// a partition no sample of the table's ids had sized, built in pieces of one pass over its file each.
import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openExport } from '@talent-export/export';
import { expect, it, onTestFinished, vi } from 'vitest';
import { joinExport } from './join.js';

vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return { ...real, readSync: vi.fn(real.readSync) };
});

it('3,000 messages of unknown candidates are orphans, read back from no temporary file', async () => {
  const work = mkdtempSync(join(tmpdir(), 'join-unknown-'));
  onTestFinished(() => rmSync(work, { recursive: true, force: true }));
  const dir = join(work, 'extracted');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Candidate.csv'), 'candidate_id,first_name\n1,Ana\n2,Bo\n3,Cy\n');
  const body = 'x'.repeat(600);
  const rows = ['message_id,candidate_id,body', '1,2,hello'];
  for (let i = 0; i < 3000; i++) rows.push(`${i + 2},${1000 + i},${body}`);
  writeFileSync(join(dir, 'Messages.csv'), `${rows.join('\n')}\n`);
  const ex = await openExport(dir);
  try {
    const read = vi.mocked(fs.readSync);
    read.mockClear();
    const result = await joinExport(ex, { out: join(work, 'out'), partitionBytes: 64 * 1024, threads: 1 });
    expect(result.documents).toBe(3);
    expect(result.tables.messages).toMatchObject({ rows: 3001, inDocuments: 1, orphaned: 3000 });
    const bytes = read.mock.results.reduce((sum, r) => sum + (r.value as number), 0);
    // ~2 MB of messages: spilled, their partition was read 30 times over (~60 MB).
    expect(bytes).toBeLessThan(1024 * 1024);
  } finally {
    await ex.close();
  }
});
