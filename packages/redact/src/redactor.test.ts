import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createCounters, readReport } from './counters.js';
import { Dictionary, DictionaryBuilder } from './dictionary.js';
import { DEFAULT_POLICY, loadPolicy, type PolicyInput } from './policy.js';
import { Pseudonymizer } from './pseudonym.js';
import { createRedactor } from './redactor.js';

const KEY = Buffer.alloc(32, 7);
const OTHER = Buffer.alloc(32, 8);

function dictionary(): Dictionary {
  const b = new DictionaryBuilder();
  const candidate = (id: string, first: string, last: string, phones: string[] = []) =>
    b.add('candidates', { candidate_id: id, first_name: first, last_name: last, phone_numbers: phones });
  candidate('1000000001', 'José', "O'Brien", ['+1 (212) 555-0100']);
  candidate('1000000002', 'Mary Ann', 'van der Berg', ['+44 7700 900123']);
  candidate('1000000001', 'José', "O'Brien", ['+1 (212) 555-0100']);
  return new Dictionary(b.build());
}

const redactor = (
  policy: PolicyInput | string = 'default',
  extra: { key?: Buffer; counters?: SharedArrayBuffer } = {},
) =>
  createRedactor({
    policy: loadPolicy(policy),
    key: extra.key ?? KEY,
    dictionary: dictionary(),
    ...(extra.counters ? { counters: extra.counters } : {}),
  });

describe('pseudonym of ids', () => {
  it('keeps digit strings digit strings of the same length, leading zero or not, and never collides', () => {
    const ps = new Pseudonymizer(KEY);
    const seen = new Map<string, string>();
    for (let i = 0; i < 10_000; i++) {
      const id = String(i).padStart(4, '0');
      const out = ps.id(id);
      expect(out).toMatch(/^\d{4}$/);
      expect(out.startsWith('0')).toBe(id.startsWith('0'));
      expect(seen.has(out)).toBe(false);
      seen.set(out, id);
    }
    const long = ps.id('6912345000000000042');
    expect(long).toMatch(/^[1-9]\d{18}$/);
    expect(ps.id('7')).toMatch(/^[1-9]$/);
    expect(ps.id('0')).toBe('0');
    expect(ps.id('abc-42')).toMatch(/^[0-9a-f]{24}$/);
  });

  it('gives a profile one fake whatever its tracking parameters, escapes, subdomain or trailing slash', () => {
    const ps = new Pseudonymizer(KEY);
    const url = ps.fake('profile_url', 'https://www.linkedin.com/in/jane-doe-42');
    for (const form of [
      'https://uk.linkedin.com/in/jane-doe-42?originalSubdomain=uk',
      'linkedin.com/in/jane-doe-42/?trk=public_profile#about',
      'http://www.linkedin.com/in/jane%2Ddoe%2D42/',
      'HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE-42',
    ])
      expect(ps.fake('profile_url', form)).toBe(url);
    expect(ps.fake('profile_url', 'https://www.linkedin.com/in/jane-doe-43')).not.toBe(url);
    expect(ps.fake('profile_url', 'https://www.linkedin.com/in/100%-jane')).toMatch(/^https:\/\/www/);
  });

  it('gives an e-mail spelled out in text the fake of the address it spells', () => {
    const ps = new Pseudonymizer(KEY);
    const email = ps.fake('email', 'Jane.Doe@Gmail.com');
    for (const form of [
      'jane dot doe at gmail dot com',
      'jane.doe [at] gmail.com',
      'jane(dot)doe(at)gmail(dot)com',
      'jane.doe＠gmail．com',
      'jane.doe -at- gmail -dot- com',
    ])
      expect(ps.fake('email', form)).toBe(email);
    expect(ps.fake('email', 'jane.doe@gmail.co')).not.toBe(email);
  });

  it('gives a phone number one fake whether written with its country code, trunk 0 or extension or not', () => {
    const ps = new Pseudonymizer(KEY);
    const us = ps.fake('phone', '+1-202-555-0147');
    for (const form of ['(202) 555-0147', '202.555.0147 ext. 12', 'tel:+12025550147', '001 202 555 0147'])
      expect(ps.fake('phone', form)).toBe(us);
    const nl = ps.fake('phone', '+31 6 1234 5678');
    for (const form of ['06 12345678', '0031 6 12345678', '+31 (0)6 1234 5678'])
      expect(ps.fake('phone', form)).toBe(nl);
    expect(ps.fake('phone', '+1-202-555-0148')).not.toBe(us);
    // Pseudonyms keep the country: two countries' numbers may share their national digits.
    expect(ps.text('phone', '+1 207 946 0958')).not.toBe(ps.text('phone', '+44 20 7946 0958'));
  });

  it('gives distinct e-mails and profile URLs distinct fakes (a new ATS dedupes by them)', () => {
    const ps = new Pseudonymizer(KEY);
    const n = 150_000;
    const emails = new Set<string>();
    const urls = new Set<string>();
    for (let i = 0; i < n; i++) {
      emails.add(ps.fake('email', `c${i}@example.com`));
      urls.add(ps.fake('profile_url', `https://www.linkedin.com/in/c-${i}`));
    }
    expect([emails.size, urls.size]).toEqual([n, n]);
  });

  it('is stable for the same key and another for another key', () => {
    const a = new Pseudonymizer(KEY);
    const b = new Pseudonymizer(KEY);
    const c = new Pseudonymizer(OTHER);
    const ids = Array.from({ length: 200 }, (_, i) => String(1_000_000_000 + i * 40));
    expect(ids.map((id) => a.id(id))).toEqual(ids.map((id) => b.id(id)));
    const other = new Set(ids.map((id) => c.id(id)));
    expect(ids.filter((id) => other.has(a.id(id)))).toEqual([]);
  });
});

