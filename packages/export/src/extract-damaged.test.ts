import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDownload, tempDir } from './download.fixture.js';
import { extractExport, openExport } from './index.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('extractExport with a damaged part', () => {
  it('says nothing of a part cut short is extracted when nothing is, not that what was intact is', async () => {
    const f = makeDownload({ parts: [['1', '2'], ['3']] });
    cleanups.push(f.cleanup);
    const part = join(f.dir, 'Attachment_1-2.zip');
    const bytes = readFileSync(part);
    writeFileSync(part, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const out = join(tempDir('talent-export-damaged-'), 'out');
    const ex = await openExport(f.dir);
    const result = await extractExport(ex, { out }).finally(() => ex.close());
    const cut = result.problems.find((p) => p.code === 'PART_UNREADABLE' && p.file === 'Attachment_1-2.zip');
    expect(cut?.message).toContain('nothing of it is extracted');
    expect(cut?.message).not.toContain('what was read intact is extracted');
    // The other part is whole.
    expect(readdirSync(out).filter((name) => name.startsWith('Candidate_'))).toEqual(['Candidate_3']);
    rmSync(out, { recursive: true, force: true });
  });
});
