// `talent-export redact` keeps the shape of the source's export.csv byte for byte (byte order mark and
// encoding, a `sep=` line, delimiter, quoting, line ends, labels): only the files listed, their links and
// the Statistics numbers are the copy's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeExport } from '@talent-export/sample/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZips } from './redact.fixture.js';
import { rawZip } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;

const CANDIDATES = [
  ['candidate_id', 'project_id', 'first_name', 'last_name', 'emails'],
  ['101', '9', 'Jane', 'Doe', 'jane.doe@example.com'],
];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-shape-'));
  writeFileSync(join(work, 'key'), 'ab'.repeat(32));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** export.csv of the redacted copy of an export whose export.csv is `manifest`. */
function redactedManifest(name: string, manifest: Buffer): Buffer {
  writeExport(join(work, name), { 'Candidate.csv': CANDIDATES });
  writeFileSync(join(work, name, 'export.csv'), manifest);
  redact(name);
  return readFileSync(join(work, `${name}-out`, 'export.csv'));
}

function redact(name: string): void {
  const r = spawnSync(
    process.execPath,
    [bin, 'redact', name, '-o', `${name}-out`, '--key-file', 'key', '-q'],
    { cwd: work, encoding: 'utf8', env: { ...process.env, TALENT_EXPORT_REDACT_KEY: undefined } },
  );
  // Nine tables are missing: a problem, so exit 1 after a finished run.
  expect([r.status, r.stderr]).toEqual([1, '']);
}

const LINK = 'https://www.linkedin-ei.com/ambry/?x-li-ambry-ep=AQFMG4hCZ';

describe('redact: export.csv in the shape of the source', () => {
  it('keeps a UTF-8 byte order mark, a sep=, line, CRLF and the labels as written; the guide has no Failed files row', () => {
    const source = `\ufeffsep=,\r\nFilename,Download Url\r\nexport.zip,${LINK}\r\nStatistics,\r\nTotal Files,12\r\nExported files,12\r\n`;
    expect(redactedManifest('sep', Buffer.from(source)).toString('utf8')).toBe(
      '\ufeffsep=,\r\nFilename,Download Url\r\nexport.zip,\r\nStatistics,\r\nTotal Files,0\r\nExported files,0\r\n',
    );
  });

  it('keeps UTF-16 and tabs (a spreadsheet\'s "Unicode text"), quotes around every cell, and no last line break', () => {
    const source = `"Filename"\t"Download Url"\n"export.zip"\t"${LINK}"\n"Statistics"\t""\n"Total Files"\t"12"\n"Exported files"\t"12"\n"Failed files"\t"0"`;
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(source, 'utf16le')]);
    const out = redactedManifest('utf16', bytes);
    expect([...out.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(out.subarray(2).toString('utf16le')).toBe(
      '"Filename"\t"Download Url"\n"export.zip"\t""\n"Statistics"\t""\n"Total Files"\t"0"\n"Exported files"\t"0"\n"Failed files"\t"0"',
    );
  });

  it("keeps pandas' row numbers in a first column (to_csv's index), numbered again", () => {
    const source = `,Filename,Download Url\n0,export.zip,${LINK}\n1,Attachment_1-2.zip,${LINK}\n2,Statistics,\n3,Total Files,12\n4,Exported files,12\n5,Failed files,0\n`;
    expect(redactedManifest('pandas', Buffer.from(source)).toString('utf8')).toBe(
      ',Filename,Download Url\n0,export.zip,\n1,Statistics,\n2,Total Files,0\n3,Exported files,0\n4,Failed files,0\n',
    );
  });

  it('leaves out a row that is neither a file nor a Statistics row: it may hold a live link', () => {
    const source = `Filename,Download Url\nexport.zip,${LINK}\nnotes,see ${LINK}\nStatistics,\nTotal Files,3\n`;
    expect(redactedManifest('typed', Buffer.from(source)).toString('utf8')).toBe(
      'Filename,Download Url\nexport.zip,\nStatistics,\nTotal Files,0\n',
    );
  });
});