describe('operators', () => {
  it('default: ids pseudonymized the same in every table, people faked, free text scrubbed', () => {
    const r = redactor();
    const candidate = r.transform('candidates', {
      candidate_id: '1000000001',
      project_id: '42',
      first_name: 'José',
      last_name: "O'Brien",
      emails: ['Jose.OBrien@Example.com'],
      phone_numbers: ['+1 (212) 555-0100'],
      tags: ['java'],
      profile_url: 'https://www.linkedin.com/in/jose-obrien',
      sourcing_channels: null,
      hiring_state_id: '100',
    })!;
    const message = r.transform('messages', {
      message_id: '69000001',
      project_id: '42',
      candidate_id: '1000000001',
      sender_profile_url: 'https://www.linkedin.com/in/jose-obrien/',
      subject: 'Hello',
      body: 'Hi JOSE, reach jose.obrien@example.com or 212.555.0100. José O’Brien’s profile: linkedin.com/in/jose-obrien. Mary Ann van der Berg agrees.',
      type: 'reply',
    })!;
    expect(message.candidate_id).toBe(candidate.candidate_id);
    expect(message.project_id).toBe(candidate.project_id);
    expect(candidate.candidate_id).toMatch(/^[1-9]\d{9}$/);
    expect(candidate.first_name).toMatch(/^[A-Z][a-z]+$/);
    expect(candidate.emails).toEqual([expect.stringMatching(/^person-[0-9a-f]{12}@example\.invalid$/)]);
    expect(candidate.phone_numbers).toEqual([expect.stringMatching(/^\+1 \(\d{3}\) 555-01\d\d$/)]);
    expect(candidate.profile_url).toMatch(/^https:\/\/www\.linkedin\.com\/in\/person-[0-9a-f]{12}$/);
    // The same person in another column and another case gets the same fake.
    expect(message.sender_profile_url).toBe(candidate.profile_url);
    expect(candidate.tags).toEqual(['java']);
    expect(message.body).toBe(
      'Hi [CANDIDATE], reach [EMAIL] or [PHONE]. [CANDIDATE]’s profile: [URL]. [PERSON] agrees.',
    );
    expect(message.subject).toBe('Hello');
  });

  it("default: typed labels are scrubbed: sourcing channels, a custom field's name and description", () => {
    const r = redactor();
    const candidate = r.transform('candidates', {
      candidate_id: '1000000001',
      first_name: 'José',
      last_name: "O'Brien",
      sourcing_channels: ['Referral - Mary Ann van der Berg', 'Job posting'],
    })!;
    expect(candidate.sourcing_channels).toEqual(['Referral - [PERSON]', 'Job posting']);
    const project = r.transform('projects', { project_id: '42', sourcing_channels: ['Sourced by José'] })!;
    expect(project.sourcing_channels).toEqual(['Sourced by [PERSON]']);
    const field = r.transform('custom_field_definitions', {
      custom_field_id: '7',
      name: "Referred by O'Brien",
      description: 'Ask jose.obrien@example.com or Mary Ann',
    })!;
    expect([field.name, field.description]).toEqual(['Referred by [PERSON]', 'Ask [EMAIL] or [PERSON]']);
  });

  it('scrub with values: the text gets the same fakes as the columns', () => {
    const r = redactor({ scrub: { replace: 'values' } });
    const c = r.transform('candidates', {
      candidate_id: '1000000001',
      first_name: 'José',
      last_name: "O'Brien",
      emails: ['jose@x.org'],
    })!;
    const n = r.transform('notes', {
      note_id: '1',
      candidate_id: '1000000001',
      content: 'jose o’brien: jose@x.org',
    })!;
    expect(n.content).toBe(`${c.first_name} ${c.last_name}: ${(c.emails as string[])[0]}`);
  });

  it('own name words only in the candidate’s own rows; dates and short numbers are not phones', () => {
    const r = redactor();
    const own = r.transform('notes', {
      note_id: '1',
      candidate_id: '1000000002',
      content: 'Mary called on 2024-03-05 10:00, ext 5501.',
    })!;
    const other = r.transform('notes', {
      note_id: '2',
      candidate_id: '1000000001',
      content: 'Mary called on 2024-03-05 10:00, ext 5501.',
    })!;
    expect(own.content).toBe('[CANDIDATE] called on 2024-03-05 10:00, ext 5501.');
    expect(other.content).toBe('Mary called on 2024-03-05 10:00, ext 5501.');
    const phone = r.transform('notes', {
      note_id: '3',
      candidate_id: '1000000001',
      content: 'call 447700900123 or +33 1 23 45 67 89',
    })!;
    expect(phone.content).toBe('call [PHONE] or [PHONE]');
  });

  it('texts seen before (any candidate, or this one) come out and count as scrubbed afresh', () => {
    const texts = [
      'Mary called, see +1 (212) 555-0100',
      'Re: your application',
      'Thanks José, write to a@b.example',
      'Re: your application',
    ];
    const rows = [1, 2, 2, 1, 1, 2, 1, 2, 2, 2].flatMap((n, i) =>
      texts.map((content, t) => ({ note_id: `${i}.${t}`, candidate_id: `100000000${n}`, content })),
    );
    const shared = createCounters();
    const once = redactor('default', { counters: shared });
    const fresh = createCounters();
    const seen = rows.map((row) => once.transform('notes', row)!.content);
    const alone = rows.map(
      (row) => redactor('default', { counters: fresh }).transform('notes', row)!.content,
    );
    expect(seen).toEqual(alone);
    // Each text both ways: Mary is the candidate in 1000000002's rows only, José in 1000000001's (a known
    // person in the others').
    expect(new Set(seen)).toEqual(
      new Set([
        '[CANDIDATE] called, see [PHONE]',
        'Mary called, see [PHONE]',
        'Re: your application',
        'Thanks [CANDIDATE], write to [EMAIL]',
        'Thanks [PERSON], write to [EMAIL]',
      ]),
    );
    const policy = loadPolicy('default');
    expect(readReport(shared, policy, 'given')).toEqual(readReport(fresh, policy, 'given'));
  });

  it('keep, drop, mask, pseudonym of text, shift and generalize', () => {
    const r = redactor({
      tables: {
        candidates: {
          first_name: 'keep',
          last_name: 'drop',
          emails: 'mask',
          phone_numbers: 'mask',
          profile_url: 'pseudonym',
        },
        interview_modules: {
          start_time: { op: 'shift', days: 20 },
          end_time: { op: 'generalize', to: 'day' },
        },
        custom_field_definitions: { created_time: 'generalize' },
      },
    });
    const c = r.transform('candidates', {
      candidate_id: '1000000001',
      first_name: 'José',
      last_name: "O'Brien",
      emails: ['jose@corp.example'],
      phone_numbers: ['+1 212 555 0100'],
      profile_url: 'https://www.linkedin.com/in/x',
    })!;
    expect(c).toMatchObject({
      first_name: 'José',
      last_name: null,
      emails: ['***@corp.example'],
      phone_numbers: ['***00'],
    });
    expect(c.profile_url).toMatch(/^[0-9a-f]{16}$/);
    // A domain of one's own names its owner: only its top-level domain is kept.
    const own = r.transform('candidates', {
      candidate_id: '1000000001',
      emails: ['jose@obrien-family.ie', 'j@JoseOBrien.dev', 'x@example.org'],
    })!;
    expect(own.emails).toEqual(['***@***.ie', '***@***.dev', '***@example.org']);
    const m = r.transform('interview_modules', {
      interview_module_id: '1',
      start_time: '2024-03-05T10:00:00.000Z',
      end_time: '2024-03-05T11:30:00.000Z',
    })!;
    const shift = Date.parse(m.start_time as string) - Date.parse('2024-03-05T10:00:00.000Z');
    expect(shift % 86_400_000).toBe(0);
    expect(Math.abs(shift)).toBeLessThanOrEqual(20 * 86_400_000);
    expect(shift).not.toBe(0);
    expect(m.end_time).toBe('2024-03-05T00:00:00.000Z');
    // Digits past the millisecond are shifted with the rest, not dropped.
    const fine = r.transform('interview_modules', {
      interview_module_id: '1',
      start_time: '2024-03-05T10:00:00.123456Z',
    })!;
    expect(fine.start_time).toBe(`${(m.start_time as string).slice(0, 19)}.123456Z`);
    const d = r.transform('custom_field_definitions', {
      custom_field_id: '1',
      created_time: '2024-03-05T10:00:00.000Z',
    })!;
    expect(d.created_time).toBe('2024-03-01T00:00:00.000Z');
  });

  it('shifts every date of a candidate by the same offset, so intervals stay true', () => {
    const ps = new Pseudonymizer(KEY);
    const offsets = new Set(Array.from({ length: 50 }, (_, i) => ps.shiftMs(String(1000 + i), 30)));
    expect(offsets.size).toBeGreaterThan(20);
    expect(ps.shiftMs('1000', 30)).toBe(new Pseudonymizer(KEY).shiftMs('1000', 30));
  });

  it('extra columns are dropped unless the policy keeps them; counts say so, never a value', () => {
    const counters = createCounters();
    const policy = { extra_columns: { notes: { source: 'keep' } } } as const;
    const r = redactor(policy, { counters });
    const n = r.transform('notes', {
      note_id: '1',
      candidate_id: null,
      content: null,
      secret: 'x@y.org',
      source: 'import',
    })!;
    expect(n).toMatchObject({ secret: null, source: 'import' });
    expect(Object.keys(n)).toEqual(['note_id', 'candidate_id', 'content', 'secret', 'source']);
    const report = readReport(counters, loadPolicy(policy), 'given');
    expect(report.tables.notes.extraColumnsChanged).toBe(1);
    expect(report.tables.notes.columns.note_id).toEqual({ operator: 'keep', changed: 0 });
    expect(JSON.stringify(report)).not.toContain('x@y.org');
  });

  it('keeps any header an export has as the name of its column, in its order, row after row', () => {
    // Each record is made as an object literal of its names: quotes, backslashes, line separators,
    // numbers, `__proto__` and the names of Object's own members must stay plain names there.
    const names = ['note_id', 'a"b\\c', 'x\u2028y', '7', 'constructor', '__proto__', 'content', 'toString'];
    const policy = { extra_columns: { notes: Object.fromEntries(names.slice(1).map((n) => [n, 'keep'])) } };
    const r = redactor(policy as PolicyInput);
    for (const withProto of [false, true]) {
      const record = Object.fromEntries(
        names.filter((n) => withProto || n !== '__proto__').map((n, i) => [n, `v${i}`]),
      );
      if (withProto)
        Object.defineProperty(record, '__proto__', { value: 'v5', enumerable: true, writable: true });
      for (let row = 0; row < 2; row++) {
        const out = r.transform('notes', record)!;
        expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
        expect(Object.keys(out)).toEqual(Object.keys(record));
        expect(Object.entries(out)).toEqual(Object.entries(record));
      }
    }
  });

  it('makes the same records where no code may be made from strings (records copied, not made as literals)', () => {
    const script = `
      import { createRedactor, loadPolicy } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
      const r = createRedactor({ policy: loadPolicy('default'), key: Buffer.alloc(32, 7) });
      const record = { note_id: '1', project_id: '2', candidate_id: '1000000001', content: 'Call José at +1 212 555 0100', owner_profile_url: null, visibility: 'HiringContext' };
      process.stdout.write(JSON.stringify([r.transform('notes', record), r.transform('notes', record)]));
    `;
    const run = (flags: string[]) =>
      execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' });
    const locked = run(['--disallow-code-generation-from-strings']);
    expect(JSON.parse(locked)[0].candidate_id).toMatch(/^\d{10}$/);
    expect(locked).toBe(run([]));
  });

  it('attachments: dropped by kind by default, kept ones renamed with the pseudonym and scrubbed', () => {
    const counters = createCounters();
    const policy = { ...DEFAULT_POLICY, attachments: { public: 'keep' } } as const;
    const r = redactor(policy, { counters });
    expect(r.attachment('Candidate_1000000001/Private/offer.pdf')).toBeNull();
    const kept = r.attachment(
      'Attachments_1000000001-1000000002/Candidate_1000000001/Public/José O’Brien resume.pdf',
    );
    const ps = new Pseudonymizer(KEY);
    const [a, b] = [ps.id('1000000001'), ps.id('1000000002')];
    expect(kept).toBe(`Attachments_${a}-${b}/Candidate_${a}/Public/[CANDIDATE] resume.pdf`);
    expect(r.part('Attachment_1000000001-1000000002.zip')).toBe(`Attachment_${a}-${b}.zip`);
    const report = readReport(counters, loadPolicy(policy), 'given');
    expect(report.attachments).toEqual({
      public: { kept: 1, dropped: 0 },
      private: { kept: 0, dropped: 1 },
      miscellaneous: { kept: 0, dropped: 0 },
    });
  });
});

