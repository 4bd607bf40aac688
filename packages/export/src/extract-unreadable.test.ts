import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeDownload, tempDir } from './download.fixture.js';
import { type AttachmentSummary, extractExport, openExport } from './index.js';

// A file this process may not read, as for a user other than the one who unpacked the export: made so
// here by the system's own error (tests may run as root, whom permissions do not stop).
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>();
  const open = (async (path: string, ...rest: unknown[]) => {
    if (String(path).endsWith('b_person.pdf') && String(path).includes('unreadable')) {
      throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), {
        errno: -13,
        code: 'EACCES',
        syscall: 'open',
        path,
      });
    }
    return (fs.open as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.open;
  return { ...fs, open, default: { ...fs, open } };
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function unreadableFolder(): Promise<string> {
  const f = makeDownload({
    parts: [['1', '2']],
    files: () => ({ Public: ['a_person.pdf', 'b_person.pdf'] }),
  });
  cleanups.push(f.cleanup);
  const source = join(tempDir('talent-export-unreadable-'), 'unreadable');
  const ex = await openExport(f.dir);
  await extractExport(ex, { out: source }).finally(() => ex.close());
  return source;
}

describe('a file of an extracted folder that cannot be read', () => {
  it('is left out by extract, unnamed, and the rest of the folder is extracted', async () => {
    const source = await unreadableFolder();
    const out = join(tempDir('talent-export-unreadable-'), 'out');
    const ex = await openExport(source);
    const result = await extractExport(ex, { out }).finally(() => ex.close());
    const unread = result.problems.filter((p) => p.code === 'ATTACHMENT_CORRUPT');
    expect(unread).toHaveLength(2);
    expect(unread[0]?.message).toContain('it cannot be read (EACCES: permission denied)');
    expect(JSON.stringify(result.problems)).not.toContain('person');
    expect(result.problems.find((p) => p.code === 'PART_UNREADABLE')).toBeUndefined();
    for (const id of ['1', '2'])
      expect(readdirSync(join(out, `Candidate_${id}/Public`))).toEqual(['a_person.pdf']);
  });

  it('is named by validate without its file name', async () => {
    const source = await unreadableFolder();
    const ex = await openExport(source);
    let summary: AttachmentSummary;
    try {
      const verifying = ex.verifyAttachments();
      let step = await verifying.next();
      while (!step.done) step = await verifying.next();
      summary = step.value;
    } finally {
      await ex.close();
    }
    const unread = summary.problems.filter((p) => p.code === 'ATTACHMENT_CORRUPT');
    expect(unread).toHaveLength(2);
    expect(unread[0]?.message).toContain('(EACCES: permission denied)');
    expect(JSON.stringify(summary.problems)).not.toContain('person');
  });
});