describe('redact: tables in the shape of the source', () => {
  it("keeps a table's byte order mark, sep=, line and CRLF", () => {
    writeExport(join(work, 'table'), { 'Candidate.csv': CANDIDATES });
    const csv = `\ufeffsep=,\r\n${CANDIDATES.map((row) => row.join(',')).join('\r\n')}\r\n`;
    writeFileSync(join(work, 'table', 'export.zip'), rawZip([{ name: 'Candidate.csv', data: csv }]));
    redact('table');
    const [entry] = readZips(join(work, 'table-out'))['export.zip']!.entries;
    expect(entry!.name).toBe('Candidate.csv');
    const out = spawnSync('unzip', ['-p', join(work, 'table-out', 'export.zip'), 'Candidate.csv']).stdout;
    expect(out.toString('utf8')).toMatch(
      /^\ufeffsep=,\r\ncandidate_id,project_id,first_name,last_name,emails\r\n\d+,\d+,[^,\r\n]+,[^,\r\n]+,person-[0-9a-f]+@example\.invalid\r\n$/,
    );
  });
});

describe('redact: a table whose lines end in a lone CR', () => {
  it('keeps them, as an old Mac program\'s "CSV (Macintosh)" writes them, its sep=, line too', () => {
    writeExport(join(work, 'cr'), { 'Candidate.csv': CANDIDATES });
    const rows = [...CANDIDATES, ['102', '9', 'Mary', 'Lee', 'mary@example.com']];
    const csv = `sep=,\r${rows.map((row) => row.join(',')).join('\r')}\r`;
    writeFileSync(join(work, 'cr', 'export.zip'), rawZip([{ name: 'Candidate.csv', data: csv }]));
    redact('cr');
    const out = spawnSync('unzip', ['-p', join(work, 'cr-out', 'export.zip'), 'Candidate.csv']).stdout;
    expect(out.toString('utf8')).toMatch(
      /^sep=,\rcandidate_id,project_id,first_name,last_name,emails\r(\d+,\d+,[^,\r\n]+,[^,\r\n]+,person-[0-9a-f]+@example\.invalid\r){2}$/,
    );
  });
});

describe('redact: an export.csv inside export.zip', () => {
  it("is written there too, the copy's, in its own shape and without the source's links", () => {
    writeExport(join(work, 'inner'), { 'Candidate.csv': CANDIDATES });
    const csv = `${CANDIDATES.map((row) => row.join(',')).join('\n')}\n`;
    const inner = `Filename\tDownload Url\nexport.zip\t${LINK}\nStatistics\t\nTotal Files\t7\n`;
    writeFileSync(
      join(work, 'inner', 'export.zip'),
      rawZip([
        { name: 'Contract_1/Candidate.csv', data: csv },
        { name: 'export.csv', data: inner },
      ]),
    );
    redact('inner');
    const out = spawnSync('unzip', ['-p', join(work, 'inner-out', 'export.zip'), 'export.csv']).stdout;
    expect(out.toString('utf8')).toBe('Filename\tDownload Url\nexport.zip\t\nStatistics\t\nTotal Files\t0\n');
  });
});

describe('redact: a table file of no byte in export.zip', () => {
  it('is in the copy too, empty, so that the copy reads as the source does ("is empty", not "not in export.zip")', () => {
    writeExport(join(work, 'empty-table'), { 'Candidate.csv': CANDIDATES });
    const csv = `${CANDIDATES.map((row) => row.join(',')).join('\n')}\n`;
    writeFileSync(
      join(work, 'empty-table', 'export.zip'),
      rawZip([
        { name: 'Contract_1/Candidate.csv', data: csv },
        { name: 'Contract_1/Messages.csv', data: '' },
      ]),
    );
    redact('empty-table');
    const listed = spawnSync('unzip', ['-Z1', join(work, 'empty-table-out', 'export.zip')], {
      encoding: 'utf8',
    });
    expect(listed.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'Contract_1/Candidate.csv',
      'Contract_1/Messages.csv',
    ]);
    const missing = (dir: string) => {
      const r = spawnSync(process.execPath, [bin, 'validate', dir, '--json', '-q'], {
        cwd: work,
        encoding: 'utf8',
      });
      const { problems } = JSON.parse(r.stdout) as {
        problems: { code: string; table?: string; message: string }[];
      };
      return problems
        .filter((p) => p.code === 'TABLE_MISSING' && p.table === 'messages')
        .map((p) => p.message);
    };
    expect(missing('empty-table-out')).toEqual(missing('empty-table'));
    expect(missing('empty-table')[0]).toContain('which is empty (no header, no rows)');
  });
});
