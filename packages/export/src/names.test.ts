import { describe, expect, it } from 'vitest';
import {
  candidateFolderId,
  classifyDownloadName,
  compareIds,
  downloadKey,
  isFolderCopy,
  isJunk,
  joinVolumes,
  lookAlikeHint,
  outsideKindFolders,
  parseAttachmentPath,
  partFolderRange,
  tableLookAlike,
} from './names.js';

describe('classifyDownloadName', () => {
  it('recognises the files of a download in any case, with browser copy numbers', () => {
    expect(classifyDownloadName('export.csv')).toEqual({ kind: 'manifest', copy: 0 });
    expect(classifyDownloadName('Export (2).CSV')).toEqual({ kind: 'manifest', copy: 2 });
    expect(classifyDownloadName('export.csv.txt')).toEqual({ kind: 'manifest', copy: 0 });
    expect(classifyDownloadName('export (1).txt')).toEqual({ kind: 'manifest', copy: 1 });
    expect(classifyDownloadName('export.zip.txt')).toEqual({ kind: 'other' });
    expect(classifyDownloadName('export.zip.zip')).toEqual({ kind: 'export-zip', copy: 0 });
    expect(classifyDownloadName('Attachment_1-2 (1).zip.zip')).toMatchObject({ key: 'part:1-2', copy: 1 });
    expect(classifyDownloadName('export(1).zip')).toEqual({ kind: 'export-zip', copy: 1 });
    expect(classifyDownloadName('Attachment_1-2.zip')).toEqual({
      kind: 'part',
      copy: 0,
      first: '1',
      last: '2',
      key: 'part:1-2',
    });
    expect(classifyDownloadName('attachments 30-4000 (1).zip')).toMatchObject({
      first: '30',
      last: '4000',
      copy: 1,
    });
    expect(classifyDownloadName('Attachments_1 - 2.ZIP')).toMatchObject({
      kind: 'part',
      first: '1',
      last: '2',
    });
    expect(classifyDownloadName('Attachment.zip')).toEqual({ kind: 'part', copy: 0, key: 'part:' });
    expect(classifyDownloadName('Attachment1-2.zip')).toMatchObject({ key: 'part:1-2' });
    // Named by hand: no range of candidates "s" to "final".
    expect(classifyDownloadName('attachments-final.zip')).toEqual({ kind: 'other' });
    expect(classifyDownloadName('export.zip.part')).toEqual({ kind: 'other' });
    // Safari's copies, and the Finder's.
    expect(classifyDownloadName('export-1.zip')).toEqual({ kind: 'export-zip', copy: 1 });
    expect(classifyDownloadName('export-2.csv')).toEqual({ kind: 'manifest', copy: 2 });
    expect(classifyDownloadName('Attachment_1000000003-1000000128-1.zip')).toEqual({
      kind: 'part',
      copy: 1,
      first: '1000000003',
      last: '1000000128',
      key: 'part:1000000003-1000000128',
    });
    expect(classifyDownloadName('Attachment (1).zip')).toEqual({ kind: 'part', copy: 1, key: 'part:' });
    expect(classifyDownloadName('Attachment-1.zip')).toEqual({ kind: 'other' });
    expect(classifyDownloadName('Attachments 2.zip')).toEqual({ kind: 'other' });
    expect(classifyDownloadName('export 2.zip')).toEqual({ kind: 'export-zip', copy: 2 });
    expect(classifyDownloadName('Attachment_1-2 2.zip')).toMatchObject({ key: 'part:1-2', copy: 2 });
    expect(classifyDownloadName('export copy.zip')).toEqual({ kind: 'export-zip', copy: 1 });
    expect(classifyDownloadName('Attachment_1-2 copy 3.zip')).toMatchObject({ key: 'part:1-2', copy: 3 });
    // Windows Explorer's copy pasted beside the file.
    expect(classifyDownloadName('export - Copy.zip')).toEqual({ kind: 'export-zip', copy: 1 });
    expect(classifyDownloadName('export - Copy (2).csv')).toEqual({ kind: 'manifest', copy: 2 });
    expect(classifyDownloadName('Attachment_1-2 - Copy.zip')).toMatchObject({ key: 'part:1-2', copy: 1 });
    // Windows Explorer and the Finder in other languages, and a download manager's `_1`.
    expect(classifyDownloadName('Attachment_1-2 - Kopie.zip')).toMatchObject({ key: 'part:1-2', copy: 1 });
    expect(classifyDownloadName('Attachment_1-2 - Copie (2).zip')).toMatchObject({
      key: 'part:1-2',
      copy: 2,
    });
    expect(classifyDownloadName('export - copia.zip')).toEqual({ kind: 'export-zip', copy: 1 });
    expect(classifyDownloadName('export - Co\u0301pia.csv')).toEqual({ kind: 'manifest', copy: 1 });
    expect(classifyDownloadName('export Kopie 2.zip')).toEqual({ kind: 'export-zip', copy: 2 });
    expect(classifyDownloadName('Attachment_1-2 - \u30b3\u30d4\u30fc.zip')).toMatchObject({
      key: 'part:1-2',
    });
    expect(classifyDownloadName('Attachment_1-2_1.zip')).toMatchObject({
      key: 'part:1-2',
      copy: 1,
      last: '2',
    });
    expect(classifyDownloadName('export_2.zip')).toEqual({ kind: 'export-zip', copy: 2 });
    expect(classifyDownloadName('Attachment_2.zip')).toEqual({ kind: 'other' });
    expect(classifyDownloadName('export-notes.zip')).toEqual({ kind: 'other' });
    expect(classifyDownloadName('notes.zip')).toEqual({ kind: 'other' });
  });

  it('gives copies of the same download the same key', () => {
    expect(downloadKey('Attachment_1-2.zip')).toBe(downloadKey('attachments_1-2 (3).zip'));
    expect(downloadKey('Attachment_1-2.zip')).not.toBe(downloadKey('Attachment_1-3.zip'));
    expect(downloadKey('README.txt')).toBeUndefined();
  });
});

