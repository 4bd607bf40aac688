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
});
