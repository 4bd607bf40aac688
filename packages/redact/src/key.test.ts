// Key files and lists of ids as people and other tools save them: the same key or ids whatever the
// line ends, BOM or encoding.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readKeyFile } from './key.js';
import { candidateListOf, shareCandidateList, shareKey } from './shared.js';
import { createStage, readCandidateList } from './stage.js';

const work = mkdtempSync(join(tmpdir(), 'redact-keys-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const hex = '0f1e2d3c4b5a69788796a5b4c3d2e1f0'.repeat(2);
let n = 0;
function file(bytes: Buffer | string): string {
  const path = join(work, `file-${n++}`);
  writeFileSync(path, bytes);
  return path;
}
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => utf16le(text).swap16();

describe('readKeyFile', () => {
  it('reads one key whatever the line end, BOM or encoding it was saved with (PowerShell writes UTF-16)', () => {
    const key = Buffer.from(hex, 'hex');
    for (const saved of [
      hex,
      `${hex}\n`,
      `${hex}\r\n`,
      `\ufeff${hex}\r\n`,
      utf16le(`${hex}\r\n`),
      utf16be(`${hex}\n`),
    ]) {
      expect(readKeyFile(file(saved))).toEqual(key);
    }
    const phrase = 'Clé secrète de l’équipe RH 2024';
    expect(readKeyFile(file(utf16le(`${phrase}\r\n`)))).toEqual(Buffer.from(phrase));
  });

  it('takes binary bytes as they are, a UTF-16 BOM at their start too', () => {
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x01, 0x02, ...Array(26).fill(0x9c)]);
    expect(readKeyFile(file(binary))).toEqual(binary);
    // Random bytes after a BOM that decode as well-formed UTF-16 (CJK letters) stay bytes.
    const random = Buffer.from([
      0xff,
      0xfe,
      ...Array.from({ length: 15 }, (_, i) => [0x31 + i, 0x4e + (i % 8)]).flat(),
    ]);
    expect(readKeyFile(file(random))).toEqual(random);
  });

  it('refuses a file far larger than a key (another file named by mistake), and a device that never ends', () => {
    const big = file(Buffer.alloc(65 * 1024, 0x61));
    expect(() => readKeyFile(big)).toThrow(`the key file ${big} holds more than a key file does`);
    expect(() => readKeyFile('/dev/urandom')).toThrow(/holds more than a key file does/);
    expect(readKeyFile(file(Buffer.alloc(64 * 1024, 0x7a)))).toHaveLength(64 * 1024);
  });

  it('says what to do about a key file that is missing or that this user may not read', () => {
    expect(() => readKeyFile(join(work, 'missing.key'))).toThrow(
      `the key file ${join(work, 'missing.key')} cannot be read (ENOENT); there is no such file; check the path given to --key-file`,
    );
    // Root reads any file: the message is checked where permissions hold.
    const locked = file(hex);
    chmodSync(locked, 0o000);
    if (process.getuid?.() !== 0)
      expect(() => readKeyFile(locked)).toThrow(
        '(EACCES); the user running talent-export may not read it; give that user read permission',
      );
    expect(() => readCandidateList(join(work, 'missing.txt'))).toThrow(
      'cannot be read (ENOENT); there is no such file; check the path given to --drop-candidates',
    );
  });

  it('says what is wrong with an empty key file or a folder, naming no key', () => {
    expect(() => readKeyFile(file(''))).toThrow(/holds a key of 0 byte\(s\); a key needs at least 16/);
    expect(() => readKeyFile(file('\r\n'))).toThrow(/holds a key of 0 byte\(s\)/);
    mkdirSync(join(work, 'folder'));
    expect(() => readKeyFile(join(work, 'folder'))).toThrow(
      expect.objectContaining({
        code: 'REDACT_BAD_KEY',
        message: `the key file ${join(work, 'folder')} cannot be read (EISDIR); it is a folder; give the file that holds the key`,
      }),
    );
  });
});