describe('placeholders for no value', () => {
  it('are kept where the policy fakes: a fake would invent an e-mail, a number or a name', () => {
    const r = createRedactor({ policy: loadPolicy('default'), key: Buffer.alloc(32, 9) });
    const out = r.transform('candidates', {
      candidate_id: '1',
      first_name: 'N/A',
      last_name: '-',
      emails: ['none', 'n/a', 'jane@example.com'],
      phone_numbers: ['Unknown', '?'],
      profile_url: 'N/A',
    })!;
    expect(out).toMatchObject({
      first_name: 'N/A',
      last_name: '-',
      phone_numbers: ['Unknown', '?'],
      profile_url: 'N/A',
    });
    expect(out.emails).toEqual([
      'none',
      'n/a',
      expect.stringMatching(/^person-[0-9a-f]{12}@example\.invalid$/),
    ]);
    // A family name that reads as a word is a name still.
    const names = r.transform('candidates', { candidate_id: '2', first_name: 'Min', last_name: 'Na' })!;
    expect([names.first_name, names.last_name]).not.toContain('Na');
  });
});

describe('custom field values of candidates', () => {
  const cfv = (type: string, id: string, text: string) => ({
    custom_field_id: '7',
    entity_type: type,
    entity_id: id,
    custom_field_values: [text],
  });

  it('are dropped with their candidate whatever the case and spaces of entity_type', () => {
    const r = createRedactor({
      policy: loadPolicy('default'),
      key: KEY,
      dictionary: dictionary(),
      dropCandidates: new Set(['1000000002']),
    });
    for (const type of ['candidate', 'Candidate', 'CANDIDATE', ' candidate ']) {
      expect(r.transform('custom_field_values', cfv(type, '1000000002', 'x'))).toBeNull();
    }
    expect(r.transform('custom_field_values', cfv('project', '1000000002', 'x'))).not.toBeNull();
  });

  it('are scrubbed for their candidate whatever the case of entity_type', () => {
    const r = redactor();
    for (const type of ['candidate', 'Candidate', 'CANDIDATE']) {
      const out = r.transform('custom_field_values', cfv(type, '1000000002', 'Mr. Berg'))!;
      expect(out.custom_field_values).toEqual(['Mr. [CANDIDATE]']);
    }
  });
});

