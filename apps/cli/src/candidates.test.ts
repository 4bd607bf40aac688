import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { candidateIds } from './candidates.js';
import { UsageError } from './exit.js';

describe('candidateIds on a table saved from a spreadsheet', () => {
  it('refuses a cell of that column that is no id by its line and column, without showing it', async () => {
    const error = await candidateIds('bundle', 'name,candidate_id\nBo,7\n7,Ana Lopez', undefined).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/^--candidates line 3: value 2 is not a candidate id/);
    expect((error as Error).message).not.toContain('Ana');
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
