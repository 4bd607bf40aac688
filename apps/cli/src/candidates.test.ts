import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { candidateIds, parseCandidateIds } from './candidates.js';
import { UsageError } from './exit.js';

describe('parseCandidateIds', () => {
  it('reads ids separated by commas, semicolons, spaces or lines', () => {
    expect(parseCandidateIds('1,2; 3\n4\r\n\r\n5')).toEqual(['1', '2', '3', '4', '5']);
    // As copied from a web page or a chat: non-breaking and zero-width spaces.
    expect(parseCandidateIds('\u200b6\u00a0,7\u200b\u2060')).toEqual(['6', '7']);
    expect(parseCandidateIds('Name,Candidate ID\nAna,\u200b8\u200b')).toEqual(['8']);
  });

  it('reads a list saved from a spreadsheet: BOM, a header of any spelling, quoted ids', () => {
    expect(parseCandidateIds('\ufeffCandidate ID\r\n"0042"\r\n7\r\n')).toEqual(['0042', '7']);
    expect(parseCandidateIds('"candidate_id"\n"1","2"\n')).toEqual(['1', '2']);
    expect(parseCandidateIds('candidate_id\n8\n')).toEqual(['8']);
    // A column a spreadsheet took for numbers: its ids with decimals; other text is left as written.
    expect(parseCandidateIds('1000000003.0\n"1000000004.00"\n12.5\nA.0')).toEqual([
      '1000000003',
      '1000000004',
      '12.5',
      'A.0',
    ]);
    // A text formula a sheet keeps an id as text with, as typed and as its CSV quotes it.
    expect(parseCandidateIds('="1000000126"\n"=""0042"""\n')).toEqual(['1000000126', '0042']);
    expect(parseCandidateIds('Candidate ID;Name\n"=""1000000127""";Ana\n')).toEqual(['1000000127']);
  });
});

describe('parseCandidateIds on a table saved from a spreadsheet', () => {
  it('reads only the column headed as the candidate id, wherever it is, whatever the separator', () => {
    const csv =
      '\ufeff"Name","Candidate ID","Notes"\r\n"Lopez, Ana",1000000003,"a; b"\r\nBo,"1000000004",\r\n\r\n';
    expect(parseCandidateIds(csv)).toEqual(['1000000003', '1000000004']);
    expect(parseCandidateIds('candidate_id;email\n1000000005;bo@example.org\n')).toEqual(['1000000005']);
    expect(parseCandidateIds('Candidate ID\tName\n1.000000006E+09\tCy\n')).toEqual(['1000000006']);
    // Digits grouped as a spreadsheet formats a number, in one locale or another.
    expect(parseCandidateIds('Candidate ID,Name\n"1,000,000,003",Ana\n1.000.000.004,Bo\n')).toEqual([
      '1000000003',
      '1000000004',
    ]);
    expect(parseCandidateIds('"1,000,000,005";7')).toEqual(['1000000005', '7']);
    expect(parseCandidateIds('Candidate ID;Name\n1\u00a0000\u00a0000\u00a0006;Cy')).toEqual(['1000000006']);
    // A list whose first line begins with its header: not a table.
    expect(parseCandidateIds('candidate_id, 7, 8\n9')).toEqual(['7', '8', '9']);
  });

  it('refuses a cell of that column that is no id by its line and column, without showing it', async () => {
    const error = await candidateIds('bundle', 'name,candidate_id\nBo,7\n7,Ana Lopez', undefined).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/^--candidates line 3: value 2 is not a candidate id/);
    expect((error as Error).message).not.toContain('Ana');
  });
});

describe('parseCandidateIds on names copied for ids', () => {
  it("reads the id of a candidate's folder or bundle name (Candidate_123, Candidate_123.zip)", () => {
    expect(parseCandidateIds('Candidate_1000000003, candidate_0042\nCandidate_7.zip Candidate_x')).toEqual([
      '1000000003',
      '0042',
      '7',
      'Candidate_x',
    ]);
  });
});