describe('remembered texts', () => {
  it('are remembered for their candidate when a name of theirs joined an e-mail address', () => {
    const b = new DictionaryBuilder();
    b.add('candidates', { candidate_id: '1', first_name: 'Mary Ann', last_name: 'Lee' });
    b.add('candidates', { candidate_id: '2', first_name: 'Bo', last_name: 'Ng' });
    const r = createRedactor({
      policy: loadPolicy('default'),
      key: KEY,
      dictionary: new Dictionary(b.build()),
    });
    const note = (candidate: string) =>
      r.transform('notes', { note_id: '1', candidate_id: candidate, content: 'write mary x7@corp.io' })!
        .content;
    // "mary" alone is a name in Mary Ann's rows only.
    expect([note('1'), note('2')]).toEqual(['write [EMAIL]', 'write mary [EMAIL]']);
  });
});

describe('candidate ids in free text', () => {
  it('become their pseudonyms where ids are pseudonymized, and stay where ids are kept', () => {
    const r = redactor();
    const ps = new Pseudonymizer(KEY);
    const note = (content: string, policy: PolicyInput | string = 'default') =>
      (policy === 'default' ? r : redactor(policy)).transform('notes', {
        note_id: '1',
        candidate_id: '1000000001',
        content,
      })!.content;
    const [a, b] = [ps.id('1000000001'), ps.id('1000000002')];
    // Of 10 digits, as Talent Hub's are: a phone's shape, yet an id.
    expect(note('see candidate 1000000002 (1000000001), not 1000000003 nor 2023')).toBe(
      `see candidate ${b} (${a}), not [PHONE] nor 2023`,
    );
    expect(note('41000000002 is no id')).toBe('[PHONE] is no id');
    const kept = { version: 1, tables: { candidates: { candidate_id: 'keep', project_id: 'keep' } } };
    expect(note('see candidate 1000000002', kept as PolicyInput)).toBe('see candidate 1000000002');
  });

  it('are counted, and a file name gets its candidate id once, as a number', () => {
    const counters = createCounters();
    const r = redactor('default', { counters });
    r.transform('notes', { note_id: '1', candidate_id: '1000000001', content: 'ref 1000000002' });
    const policy = loadPolicy('default');
    expect(readReport(counters, policy, 'file').known.candidate_id).toBe(1);
    const ps = new Pseudonymizer(KEY);
    const keep = loadPolicy({
      version: 1,
      tables: { candidates: { candidate_id: 'pseudonym' } },
      attachments: { public: 'keep' },
    } as PolicyInput);
    const files = createRedactor({ policy: keep, key: KEY, dictionary: dictionary() });
    // The new id is not taken for an old one again, whichever candidate that may be.
    const path = files.attachment('Candidate_1000000001/Public/cv_1000000001.pdf')!;
    expect(path).toBe(`Candidate_${ps.id('1000000001')}/Public/cv_${ps.id('1000000001')}.pdf`);
  });
});

describe('people named by profile URL only', () => {
  it("takes a message's sender and a note's owner, named by URL only, out of the row's text", () => {
    const r = redactor();
    const message = r.transform('messages', {
      message_id: '1',
      candidate_id: '1000000001',
      sender_profile_url: 'https://www.linkedin.com/in/priya-sharma-1a2b3c',
      subject: 'Hi from Priya Sharma',
      body: 'Hi José, ... Best,\nPRIYA SHARMA\nTalent Acquisition',
    })!;
    expect([message.subject, message.body]).toEqual([
      'Hi from [PERSON]',
      'Hi [CANDIDATE], ... Best,\n[PERSON]\nTalent Acquisition',
    ]);
    const note = r.transform('notes', {
      note_id: '1',
      candidate_id: '1000000001',
      owner_profile_url: 'https://www.linkedin.com/in/tom-becker-9f8e7d',
      content: 'Tom Becker met him; Priya Sharma too',
    })!;
    // Only the row's own people: another row's sender is no one here.
    expect(note.content).toBe('[PERSON] met him; Priya Sharma too');
  });
});