describe('partFolderRange', () => {
  it('reads the range of a part folder, and of its copies as the Finder and Windows name them', () => {
    expect(partFolderRange('Attachments_1-2')).toEqual({ first: '1', last: '2' });
    expect(partFolderRange('Attachments_1 - 2')).toEqual({ first: '1', last: '2' });
    expect(partFolderRange('attachments-final')).toBeUndefined();
    for (const copy of [
      'Attachments_1-2 2',
      'Attachments_1-2 copy',
      'Attachments_1-2 (1)',
      'Attachments_1-2 - Copy',
      'Attachments_1-2 - Kopie',
      'Attachments_1-2 copie 2',
    ]) {
      expect(partFolderRange(copy)).toEqual({ first: '1', last: '2' });
      expect(isFolderCopy(copy)).toBe(true);
    }
    expect(isFolderCopy('Attachments_1 - 2')).toBe(false);
    expect(partFolderRange('attachments')).toBeUndefined();
  });
});

describe('isJunk', () => {
  it('skips what operating systems add, not real files', () => {
    expect(isJunk('__MACOSX/Candidate_1/Public/._cv.pdf')).toBe(true);
    expect(isJunk('Candidate_1/Public/.DS_Store')).toBe(true);
    expect(isJunk('Candidate_1/Public/._cv.pdf')).toBe(true);
    expect(isJunk('Candidate_1/Public/Thumbs.db')).toBe(true);
    expect(isJunk('Candidate_1/Public/cv.pdf')).toBe(false);
    expect(isJunk('Candidate_1/Public/_MACOSX.pdf')).toBe(false);
  });
});

describe('parseAttachmentPath', () => {
  it('reads candidate, kind and file from the guide layout, with or without the part folder', () => {
    expect(parseAttachmentPath('Attachments_1-2/Candidate_1/Public/resume_candidate1.pdf')).toEqual({
      kind: 'file',
      candidateId: '1',
      attachmentKind: 'public',
      fileName: 'resume_candidate1.pdf',
    });
    expect(parseAttachmentPath('candidate_007/PRIVATE/offer (1).pdf')).toMatchObject({
      kind: 'file',
      candidateId: '007',
      attachmentKind: 'private',
    });
  });

  it('treats empty.txt (any case) as the "no files of this kind" marker', () => {
    expect(parseAttachmentPath('Attachments_1-2/Candidate_2/Miscellaneous/EMPTY.TXT')).toMatchObject({
      kind: 'marker',
    });
  });

  it('leaves anything else unknown', () => {
    expect(parseAttachmentPath('Attachments_1-2/readme.txt').kind).toBe('unknown');
    expect(parseAttachmentPath('Candidate_1/cv.pdf').kind).toBe('unknown');
    expect(parseAttachmentPath('Candidate_1/Other/cv.pdf').kind).toBe('unknown');
    expect(parseAttachmentPath('Candidate_1/Public/sub/cv.pdf').kind).toBe('unknown');
    expect(parseAttachmentPath('Candidate_1/Public/').kind).toBe('unknown');
  });
});

describe('candidateFolderId', () => {
  it("reads a candidate's second folder, as the Finder or Windows names it beside the first, as that candidate's", () => {
    for (const name of [
      'Candidate_12 2',
      'Candidate_12 (1)',
      'Candidate_12 copy',
      'Candidate_12 - Kopie',
      'Candidate_12 ',
      'Candidate_12.',
    ])
      expect(candidateFolderId(name), name).toBe('12');
    // An id that is not digits is as written: no copy of a number.
    expect(candidateFolderId('Candidate_Mary Major 2')).toBe('Mary Major 2');
    expect(candidateFolderId('Candidate_12 34 5')).toBe('12 34 5');
    expect(candidateFolderId('Candidate_ .')).toBeUndefined();
  });
});

