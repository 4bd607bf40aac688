import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDownload, tempDir } from './download.fixture.js';
import { extractExport, openExport } from './index.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('extractExport with a damaged part', () => {
  it('extracts what is whole of a part cut short, and says it is cut short', async () => {
    const f = makeDownload({ parts: [['1', '2'], ['3']] });
    cleanups.push(f.cleanup);
    const part = join(f.dir, 'Attachment_1-2.zip');
    const bytes = readFileSync(part);
    writeFileSync(part, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const out = join(tempDir('talent-export-damaged-'), 'out');
    const ex = await openExport(f.dir);
    const result = await extractExport(ex, { out }).finally(() => ex.close());
    expect(result.problems.find((p) => p.code === 'PART_UNREADABLE')).toBeUndefined();
    const cut = result.problems.find((p) => p.code === 'PART_TRUNCATED' && p.file === 'Attachment_1-2.zip');
    expect(cut?.message).toContain('download it again');
    // The entries whole before the cut (candidate 1's), and the other part, which is whole.
    expect(readdirSync(out).filter((name) => name.startsWith('Candidate_'))).toEqual(
      expect.arrayContaining(['Candidate_1', 'Candidate_3']),
    );
    rmSync(out, { recursive: true, force: true });
  });

  it('goes on past names too long to write, however many: they are not damage, and the rest is extracted', async () => {
    const f = makeDownload({ parts: [['1']] });
    cleanups.push(f.cleanup);
    // No file system holds such names, so the part is written by Python's zipfile, not from a folder.
    const script = [
      'import sys, zipfile',
      "with zipfile.ZipFile(sys.argv[1], 'w') as z:",
      '    for i in range(25):',
      "        z.writestr('Candidate_2/Public/%02d' % i + 'x' * 300 + '.pdf', b'long')",
      "    z.writestr('Candidate_3/Public/resume.pdf', b'kept')",
    ].join('\n');
    execFileSync('python3', ['-c', script, join(f.dir, 'Attachment_2-3.zip')]);
    const out = join(tempDir('talent-export-damaged-'), 'out');
    const ex = await openExport(f.dir);
    const result = await extractExport(ex, { out }).finally(() => ex.close());
    expect(readFileSync(join(out, 'Candidate_3/Public/resume.pdf'), 'utf8')).toBe('kept');
    expect(result.problems.filter((p) => p.code === 'ENTRY_REFUSED')).toHaveLength(25);
    expect(result.problems.find((p) => p.code === 'PART_UNREADABLE')).toBeUndefined();
  });

  it('leaves out a file whose whole path would be longer than the system takes, unnamed, and goes on', async () => {
    const f = makeDownload({ parts: [['1']] });
    cleanups.push(f.cleanup);
    const script = [
      'import sys, zipfile',
      "with zipfile.ZipFile(sys.argv[1], 'w') as z:",
      "    z.writestr('Candidate_2/Public/' + 'L' * 200 + '.pdf', b'long')",
      "    z.writestr('Candidate_3/Public/resume.pdf', b'kept')",
    ].join('\n');
    execFileSync('python3', ['-c', script, join(f.dir, 'Attachment_2-3.zip')]);
    // A folder about 3,900 bytes deep: the 200-byte name takes its path past Linux's 4,096.
    let deep = tempDir('talent-export-deep-');
    while (Buffer.byteLength(deep) < 3900) deep = join(deep, 'd'.repeat(Math.min(250, 3900 - deep.length)));
    mkdirSync(deep, { recursive: true });
    const out = join(deep, 'x');
    const ex = await openExport(f.dir);
    const result = await extractExport(ex, { out }).finally(() => ex.close());
    expect(readFileSync(join(out, 'Candidate_3/Public/resume.pdf'), 'utf8')).toBe('kept');
    const left = result.problems.find((p) => p.code === 'ENTRY_REFUSED');
    expect(left?.message).toContain(
      'more than this system allows; extract into a folder with a shorter path',
    );
    expect(left?.message).not.toContain('LLLL');
  });

  it('says a folder changed while it was read is cut short without a file name, nor to download it again', async () => {
    const f = makeDownload({
      parts: [['1', '2']],
      files: () => ({ Public: ['a_person.pdf', 'b_person.pdf'] }),
    });
    cleanups.push(f.cleanup);
    const root = tempDir('talent-export-damaged-');
    const source = join(root, 'extracted');
    const first = await openExport(f.dir);
    await extractExport(first, { out: source }).finally(() => first.close());
    // Once one file of Candidate_1/Public is written, the other one goes: it is listed, and then not there.
    let gone = '';
    const onProgress = () => {
      if (gone !== '') return;
      const staging = readdirSync(root).find((name) => name.startsWith('.out.'));
      const folder = join(root, staging ?? '', 'Candidate_1/Public');
      const written = staging === undefined || !existsSync(folder) ? [] : readdirSync(folder);
      if (written.length !== 1) return;
      gone = ['a_person.pdf', 'b_person.pdf'].find((name) => !written.includes(name))!;
      rmSync(join(source, 'Candidate_1/Public', gone));
    };
    const ex = await openExport(source);
    const result = await extractExport(ex, { out: join(root, 'out'), onProgress }).finally(() => ex.close());
    expect(gone).not.toBe('');
    const cut = result.problems.find((p) => p.code === 'PART_UNREADABLE');
    expect(cut?.message).toContain('(ENOENT: no such file or directory)');
    expect(cut?.message).toContain('Check that the folder can be read');
    expect(cut?.message).not.toContain('Download');
    expect(JSON.stringify(result.problems)).not.toContain('person');
  });
});
