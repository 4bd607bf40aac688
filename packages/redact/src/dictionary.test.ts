// The dictionary's memory: lookups in place, the same after a file round trip, and refused when damaged
// (a crafted file must not make a lookup read out of bounds or search forever).
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Dictionary, DictionaryBuilder, loadDictionary, nameWords, PEOPLE_COLUMNS } from './dictionary.js';
import { fold } from './normalize.js';

const work = mkdtempSync(join(tmpdir(), 'redact-dictionary-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function builder(): DictionaryBuilder {
  const b = new DictionaryBuilder();
  b.add('candidates', {
    candidate_id: '1000000001',
    first_name: 'José',
    last_name: "O'Brien",
    phone_numbers: ['+1 (212) 555-0100'],
  });
  b.add('candidates', { candidate_id: 'c-2', first_name: 'Mary Ann', last_name: 'van der Berg' });
  b.add('notes', { candidate_id: '3', first_name: 'Ignored' });
  return b;
}

function lookups(d: Dictionary) {
  const mary = d.phrase('mary ann');
  return {
    candidates: d.candidates,
    ordinals: ['1000000001', 'c-2', '3', '', '100000000'].map((id) => d.ordinal(id)),
    phrases: ['jose', "o'brien", 'mary ann', 'van der berg', 'mary', 'van', 'berg', 'ann'].map((p) =>
      d.phrase(p) === -1 ? -1 : d.phraseText(d.phrase(p)),
    ),
    prefixes: ['mary', 'van', 'van der', 'mary ann', 'jose', 'van der berg'].map((p) => d.isPrefix(p)),
    global: d.isGlobal(mary),
    roles: [d.role(1, mary), d.role(1, d.phrase('ann')), d.role(0, mary), d.role(-1, mary)],
    names: [d.nameOf(0, 0), d.nameOf(0, 1), d.nameOf(1, 1)],
    phones: ['1-212-555-0100', '+12125550100', '+1 212 555 0101'].map((p) => d.knownPhone(p)),
    maxWords: d.maxWords,
  };
}

describe('Dictionary', () => {
  it('knows every phone of thousands of candidates, each given in several rows', () => {
    const b = new DictionaryBuilder();
    const phone = (i: number) => `+1 (212) 55${String(i).padStart(5, '0')}`;
    for (let row = 0; row < 3; row++)
      for (let i = 0; i < 3000; i++)
        b.add('candidates', { candidate_id: String(i), first_name: 'A', phone_numbers: [phone(i)] });
    const d = new Dictionary(b.build());
    const known = Array.from({ length: 3000 }, (_, i) => d.knownPhone(phone(i)));
    expect(known.every(Boolean)).toBe(true);
    expect(d.knownPhone(phone(3000))).toBe(false);
  });

  it('answers every lookup, ASCII words in place in any case', () => {
    const d = new Dictionary(builder().build());
    expect(lookups(d)).toEqual({
      candidates: 2,
      ordinals: [0, 1, -1, -1, -1],
      phrases: ['jose', "o'brien", 'mary ann', 'van der berg', 'mary', 'van', 'berg', 'ann'],
      prefixes: [true, true, true, false, false, false],
      global: true,
      roles: [0, 2, -1, -1],
      names: ['jose', "o'brien", 'van der berg'],
      phones: [true, true, false],
      maxWords: 3,
    });
    const text = 'Dear MARY and Van, from JOSE';
    const at = (word: string) => text.indexOf(word);
    expect(d.asciiPhrase(text, at('MARY'), at('MARY') + 4)).toBe(d.phrase('mary'));
    expect(d.prefixFound).toBe(true);
    expect(d.asciiPhrase(text, at('JOSE'), at('JOSE') + 4)).toBe(d.phrase('jose'));
    expect(d.prefixFound).toBe(false);
    expect(d.asciiPhrase(text, at('Dear'), at('Dear') + 4)).toBe(-1);
    expect(d.asciiPhrase(text, at('Van'), at('Van') + 2)).toBe(-1);
  });

  it('is the same after a file round trip, read into shared memory', async () => {
    const path = join(work, 'dictionary');
    const b = builder();
    await b.write(path);
    const loaded = loadDictionary(path);
    expect(loaded.memory).toBeInstanceOf(SharedArrayBuffer);
    expect(lookups(loaded)).toEqual(lookups(new Dictionary(b.build())));
    // Another view of the same memory (as another thread makes) answers the same.
    expect(lookups(new Dictionary(loaded.memory))).toEqual(lookups(loaded));
  });

  it('writes its file through no link planted at a name it could be guessed to use, and only for its user', async () => {
    const path = join(work, 'shared-dictionary');
    const planted = join(work, 'planted');
    writeFileSync(planted, '');
    symlinkSync(planted, join(work, `.shared-dictionary.${process.pid}.tmp`));
    await builder().write(path);
    expect(readFileSync(planted).length).toBe(0);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(work).filter((name) => name.startsWith('.shared-dictionary.'))).toHaveLength(1);
  });

  it('refuses a damaged file: truncated, another version, a table pointing nowhere or full', async () => {
    const path = join(work, 'dictionary');
    await builder().write(path);
    const good = readFileSync(path);
    const headLength = good.readUInt32LE(0);
    const header = JSON.parse(good.toString('utf8', 4, 4 + headLength));
    const withHeader = (change: (h: typeof header) => void) => {
      const h = structuredClone(header);
      change(h);
      const text = Buffer.from(JSON.stringify(h));
      // Same length, so that the sections stay where they were.
      expect(text.length).toBe(headLength);
      return Buffer.concat([good.subarray(0, 4), text, good.subarray(4 + headLength)]);
    };
    const tableAt = (index: number) => {
      let at = (4 + headLength + 7) & ~7;
      for (let i = 0; i < index; i++) at += (header.sections[i] + 7) & ~7;
      return at;
    };
    const names = ['phraseChars', 'phraseStarts', 'global', 'phraseTable'];
    const phraseTable = tableAt(names.indexOf('phraseTable'));
    const pointingNowhere = Buffer.from(good);
    pointingNowhere.writeInt32LE(999, phraseTable);
    const full = Buffer.from(good);
    for (let i = 0; i < header.sections[3] / 4; i++) full.writeInt32LE(1, phraseTable + i * 4);
    const damaged = {
      truncated: good.subarray(0, good.length - 9),
      empty: Buffer.alloc(0),
      version: withHeader((h) => {
        h.version = 9;
      }),
      // A whole 8-byte step: a smaller one may vanish in a section's padding.
      sections: withHeader((h) => {
        h.sections[0] += 8;
      }),
      pointingNowhere,
      full,
    };
    for (const [name, bytes] of Object.entries(damaged)) {
      writeFileSync(join(work, name), bytes);
      expect(() => loadDictionary(join(work, name)), name).toThrow(
        expect.objectContaining({ code: 'REDACT_BAD_DICTIONARY' }),
      );
    }
    expect(() => loadDictionary(join(work, 'absent'))).toThrow(
      expect.objectContaining({ code: 'REDACT_BAD_DICTIONARY' }),
    );
  });
});

