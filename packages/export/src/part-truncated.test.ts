// An attachment part whose download stopped: its central directory and end record are gone, and one of
// its attachments may be a .docx stored raw, whose own end record was taken for the part's. The part is
// told as cut short, and the attachments whole before the cut are indexed, checked and extracted.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { AttachmentRecord, AttachmentSummary } from './attachments.js';
import { makeDownload, tempDir, write } from './download.fixture.js';
import { extractExport, openExport } from './index.js';

async function drain(
  listing: AsyncGenerator<AttachmentRecord, AttachmentSummary>,
): Promise<{ records: AttachmentRecord[]; summary: AttachmentSummary }> {
  const records: AttachmentRecord[] = [];
  let step = await listing.next();
  while (!step.done) {
    records.push(step.value);
    step = await listing.next();
  }
  return { records, summary: step.value };
}

/** A download whose one part holds candidates 1-3, a .docx (a zip) stored raw for candidate 2, cut after it. */
function cutDownload() {
  const f = makeDownload({ parts: [['1', '2', '3']] });
  const work = tempDir('talent-export-cut-');
  const docxWork = tempDir('talent-export-docx-');
  write(join(docxWork, 'word/document.xml'), randomBytes(20_000));
  execFileSync('zip', ['-q', '-r', '-X', '-0', join(work, 'cv.docx'), '.'], { cwd: docxWork });
  for (const id of ['1', '2', '3']) {
    write(join(work, `Attachments_1-3/Candidate_${id}/Public/resume.pdf`), randomBytes(30_000));
    for (const kind of ['Private', 'Miscellaneous'])
      write(join(work, `Attachments_1-3/Candidate_${id}/${kind}/empty.txt`), '');
  }
  execFileSync('mv', [join(work, 'cv.docx'), join(work, 'Attachments_1-3/Candidate_2/Public/cv.docx')]);
  const part = join(f.dir, 'Attachment_1-3.zip');
  rmSync(part);
  execFileSync('zip', ['-q', '-r', '-X', '-0', part, 'Attachments_1-3'], { cwd: work });
  const bytes = readFileSync(part);
  // 100 bytes past the .docx's own end record: in the entry after it.
  const inner = bytes.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'), bytes.length - 23);
  const cut = bytes.subarray(0, inner + 122);
  writeFileSync(part, cut);
  return { f, cut };
}

it('a part cut short after a .docx stored raw is told as cut short, and what is whole before the cut is read', async () => {
  const { f, cut } = cutDownload();
  const ex = await openExport(f.dir);
  try {
    const index = await drain(ex.indexAttachments());
    const truncated = index.summary.problems.filter((p) => p.code === 'PART_TRUNCATED');
    expect(truncated).toHaveLength(1);
    expect(truncated[0]!.message).toContain(`the file is ${cut.length} bytes`);
    expect(truncated[0]!.message).toContain('download it again');
    expect(index.summary.problems.map((p) => p.code)).not.toContain('PART_UNREADABLE');
    const files = index.records.map((r) => r.entry);
    expect(files).toContain('Attachments_1-3/Candidate_2/Public/cv.docx');
    // Checked byte for byte: the recovered entries pass.
    const verified = await drain(ex.verifyAttachments());
    expect(verified.summary.problems.filter((p) => p.code === 'ATTACHMENT_CORRUPT')).toEqual([]);
    expect(verified.summary.problems.filter((p) => p.code === 'PART_TRUNCATED')).toHaveLength(1);
    expect(verified.records.map((r) => r.entry)).toEqual(files);
  } finally {
    await ex.close();
  }
  const out = join(tempDir('talent-export-cut-out-'), 'out');
  const again = await openExport(f.dir);
  const result = await extractExport(again, { out }).finally(() => again.close());
  expect(result.problems.map((p) => p.code)).toContain('PART_TRUNCATED');
  expect(readdirSync(join(out, 'Candidate_2/Public'))).toContain('cv.docx');
  rmSync(out, { recursive: true, force: true });
});
