import { afterEach, describe, expect, it } from 'vitest';
import { makeDownload } from './download.fixture.js';
import { openExport, type TalentExport } from './export.js';
import { readTableHeader } from './header.js';

const opened: TalentExport[] = [];
afterEach(async () => {
  for (const ex of opened.splice(0)) await ex.close();
});

describe('readTableHeader', () => {
  it('names the file of a header it cannot read, as the readers of the rows do', async () => {
    const f = makeDownload({
      parts: [],
      omitTables: ['Notes.csv'],
      extraExportEntries: { 'Contract_123456/Notes.csv': 'note_id;project_id;candidate_id\r\n1;2;3\r\n' },
    });
    const ex = await openExport(f.dir);
    opened.push(ex);
    await expect(readTableHeader(ex, 'notes')).rejects.toThrow(
      /^export\.zip:Contract_123456\/Notes\.csv line 1: table notes has no column "note_id"/,
    );
  });
});
