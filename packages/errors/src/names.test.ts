import { describe, expect, it } from 'vitest';
import { hiddenFileName } from './index.js';

describe('hiddenFileName', () => {
  it.each([
    ['Candidate_7/Private/Ødegård offer.pdf', 'Candidate_7/Private/[file name, 17 characters].pdf'],
    [
      'Attachments_1000001138-1000001965/Candidate_1000001138/Public/offer.pdf',
      'Attachments_1000001138-1000001965/Candidate_1000001138/Public/[file name, 9 characters].pdf',
    ],
    [
      'Contract_858344/candidate_3/MISCELLANEOUS/a b',
      'Contract_858344/candidate_3/MISCELLANEOUS/[file name, 3 characters]',
    ],
    ['Attachment_1-2/x.txt', 'Attachment_1-2/[file name, 5 characters].txt'],
    ['notes.tar.gz', '[file name, 12 characters].gz'],
    ['Jane', '[file name, 4 characters]'],
  ])('hides the file name of %j', (name, shown) => {
    expect(hiddenFileName(name)).toBe(shown);
  });

  it('keeps the file names of the tables and manifest of the export, where the layout puts them', () => {
    for (const name of [
      'Contract_858344/Candidate.csv',
      'Notes.csv',
      'contract_1/CUSTOMFIELDVALUES.CSV',
      'export.csv',
    ])
      expect(hiddenFileName(name)).toBe(name);
    expect(hiddenFileName('Jane Doe/Candidate.csv')).toBe('[file name, 22 characters].csv');
    expect(hiddenFileName('Contract_1/Jane Doe.csv')).toBe('Contract_1/[file name, 12 characters].csv');
    expect(hiddenFileName('/home/jane.doe/cv.pdf')).toBe('[file name, 21 characters].pdf');
    expect(hiddenFileName('Contract_1/Notes.csv/')).toBe('Contract_1/[folder name, 9 characters]/');
  });

  it('hides folders below a kind folder, which are part of the attachment name', () => {
    const name = 'Attachments_1-2/Candidate_1/Public/Mary Ann Nunez/offer_Mary_Ann_Nunez.pdf';
    expect(hiddenFileName(name)).toBe('Attachments_1-2/Candidate_1/Public/[file name, 39 characters].pdf');
  });

  it('hides everything from the first folder that is not of the export layout', () => {
    expect(hiddenFileName('Attachments_1-2/Candidate_1/Mary Ann Nunez/offer.pdf')).toBe(
      'Attachments_1-2/Candidate_1/[file name, 24 characters].pdf',
    );
    expect(hiddenFileName('../Candidate_7/Public/Jane_Doe_CV.pdf')).toBe('[file name, 37 characters].pdf');
    // A top folder only at the top; ids only as numbers.
    expect(hiddenFileName('x/Attachments_1-2/a.pdf')).toBe('[file name, 23 characters].pdf');
    expect(hiddenFileName('Candidate_Mary/Public/a.pdf')).toBe('[file name, 27 characters].pdf');
  });

  it('hides the name of a directory entry below the layout', () => {
    expect(hiddenFileName('Attachments_1-2/Candidate_1/Public/dd/')).toBe(
      'Attachments_1-2/Candidate_1/Public/[folder name, 2 characters]/',
    );
    expect(hiddenFileName('Candidate_1/Public/Mary Ann/x/', 4)).toBe(
      'Candidate_1/Public/[folder name of entry 4, 10 characters]/',
    );
    expect(hiddenFileName('a/')).toBe('[folder name, 1 character]/');
  });

  it('keeps a name that is the layout only, but never a file named like a layout folder', () => {
    expect(hiddenFileName('Attachments_1-2/Candidate_1/Public/')).toBe('Attachments_1-2/Candidate_1/Public/');
    expect(hiddenFileName('Candidate_1/Public')).toBe('Candidate_1/[file name, 6 characters]');
    expect(hiddenFileName('')).toBe('');
  });

  it('gives the entry number when asked', () => {
    expect(hiddenFileName('Candidate_1/Public/Jane.pdf', 3)).toBe(
      'Candidate_1/Public/[file name of entry 3, 8 characters].pdf',
    );
  });
});
