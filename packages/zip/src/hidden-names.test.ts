import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rawZip, save, tempDir } from './craft.test-helpers.js';
import { openZip, visibleName, type ZipError } from './index.js';
import { hiddenCharacters } from './names.js';

const UTF8 = 0x800;
const RLO = '\u202e';
const dir = tempDir();

/** A Unicode Path extra field (0x7075) giving `name` for the stored bytes `raw`. */
function unicodePath(raw: Buffer, name: string): Buffer {
  const data = Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), Buffer.from(name)]);
  data.writeUInt32LE(crc32(raw), 1);
  const head = Buffer.alloc(4);
  head.writeUInt16LE(0x7075, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
}

async function walk(path: string, hideFileNames = false) {
  const archive = await openZip(path, { onRefused: 'skip', hideFileNames });
  const names: string[] = [];
  for await (const entry of archive.entries()) names.push(entry.name);
  await archive.close();
  return { names, notices: archive.notices, refused: archive.refused };
}

describe('names holding characters that show nothing or reorder the text', () => {
  it('shows them escaped, and only them', () => {
    expect(visibleName(`cv${RLO}fdp.exe`)).toBe('cv\\u202Efdp.exe');
    expect(visibleName('re\u200bsume\ufeff.pdf')).toBe('re\\u200Bsume\\uFEFF.pdf');
    expect(visibleName('a\u2066b\u2069\u061c\u200e\u200f\u0085\u2028.txt')).toBe(
      'a\\u2066b\\u2069\\u061C\\u200E\\u200F\\u0085\\u2028.txt',
    );
    expect(visibleName('flag\u{e0067}.png')).toBe('flag\\u{E0067}.png');
    expect(visibleName('Núñez_履歴書 سيرة.pdf')).toBe('Núñez_履歴書 سيرة.pdf');
    expect(hiddenCharacters('Núñez.pdf')).toBeUndefined();
    expect(hiddenCharacters(`a${RLO}b${RLO}\u200b`)).toBe('U+202E, U+200B');
    // Joiners that spell (Persian, Devanagari, emoji sequences) are not hidden; at an end or by ASCII they are.
    expect(hiddenCharacters('می\u200cخواهم.pdf')).toBeUndefined();
    expect(hiddenCharacters('क्\u200dष.pdf')).toBeUndefined();
    expect(hiddenCharacters('👨\u200d👩\u200d👧.png')).toBeUndefined();
    expect(hiddenCharacters('cv\u200c.pdf')).toBe('U+200C');
    expect(hiddenCharacters('\u200dمن.pdf')).toBe('U+200D');
  });

  it('reads such an entry under its own name, with a notice that names it escaped', async () => {
    const path = save(
      dir,
      'rlo.zip',
      rawZip([
        { name: Buffer.from(`Candidate_1/Public/cv${RLO}fdp.exe`), data: Buffer.from('MZ'), flags: UTF8 },
        // A joiner between ASCII letters hides in the name; between Persian letters or emoji it spells.
        { name: Buffer.from('Candidate_1/Public/re\u200dsume.pdf'), data: Buffer.from('%PDF'), flags: UTF8 },
        { name: Buffer.from('Candidate_1/Public/رزومه\u200cمن.pdf'), data: Buffer.from('%PDF'), flags: UTF8 },
        { name: Buffer.from('Candidate_1/Public/👩\u200d💻 CV.pdf'), data: Buffer.from('%PDF'), flags: UTF8 },
        { name: Buffer.from('Candidate_1/Public/resume.pdf'), data: Buffer.from('%PDF') },
      ]),
    );
    const { names, notices, refused } = await walk(path);
    expect(refused).toEqual([]);
    expect(names).toEqual([
      `Candidate_1/Public/cv${RLO}fdp.exe`,
      'Candidate_1/Public/re\u200dsume.pdf',
      'Candidate_1/Public/رزومه\u200cمن.pdf',
      'Candidate_1/Public/👩\u200d💻 CV.pdf',
      'Candidate_1/Public/resume.pdf',
    ]);
    expect(notices.map((n) => [n.code, n.entry])).toEqual([
      ['ZIP_NAME_HIDDEN_CHARACTERS', 'Candidate_1/Public/cv\\u202Efdp.exe'],
      ['ZIP_NAME_HIDDEN_CHARACTERS', 'Candidate_1/Public/re\\u200Dsume.pdf'],
    ]);
    expect(notices[0]!.message).toContain('(U+202E)');
    expect(notices[0]!.message).toContain('"Candidate_1/Public/cv\\u202Efdp.exe"');
    for (const n of notices) expect(n.message).not.toMatch(/[\u202e\u200d]/);
  });

  it('finds them in a name given by the Unicode Path field too', async () => {
    const raw = Buffer.from('Candidate_1/Public/cv_fdp.exe');
    const path = save(
      dir,
      'unicode-path.zip',
      rawZip([
        { name: raw, data: Buffer.from('MZ'), extra: unicodePath(raw, `Candidate_1/Public/cv${RLO}fdp.exe`) },
      ]),
    );
    const { names, notices } = await walk(path);
    expect(names).toEqual([`Candidate_1/Public/cv${RLO}fdp.exe`]);
    expect(notices.map((n) => n.entry)).toEqual(['Candidate_1/Public/cv\\u202Efdp.exe']);
  });

  it('never puts them in an error: a refused entry is named escaped', async () => {
    const name = Buffer.from(`Candidate_1/Public/cv${RLO}fdp.exe`);
    const path = save(
      dir,
      'duplicate.zip',
      rawZip([
        { name, data: Buffer.from('MZ'), flags: UTF8 },
        { name, data: Buffer.from('MZ'), flags: UTF8 },
      ]),
    );
    const { refused } = await walk(path);
    expect(refused.map((e: ZipError) => [e.code, e.entry])).toEqual([
      ['ZIP_DUPLICATE_ENTRY', 'Candidate_1/Public/cv\\u202Efdp.exe'],
    ]);
    expect(refused[0]!.message).not.toContain(RLO);
  });

  it('escapes the control characters of a refused name, which would drive a terminal', async () => {
    const path = save(
      dir,
      'escape.zip',
      rawZip([
        {
          name: Buffer.from('Candidate_1/Public/\u001b]0;owned\u0007\u001b[2Jcv.pdf'),
          data: Buffer.from('%PDF'),
        },
      ]),
    );
    const { refused } = await walk(path);
    expect(refused.map((e) => [e.code, e.entry])).toEqual([
      ['ZIP_UNSAFE_NAME', 'Candidate_1/Public/\\u001B]0;owned\\u0007\\u001B[2Jcv.pdf'],
    ]);
    expect(refused[0]!.message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('names the characters when file names are hidden', async () => {
    const path = save(
      dir,
      'hidden.zip',
      rawZip([
        { name: Buffer.from(`Candidate_1/Public/cv${RLO}fdp.exe`), data: Buffer.from('MZ'), flags: UTF8 },
      ]),
    );
    const { notices } = await walk(path, true);
    expect(notices.map((n) => n.entry)).toEqual([
      'Candidate_1/Public/[file name of entry 1, 10 characters].exe',
    ]);
    expect(notices[0]!.message).toContain('(U+202E)');
  });
});
