import { describe, expect, it } from 'vitest';
import { checkManifestFiles, formatManifest, parseManifest, reconcileStatistics } from './manifest.js';

// The guide's sample, as LinkedIn writes it: tab-separated, "Statistics" row with a trailing tab.
const GUIDE = [
  'Filename\tDownload Url',
  'export.zip\thttps://www.linkedin-ei.com/ambry/?x-li-ambry-ep=AQFM',
  'Attachment_1-2.zip\thttps://www.linkedin-ei.com/ambry/?x-li-ambry-ep=AQHZ',
  'Attachment_3-4.zip\thttps://www.linkedin-ei.com/ambry/?x-li-ambry-ep=AQHS',
  'Statistics\t',
  'Total Files\t12',
  'Exported files\t12',
].join('\n');

describe('parseManifest', () => {
  it('reads the guide sample', () => {
    const { manifest, problems } = parseManifest(GUIDE);
    expect(problems).toEqual([]);
    expect(manifest.files.map((f) => [f.name, f.line])).toEqual([
      ['export.zip', 2],
      ['Attachment_1-2.zip', 3],
      ['Attachment_3-4.zip', 4],
    ]);
    expect(manifest.files[1]!.url).toBe('https://www.linkedin-ei.com/ambry/?x-li-ambry-ep=AQHZ');
    expect([manifest.totalFiles, manifest.exportedFiles, manifest.failedFiles]).toEqual([12, 12, null]);
  });

  it('reads the same from a comma-separated copy with BOM, CRLF, quotes and thousands separators', () => {
    const text = `\uFEFFFilename,Download Url\r\nexport.zip,"https://x/?a=1,2"\r\n\r\nStatistics,\r\nTotal Files,"1,234"\r\nExported files,1230\r\nFailed files,4\r\n`;
    const { manifest, problems } = parseManifest(text);
    expect(problems).toEqual([]);
    expect(manifest.files).toEqual([{ name: 'export.zip', url: 'https://x/?a=1,2', line: 2 }]);
    expect([manifest.totalFiles, manifest.exportedFiles, manifest.failedFiles]).toEqual([1234, 1230, 4]);
  });

  it("reads a copy pandas wrote with its row numbers in a first column (to_csv's index)", () => {
    for (const head of ['', 'Unnamed: 0']) {
      const rows = `${GUIDE}\nFailed files\t0`.replaceAll('\t', ',').split('\n');
      const text = rows.map((row, i) => `${i === 0 ? head : i - 1},${row}`).join('\n');
      const { manifest, problems } = parseManifest(`${text}\n`);
      expect(problems).toEqual([]);
      expect(manifest.files.map((f) => [f.name, f.line])).toEqual([
        ['export.zip', 2],
        ['Attachment_1-2.zip', 3],
        ['Attachment_3-4.zip', 4],
      ]);
      expect([manifest.totalFiles, manifest.exportedFiles, manifest.failedFiles]).toEqual([12, 12, 0]);
    }
  });

  it('reads the file list after the Statistics rows when they were moved above it (rows sorted or cut and pasted)', () => {
    const [header = '', ...files] = GUIDE.split('\n').slice(0, 4);
    const statistics = GUIDE.split('\n').slice(4);
    const { manifest, problems } = parseManifest(`${[...statistics, header, ...files].join('\n')}\n`);
    expect(problems).toEqual([]);
    expect(manifest.files.map((f) => [f.name, f.line])).toEqual([
      ['export.zip', 5],
      ['Attachment_1-2.zip', 6],
      ['Attachment_3-4.zip', 7],
    ]);
    expect([manifest.totalFiles, manifest.exportedFiles]).toEqual([12, 12]);
  });

  it('tells the separator from the first line with text: blank lines above a semicolon or tab copy', () => {
    for (const sep of [';', '\t']) {
      const text = `\ufeff\r\n  \r\n${GUIDE.replaceAll('\t', sep).replaceAll('\n', '\r\n')}\r\n`;
      const { manifest, problems } = parseManifest(text);
      expect(problems).toEqual([]);
      expect(manifest.files.map((f) => [f.name, f.line])).toEqual([
        ['export.zip', 4],
        ['Attachment_1-2.zip', 5],
        ['Attachment_3-4.zip', 6],
      ]);
      expect([manifest.totalFiles, manifest.exportedFiles]).toEqual([12, 12]);
    }
  });

  it("skips Excel's separator line (sep=, or sep=;) as the first row, and reads the rest", () => {
    for (const sep of [',', ';']) {
      const text = `\ufeffsep=${sep}\r\n${GUIDE.replaceAll('\t', sep).replaceAll('\n', '\r\n')}`;
      const { manifest, problems } = parseManifest(text);
      expect(problems).toEqual([]);
      expect(manifest.files.map((f) => f.name)).toEqual([
        'export.zip',
        'Attachment_1-2.zip',
        'Attachment_3-4.zip',
      ]);
      expect(manifest.totalFiles).toBe(12);
    }
    // Windows PowerShell's Export-Csv writes a #TYPE line above its quoted header.
    const typed = `#TYPE System.Management.Automation.PSCustomObject\r\n${GUIDE.split('\n')
      .map((row) =>
        row
          .split('\t')
          .map((c) => `"${c}"`)
          .join(','),
      )
      .join('\r\n')}\r\n`;
    expect(parseManifest(typed).problems).toEqual([]);
    expect(parseManifest(typed).manifest.totalFiles).toBe(12);
    // Not the first row: told as any unknown row is.
    const later = parseManifest(`${GUIDE}\nsep=,`);
    expect(later.problems.map((p) => p.code)).toEqual(['MANIFEST_UNKNOWN_ROW']);
  });

  it('reads counts grouped by thousands as spreadsheets write them in other languages, and no other number', () => {
    // export.csv opened and saved in Excel set to German (1.234), French (1 234, a narrow no-break space) or
    // Swiss German (1'234); separated by semicolons there.
    for (const total of [
      '1234',
      '1,234',
      '"1.234"',
      '1 234',
      '1\u202f234',
      "1'234",
      ' 1.234 ',
      '1,234,567',
    ]) {
      const { manifest, problems } = parseManifest(
        `${GUIDE.replaceAll('\t', ';')}\nTotal Files;${total}\n`.replace('Total Files;12\n', ''),
      );
      expect(problems).toEqual([]);
      expect(manifest.totalFiles).toBe(total === '1,234,567' ? 1234567 : 1234);
    }
    // A decimal comma or point, or groups not of three, is no count: not read as 15 or 1234.
    for (const total of ['"1,5"', '"12,34"', '1.2345', '"1,234.567"', '"1,234 567"']) {
      const { manifest, problems } = parseManifest(`Filename,Download Url\nTotal Files,${total}\n`);
      expect(problems.map((p) => p.code)).toContain('MANIFEST_BAD_VALUE');
      expect(manifest.totalFiles).toBeNull();
    }
  });

  it('reports bad numbers, unknown rows and missing statistics, and never throws', () => {
    const bad = parseManifest('Filename\tDownload Url\nwhat is this\t1\nTotal Files\ttwelve\n');
    expect(bad.problems.map((p) => [p.code, p.severity])).toEqual([
      ['MANIFEST_UNKNOWN_ROW', 'notice'],
      ['MANIFEST_BAD_VALUE', 'problem'],
      ['MANIFEST_NO_STATISTICS', 'notice'],
    ]);
    expect(bad.problems[1]!.message).toContain('line 3');
    const cut = parseManifest('Filename,Download Url\nexport.zip,https://x/1\nAttachment_1-2.zip,https://x');
    expect(cut.problems.map((p) => [p.code, p.severity])).toEqual([['MANIFEST_TRUNCATED', 'problem']]);
    expect(cut.problems[0]!.message).toContain('line 3');
    const unfinished = parseManifest('Filename,Download Url\nexport.zip,https://x/1\n');
    expect(unfinished.problems.map((p) => p.code)).toEqual(['MANIFEST_NO_STATISTICS']);
    for (const none of ['', '<!DOCTYPE html>\n<html><body>This link has expired.</body></html>\n']) {
      expect(parseManifest(none).problems.map((p) => [p.code, p.severity])).toEqual([
        ['MANIFEST_UNREADABLE', 'problem'],
      ]);
    }
    const headerOnly = parseManifest('Filename,Download Url\n');
    expect(headerOnly.problems.map((p) => p.code)).toEqual(['MANIFEST_NO_STATISTICS']);
    const broken = parseManifest('Filename,Download Url\n"export.zip,unclosed\n');
    expect(broken.problems.map((p) => p.code)).toEqual(['MANIFEST_UNREADABLE']);
  });
});