describe('compareIds', () => {
  it('orders digit ids as whole numbers beyond 2^53, others by code unit', () => {
    const ids = ['10', '9', '0010', '90071992547409931', '90071992547409930', 'b', 'a'];
    expect([...ids].sort(compareIds)).toEqual([
      '9',
      '0010',
      '10',
      '90071992547409930',
      '90071992547409931',
      'a',
      'b',
    ]);
  });
});

describe('tableLookAlike', () => {
  it("names a table's copies and other formats, not the table itself, nor files of a spreadsheet or the Finder", () => {
    const like = (path: string) => {
      const found = tableLookAlike(path);
      return found && [found.table, found.name, found.format];
    };
    expect(like('Contract_1/Candidate (2).csv')).toEqual(['candidates', 'Candidate.csv', 'csv']);
    expect(like('Copy of Notes.csv')).toEqual(['notes', 'Notes.csv', 'csv']);
    expect(like('notes copy 2.csv')).toEqual(['notes', 'notes.csv', 'csv']);
    expect(like('HiringStates - Copy (3).csv')).toEqual(['hiring_states', 'HiringStates.csv', 'csv']);
    expect(like('Notes - Kopie.csv')).toEqual(['notes', 'Notes.csv', 'csv']);
    expect(like('Kopie von Notes.xlsx')).toEqual(['notes', 'Notes.csv', 'workbook']);
    expect(like('Copie de Messages (2).csv')).toEqual(['messages', 'Messages.csv', 'csv']);
    expect(like('Projects.numbers')).toEqual(['projects', 'Projects.csv', 'workbook']);
    expect(like('Messages.tsv')).toEqual(['messages', 'Messages.csv', 'text']);
    // `.csv` typed where the system hides the extension, and a workbook saved so.
    expect(like('Candidate.csv.csv')).toEqual(['candidates', 'Candidate.csv', 'csv']);
    expect(like('Notes.csv.xlsx')).toEqual(['notes', 'Notes.csv', 'workbook']);
    expect(lookAlikeHint(tableLookAlike('Candidate.csv.csv')!)).toContain('with .csv twice');
    // A space typed around the name when renaming it by hand (another tool's file named after the table).
    for (const path of ['Candidate .csv', ' Candidate.csv', 'Candidate.csv ', 'Candidate  .csv']) {
      expect(like(path)).toEqual(['candidates', 'Candidate.csv', 'csv']);
      expect(lookAlikeHint(tableLookAlike(path)!)).toContain('with a space in its name');
    }
    expect(lookAlikeHint(tableLookAlike('Candidate (1).csv')!)).toContain('as a copy is');
    // Google Sheets' download: `<spreadsheet> - <sheet>.csv`, the sheet new (in some languages) or named
    // after the table; a sheet named otherwise may be named after a person, and is not shown.
    for (const path of [
      'Notes - Sheet1.csv',
      'Notes.csv - Sheet1.csv',
      'notes - Tabellenblatt1.csv',
      'Notes - Hoja 1.csv',
      'Notes - Notes.csv',
      'Notes - Лист1.csv',
    ]) {
      expect(like(path)?.slice(0, 2)).toEqual([
        'notes',
        `${path.startsWith('notes') ? 'notes' : 'Notes'}.csv`,
      ]);
      expect(lookAlikeHint(tableLookAlike(path)!)).toContain('as Google Sheets names a download');
    }
    for (const path of [
      'Candidate.csv',
      '._Candidate.csv',
      '~$Candidate.xlsx',
      'Ann Smith (1).csv',
      'Notes - Ann Smith.csv',
      'Ann Smith - Sheet1.csv',
      'Notes.pdf',
    ])
      expect(like(path)).toBeUndefined();
  });
});

describe('outsideKindFolders', () => {
  it('tells a file in a folder inside a kind folder from one outside the kind folders', () => {
    expect(outsideKindFolders('Attachments_1-2/Candidate_1/Public/portfolio/page1.pdf')).toMatch(
      /^is in a folder inside a candidate's Public, Private or Miscellaneous folder/,
    );
    expect(outsideKindFolders('Candidate_1/miscellaneous/a/b/c.txt')).toMatch(/^is in a folder inside/);
    expect(outsideKindFolders('Candidate_1/Scans/passport.pdf')).toBe(
      'is not in a Candidate_<id>/<Public|Private|Miscellaneous>/ folder',
    );
    expect(outsideKindFolders('stray.txt')).toMatch(/^is not in a Candidate_<id>/);
  });
});

describe('joinVolumes', () => {
  it('joins every volume in order, 100 and after included, a name with spaces quoted for the shell', () => {
    expect(joinVolumes('Attachment_1-2.zip')).toBe(
      'cat Attachment_1-2.zip.[0-9][0-9][0-9] > Attachment_1-2.zip',
    );
    expect(joinVolumes("Attachment 1-2 (1) it's.zip")).toBe(
      "cat 'Attachment 1-2 (1) it'\\''s.zip.'[0-9][0-9][0-9] > 'Attachment 1-2 (1) it'\\''s.zip'",
    );
  });
});
