import { describe, expect, it } from 'vitest';
import { Dictionary, DictionaryBuilder } from './dictionary.js';
import { labelClass, looksLike, namesIn } from './labels.js';
import { loadPolicy } from './policy.js';
import { createRedactor } from './redactor.js';

describe('labelClass', () => {
  it('tells the fields named for a person or a contact from the others', () => {
    const cases: [string, string | undefined][] = [
      ['Hiring Manager', 'name'],
      ['Hiring Manager Name', 'name'],
      ['Referred by', 'name'],
      ['Reference #2', 'name'],
      ["Recruiter's name", 'name'],
      ['Preferred name', 'name'],
      ['Nickname', 'name'],
      ['Surname', 'name'],
      ['FirstName', 'name'],
      ['Alias', 'name'],
      ['Also known as', 'name'],
      ['Goes by', 'name'],
      ['Filename', undefined],
      ['Personal E-mail', 'email'],
      ['Recruiter Email', 'email'],
      ['Mobile 2', 'phone'],
      ['Candidate Phone 2', 'phone'],
      ['WhatsApp', 'phone'],
      ['LinkedIn (old)', 'profile_url'],
      ['Desired salary', undefined],
      ['Company name', undefined],
      ['Name of school', undefined],
      ['Recruiter notes', undefined],
      ['Manager approval', undefined],
      ['Notice period', undefined],
    ];
    expect(cases.map(([label]) => [label, labelClass(label)])).toEqual(cases);
  });

  it('says which values look like their class: an e-mail field holding "yes" holds none', () => {
    expect(looksLike('email', 'jane@example.com')).toBe(true);
    expect(looksLike('email', 'yes')).toBe(false);
    expect(looksLike('phone', '0171 7654321')).toBe(true);
    expect(looksLike('phone', 'ext. 12')).toBe(false);
    expect(looksLike('name', 'Alice Jones')).toBe(true);
    expect(looksLike('name', 'N/A')).toBe(false);
    expect(looksLike('profile_url', 'linkedin.com/in/alice-jones')).toBe(true);
  });
});

describe('custom fields named for a person or a contact', () => {
  it("take the rule of the candidates table's column of their class, where a value looks like one", () => {
    const b = new DictionaryBuilder();
    b.add('candidates', { candidate_id: '11', first_name: 'Jane', last_name: 'Doe' });
    const r = createRedactor({
      policy: loadPolicy('default'),
      key: Buffer.alloc(32, 5),
      dictionary: new Dictionary(b.build()),
      personFields: { '801': 'name', '802': 'email', '803': 'phone' },
    });
    const value = (id: string, values: string[]) =>
      r.transform('custom_field_values', {
        custom_field_id: id,
        entity_type: 'candidate',
        entity_id: '11',
        custom_field_values: values,
      })!.custom_field_values as string[];
    // A hiring manager the export knows by nothing else: faked, not left as text that names nobody known.
    const [manager] = value('801', ['Alice Jones']);
    expect(manager).not.toBe('Alice Jones');
    expect(manager).toMatch(/^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u);
    expect(value('802', ['a.jones@corp.example', 'yes'])).toEqual([
      expect.stringMatching(/^person-[0-9a-f]{12}@example\.invalid$/),
      'yes',
    ]);
    expect(value('803', ['0171 7654321'])).toEqual([expect.stringMatching(/^\+1 \(\d{3}\) 555-01\d\d$/)]);
    // Other fields are scrubbed as free text is.
    expect(value('804', ['Alice Jones, for Jane'])).toEqual(['Alice Jones, for [CANDIDATE]']);
    expect(value('801', ['N/A'])).toEqual(['N/A']);
  });
});

describe('namesIn', () => {
  it('finds the names a person field holds beside an e-mail, a phone, a title or another name', () => {
    const cases: [string, string[]][] = [
      ['Hendrik Jansen <hendrik.jansen@acme.example>', ['Hendrik Jansen']],
      ['Anna Schmidt +49 171 1234567', ['Anna Schmidt']],
      ['Pieter de Vries, CTO at Acme, pieter@acme.example, +31 6 12345678', ['Pieter de Vries']],
      ['Marta Kowalczyk and Ivo Petrov', ['Marta Kowalczyk', 'Ivo Petrov']],
      ['HENDRIK JANSEN - hendrik@acme.example', ['HENDRIK JANSEN']],
      ['Jane Doe, VP Engineering', ['Jane Doe']],
      // One name alone is the value itself (`looksLike`), and what is no name gives none.
      ['Alice Jones', []],
      ['Olu / Sales', []],
      ['New York office, 2nd floor', []],
    ];
    expect(cases.map(([value]) => [value, namesIn(value)])).toEqual(cases);
  });
});

describe('DictionaryBuilder.addOther', () => {
  it('makes a name or number of no candidate known to the scrubber: the name whole, everywhere', () => {
    const b = new DictionaryBuilder();
    b.add('candidates', { candidate_id: '11', first_name: 'Jane', last_name: 'Doe' });
    b.addOther('name', 'Alice Jones');
    b.addOther('phone', '+47 912 34 567');
    const r = createRedactor({
      policy: loadPolicy('default'),
      key: Buffer.alloc(32, 5),
      dictionary: new Dictionary(b.build()),
    });
    const note = (content: string) =>
      r.transform('notes', { note_id: '1', candidate_id: '11', content })!.content;
    expect(note('Alice Jones met Jane; Alice and Mr Jones did not; call 912 34 567')).toBe(
      '[PERSON] met [CANDIDATE]; Alice and Mr Jones did not; call [PHONE]',
    );
  });
});