describe('checkManifestFiles', () => {
  it('names each listed file that is missing, and parts that are not listed', () => {
    const { manifest } = parseManifest(GUIDE);
    const present = new Map([
      ['export-zip', 'export.zip'],
      ['part:1-2', 'attachments_1-2 (1).zip'],
      ['part:5-6', 'Attachment_5-6.zip'],
    ]);
    const problems = checkManifestFiles(manifest, present);
    expect(problems.map((p) => [p.code, p.file])).toEqual([
      ['MANIFEST_MISSING_FILE', 'Attachment_3-4.zip'],
      ['MANIFEST_UNLISTED_FILE', 'Attachment_5-6.zip'],
    ]);
    expect(problems[0]!.message).toContain('line 4');
  });
});

describe('reconcileStatistics', () => {
  const { manifest } = parseManifest(GUIDE);

  it('accepts the guide reading: 4 candidates x 3 folders = 12 files, markers included', () => {
    expect(reconcileStatistics(manifest, { files: 5, markers: 7, unread: [] })).toEqual([]);
  });

  it('says exactly which counts differ and by how much', () => {
    const problems = reconcileStatistics(manifest, { files: 5, markers: 5, unread: ['Attachment_3-4.zip'] });
    expect(problems.map((p) => p.code)).toEqual([
      'MANIFEST_TOTAL_FILES_DIFFER',
      'MANIFEST_EXPORTED_FILES_DIFFER',
    ]);
    expect(problems[0]!.message).toBe(
      'export.csv says Total Files 12 but the parts hold 10 (5 attachments + 5 empty.txt markers); not counted: Attachment_3-4.zip (missing or unreadable): 2 missing',
    );
  });

  it('takes the files outside the candidate folders as counted or not: either count fits', () => {
    expect(reconcileStatistics(manifest, { files: 4, markers: 6, unknown: 2, unread: [] })).toEqual([]);
    // An export.csv copied into a part, as the guide's sample shows: not an attachment file.
    expect(reconcileStatistics(manifest, { files: 5, markers: 7, unknown: 1, unread: [] })).toEqual([]);
    const [total] = reconcileStatistics(manifest, { files: 5, markers: 8, unknown: 1, unread: [] });
    expect(total!.message).toBe(
      'export.csv says Total Files 12 but the parts hold 14 (5 attachments + 8 empty.txt markers + 1 other file(s)): 2 more than listed',
    );
  });

  it('does not call files missing that are there but refused (ENTRY_REFUSED): only those beyond them', () => {
    const [total, exported] = reconcileStatistics(manifest, { files: 4, markers: 7, unread: [], refused: 3 });
    expect(total!.message).toBe(
      'export.csv says Total Files 12 but the parts hold 11 (4 attachments + 7 empty.txt markers): 1 fewer, as 3 entr(ies) were refused (ENTRY_REFUSED says why), none missing beyond them',
    );
    expect(exported!.message).toMatch(/: 1 fewer, as 3 entr\(ies\) were refused/);
    const [beyond] = reconcileStatistics(manifest, { files: 2, markers: 7, unread: [], refused: 1 });
    expect(beyond!.message).toMatch(
      /hold 9 \(2 attachments \+ 7 empty\.txt markers\): 3 fewer: 1 entr\(ies\) were refused \(ENTRY_REFUSED says why\), 2 missing$/,
    );
  });

  it('reports failed files and statistics that do not add up', () => {
    const m = { ...manifest, totalFiles: 12, exportedFiles: 10, failedFiles: 1 };
    const problems = reconcileStatistics(m, { files: 4, markers: 6, unread: [] });
    expect(problems.map((p) => p.code)).toEqual([
      'MANIFEST_FAILED_FILES',
      'MANIFEST_STATISTICS_INCONSISTENT',
      'MANIFEST_TOTAL_FILES_DIFFER',
    ]);
  });
});

describe('formatManifest', () => {
  it('writes export.csv as the guide shows it, and parseManifest reads it back with no problem', () => {
    const text = formatManifest({
      files: [
        { name: 'export.zip', url: '' },
        { name: 'Attachment_17-342.zip', url: 'https://example.invalid/a,b' },
      ],
      totalFiles: 12,
      exportedFiles: 11,
      failedFiles: 1,
    });
    expect(text).toBe(
      'Filename,Download Url\nexport.zip,\nAttachment_17-342.zip,"https://example.invalid/a,b"\nStatistics,\nTotal Files,12\nExported files,11\nFailed files,1\n',
    );
    const { manifest, problems } = parseManifest(text);
    expect(problems).toEqual([]);
    expect(manifest.files.map((f) => [f.name, f.url])).toEqual([
      ['export.zip', ''],
      ['Attachment_17-342.zip', 'https://example.invalid/a,b'],
    ]);
    expect([manifest.totalFiles, manifest.exportedFiles, manifest.failedFiles]).toEqual([12, 11, 1]);
  });
});