describe('readCandidateList', () => {
  it('reads a list saved as UTF-16 (Excel "Unicode Text") as the same list in UTF-8', () => {
    const text = 'Candidate ID\r\n1000000002\r\n1000000003\r\n';
    const ids = [...readCandidateList(file(text))].sort();
    expect(ids).toEqual(['1000000002', '1000000003']);
    expect([...readCandidateList(file(utf16le(text)))].sort()).toEqual(ids);
    expect([...readCandidateList(file(utf16be(text)))].sort()).toEqual(ids);
  });

  it('counts an id given twice once, and skips blank lines, spaces and zero-width characters around ids', () => {
    const ids = readCandidateList(
      file('\n 1000000002 \n\n1000000002\n\t\u200b1000000003\u200c\n   \n\u2060\n'),
    );
    expect([...ids].sort()).toEqual(['1000000002', '1000000003']);
    expect(ids.size).toBe(2);
  });

  it('reads a list as bundle --candidates-file does: a spreadsheet table, text formulas, grouped digits', () => {
    // Saved from a sheet with several columns: only the candidate id column is read, names are not ids.
    const table =
      '\ufeff"Name","Candidate ID","Notes"\r\n"Lopez, Ana","=""1000000002""","asked on 3 May; erase"\r\n' +
      'Bo,"1,000,000,003",\r\nCy,1.000000004E+09,x\r\n';
    const ids = ['1000000002', '1000000003', '1000000004'];
    expect([...readCandidateList(file(table))].sort()).toEqual(ids);
    expect([...readCandidateList(file(utf16le(table)))].sort()).toEqual(ids);
    // A plain list: ids on a line together, a folder's name, a comment.
    const plain = '# erasure requests\n="1000000005", 1000000006; Candidate_1000000007.zip\n';
    expect([...readCandidateList(file(plain))].sort()).toEqual(['1000000005', '1000000006', '1000000007']);
  });

  it('refuses a value that is no id or lost its digits, by its line and place, and a folder', () => {
    const named = file('1000000002\n1000000003 ana@example.org\n');
    expect(() => readCandidateList(named)).toThrow(
      expect.objectContaining({
        code: 'REDACT_BAD_CANDIDATE_LIST',
        message: `the list of candidates to drop ${named}, line 2: value 2 is not a candidate id (1 to 128 letters, digits, "_" or "-"; not shown, as it may be personal data)`,
      }),
    );
    expect(() => readCandidateList(file('Candidate ID,Name\n1000000002,Ana\n1.00E+09,Bo\n'))).toThrow(
      /, line 3: value 1 \(1\.00E\+09\) is a number a spreadsheet shortened to scientific notation/,
    );
    mkdirSync(join(work, 'ids'));
    expect(() => readCandidateList(join(work, 'ids'))).toThrow(/EISDIR\); it is a folder/);
  });
});

describe('shared memory for the threads', () => {
  it('gives back the ids and the key it was given, and the stage takes them', () => {
    const ids = readCandidateList(file('1000000002\nAB-7\n'));
    expect([...candidateListOf(shareCandidateList(ids))].sort()).toEqual(['1000000002', 'AB-7']);
    expect(candidateListOf(shareCandidateList([])).size).toBe(0);
    const key = shareKey(Buffer.from(hex, 'hex'));
    const stage = createStage({ policy: 'default', key, dropCandidates: shareCandidateList(ids) });
    const withHex = createStage({ policy: 'default', keyHex: hex });
    const row = { candidate_id: '1000000009', first_name: 'Ann' };
    expect(stage.transform('candidates', row)).toEqual(withHex.transform('candidates', row));
    expect(stage.transform('candidates', { candidate_id: '1000000002' })).toBeNull();
    expect(() => createStage({ policy: 'default', key: shareKey(Buffer.from('short')) })).toThrow(
      /the key holds 5 byte\(s\)/,
    );
    expect(() =>
      createStage({ policy: 'default', key: Buffer.from(hex) as unknown as SharedArrayBuffer }),
    ).toThrow(expect.objectContaining({ code: 'REDACT_BAD_OPTION' }));
  });
});
