import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { makeDownload, tempDir, write } from './download.fixture.js';
import { type AttachmentSummary, openExport } from './index.js';

it('two damaged attachments whose hidden names are alike are two problems, not one', async () => {
  const f = makeDownload({ parts: [['1']] });
  // One résumé uploaded twice: Talent Hub's numeric suffixes make names of one length, the bytes alike.
  const work = tempDir();
  for (const name of ['cv_1.pdf', 'cv_2.pdf'])
    write(join(work, 'Attachments_1-1/Candidate_1/Public', name), 'A'.repeat(100));
  for (const kind of ['Private', 'Miscellaneous'])
    write(join(work, 'Attachments_1-1/Candidate_1', kind, 'empty.txt'), '');
  const part = join(f.dir, 'Attachment_1-1.zip');
  rmSync(part);
  execFileSync('zip', ['-q', '-r', '-X', '-0', part, '.'], { cwd: work });
  const bytes = readFileSync(part);
  for (let at = bytes.indexOf('A'.repeat(100)); at >= 0; at = bytes.indexOf('A'.repeat(100), at + 100))
    bytes[at + 5] = 0x58;
  writeFileSync(part, bytes);
  const ex = await openExport(f.dir);
  let summary: AttachmentSummary;
  try {
    const checking = ex.verifyAttachments();
    let step = await checking.next();
    while (!step.done) step = await checking.next();
    summary = step.value;
  } finally {
    await ex.close();
  }
  const corrupt = summary.problems.filter((p) => p.code === 'ATTACHMENT_CORRUPT');
  expect(corrupt.map((p) => p.entry)).toEqual([
    'Attachments_1-1/Candidate_1/Public/[file name, 8 characters].pdf',
    'Attachments_1-1/Candidate_1/Public/[file name, 8 characters].pdf',
  ]);
});

it('two files left out of an extracted part whose hidden names are alike are two problems, not one', async () => {
  const f = makeDownload({ parts: [['1']] });
  execFileSync('unzip', ['-q', 'Attachment_1-1.zip'], { cwd: f.dir });
  rmSync(join(f.dir, 'Attachment_1-1.zip'));
  const folder = join(f.dir, 'Attachments_1-1/Candidate_1/Private');
  // Names in Latin-1, as a zip of another code page unzipped as is gives them: of one length.
  for (const letter of ['a', 'b'])
    writeFileSync(
      Buffer.concat([Buffer.from(`${folder}/${letter}`), Buffer.from([0xe9]), Buffer.from('.pdf')]),
      'x',
    );
  const ex = await openExport(f.dir);
  try {
    for (const listing of [ex.indexAttachments(), ex.verifyAttachments()]) {
      let step = await listing.next();
      while (!step.done) step = await listing.next();
      expect(step.value.problems.filter((p) => p.code === 'ENTRY_REFUSED')).toHaveLength(2);
    }
  } finally {
    await ex.close();
  }
});