describe('nameWords', () => {
  // The cut the scrubber makes, as a regular expression: letters, digits and marks, inner apostrophes.
  const WORD = /[\p{L}\p{N}\p{M}]+(?:['\u2019\u02bc][\p{L}\p{N}\p{M}]+)*/gu;
  const byRegex = (name: string) => Array.from(name.matchAll(WORD), (m) => fold(m[0]));

  it('cuts and folds names as the regular expression of the scrubber would', () => {
    const tricky = [
      "Anne-Marie O'Brien",
      'ANNE–MARIE  d’Arc',
      "van der Berg's",
      "'quoted' O''Neil -x- ʼa",
      'Siobhán Nguyễn Łukasz Øberg Straße',
      '王小明 𠀀x 𠀀 a\ud800b c\udc00',
      'e\u0301tienne 12 3rd',
      '',
      '  - ',
    ];
    for (const name of tricky) expect(nameWords(name), name).toEqual(byRegex(name));
    // Random names from letters, marks, joiners, dashes, spaces, digits and surrogates.
    const pieces = [
      'a',
      'Z',
      'é',
      'e\u0301',
      "'",
      '\u2019',
      '\u02bc',
      '-',
      '\u2013',
      ' ',
      '7',
      '王',
      '𠀀',
      '\ud800',
      '.',
      'ß',
    ];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 2000; n++) {
      let name = '';
      for (let k = next() % 12; k > 0; k--) name += pieces[next() % pieces.length];
      expect(nameWords(name), JSON.stringify(name)).toEqual(byRegex(name));
    }
  });
});

describe('DictionaryBuilder', () => {
  it("takes the names of every row of a candidate, not only the first one's, each once", () => {
    const b = new DictionaryBuilder();
    const row = (id: string, first: string, last: string) =>
      b.add('candidates', { candidate_id: id, first_name: first, last_name: last });
    row('3', 'Jean-Luc', 'van der Berg');
    row('4', 'Ada', 'Lovelace');
    row('3', 'Jean Luc', 'Vanderberg');
    row('3', 'Jean Luc', 'Vanderberg');
    row('4', 'Ada', 'Lovelace');
    row('3', 'Jay', 'van der Berg');
    const d = new Dictionary(b.build());
    const vdb = d.phrase('vanderberg');
    const jay = d.phrase('jay');
    expect([vdb, jay].every((p) => p >= 0 && d.isGlobal(p))).toBe(true);
    expect([d.role(0, vdb), d.role(0, jay), d.role(1, vdb), d.role(1, jay)]).toEqual([2, 2, -1, -1]);
    expect([d.nameOf(0, 0), d.nameOf(0, 1), d.nameOf(1, 0)]).toEqual(['jean luc', 'van der berg', 'ada']);
    // Each phrase of theirs once: the first row's, then what later rows add.
    const theirs = (o: number) => Array.from({ length: 20 }, (_, i) => i).filter((i) => d.role(o, i) >= 0);
    expect(theirs(0).map((i) => d.phraseText(i))).toEqual([
      'jean luc',
      'van der berg',
      'jean',
      'luc',
      'van',
      'der',
      'berg',
      // Their words run together, as the name is spelled elsewhere.
      'jeanluc',
      'vanderberg',
      // First and last name run together, either way round, of each row that spells them another way.
      'jeanlucvanderberg',
      'vanderbergjeanluc',
      // The first name's initial and the last name, as user names write them.
      'jvanderberg',
      'jay',
      'jayvanderberg',
      'vanderbergjay',
    ]);
    expect(theirs(1).map((i) => d.phraseText(i))).toEqual([
      'ada',
      'lovelace',
      'adalovelace',
      'lovelaceada',
      'alovelace',
    ]);
  });

  it('cuts names at hyphens and dashes as at spaces; parts of 3 letters or more are their own, glued too', () => {
    const b = new DictionaryBuilder();
    b.add('candidates', { candidate_id: '1', first_name: 'Anne-Marie', last_name: 'Al–Amin' });
    b.add('candidates', { candidate_id: '2', first_name: 'Bo', last_name: 'Smith-Jones' });
    const d = new Dictionary(b.build());
    const own = (o: number) =>
      Array.from({ length: 40 }, (_, i) => i)
        .filter((i) => d.role(o, i) >= 0)
        .map((i) => [d.phraseText(i), d.isGlobal(i)]);
    expect(own(0)).toEqual([
      ['anne marie', true],
      ['al amin', true],
      ['anne', false],
      ['marie', false],
      ['amin', false],
      ['annemarie', true],
      ['alamin', true],
      ['annemariealamin', true],
      ['alaminannemarie', true],
      ['aalamin', true],
    ]);
    expect(own(1)).toEqual([
      ['bo', true],
      ['smith jones', true],
      ['smith', false],
      ['jones', false],
      ['smithjones', true],
      ['bosmithjones', true],
      ['smithjonesbo', true],
      ['bsmithjones', true],
      // Each part of a double surname run together with the first name or its initial.
      ['bosmith', true],
      ['smithbo', true],
      ['bsmith', true],
      ['bojones', true],
      ['jonesbo', true],
      ['bjones', true],
    ]);
  });
});

describe('DictionaryBuilder.add of the tables that name people by profile URL', () => {
  it("learns the names recruiters' and interviewers' URLs are made of, whole, for every row's text", async () => {
    const { createRedactor } = await import('./redactor.js');
    const { loadPolicy } = await import('./policy.js');
    const b = new DictionaryBuilder();
    b.add('candidates', { candidate_id: '11', first_name: 'Jane', last_name: 'Doe' });
    // As a first pass reads them: the profile URL columns of these tables (`PEOPLE_COLUMNS`).
    b.add('messages', { sender_profile_url: 'https://www.linkedin.com/in/priya-sharma-1a2b3c' });
    b.add('scorecards', { interviewer: 'https://www.linkedin.com/in/tomas-novak-77/' });
    b.add('projects', { owner_profile_url: 'https://www.linkedin.com/in/acme-careers' });
    const r = createRedactor({
      policy: loadPolicy('default'),
      key: Buffer.alloc(32, 5),
      dictionary: new Dictionary(b.build()),
    });
    // A note of another owner: the row's own URL says nothing of them.
    const note = r.transform('notes', {
      note_id: '1',
      candidate_id: '11',
      owner_profile_url: 'https://www.linkedin.com/in/ola-berg-9z',
      content: 'Priya Sharma and Tomas Novák liked Jane; Priya will call. Acme Careers page.',
    })!.content;
    expect(note).toBe('[PERSON] and [PERSON] liked [CANDIDATE]; Priya will call. Acme Careers page.');
    // The last name first, as lists and some languages write it; a word of the name alone stays.
    const reversed = r.transform('notes', {
      note_id: '2',
      candidate_id: '11',
      owner_profile_url: 'https://www.linkedin.com/in/ola-berg-9z',
      content: 'NOVAK Tomas to call Sharma Priya; Novak alone',
    })!.content;
    expect(reversed).toBe('[PERSON] to call [PERSON]; Novak alone');
    expect(PEOPLE_COLUMNS).toEqual({
      feedbacks: ['requester_profile_url', 'requestee_profile_url'],
      messages: ['sender_profile_url'],
      notes: ['owner_profile_url'],
      projects: ['owner_profile_url'],
      scorecards: ['interviewer'],
    });
  });

  it("learns a sender's name whole where a word of it is no candidate's name, and only then", () => {
    const b = new DictionaryBuilder();
    b.add('candidates', { candidate_id: '11', first_name: 'Priya', last_name: 'Doe' });
    b.add('candidates', { candidate_id: '12', first_name: 'Liam', last_name: 'Sato' });
    b.addProfile('https://www.linkedin.com/in/priya-raman-a1b2c3');
    // Every word a candidate's whole first or last name: scrubbed word by word already.
    b.addProfile('https://www.linkedin.com/in/liam-doe-7');
    b.addProfile('https://www.linkedin.com/in/priya-doe');
    // No name the handle reads as.
    b.addProfile('https://www.linkedin.com/in/acme');
    const d = new Dictionary(b.build());
    expect(['priya raman', 'liam doe', 'priya doe', 'acme'].map((p) => d.phrase(p) >= 0)).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(d.isGlobal(d.phrase('priya raman'))).toBe(true);
  });

  it("keeps no name of a candidate's own profile URL, whatever its words, as their replies' sender", () => {
    const b = new DictionaryBuilder();
    b.add('candidates', {
      candidate_id: '11',
      first_name: 'Wei',
      last_name: 'Zhang',
      profile_url: 'https://www.linkedin.com/in/Wei-Zhang-gjdgzb/',
    });
    b.add('candidates', { candidate_id: '12', first_name: 'Liam', last_name: 'Sato' });
    // Case, a trailing slash, percent escapes and the site's host as written: the same profile.
    b.addProfile('http://linkedin.com/in/wei-zhang-gjdgzb');
    b.addProfile('https://www.linkedin.com/in/%77ei-zhang-gjdgzb?trk=x');
    // Someone else of the same first name.
    b.addProfile('https://www.linkedin.com/in/wei-chen-a1b2c3');
    const d = new Dictionary(b.build());
    expect(['wei zhang gjdgzb', 'wei chen'].map((p) => d.phrase(p) >= 0)).toEqual([false, true]);
  });
});
