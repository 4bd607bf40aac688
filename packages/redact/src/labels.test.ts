import { describe, expect, it } from 'vitest';
import { createCounters, readReport } from './counters.js';
import { Dictionary, DictionaryBuilder } from './dictionary.js';
import { labelClass, looksLike, namesIn, sensitiveField } from './labels.js';
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
      ['Hiring Manager (HM)', 'name'],
      ['Agency Recruiter', 'name'],
      ['Recruiting Coordinator', 'name'],
      ['Line manager', 'name'],
      ['Referring Employee', 'name'],
      ['Referred by employee', 'name'],
      ['Candidate Owner', 'name'],
      ['Sourced by', 'name'],
      ['Reports to', 'name'],
      ['Spouse', 'name'],
      ['Partner', 'name'],
      ['Interviewer panel', 'name'],
      ['Panelists', 'name'],
      ['Partner company', undefined],
      ['Panel size', undefined],
      ['Filename', undefined],
      ['Referral source (employee)', undefined],
      ['Recruiter notes (internal)', undefined],
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

describe('sensitiveField', () => {
  it('tells custom fields of special personal data by their name or description, in a few languages', () => {
    const cases: [string, string | undefined, boolean][] = [
      ['Home address', undefined, true],
      ['Street', undefined, true],
      ['Postcode', undefined, true],
      ['Date of Birth', undefined, true],
      ['DOB', undefined, true],
      ['Age', undefined, true],
      ['National ID', undefined, true],
      ['SSN', undefined, true],
      ['Passport number', undefined, true],
      ['Current salary', undefined, true],
      ['Gender', undefined, true],
      ['Pronouns', undefined, true],
      ['Nationality', undefined, true],
      ['Marital status', undefined, true],
      ['Marital', undefined, true],
      ['Ethnic background', undefined, true],
      ['Birthplace', undefined, true],
      ['Emergency contact address', undefined, true],
      ['Disability', undefined, true],
      ['Health notes', undefined, true],
      ['Religion', undefined, true],
      ['Anschrift', undefined, true],
      ['Geburtsdatum', undefined, true],
      ['Staatsangehörigkeit', undefined, true],
      ['Gehaltsvorstellung', undefined, true],
      ['Familienstand', undefined, true],
      ['Date de naissance', undefined, true],
      ['Numéro de sécurité sociale', undefined, true],
      ['Fecha de nacimiento', undefined, true],
      ['Dirección', undefined, true],
      ['Estado civil', undefined, true],
      ['Geboortedatum', undefined, true],
      ['BSN', undefined, true],
      ['Woonadres', undefined, true],
      ['Field 7', "Candidate's home address", true],
      // Person fields are faked as their class; other labels are no special data.
      ['Email address', undefined, false],
      ['Emergency contact phone', undefined, false],
      ['Company address', undefined, false],
      ['Stage', undefined, false],
      ['Agency', undefined, false],
      ['Notice period', undefined, false],
      ['Source', 'where we found them (job board, address book)', false],
      ['Recruiter notes', undefined, false],
    ];
    expect(
      cases.map(([name, description]) => [name, description, sensitiveField({ name, description })]),
    ).toEqual(cases);
  });

  it('makes their values [REDACTED] where the policy scrubs them, counted as sensitive_field', () => {
    const counters = createCounters();
    const policy = loadPolicy('default');
    const r = createRedactor({
      policy,
      key: Buffer.alloc(32, 5),
      counters,
      sensitiveFields: ['901', '902'],
    });
    const value = (id: string, values: string[]) =>
      r.transform('custom_field_values', {
        custom_field_id: id,
        entity_type: 'candidate',
        entity_id: '11',
        custom_field_values: values,
      })!.custom_field_values;
    expect(value('901', ['12 Rose Street, Leeds'])).toEqual(['[REDACTED]']);
    expect(value('902', ['1987-03-04', ''])).toEqual(['[REDACTED]', '']);
    // Another field's text is scrubbed, which leaves what names no one.
    expect(value('903', ['12 Rose Street, Leeds'])).toEqual(['12 Rose Street, Leeds']);
    const report = readReport(counters, policy, 'given');
    expect(report.known.sensitive_field).toBe(2);
    expect(report.tables.custom_field_values.columns.custom_field_values).toEqual({
      operator: 'scrub',
      changed: 2,
    });
    // A policy that keeps the column keeps them: it says so.
    const kept = createRedactor({
      policy: loadPolicy({ tables: { custom_field_values: { custom_field_values: 'keep' } } }),
      key: Buffer.alloc(32, 5),
      sensitiveFields: ['901'],
    });
    expect(
      kept.transform('custom_field_values', { custom_field_id: '901', custom_field_values: ['x y'] })!
        .custom_field_values,
    ).toEqual(['x y']);
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