describe('candidateIds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ids-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const file = (bytes: Buffer) => {
    const path = join(dir, `${++n}`, 'ids.txt');
    mkdirSync(join(dir, `${n}`));
    writeFileSync(path, bytes);
    return path;
  };

  it('reads a list a spreadsheet saved as Unicode text (UTF-16 with its BOM), either byte order', async () => {
    const text = 'candidate_id\r\n1000000003\r\n1000000004\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    for (const bytes of [le, be])
      expect([...((await candidateIds('bundle', undefined, file(bytes))) ?? [])]).toEqual([
        '1000000003',
        '1000000004',
      ]);
  });

  it('says a folder given for the list is a folder, and a path that is not there is no such file', async () => {
    await expect(candidateIds('bundle', undefined, dir)).rejects.toThrow(
      `--candidates-file ${dir}: is a folder; give the file of ids in it`,
    );
    await expect(candidateIds('bundle', undefined, join(dir, 'none.txt'))).rejects.toThrow(/: no such file$/);
  });

  it('says it waits for ids typed at the terminal (--candidates-file - on a terminal), not at a pipe', async () => {
    const told: string[] = [];
    const typed = (text: string) => Readable.from([Buffer.from(text)]);
    const tell = (line: string) => told.push(line);
    const ids = await candidateIds('bundle', undefined, '-', {
      stdin: typed('7\n8\n'),
      terminal: true,
      tell,
    });
    expect([...(ids ?? [])]).toEqual(['7', '8']);
    expect(told).toEqual([
      expect.stringMatching(/^bundle: reading candidate ids from this terminal .*Ctrl-D/),
    ]);
    told.length = 0;
    await candidateIds('bundle', undefined, '-', { stdin: typed('9'), terminal: false, tell });
    expect(told).toEqual([]);
  });

  it('reads the list from a pipe (<(cut ...), /dev/stdin), as a shell hands it over', async () => {
    const fifo = join(dir, 'ids.fifo');
    execFileSync('mkfifo', [fifo]);
    const [ids] = await Promise.all([
      candidateIds('bundle', undefined, fifo),
      writeFile(fifo, 'candidate_id\n1000000003\n1000000004\n'),
    ]);
    expect([...(ids ?? [])]).toEqual(['1000000003', '1000000004']);
  });

  it('refuses a value that is no id by its line and place, without showing it', async () => {
    const path = file(Buffer.from('candidate_id\n1000000003 ana@example.org\n'));
    const error = await candidateIds('bundle', undefined, path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/ids\.txt line 2: value 2 is not a candidate id/);
    expect((error as Error).message).not.toContain('ana@');
    await expect(candidateIds('bundle', '1,2,x.y', undefined)).rejects.toThrow(
      /^--candidates: value 3 is not a candidate id/,
    );
  });

  it('reads a list saved as UTF-16 without a BOM, either byte order', async () => {
    const text = '1000000003\r\n1000000004\r\n';
    for (const bytes of [Buffer.from(text, 'utf16le'), Buffer.from(text, 'utf16le').swap16()]) {
      const ids = await candidateIds('bundle', undefined, file(bytes));
      expect([...(ids ?? [])]).toEqual(['1000000003', '1000000004']);
    }
  });

  it('reads a whole id a spreadsheet showed in scientific notation; refuses one that lost digits, saying so', async () => {
    expect(parseCandidateIds('1.000000003E+09,1.000000004e+09')).toEqual(['1000000003', '1000000004']);
    const error = await candidateIds('bundle', '1000000003,1.00E+09', undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /value 2 \(1\.00E\+09\) is a number a spreadsheet shortened.*format the column as text/,
    );
  });

  it('says a workbook given for the list is one, and how to save it as text', async () => {
    const xlsx = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(40)]);
    await expect(candidateIds('bundle', undefined, file(xlsx))).rejects.toThrow(
      /is a zip \(a spreadsheet workbook, \.xlsx or \.ods\), not text; save the sheet as CSV/,
    );
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(40)]);
    await expect(candidateIds('bundle', undefined, file(xls))).rejects.toThrow(
      /spreadsheet workbook \(\.xls\)/,
    );
  });
});
