import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDownload, tempDir } from './download.fixture.js';
import { extractExport, openExport } from './index.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('extractExport into a folder inside the export', () => {
  it('refuses a folder inside a candidate folder it reads: it would extract its own files again', async () => {
    const f = makeDownload({ parts: [['1', '2']] });
    cleanups.push(f.cleanup);
    const source = join(tempDir('talent-export-out-'), 'extracted');
    const first = await openExport(f.dir);
    await extractExport(first, { out: source }).finally(() => first.close());
    const before = readdirSync(join(source, 'Candidate_1/Public'));

    const ex = await openExport(source);
    try {
      await expect(
        extractExport(ex, { out: join(source, 'Candidate_1/Public/again') }),
      ).rejects.toMatchObject({
        code: 'EXPORT_OUT_UNWRITABLE',
        message: expect.stringContaining('inside Candidate_1, a candidate folder being extracted'),
      });
      expect(readdirSync(join(source, 'Candidate_1/Public'))).toEqual(before);
      // Beside the candidate folders is fine: their listing does not see it.
      const result = await extractExport(ex, { out: join(source, 'again') });
      expect(result.files).toBe(f.files);
    } finally {
      await ex.close();
    }
  });
});
