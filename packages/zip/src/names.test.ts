import { describe, expect, it } from 'vitest';
import { checkName, decodeName, duplicateKey, namesAgree } from './names.js';

describe('checkName', () => {
  it.each([
    ['Attachments_1-2/Candidate_1/Public/resume.pdf', 'Attachments_1-2/Candidate_1/Public/resume.pdf'],
    ['Contract_123456\\Candidate.csv', 'Contract_123456/Candidate.csv'],
    ['__MACOSX/Attachments_1-2/._resume.pdf', '__MACOSX/Attachments_1-2/._resume.pdf'],
    ['dir/', 'dir/'],
    ['a..b/..c', 'a..b/..c'],
    ['.hidden/x.', '.hidden/x.'],
    ['a/b.c/', 'a/b.c/'],
    // A '.' segment cannot leave the folder: it is dropped (bsdtar writes every name as './x').
    ['a/./b', 'a/b'],
    ['./x', 'x'],
    ['./', ''],
    ['.', ''],
    ['././Contract_1/', 'Contract_1/'],
    ['x/.', 'x/'],
    ['.\\x', 'x'],
  ])('accepts %j as %j', (input, expected) => {
    expect(checkName(input)).toEqual({ ok: true, name: expected });
  });

  it.each([
    ['', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['\\\\server\\share\\x', 'absolute'],
    ['C:/xt', 'drive letter'],
    ['c:xt', 'drive letter'],
    ['../x', '".."'],
    ['a/../../x', '".."'],
    ['..\\x', '".."'],
    ['a\\..\\..\\x', '".."'],
    ['a/./../b', '".."'],
    ['./..', '".."'],
    ['./a//b', 'empty segment'],
    ['./C:/x', 'drive letter'],
    ['a//b', 'empty segment'],
    ['a/b//', 'empty segment'],
    ['x/..', '".."'],
    ['x/../', '".."'],
    ['..', '".."'],
    ['a\u0000b', 'NUL'],
    ['a\nb', 'control'],
  ])('refuses %j (%s)', (input, reason) => {
    const checked = checkName(input);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.problem.code).toBe('ZIP_UNSAFE_NAME');
      expect(checked.problem.detail).toContain(reason);
    }
  });
});

describe('decodeName', () => {
  const utf8 = Buffer.from('Résumé_日本.pdf');
  it('uses UTF-8 when the language-encoding flag is set', () => {
    expect(decodeName(utf8, 0x800)).toEqual({ ok: true, name: 'Résumé_日本.pdf' });
  });
  it('refuses flagged names that are not UTF-8', () => {
    const decoded = decodeName(Buffer.from([0x61, 0xff, 0x62]), 0x800);
    expect(decoded.ok).toBe(false);
  });
  it('falls back to CP437 for unflagged non-UTF-8 bytes', () => {
    // 0x82 = é, 0x81 = ü, 0xe1 = ß in code page 437
    expect(decodeName(Buffer.from([0x63, 0x82, 0x81, 0xe1]), 0)).toEqual({ ok: true, name: 'céüß' });
  });
  it('reads unflagged valid UTF-8 as UTF-8 (macOS and Java write it that way)', () => {
    expect(decodeName(utf8, 0)).toEqual({ ok: true, name: 'Résumé_日本.pdf' });
  });
  it('prefers an Info-ZIP Unicode Path field whose CRC matches the stored name', async () => {
    const { crc32 } = await import('node:zlib');
    const stored = Buffer.from([0x52, 0x3f, 0x73]); // "R?s" as an old tool wrote it
    const header = Buffer.alloc(5);
    header[0] = 1;
    header.writeUInt32LE(crc32(stored), 1);
    const field = { id: 0x7075, data: Buffer.concat([header, Buffer.from('Rés')]) };
    expect(decodeName(stored, 0, field.data)).toEqual({ ok: true, name: 'Rés' });
    const stale = { id: 0x7075, data: Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), Buffer.from('X')]) };
    expect(decodeName(stored, 0, stale.data)).toEqual({ ok: true, name: 'R?s' });
  });
});

describe('duplicateKey', () => {
  it('ignores case, Unicode form and a trailing slash unless exact', () => {
    expect(duplicateKey('A/Résumé.PDF', 'case-insensitive')).toBe(
      duplicateKey('a/Re\u0301sume\u0301.pdf', 'case-insensitive'),
    );
    expect(duplicateKey('dir/', 'exact')).toBe(duplicateKey('dir', 'exact'));
    expect(duplicateKey('A.csv', 'exact')).not.toBe(duplicateKey('a.csv', 'exact'));
  });
});

