import { describe, expect, it } from 'vitest';
import { profileName, replaceNames, urlName } from './url-names.js';

describe('profileName', () => {
  it('reads the name a LinkedIn handle is made of, without its suffix, role words or degrees', () => {
    const cases: [string, string[] | undefined][] = [
      ['https://www.linkedin.com/in/priya-sharma-1a2b3c/', ['priya', 'sharma']],
      ['https://uk.linkedin.com/in/se%C3%A1n-o-sullivan-talent-77?trk=x', ['sean', 'osullivan']],
      ['linkedin.com/in/jean-luc-picard', ['jean', 'luc', 'picard']],
      ['https://es.linkedin.com/pub/maria-lopez/12/345/678', ['maria', 'lopez']],
      ['https://www.linkedin.com/in/jane-doe-mba-4f2', ['jane', 'doe']],
      // A letter alone is an initial, not the start of the next word, but for an apostrophe's O, D and L.
      ['https://www.linkedin.com/in/priya-k-raman-1a2b', ['priya', 'raman']],
      ['https://www.linkedin.com/in/j-robert-oppenheimer', ['robert', 'oppenheimer']],
      ['https://www.linkedin.com/in/dana-d-angelo-9', ['dana', 'dangelo']],
      // One word, a company's, digits inside, or no profile: no name.
      ['https://www.linkedin.com/in/janedoe', undefined],
      ['https://www.linkedin.com/in/acme-careers', undefined],
      ['https://www.linkedin.com/in/j4ne-doe', undefined],
      ['https://www.linkedin.com/company/acme-corp', undefined],
    ];
    expect(cases.map(([url]) => [url, profileName(url)])).toEqual(cases);
  });
});

describe('replaceNames', () => {
  it('replaces the name written whole, in any case and accents, apart by spaces or a hyphen', () => {
    const names = [urlName(['sean', 'osullivan']), urlName(['anne', 'smithjones'])];
    let n = 0;
    const out = replaceNames(
      'Regards, SEÁN O’SULLIVAN; Seán O-Sullivan, Anne Smith-Jones. Sean alone, Sullivan alone, seanosullivan',
      names,
      () => '[PERSON]',
      () => n++,
    );
    expect([out, n]).toEqual([
      'Regards, [PERSON]; [PERSON], [PERSON]. Sean alone, Sullivan alone, seanosullivan',
      3,
    ]);
  });

  it('finds a name whose letters the quick test does not know one for one: a combining accent, Æ for ae', () => {
    const names = [urlName(['sean', 'osullivan']), urlName(['aesa', 'berg'])];
    let n = 0;
    const out = replaceNames(
      'Thanks, Sea\u0301n O\u2019Sullivan and \u00c6sa Berg.',
      names,
      () => '[PERSON]',
      () => n++,
    );
    expect([out, n]).toEqual(['Thanks, [PERSON] and [PERSON].', 2]);
    // Any apostrophe a name is written with (‘ and ´ too), as the scrubber reads them.
    expect(
      replaceNames(
        'Dear Se\u00e1n O\u2018Sullivan,',
        names,
        () => '[PERSON]',
        () => n++,
      ),
    ).toBe('Dear [PERSON],');
  });

  it('finds a last name beyond ASCII however it starts or is spelled: an accented capital, ß, a look-alike letter', () => {
    const one = (text: string, words: string[]) =>
      replaceNames(
        text,
        [urlName(words)],
        () => '[PERSON]',
        () => {},
      );
    expect(one('Merci, Zoé Égger.', ['zoe', 'egger'])).toBe('Merci, [PERSON].');
    expect(one('Gruß, Hans Große', ['hans', 'grosse'])).toBe('Gruß, [PERSON]');
    // A Cyrillic і in a Latin name, as a filter would be slipped past.
    expect(one('Jan Kowalsk\u0456 (日本)', ['jan', 'kowalski'])).toBe('[PERSON] (日本)');
    expect(one('Merci, Zoé Égger.', ['zoe', 'eggers'])).toBe('Merci, Zoé Égger.');
  });
});

describe('replaceNames: a signature as people write it', () => {
  const names = [urlName(['sarah', 'connor']), urlName(['tomasz', 'kowalski'])];
  const scrub = (text: string) =>
    replaceNames(
      text,
      names,
      () => '[PERSON]',
      () => {},
    );

  it('takes middle initials, the first name as an initial, and the last name first', () => {
    expect(scrub('Thanks,\nSarah J. Connor')).toBe('Thanks,\n[PERSON]');
    expect(scrub('Sarah J Connor; Sarah J. K. Connor')).toBe('[PERSON]; [PERSON]');
    expect(scrub('Best, S. Connor | Talent')).toBe('Best, [PERSON] | Talent');
    expect(scrub('Cheers, T Kowalski')).toBe('Cheers, [PERSON]');
    expect(scrub('Connor, Sarah and KOWALSKI Tomasz')).toBe('[PERSON] and [PERSON]');
  });

  it('reads an HTML body as it shows: tags between the words, a no-break space written as a reference', () => {
    expect(scrub('<p>Best,<br><b>Sarah</b> <b>Connor</b></p>')).toBe('<p>Best,<br><b>[PERSON]</b></p>');
    expect(scrub('S.&nbsp;Connor, Sarah J.&#160;Connor, Connor,&nbsp;Sarah, Sarah<br>Connor')).toBe(
      '[PERSON], [PERSON], [PERSON], [PERSON]',
    );
    // Two words run together by a tag, or an entity that is no space, are not the name.
    const text = '<b>Sarah</b><b>Connor</b> and Sarah&amp;Connor';
    expect(scrub(text)).toBe(text);
  });

  it('leaves a word of the name alone, a small initial, and an initial of another first name', () => {
    const text = 'Connor called; s. connor; R. Connor; Sarah and Tomasz; the connor, a river';
    expect(scrub(text)).toBe(text);
  });
});