describe('namesAgree: a Unicode Path field naming the file its stored bytes name', () => {
  const name = 'Candidate_1/Public/履歴書 ソフト表_简历 履歷表 Résumé.pdf';
  it.each(['utf8', 'shift_jis', 'gbk', 'big5', 'windows-1252'])(
    'takes the name written in %s',
    (encoding) => {
      const known = [...name].filter((c) => c.charCodeAt(0) < 0x80 || canEncode(c, encoding)).join('');
      expect(namesAgree(encode(known, encoding), known)).toBe(true);
    },
  );
  it('takes a name decomposed on one side and composed on the other (macOS)', () => {
    expect(namesAgree(Buffer.from('Re\u0301sume\u0301.pdf'), 'Résumé.pdf')).toBe(true);
    expect(namesAgree(Buffer.from('R\x82sum\x82.pdf', 'latin1'), 'Re\u0301sume\u0301.pdf')).toBe(true);
  });
  it('takes a look-alike a code page writes for a letter or sign it lacks, one for each', () => {
    expect(
      namesAgree(Buffer.from('Candidate_1/Public/Lukasz_CV.pdf'), 'Candidate_1/Public/Łukasz_CV.pdf'),
    ).toBe(true);
    expect(
      namesAgree(Buffer.from("Candidate_1/Public/John's CV.pdf"), 'Candidate_1/Public/John’s CV.pdf'),
    ).toBe(true);
    // One stand-in for one character: two are not the field's one.
    expect(namesAgree(Buffer.from('Candidate_1/Public/Lx.pdf'), 'Candidate_1/Public/Ł.pdf')).toBe(false);
    expect(namesAgree(Buffer.from('Candidate_1/Public/?/cv.pdfx'), 'Candidate_1/Public/é/cv.pdf')).toBe(
      false,
    );
    expect(namesAgree(Buffer.from('Candidate_1/Public/\x82.exe', 'latin1'), 'Candidate_1/Public/é.pdf')).toBe(
      false,
    );
  });
  it('answers a crafted pair at once: its work grows with the stored bytes, not with them times 1,024', () => {
    // A thousand ways of reading the first thousand bytes, each carried through 63,000 bytes more: five
    // seconds an entry, and an archive lists as many such entries as it likes.
    const field = `${'a'.repeat(1000)}${'é'.repeat(1000)}b`;
    const stored = Buffer.concat([Buffer.alloc(1000, 'a'), Buffer.alloc(63_000, 0x80)]);
    // CPU time, which other work on the machine does not stretch as it does the clock's.
    const started = process.cpuUsage();
    expect(namesAgree(stored, field)).toBe(false);
    const { user, system } = process.cpuUsage(started);
    expect((user + system) / 1000).toBeLessThan(1000);
  });
  it('takes a "\\" for a "/" either way', () => {
    expect(
      namesAgree(Buffer.from('Candidate_1\\Public\\\x82.pdf', 'latin1'), 'Candidate_1/Public/é.pdf'),
    ).toBe(true);
    expect(
      namesAgree(Buffer.from('Candidate_1/Public/\x82.pdf', 'latin1'), 'Candidate_1\\Public\\é.pdf'),
    ).toBe(true);
  });
  it('takes a stored name whose characters the code page lacks are "?" or "_"', () => {
    expect(namesAgree(Buffer.from('Candidate_1/Public/??.pdf'), 'Candidate_1/Public/简历.pdf')).toBe(true);
    expect(namesAgree(Buffer.from('Candidate_1/Public/__.pdf'), 'Candidate_1/Public/简历.pdf')).toBe(true);
  });
  it.each([
    ['Candidate_1/Public/a.pdf', 'Candidate_2/Public/a.pdf'],
    ['Candidate_1/Public/cv.pdf', 'Candidate_1/Public/cv.exe'],
    ['Candidate_1/Public/cv\u00e9.pdf', 'Candidate_1/Public/cv\u00e9.exe'],
    ['Candidate_1/Public/\u00e9.pdf', 'Candidate_1/Private/\u00e9.pdf'],
    ['Candidate_1/Public/??.pdf', 'Candidate_1/Public/../\u7b80.pdf'],
    ['a.pdf', 'a.pdf\u00e9/b'],
  ])('refuses %j named %j', (stored, field) => {
    expect(namesAgree(Buffer.from(stored, 'latin1'), field)).toBe(false);
  });
  it('refuses such an entry, as readers would extract it under two names', async () => {
    const { crc32 } = await import('node:zlib');
    const stored = Buffer.from('Candidate_1/Public/a.pdf');
    const header = Buffer.from([1, 0, 0, 0, 0]);
    header.writeUInt32LE(crc32(stored), 1);
    const decoded = decodeName(stored, 0, Buffer.concat([header, Buffer.from('Candidate_2/Public/a.pdf')]));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problem.detail).toContain('Unicode Path field');
  });
});

function encode(text: string, encoding: string): Buffer {
  if (encoding === 'utf8') return Buffer.from(text);
  const out: number[] = [];
  for (const char of text) out.push(...codeOf(char, encoding));
  return Buffer.from(out);
}

/** The bytes of one character in a legacy code page, found by decoding every one- and two-byte sequence. */
const tables = new Map<string, Map<string, number[]>>();
function codeOf(char: string, encoding: string): number[] {
  let table = tables.get(encoding);
  if (table === undefined) {
    table = new Map();
    const decoder = new TextDecoder(encoding);
    for (let a = 0; a < 256; a += 1) {
      const one = decoder.decode(Uint8Array.of(a));
      if (!table.has(one)) table.set(one, [a]);
      if (a < 0x81) continue;
      for (let b = 0x40; b < 256; b += 1) {
        const two = decoder.decode(Uint8Array.of(a, b));
        if ([...two].length === 1 && !table.has(two)) table.set(two, [a, b]);
      }
    }
    tables.set(encoding, table);
  }
  return table.get(char) ?? [];
}
const canEncode = (char: string, encoding: string) =>
  encoding === 'utf8' || codeOf(char, encoding).length > 0;
