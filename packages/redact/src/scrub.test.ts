// The scrubber's hand-written detector scans against the regular expressions they stand for, and names
// with accents found in place in any case and written either way (composed or not).
import { describe, expect, it } from 'vitest';
import { Counters, createCounters, readReport } from './counters.js';
import { Dictionary, DictionaryBuilder } from './dictionary.js';
import { loadPolicy } from './policy.js';
import { Pseudonymizer } from './pseudonym.js';
import { Scrubber } from './scrub.js';

const KEY = Buffer.alloc(32, 3);
const ALL = ['email', 'phone', 'linkedin_url'] as const;

/**
 * The URL and phone detectors as regular expressions, in order; a find overlapping one replaced before it
 * is replaced from where that one ends. (E-mails are found by a scan from each @ that has no one regular expression: the texts
 * here have none.)
 */
function reference(text: string): string {
  type Find = { start: number; end: number; token: string };
  const found: Find[] = [];
  if (text.length > 12) {
    for (const m of text.matchAll(
      /linkedin\.com\/(?:in|pub|profile|mwlite\/in|comm\/in|talent\/profile|talent\/hire|recruiter|sales\/lead|sales\/people)\//gi,
    )) {
      const head = /(?:https?:\/\/)?(?:[\w-]+\.)?$/i.exec(text.slice(Math.max(0, m.index - 40), m.index))![0];
      const tail = (/[^\s<>"'()[\]{},;\\]+/y.exec(text.slice(m.index + m[0].length))?.[0] ?? '').replace(
        /[.!?:]+$/,
        '',
      );
      if (tail) {
        const end = m.index + m[0].length + tail.length;
        found.push({ start: m.index - head.length, end, token: '[URL]' });
      }
    }
  }
  const isDate = (run: string) => /^[12]\d{3}[-/.](0?[1-9]|1[0-2])[-/.]\d/.test(run);
  for (const m of text.matchAll(
    /\+?\(?\d[\d \t\u00a0\u2000-\u200f\u202f().\-/\u2010-\u2015\u00ad\u2060\ufeff]{4,}\d/g,
  )) {
    // A run of more digits than a number has, or starting with a date, is cut where a number may start.
    const pieces: [number, number][] = [];
    const run = m[0];
    if (run.replace(/\D/g, '').length <= 15 && !isDate(run) && !run.includes('. '))
      pieces.push([0, run.length]);
    else {
      let from = 0;
      for (let i = 1; i < run.length; i++) {
        const [c, before] = [run[i], run[i - 1]];
        const cut =
          (before === ' ' && (c === '/' || c === '(' || c === '+')) ||
          (c === '/' &&
            /\d{3}$/.test(run.slice(from, i)) &&
            /^\d{3}/.test(run.slice(i + 1)) &&
            run.slice(from, i).replace(/\D/g, '').length >= 7) ||
          (before === '.' && c === ' ') ||
          (c === ' ' && i - from >= 8 && isDate(run.slice(from, i)));
        if (!cut) continue;
        pieces.push([from, i]);
        from = c === '/' ? i + 1 : i;
      }
      pieces.push([from, run.length]);
    }
    for (const [from, to] of pieces) {
      const piece = /[\d(+].*\d/s.exec(run.slice(from, to));
      if (!piece || piece[0].length < 5) continue;
      const digits = piece[0].replace(/\D/g, '').length;
      const phone =
        !isDate(piece[0]) &&
        digits <= 15 &&
        (/^[+(]/.test(piece[0]) || piece[0].includes('(') ? digits >= 7 : digits >= 10);
      // A run that is no phone number stays as it is and hides nothing it overlaps.
      const start = m.index + from + piece.index;
      if (phone) found.push({ start, end: start + piece[0].length, token: '[PHONE]' });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let done = 0;
  for (const f of found) {
    if (f.end <= done) continue;
    // Overlapping one replaced before: the rest of it is replaced too.
    const at = Math.max(f.start, done);
    out += text.slice(done, at) + f.token;
    done = f.end;
  }
  return out + text.slice(done);
}

/** Texts made of pieces that sit at the detectors' edges, glued in any order (a seeded generator). */
function texts(count: number): string[] {
  const pieces = [
    'https://www.linkedin.com/in/jane-doe-42',
    'HTTP://LinkedIn.com/IN/x',
    'uk.linkedin.com/pub/a-b/1/2/3',
    'https://www.linkedin.com/mwlite/in/jane-doe',
    'linkedin.com/talent/profile/AEMAAA',
    'LinkedIn.com/sales/lead/ACwAA,NAME',
    'linkedin.com/sales/people/x',
    'linkedin.com/sales/',
    'linkedin.com/mwlite/',
    'https://www.linkedin.com/comm/in/pat-kim?midToken=AQ',
    'linkedin.com/talent/hire/123/discover/applicants/profile/AEMAAA?project=1',
    'LinkedIn.com/recruiter/profile/1234,ab,CAP',
    'linkedin.com/talent/',
    'linkedin.com/profile/view?id=7',
    'xhttps://linkedin.com/in/',
    `${'h'.repeat(45)}.linkedin.com/in/q`,
    'https//linkedin.com/in/a',
    '..linkedin.com/in/a.',
    'linkedin.com/in/a!?:',
    'linkedin.com/company/x',
    'linkedin.com/profile/',
    'LINKEDIN.COM/PUB/',
    '+1 (212) 555-0100',
    '(555) 010-9999',
    '+(44) 20 7946 0958',
    '2021-10-12',
    '2021/1/12 555 0100',
    '0049-30-1234567',
    '0033-6-12-34-56-78',
    '2021-13-01 ',
    '1234567890',
    '12 34 56',
    '123456789012345678',
    '555\u00a0010\u00a09999',
    '+33\u202f6\u202f12\u202f34\u202f56\u202f78',
    '\u2009',
    ' / ',
    '2024-01-15 ',
    '\u2013',
    '+',
    '(',
    '/',
    '.',
    ' ',
    ', ',
    'word',
    'é',
    '\t',
  ];
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    // The high bits: the low ones of this generator repeat in short cycles.
    return seed >>> 16;
  };
  return Array.from({ length: count }, () => {
    let text = '';
    for (let n = next() % 8; n >= 0; n--) text += pieces[next() % pieces.length];
    return text;
  });
}

/** A scrubber with every detector over the names `b` holds, replacing finds with tokens. */
const tokensOver = (b: DictionaryBuilder) =>
  new Scrubber(
    new Dictionary(b.build()),
    new Pseudonymizer(KEY),
    { replace: 'tokens', detectors: [...ALL] },
    new Counters(createCounters()),
  );

/** A scrubber with every detector and no dictionary, replacing finds with tokens. */
const detectorsOnly = () =>
  new Scrubber(
    undefined,
    new Pseudonymizer(KEY),
    { replace: 'tokens', detectors: [...ALL] },
    new Counters(undefined),
  );

describe('Scrubber detectors', () => {
  it('find what their regular expressions find, at the same places', () => {
    const scrubber = detectorsOnly();
    for (const text of texts(20_000))
      expect([text, scrubber.scrub(text, -1)]).toEqual([text, reference(text)]);
  });
});

describe('Scrubber profiles on other networks', () => {
  it('finds a GitHub, X, XING or Facebook profile as a LinkedIn one, by its host and a handle after it', () => {
    const scrubber = detectorsOnly();
    expect(
      scrubber.scrub(
        'Code: github.com/xq-coder/dotfiles. x.com/xq_88, https://www.xing.com/profile/Jane_Doe2/cv; ' +
          '(facebook.com/jane.doe.77) medium.com/@xq and t.me/xq88!',
        -1,
      ),
    ).toBe('Code: [URL]. [URL], [URL]; ([URL]) [URL] and [URL]!');
    // Not another host that ends like one, nor a host with no handle after it.
    const text = 'See box.com/x, github.com/ and 01/02/2024, netflix.com/jane, x.community/y';
    expect(scrubber.scrub(text, -1)).toBe(text);
  });
});

describe('Scrubber spelled-out e-mails', () => {
  it('finds addresses written with at and dot, a spaced or full-width @', () => {
    const scrubber = detectorsOnly();
    expect(
      scrubber.scrub(
        'Mail j.doe42 at example dot com, jdoe [at] example [dot] org, jdoe (AT) mail.example.co.uk; ' +
          'jane @ example.com or jane＠example.com. Or jane_d at example.com, or ask at j.doe at example dot com',
        -1,
      ),
    ).toBe('Mail [EMAIL], [EMAIL], [EMAIL]; [EMAIL] or [EMAIL]. Or [EMAIL], or ask at [EMAIL]');
    // The word "at" before a host name is no address unless the dots are spelled or the local part is marked.
    const text =
      'Buy it at amazon.com, meet me at 5.30, jane at example.com, we met @ the office, 3.11 at python.org';
    expect(scrubber.scrub(text, -1)).toBe(text);
  });

  it('finds them where the text writes no other @ and spells no dot, after an "at" that is none', () => {
    const scrubber = detectorsOnly();
    expect(scrubber.scrub('reach me at jane.doe@example.com or j.doe at example.com', -1)).toBe(
      'reach me at [EMAIL] or [EMAIL]',
    );
    expect(scrubber.scrub('say hi at at gmail.com', -1)).toBe('say hi [EMAIL]');
    expect(scrubber.scrub('José2 at example.com, Ünal at GMAIL.com', -1)).toBe('[EMAIL], [EMAIL]');
  });
});

describe('Scrubber e-mails written other ways', () => {
  it('finds dots spelled in the local part, a bracketed @, a full-width or ideographic dot, a space before the dot, a mail host alone', () => {
    const scrubber = detectorsOnly();
    const cases: [string, string][] = [
      ['mail mary(dot)smith(at)example(dot)com!', 'mail [EMAIL]!'],
      ['mary dot smith at example dot com', '[EMAIL]'],
      ['mary.smith [@] example.com, mary.smith(@)example.com', '[EMAIL], [EMAIL]'],
      ['mary <at> example <dot> org; mary -at- example -dot- org', '[EMAIL]; [EMAIL]'],
      ['mary.smith＠example．com', '[EMAIL]'],
      // Chinese and Japanese text: an ideographic full stop for a dot; one ending the sentence stays.
      [
        '邮箱 wangxm@163。com。谢谢, mary.smith＠qq。com; mary@example．co．uk',
        '邮箱 [EMAIL]。谢谢, [EMAIL]; [EMAIL]',
      ],
      ['mary . smith @ example . com', '[EMAIL]'],
      [
        'mary.smith@example .com, mary.smith@example. COM? no: mary@example . org',
        '[EMAIL], [EMAIL]? no: [EMAIL]',
      ],
      ['write Mary.Smith@gmail or msmith@Outlook', 'write [EMAIL] or [EMAIL]'],
      ['or mary at gmail.com, mary at Outlook.co.uk', 'or [EMAIL], [EMAIL]'],
      [
        'link https://cal.example/b?guest=mary.smith%2540example.com',
        'link https://cal.example/b?guest=[EMAIL]',
      ],
    ];
    for (const [text, expected] of cases) expect(scrubber.scrub(text, -1)).toBe(expected);
    // Handles, a host that is no mail provider, a sentence after an address, hyphenated words.
    for (const text of [
      'follow @acme_jobs, ask team@acme. Thanks!',
      'home@work balance; she is a stay-at-home.com founder',
      'I dot my i at home. The (dot) com era',
    ])
      expect(scrubber.scrub(text, -1)).toBe(text);
  });
});

describe('Scrubber e-mails whose local part has several words', () => {
  it('finds a quoted local part, and takes in the words of a known name written before the @ with a space', () => {
    const scrubber = detectorsOnly();
    expect(scrubber.scrub('"John Smith"@example.com, mail "j smith 42"@Example.org now', -1)).toBe(
      '[EMAIL], mail [EMAIL] now',
    );
    // A quote that opens no local part (another line, too long, no host) stays.
    for (const text of ['he said "yes"@ noon', `"${'a'.repeat(70)}"@example.com`, '"x\ny"@example.com'])
      expect(scrubber.scrub(text, -1)).toBe(text);
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Mary Ann', last_name: "O'Neil-Barros" });
    d.add('candidates', { candidate_id: '2', first_name: 'John', last_name: 'Smith' });
    d.add('candidates', { candidate_id: '3', first_name: 'Wei', last_name: 'Li' });
    const names = tokensOver(d);
    // In another candidate's row, "mary" alone is no name, "mary ann" is.
    const cases: [string, string][] = [
      ['write mary ann@corp.io', 'write [EMAIL]'],
      ['john smith@example.com or John . Smith@example.com', '[EMAIL] or [EMAIL]'],
      ['john smith @ example.com', '[EMAIL]'],
      ["o'neil barros@corp.io", '[EMAIL]'],
      ['thanks for the call jsmith@example.com', 'thanks for the call [EMAIL]'],
    ];
    for (const [text, expected] of cases) expect(names.scrub(text, 2)).toBe(expected);
    // A name of one or two letters is taken in only as its candidate's whole name.
    expect(names.scrub('ask li smith@example.com', 0)).toBe('ask li [EMAIL]');
  });
});

describe('Scrubber phone numbers and the numbers that are none', () => {
  it('finds numbers with characters that show nothing between the digits', () => {
    const scrubber = detectorsOnly();
    expect(scrubber.scrub('call 212\u200b555\u200b0199 or 07700\u00ad900123', -1)).toBe(
      'call [PHONE] or [PHONE]',
    );
  });

  it('takes an extension and the letters of a vanity number with the number', () => {
    const scrubber = detectorsOnly();
    expect(scrubber.scrub('call +44 (0)20 7946 0958 ext. 12, (212) 555-0199 x123 or 415-555-JANE.', -1)).toBe(
      'call [PHONE], [PHONE] or [PHONE].',
    );
  });

  it('leaves ranges of round amounts, IP addresses and labelled numbers (orders, books, tickets) alone', () => {
    const scrubber = detectorsOnly();
    for (const text of [
      'Salary 120000-140000, EUR 85.000 - 95.000, €85.000–95.000 or 45 000 – 55 000 kr',
      'Server 192.168.100.200 is down, release 20240301.1542 is up, seasons 2023/24 - 2024/25',
      'created 1700000000000',
      'Order #123-456-7890, ISBN 978-3-16-148410-0, Ticket no. 4155550132, PO: 4500012345',
    ])
      expect(scrubber.scrub(text, -1)).toBe(text);
    // Still numbers: a range that is not round, a number after "Phone #".
    expect(scrubber.scrub('Phone #: 212 555 0199; ids 1234567890-1234567891', -1)).toBe(
      'Phone #: [PHONE]; ids 1234567890-1234567891',
    );
  });
});

describe('Scrubber LinkedIn URLs', () => {
  it("finds profiles in LinkedIn's e-mail links and in Recruiter's project and older paths", () => {
    const scrubber = detectorsOnly();
    expect(
      scrubber.scrub(
        'from https://www.linkedin.com/comm/in/pat-kim?midToken=AQ, see https://www.linkedin.com/talent/hire/123/discover/applicants/profile/AEMAAA?project=1 or linkedin.com/recruiter/profile/1234,ab,CAP',
        -1,
      ),
    ).toBe('from [URL], see [URL] or [URL],ab,CAP');
  });

  it('finds short links, a profile path without its host, and a handle after a LinkedIn label', () => {
    const scrubber = detectorsOnly();
    const cases: [string, string][] = [
      ['see lnkd.in/abc123 now', 'see [URL] now'],
      ['see https://lnkd.in/dXyZ.', 'see [URL].'],
      ['(http://LNKD.IN/e-Gx5Zq)', '([URL])'],
      ['profile linkedin.com/in/jane-doe ok', 'profile [URL] ok'],
      ['www.linkedin.com/in/jane-doe/ and www.linkedin.com/in/jane-doe?trk=abc', '[URL] and [URL]'],
      ['/in/jane-doe-42', '[URL]'],
      ['my page: /in/janedoe42/ thanks', 'my page: [URL] thanks'],
      ['LinkedIn: in/jane-doe', 'LinkedIn: [URL]'],
      ['linkedin - in/jdoe, mobile', 'linkedin - [URL], mobile'],
      ['LinkedIn profile: in/Jane-Doe-1a2b3c/', 'LinkedIn profile: [URL]'],
      ['LinkedIn:\nin/jane-doe', 'LinkedIn:\n[URL]'],
      ['LI: in/jdoe', 'LI: [URL]'],
      ['profile in/jane-doe-42 and in/jane-doe-1a2b3c.', 'profile [URL] and [URL].'],
      ['[profile](https://lnkd.in/gQ2xYz3)', '[profile]([URL])'],
    ];
    for (const [text, want] of cases) expect(scrubber.scrub(text, -1), text).toBe(want);
    // Ordinary text with "in/" stays, and so do other hosts' paths and a host merely ending in lnkd.in.
    for (const text of [
      'sign in/register, check in/out, log in/sign up',
      'plug-in/extension; in/out board',
      'see example.com/in/news and foo.org/in/jane-doe',
      'mylnkd.in/abc123',
      'the /in/ folder, /in/out',
      'LinkedIn: in/',
      'logged in/out-2 times; built in/for 2023; in/out-of-office',
      'Linkedin in/around',
    ])
      expect(scrubber.scrub(text, -1), text).toBe(text);
  });
});

describe('Scrubber phone numbers', () => {
  it('finds numbers joined by " / ", after a date or an order number, and with dashes of any kind', () => {
    const scrubber = detectorsOnly();
    const cases: [string, string][] = [
      ['06 12 34 56 78 / 07 98 76 54 32', '[PHONE] / [PHONE]'],
      ['(347) 123-4567 / (347) 123-4568', '[PHONE] / [PHONE]'],
      ['on 2024-01-15 (415) 555-0132 ok', 'on 2024-01-15 [PHONE] ok'],
      ['Order 1234567 (415) 555-0132', 'Order 1234567 [PHONE]'],
      ['mobile 07700 900123. 020 7946 0958 is the office', 'mobile [PHONE]. [PHONE] is the office'],
      ['call 020 7946 0958. 12 came', 'call [PHONE]. 12 came'],
      ['Phone: 020 7946 0958/07700 900123 or 0171/1234567', 'Phone: [PHONE]/[PHONE] or [PHONE]'],
      ['call 415\u2013555\u20130132 now', 'call [PHONE] now'],
      [
        '+33\u202f6\u202f12\u202f34\u202f56\u202f78 or 06\u200912\u200934\u200956\u200978',
        '[PHONE] or [PHONE]',
      ],
      ['2024-01-15', '2024-01-15'],
      ['from 0049-30-7654321 or 0033-6-12-34-56-78', 'from [PHONE] or [PHONE]'],
      ['123456789012345678', '123456789012345678'],
    ];
    for (const [text, expected] of cases) {
      expect(scrubber.scrub(text, -1)).toBe(expected);
      expect(reference(text)).toBe(expected);
    }
  });
});

describe('Scrubber full-width digits', () => {
  it('finds phone numbers typed with full-width, Arabic, Persian or Devanagari digits, and leaves other text as written', () => {
    const scrubber = detectorsOnly();
    expect(
      scrubber.scrub(
        '電話：０９０－１２３４－５６７８、＋８１\u3000９０\u3000１２３４\u3000５６７８まで',
        -1,
      ),
    ).toBe('電話：[PHONE]、[PHONE]まで');
    expect(scrubber.scrub('第２回面接は１０月', -1)).toBe('第２回面接は１０月');
    // Arabic-Indic, Persian and Devanagari digits.
    expect(scrubber.scrub('رقمي +٩٧١\u200f ٥٠ ١٢٣ ٤٥٦٧ أو ۰۹۱۲ ۳۴۵ ۶۷۸۹، फ़ोन ९८७६५ ४३२१०', -1)).toBe(
      'رقمي [PHONE] أو [PHONE]، फ़ोन [PHONE]',
    );
    expect(scrubber.scrub('في ٢٠٢٤ و ١٠ أيام', -1)).toBe('في ٢٠٢٤ و ١٠ أيام');
    // Beside a number replaced, other digits stay as written (a date, a count).
    expect(scrubber.scrub('٢٠٢٤ رقمي ٠٥٠ ١٢٣ ٤٥٦٧ و ١٠ أيام، ۲۰۲۴', -1)).toBe(
      '٢٠٢٤ رقمي [PHONE] و ١٠ أيام، ۲۰۲۴',
    );
  });
});

describe('Scrubber known phone numbers', () => {
  it("finds a candidate's number written at home: without its country code, behind a trunk 0", () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', phone_numbers: ['+48 601 234 567', '+47 912 34 567'] });
    d.add('candidates', { candidate_id: '2', phone_numbers: ['(212) 555-0100 ext. 42'] });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('call 601 234 567, 0601-234-567 or 912 34 567; not 601 234 568', 0)).toBe(
      'call [PHONE], [PHONE] or [PHONE]; not 601 234 568',
    );
    // Inside a run of more digits than one number has (numbers glued together).
    expect(scrubber.scrub('Jane 601 234 567.912 34 567-1234567890123', 0)).toBe(
      'Jane [PHONE].[PHONE]-1234567890123',
    );
  });
});

describe('Scrubber escapes', () => {
  it('scrubs text behind percent escapes and HTML references, and leaves text without people as written', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jane', last_name: "O'Brien" });
    const scrubber = tokensOver(d);
    expect(
      scrubber.scrub('book https://cal.example/x?email=jane.obrien%40example.com&name=Jane%20O%27Brien', 0),
    ).toBe('book https://cal.example/x?email=[EMAIL]&name=[CANDIDATE]');
    expect(scrubber.scrub('Dear Ms O&#39;Brien &amp; team', 0)).toBe('Dear Ms [CANDIDATE] &amp; team');
    // HTML mail's named references of letters and quotes, in the case HTML spells them.
    const named = new DictionaryBuilder();
    named.add('candidates', { candidate_id: '1', first_name: 'Seán', last_name: 'Núñez' });
    named.add('candidates', { candidate_id: '2', first_name: 'Zoë', last_name: 'O’Connor' });
    expect(
      tokensOver(named).scrub('Dear Se&aacute;n N&uacute;&ntilde;ez &AMP; Zo&euml; O&rsquo;Connor', 0),
    ).toBe('Dear [CANDIDATE] &AMP; [PERSON]');
    expect(tokensOver(named).scrub('SE&Aacute;N N&Uacute;&Ntilde;EZ', 0)).toBe('[CANDIDATE]');
    expect(tokensOver(named).scrub('mail jd&commat;example&period;com', 0)).toBe('mail [EMAIL]');
    // HTML5's names of Central European letters and of an e-mail's punctuation.
    const polish = new DictionaryBuilder();
    polish.add('candidates', { candidate_id: '1', first_name: 'Łukasz', last_name: 'Małysz' });
    expect(tokensOver(polish).scrub('&Lstrok;ukasz Ma&lstrok;ysz, j&lowbar;doe&commat;example.com', 0)).toBe(
      '[CANDIDATE], [EMAIL]',
    );
    // What is not replaced stays as written, escapes and all: HTML escaped stays escaped (no tag is made of
    // `&lt;script&gt;`), a link keeps its percent escapes, a date in Arabic-Indic digits its digits.
    expect(scrubber.scrub('&lt;script&gt;x()&lt;/script&gt; Hi Jane &lt;3 &#x1F600;', 0)).toBe(
      '&lt;script&gt;x()&lt;/script&gt; Hi [CANDIDATE] &lt;3 &#x1F600;',
    );
    expect(scrubber.scrub('<a href="https://x.example/?q=a%20b&amp;who=Jane%20O%27Brien">Jane</a>', 0)).toBe(
      '<a href="https://x.example/?q=a%20b&amp;who=[CANDIDATE]">[CANDIDATE]</a>',
    );
    expect(scrubber.scrub('Jane &amp;amp; \u0661\u0662/\u0660\u0663 +44 20 7946 0958', 0)).toBe(
      '[CANDIDATE] &amp;amp; \u0661\u0662/\u0660\u0663 [PHONE]',
    );
    expect(scrubber.scrub('J&#97;ne%2520O%2527Brien', 0)).toBe('[CANDIDATE]');
    for (const text of [
      '100%25 sure &amp; done',
      'a%zz b &#0; c &#xD800; d %C3',
      'R&D 50% off',
      'Se&AACUTE;n &copy; &foo;',
    ])
      expect(scrubber.scrub(text, 0)).toBe(text);
  });

  it('finds a profile link in JSON text as its encoders write it, with escaped slashes (https:\\/\\/…)', () => {
    const scrubber = tokensOver(new DictionaryBuilder());
    expect(scrubber.scrub('{"url":"https:\\/\\/uk.linkedin.com\\/in\\/jdx-4711?trk=a","n":1}', -1)).toBe(
      '{"url":"[URL]","n":1}',
    );
    expect(scrubber.scrub('see linkedin.com\\/comm\\/in\\/jdx-4711 and github.com\\/xq-coder', -1)).toBe(
      'see [URL] and [URL]',
    );
    // JSON's escapes of characters by code, as Python's and .NET's encoders write names; pairs whole.
    const d = new DictionaryBuilder();
    d.add('candidates', {
      candidate_id: '1',
      first_name: 'Seán',
      last_name: "O'Brien",
      emails: ['sob@example.ie'],
    });
    expect(
      tokensOver(d).scrub(
        '{"to":"Se\\u00e1n O\\u0027Brien \\ud83d\\ude00","m":"sob\\u0040example.ie","t":"+44\\u00a020\\u00a07946\\u00a00958"}',
        0,
      ),
    ).toBe('{"to":"[CANDIDATE] \\ud83d\\ude00","m":"[EMAIL]","t":"[PHONE]"}');
    // The escapes after a link are the text's, not the link's: `\"` ends it, `\n` is a line end.
    expect(scrubber.scrub('<a href=\\"https://www.linkedin.com/in/jdx-4711\\">x</a>', -1)).toBe(
      '<a href=\\"[URL]\\">x</a>',
    );
    expect(scrubber.scrub('see linkedin.com/in/jdx-4711\\nThanks, Ann', -1)).toBe('see [URL]\\nThanks, Ann');
    // Nor is the letter of an escape before an e-mail address the address's.
    expect(scrubber.scrub('Regards,\\njdx@example.com\\tor \\u00a0kk@example.org', -1)).toBe(
      'Regards,\\n[EMAIL]\\tor \\u00a0[EMAIL]',
    );
    // Nothing found: left as written, escapes and all.
    for (const text of ['{"path":"a\\/b","u":"https:\\/\\/example.com\\/jobs\\/42"}', 'a \\/ b'])
      expect(scrubber.scrub(text, -1)).toBe(text);
  });
});

describe('Scrubber quote marks typed for an apostrophe', () => {
  it('finds a name written with a backtick, a prime or a full-width quote for its apostrophe', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Siobhán', last_name: 'O’Connor' });
    d.add('candidates', { candidate_id: '2', first_name: 'Jo', last_name: 'Smith' });
    const text = 'O`Connor, O\u2032Connor, O\uff07Connor, O\u201bConnor; a `code` span and 5′ 10″';
    expect(tokensOver(d).scrub(text, 1)).toBe(
      '[PERSON], [PERSON], [PERSON], [PERSON]; a `code` span and 5′ 10″',
    );
  });
});

describe('Scrubber names beside titles and nicknames', () => {
  it('finds the name of a field holding a title, suffix, initial or nickname beside it in every row', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Dr. Priyanka', last_name: 'Raghunathan' });
    d.add('candidates', {
      candidate_id: '2',
      first_name: 'Krzysztof (Chris)',
      last_name: 'Wojciechowski Jr.',
    });
    d.add('candidates', { candidate_id: '3', first_name: 'Gwendolyn Q.', last_name: 'Abernathy' });
    const text = 'Priyanka, Chris and Krzysztof Wojciechowski met Gwendolyn; Dr. Q. Jr. said so';
    expect(tokensOver(d).scrub(text, -1)).toBe(
      '[PERSON], [PERSON] and [PERSON] met [PERSON]; Dr. Q. Jr. said so',
    );
  });
});

describe('Scrubber e-mail handles', () => {
  it("finds a candidate's e-mail local part of one word written alone, as the leak scan does", () => {
    const d = new DictionaryBuilder();
    d.add('candidates', {
      candidate_id: '1',
      first_name: '王',
      last_name: '小明',
      emails: ['xiaoming@example.cn', 'jane.doe@example.com', 'jd@example.com', 'taylor@example.com'],
    });
    d.add('candidates', {
      candidate_id: '1',
      first_name: '王',
      last_name: '小明',
      emails: ['wxm1990+cv@example.cn'],
    });
    const text = 'WeChat: xiaoming; Skype WXM1990; jane doe; jd; Taylor';
    expect(tokensOver(d).scrub(text, -1)).toBe('WeChat: [PERSON]; Skype [PERSON]; jane doe; jd; Taylor');
    expect(tokensOver(d).scrub('wang_xiaoming_cv', 0)).toBe('wang_[CANDIDATE]_cv');
    // Of a cell pasted with a display name or a mailto: scheme too.
    const pasted = new DictionaryBuilder();
    pasted.add('candidates', {
      candidate_id: '1',
      emails: ['Wang Xiaoming <wxm1990@example.cn>', 'mailto:xmwang88@example.com'],
    });
    expect(tokensOver(pasted).scrub('Skype wxm1990, WeChat xmwang88', -1)).toBe(
      'Skype [PERSON], WeChat [PERSON]',
    );
  });
});

describe('Scrubber initial and last name run together', () => {
  it('finds them in any row, as user names and file names write them', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'José', last_name: 'Núñez' });
    d.add('candidates', { candidate_id: '2', first_name: 'Ann', last_name: 'Lee' });
    expect(tokensOver(d).scrub('JNunez_CV, jnúñez and alee', 1)).toBe('[PERSON]_CV, [PERSON] and alee');
  });

  it('finds them with letters written out or folded (Jürgen Müller, Jürgen Weiß), family name first too', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jürgen', last_name: 'Müller' });
    d.add('candidates', { candidate_id: '2', first_name: 'Jürgen', last_name: 'Weiß' });
    d.add('candidates', { candidate_id: '3', first_name: 'Xiaoming', last_name: 'Wang' });
    expect(tokensOver(d).scrub('jmueller@firma, juergenmueller; CV_JWeiss.pdf, jweiß; wangxiaoming', 5)).toBe(
      '[PERSON]@firma, [PERSON]; CV_[PERSON].pdf, [PERSON]; [PERSON]',
    );
  });
});

describe('Scrubber backslash escapes', () => {
  it('finds a name glued to an escape of text stored escaped (\\n, \\t, \\u00a0), as the leak scan does', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'José', last_name: 'Núñez' });
    d.add('candidates', { candidate_id: '2', first_name: 'Nina', last_name: 'Berg' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('Best regards,\\nJosé Núñez\\r\\nSales', 1)).toBe(
      'Best regards,\\n[PERSON]\\r\\nSales',
    );
    expect(scrubber.scrub('Jose\\tNunez; \\u00a0Nunez; \\nothing new', 0)).toBe(
      '[CANDIDATE]\\t[CANDIDATE]; \\u00a0[CANDIDATE]; \\nothing new',
    );
    // A word that is a name as written stays one: a folder named after the user.
    expect(scrubber.scrub('C:\\Users\\nina\\cv.pdf', 0)).toBe('C:\\Users\\[PERSON]\\cv.pdf');
  });
});

describe('Scrubber overlaps', () => {
  it('lets no phone-shaped run that is no phone number hide a LinkedIn URL, and replaces both when both are', () => {
    const scrubber = detectorsOnly();
    const cases: [string, string][] = [
      ['see (123)4567.linkedin.com/in/jane-doe', 'see [PHONE][URL]'],
      ['id +123456789012345678www.linkedin.com/in/jane-doe', 'id +[URL]'],
      ['call +1 (212) 555-0100 linkedin.com/in/jane-doe', 'call [PHONE] [URL]'],
    ];
    for (const [text, expected] of cases) {
      expect(scrubber.scrub(text, -1)).toBe(expected);
      expect(reference(text)).toBe(expected);
    }
  });
});

describe('Scrubber names', () => {
  const b = new DictionaryBuilder();
  b.add('candidates', { candidate_id: '1', first_name: 'Jürgen', last_name: 'D’Angelo' });
  b.add('candidates', { candidate_id: '2', first_name: 'Zoë Ann', last_name: 'Straße' });
  const dict = new Dictionary(b.build());

  it('finds names with accents in any case, composed or not, typographic apostrophes or not', () => {
    const counters = createCounters();
    const scrubber = new Scrubber(
      dict,
      new Pseudonymizer(KEY),
      { replace: 'tokens', detectors: [...ALL] },
      new Counters(counters),
    );
    const text =
      "Jürgen, JÜRGEN, jurgen, Ju\u0308rgen and D'Angelo's note; zoe ann, ZOË ANN, STRASSE? Straße. Jürgens";
    expect(scrubber.scrub(text, 0)).toBe(
      '[CANDIDATE], [CANDIDATE], [CANDIDATE], [CANDIDATE] and [CANDIDATE]’s note; [PERSON], [PERSON], [PERSON]? [PERSON]. Jürgens'.replace(
        '’',
        "'",
      ),
    );
    expect(scrubber.byCandidate).toBe(true);
    const report = readReport(counters, loadPolicy('default'), 'given');
    expect(report.known).toMatchObject({ candidate_name: 5, person_name: 4 });
  });

  it("finds a family's name in its plural possessive (the Smiths' house), and a name ending in s in its own", () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jennifer', last_name: 'MacAllister' });
    d.add('candidates', { candidate_id: '2', first_name: 'Tomás', last_name: 'Jones' });
    d.add('candidates', { candidate_id: '3', first_name: 'Gül', last_name: 'Müller' });
    const scrubber = new Scrubber(
      new Dictionary(d.build()),
      new Pseudonymizer(KEY),
      { replace: 'tokens', detectors: [...ALL] },
      new Counters(createCounters()),
    );
    expect(scrubber.scrub("the MacAllisters' house, the MACALLISTERS’ car and the Müllers' dog", -1)).toBe(
      "the [PERSON]s' house, the [PERSON]S’ car and the [PERSON]s' dog",
    );
    // A name that ends in s is its own possessive; a plural with no apostrophe, or a word ending in s that is no name, stays.
    expect(scrubber.scrub("Jones' CV; the MacAllisters came; Tomás' notes; the bus' door; Mulle's", -1)).toBe(
      "[PERSON]' CV; the MacAllisters came; [PERSON]' notes; the bus' door; Mulle's",
    );
  });

  it('takes no placeholder typed for no name (Unknown, N/A) for a name', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Unknown', last_name: 'N/A' });
    d.add('candidates', { candidate_id: '2', first_name: 'Unknown', last_name: 'Okafor' });
    expect(tokensOver(d).scrub('Status unknown, n/a; Okafor called', 1)).toBe(
      'Status unknown, n/a; [CANDIDATE] called',
    );
  });

  it("scrubs a name of one letter (Korean O, Norwegian Å) in its candidate's rows only, where it stands as a name", () => {
    const one = new DictionaryBuilder();
    one.add('candidates', { candidate_id: '1', first_name: 'Min', last_name: 'O' });
    one.add('candidates', { candidate_id: '2', first_name: 'Ólafur', last_name: 'Å' });
    const scrubber = new Scrubber(
      new Dictionary(one.build()),
      new Pseudonymizer(KEY),
      { replace: 'tokens', detectors: [...ALL] },
      new Counters(createCounters()),
    );
    const text = 'O. Min has a dog, o well';
    expect(scrubber.scrub(text, 0)).toBe('[CANDIDATE]. [CANDIDATE] has a dog, o well');
    expect(scrubber.scrub(text, 1)).toBe('O. [PERSON] has a dog, o well');
    expect(scrubber.scrub('Å said a word', 1)).toBe('[CANDIDATE] said a word');
    // A name of one character in a script without spaces stays a name everywhere beside another (王小明).
    expect(scrubber.scrub('I have a dog', -1)).toBe('I have a dog');
  });

  it('scrubs a name of two letters where it stands as a name, and leaves the word it is elsewhere', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Li', last_name: 'Wei' });
    d.add('candidates', { candidate_id: '2', first_name: 'Al', last_name: 'Okafor' });
    const scrubber = tokensOver(d);
    // In the candidate's own rows: written with a capital, or beside another name, or after a greeting.
    expect(scrubber.scrub("Li confirmed. LI's CV; Wei li; hi li, the li-ion and Li-ion list", 0)).toBe(
      "[CANDIDATE] confirmed. [CANDIDATE]'s CV; [CANDIDATE]; hi [CANDIDATE], the li-ion and Li-ion list",
    );
    expect(scrubber.scrub('Al said the AL-based tool, et al., is al dente; Al-Rashid', 1)).toBe(
      '[CANDIDATE] said the AL-based tool, et al., is al dente; [CANDIDATE]-Rashid',
    );
    // In another's rows: beside another name or after a title or greeting only.
    expect(scrubber.scrub('Li from HR and Al agreed; AL OKAFOR, Wei Li, Dear Al, Mr. Li', 1)).toBe(
      'Li from HR and [CANDIDATE] agreed; [CANDIDATE], [PERSON], Dear [CANDIDATE], Mr. [PERSON]',
    );
    // Beside a name written with a capital when it has one: "He will" is no name for Wei He and Will Smith.
    d.add('candidates', { candidate_id: '3', first_name: 'Wei', last_name: 'He' });
    d.add('candidates', { candidate_id: '4', first_name: 'Will', last_name: 'Smith' });
    expect(tokensOver(d).scrub('He will call; Wei He, WEI HE', 0)).toBe(
      'He [PERSON] call; [CANDIDATE] [PERSON], [CANDIDATE] [PERSON]',
    );
    // Two short names side by side only with capitals: "es su" is Spanish for candidates Eva Es and Su Oh.
    const pairs = new DictionaryBuilder();
    for (const [id, first, last] of [
      ['1', 'Bo', 'Ng'],
      ['2', 'Eva', 'Es'],
      ['3', 'Su', 'Oh'],
    ])
      pairs.add('candidates', { candidate_id: id!, first_name: first!, last_name: last! });
    expect(tokensOver(pairs).scrub('Bo Ng, BO NG; es su casa', 2)).toBe('[PERSON], [PERSON]; es su casa');
  });

  it('takes the marks typed for an apostrophe (‘ ´) as one, in the text and in the name', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Seán', last_name: "O'Brien" });
    d.add('candidates', { candidate_id: '2', first_name: 'Dana', last_name: 'D´Angelo' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('Hi O´Brien, O‘BRIEN´s CV; d’angelo and D´Angelo‘s', 0)).toBe(
      'Hi [CANDIDATE], [CANDIDATE]´s CV; [PERSON] and [PERSON]‘s',
    );
  });

  it('finds names with characters that show nothing inside them (soft hyphen, zero-width space, BOM)', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jürgen', last_name: 'Donovan' });
    d.add('candidates', { candidate_id: '2', first_name: 'Dana', last_name: 'Okafor' });
    const scrubber = tokensOver(d);
    const text = 'Do\u00adno\u00advan, Don\u200bovan, J\u2060ürgen; O\ufeffkafor, \u200bDana\u00ad. Done';
    expect(scrubber.scrub(text, 0)).toBe('[CANDIDATE], [CANDIDATE], [CANDIDATE]; [PERSON], [PERSON]. Done');
    expect(scrubber.scrub('nothing\u00ad here', 0)).toBe('nothing\u00ad here');
  });

  it('names a candidate with no first or last name as its profile URL spells the name', () => {
    const d = new DictionaryBuilder();
    const url = (handle: string) => `https://www.linkedin.com/in/${handle}/`;
    d.add('candidates', {
      candidate_id: '1',
      first_name: '',
      last_name: null,
      profile_url: url('thandiwe-dlamini-4711'),
    });
    // Named: its own names only, not its handle's.
    d.add('candidates', {
      candidate_id: '2',
      first_name: 'Ann',
      last_name: 'Lee',
      profile_url: url('zed-zulu-1'),
    });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('Hi Thandiwe Dlamini, Ms Dlamini; Zed Zulu wrote', 1)).toBe(
      'Hi [PERSON], Ms [PERSON]; Zed Zulu wrote',
    );
  });

  it('learns a name holding a control character (NUL, DEL) as the name without it', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Philippa', last_name: 'Wether\u0000spoon' });
    d.add('candidates', { candidate_id: '2', first_name: 'Ot\u007ftilie', last_name: 'Marchetti' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('Dear Wetherspoon, Ottilie wrote; no spoon or wether here', 0)).toBe(
      'Dear [CANDIDATE], [PERSON] wrote; no spoon or wether here',
    );
  });

  it('takes out a Download Url of export.csv pasted into text (a live link to the whole export)', () => {
    const scrubber = tokensOver(new DictionaryBuilder());
    const link = 'https://www.linkedin-ei.com/ambry/?x-li-ambry-ep=AQxv_37Eb84-ET5a5uKiM&e=1';
    expect(scrubber.scrub(`Get it at ${link}. Or WWW.LINKEDIN-EI.COM/ambry/?x=AQ1 now`, 0)).toBe(
      'Get it at [URL]. Or [URL] now',
    );
    expect(scrubber.scrub('linkedin-ei.com is their host', 0)).toBe('linkedin-ei.com is their host');
  });

  it('finds a name hyphenated at a line break, and a two-word name broken at its own hyphen', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Søren', last_name: 'Bjørnstrüp' });
    d.add('candidates', { candidate_id: '2', first_name: 'Ottoline', last_name: 'Smith-Jones' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub("Bjørn-\nstrüp and Bjørn- \r\n  strüp's CV", 0)).toBe(
      "[CANDIDATE] and [CANDIDATE]'s CV",
    );
    expect(scrubber.scrub('Smith-\nJones; a well-\nknown fact; Bjørn-strüp-\n', 0)).toBe(
      '[PERSON]; a well-\nknown fact; Bjørn-strüp-\n',
    );
  });

  it('finds names and addresses with zero-width joiners inside, in Latin words only (Persian spells with them)', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jane', last_name: 'Doe' });
    d.add('candidates', { candidate_id: '2', first_name: 'مریم', last_name: 'Okafor' });
    const scrubber = tokensOver(d);
    const text = 'Hi J\u200dane D\u200coe, mail j\u200dane.d\u00adoe@exam\u200bple.com';
    expect(scrubber.scrub(text, 0)).toBe('Hi [CANDIDATE], mail [EMAIL]');
    // After an Arabic letter the non-joiner parts a word from its ending, as before.
    expect(scrubber.scrub('با مریم\u200cها', 1)).toBe('با [CANDIDATE]\u200cها');
  });

  it('finds Latin names typed with Cyrillic or Greek look-alike letters; words all in one script stay', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jane', last_name: 'Cox' });
    d.add('candidates', { candidate_id: '2', first_name: 'Сергей', last_name: 'Kai' });
    const scrubber = tokensOver(d);
    // а е о с х Cyrillic, ο Greek.
    expect(scrubber.scrub('Hi J\u0430n\u0435 C\u043ex, JANE CΟX; Сергей', 0)).toBe(
      'Hi [CANDIDATE], [CANDIDATE]; [PERSON]',
    );
    expect(scrubber.scrub('και το Сох', 1)).toBe('και το Сох');
  });

  it('finds names spelled without their marks: apostrophe left out or made a space, ä ö ü ø å written out', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jürgen', last_name: "O'Brien" });
    d.add('candidates', { candidate_id: '2', first_name: "D'Angelo", last_name: 'Ødegård' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('Juergen OBrien, JUERGEN O BRIEN; Brien? DAngelo Oedegaard, d angelo', 0)).toBe(
      '[CANDIDATE], [CANDIDATE]; [CANDIDATE]? [PERSON], [PERSON]',
    );
    // The words of a name run together (not initials).
    d.add('candidates', { candidate_id: '3', first_name: 'Mary Ann', last_name: 'de la Cruz' });
    d.add('candidates', { candidate_id: '4', first_name: 'J R', last_name: 'Ng' });
    const more = tokensOver(d);
    expect(more.scrub('CV_MaryAnn_DelaCruz.pdf, maryann.delacruz, Smith Jr', 0)).toBe(
      'CV_[PERSON]_[PERSON].pdf, [PERSON].[PERSON], Smith Jr',
    );
    // A part of a spelling ("Angelo") only in the candidate's own rows; "O" or "D" alone never.
    expect(scrubber.scrub('Brien, O, D, Angelo', 1)).toBe('Brien, O, D, [CANDIDATE]');
  });

  it('finds a first and last name run together (handles, links), as the leak scan does, when 6 letters or more', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jane', last_name: "O'Neil" });
    d.add('candidates', { candidate_id: '2', first_name: 'Al', last_name: 'Li' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('Follow @JaneONeil or janeoneil.dev/blog; JANEONEIL wrote. Ali', 1)).toBe(
      'Follow @[PERSON] or [PERSON].dev/blog; [PERSON] wrote. Ali',
    );
    // Its apostrophe kept, typed or typographic, a soft hyphen between.
    expect(scrubber.scrub("JaneO'Neil, Jane\u00adO\u2019Neil's CV", 1)).toBe("[PERSON], [PERSON]'s CV");
  });

  it('finds a name spelled letter by letter (spaces, dots, dashes), and leaves letters that spell no name', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jane', last_name: 'Doe' });
    d.add('candidates', { candidate_id: '2', first_name: 'Kim', last_name: 'Okafor' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('Hi J A N E  D O E! J. A. N. E. said; D-O-E, o k a f o r', 0)).toBe(
      'Hi [CANDIDATE]! [CANDIDATE]. said; [CANDIDATE], [PERSON]',
    );
    const text = 'U S A, A B C, vitamin A. D. E., Plan A - B - C, type a, b or c';
    expect(scrubber.scrub(text, 0)).toBe(text);
  });

  it('reads long runs of letters alone, of spelled dots and of LinkedIn paths once, not once per letter or path', () => {
    // Each was read again from every letter or path: seconds for these 60 and 320 KB, minutes for 200 KB of letters.
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jane', last_name: 'Doe' });
    const scrubber = tokensOver(d);
    const started = process.cpuUsage();
    for (const run of ['a '.repeat(30_000), 'a-'.repeat(30_000), 'J. '.repeat(20_000)]) {
      expect(scrubber.scrub(`${run}J A N E`, 0)).toBe(`${run}[CANDIDATE]`);
    }
    // Dots spelled out with no address after them.
    const dots = `${'a [dot] '.repeat(30_000)}[at] x`;
    expect(scrubber.scrub(dots, 0)).toBe(dots);
    expect(scrubber.scrub('write j [dot] doe [at] example [dot] com', 0)).toBe('write [EMAIL]');
    const paths = 'linkedin.com/in/'.repeat(20_000);
    expect(scrubber.scrub(`see ${paths}x, ok`, 0)).toBe('see [URL], ok');
    // Linear, with room to spare: a bound on the reading, not a measurement (CPU time, which other work on
    // the machine does not stretch as it does the clock's).
    const { user, system } = process.cpuUsage(started);
    expect((user + system) / 1000).toBeLessThan(3_000);
  });

  it('finds a name with digits after it (handles: janedoe92, doe1990), leaving the digits', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jane', last_name: 'Doe' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('skype jane.doe92, @janedoe1990, Doe2; v2 mp3 2doe doe1990x', 0)).toBe(
      'skype [CANDIDATE].[CANDIDATE]92, @[CANDIDATE]1990, [CANDIDATE]2; v2 mp3 2doe doe1990x',
    );
  });

  it('rules out most words by the hash of their folded letters, accented ones too', () => {
    const text = 'Jürgen Montréal Straße';
    expect(dict.mayStart(text, 0, 6)).toBe(true);
    expect(dict.mayStart(text, 7, 15)).toBe(false);
    // ß folds to no single ASCII letter: such words are always looked up (folded as strings).
    expect(dict.mayStart(text, 16, 22)).toBe(true);
    expect(dict.asciiPhrase(text, 0, 6)).toBe(dict.phrase('jurgen'));
  });

  it('folds letters NFKD leaves whole (Ł, Ø, ß, Æ...), either way round', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Łukasz', last_name: 'Øberg' });
    d.add('candidates', { candidate_id: '2', first_name: 'Aeron', last_name: 'Thorsdottir' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('Hi Lukasz Oberg, LUKASZ OBERG, OBERG, łukasz øberg', 0)).toBe(
      'Hi [CANDIDATE], [CANDIDATE], [CANDIDATE], [CANDIDATE]',
    );
    expect(scrubber.scrub('Dear Æron Þorsdóttir and ÆRON', 1)).toBe('Dear [CANDIDATE] and [CANDIDATE]');
  });

  it('ends a word at an emoji or other symbol beyond the first plane, not at a letter there', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'José', last_name: '𠮷田' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('Thanks José🙏 see you. Hi 👋José, ok 🙏José🙏', 0)).toBe(
      'Thanks [CANDIDATE]🙏 see you. Hi 👋[CANDIDATE], ok 🙏[CANDIDATE]🙏',
    );
    expect(scrubber.scrub('𠮷田🎉 and 𠮷田さん', 0)).toBe('[CANDIDATE]🎉 and [CANDIDATE]さん');
  });

  it('finds names inside words of scripts written without spaces, one character only beside another', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: '小明', last_name: '王' });
    d.add('candidates', { candidate_id: '2', first_name: '伟', last_name: '李' });
    d.add('candidates', { candidate_id: '3', first_name: '민수', last_name: '김' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('您好，王小明：王国很大。李伟和小明，李白', 0)).toBe(
      '您好，[CANDIDATE]：王国很大。[PERSON]和[CANDIDATE]，李白',
    );
    expect(scrubber.byCandidate).toBe(true);
    expect(scrubber.scrub('김민수님께, 김치', 0)).toBe('[PERSON]님께, 김치');
  });

  it('takes a hyphen, a dash or a space between the words of a name alike; hyphenated parts are their own', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Anne-Marie', last_name: 'Smith-Jones' });
    d.add('candidates', { candidate_id: '2', first_name: 'Al-Amin', last_name: "O'Brien" });
    const scrubber = tokensOver(d);
    expect(
      scrubber.scrub(
        'Hi Anne Marie, thanks. Ms. Jones and Mrs Smith Jones; ANNE–MARIE SMITH–JONES. Marie!',
        0,
      ),
    ).toBe('Hi [CANDIDATE], thanks. Ms. [CANDIDATE] and Mrs [CANDIDATE]; [CANDIDATE]. [CANDIDATE]!');
    // Parts are the candidate's own: in another's row only whole names; a part under 3 letters never.
    expect(scrubber.scrub('Ms. Jones, Anne-Marie; Al says Amin, friend-of-O’Brien', 1)).toBe(
      'Ms. Jones, [PERSON]; Al says [CANDIDATE], friend-of-[CANDIDATE]',
    );
    expect(scrubber.scrub('see anne-marie.dev and AL-AMIN', 1)).toBe('see [PERSON].dev and [CANDIDATE]'); // Two names apart are two people across a dash, one run across white space only.
    expect(scrubber.scrub('Panel: Anne-Marie Smith-Jones - Al-Amin O’Brien', 2)).toBe(
      'Panel: [PERSON] - [PERSON]',
    );
  });

  it('finds a name of several words whose words an HTML body puts in tags of their own', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Jane', last_name: 'Doe' });
    // A person known whole only (a project's owner by their profile URL, a hiring manager's field).
    d.addOther('name', 'Sarah Connor');
    const scrubber = tokensOver(d);
    expect(
      scrubber.scrub('<p>Ask <b>Sarah</b> <b>Connor</b>, or <span style="x">Sarah</span><br>Connor.</p>', 0),
    ).toBe('<p>Ask <b>[PERSON]</b>, or <span style="x">[PERSON].</p>');
    // Run together by inline tags, it shows as one word, the name run together; a word between: no name.
    expect(scrubber.scrub('<b>Sarah</b><b>Connor</b>; Sarah <i>and</i> Connor', 0)).toBe(
      '<b>[PERSON]</b>; Sarah <i>and</i> Connor',
    );
    const text = '<p>Sarah</p><p>Conner</p>';
    expect(scrubber.scrub(text, 0)).toBe(text);
  });

  it("reads a word whose letters inline tags split (a bold initial, a mail editor's spans) whole, as it shows", () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Hope', last_name: 'Okafor' });
    d.add('candidates', { candidate_id: '2', first_name: 'Zoë', last_name: 'Nguyễn' });
    const scrubber = tokensOver(d);
    expect(
      scrubber.scrub('Dear <b>H</b>ope, <span>Zo</span><span>ë</span> <span>Nguy</span><span>ễn</span>', 0),
    ).toBe('Dear <b>[CANDIDATE], <span>[PERSON]</span> <span>[PERSON]</span>');
    // Block tags part words: `Hope<br>Nothing` is two lines; a text naming no one is left as written.
    expect(scrubber.scrub('Hope<br>Okafor', 0)).toBe('[CANDIDATE]<br>[CANDIDATE]');
    const none = 'No<b>th</b>ing <i>here</i>';
    expect(scrubber.scrub(none, 0)).toBe(none);
  });

  it("scrubs names behind quoted-printable's escapes of letters (a mail's body as it was sent), in UTF-8 or Latin-1", () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Renée', last_name: 'Lefèvre' });
    d.add('candidates', { candidate_id: '2', first_name: 'José', last_name: 'Müller' });
    d.add('candidates', { candidate_id: '3', first_name: 'Carl', last_name: 'Dean' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('Dear Ren=C3=A9e Lef=C3=A8vre, cc Jos=E9 M=FCller =E2=80=93 thanks', 0)).toBe(
      'Dear [CANDIDATE], cc [PERSON] =E2=80=93 thanks',
    );
    d.add('candidates', { candidate_id: '4', first_name: 'Seán', last_name: "O'Brien" });
    expect(tokensOver(d).scrub('Hi Se=E1n O=92Brien', 3)).toBe('Hi [CANDIDATE]');
    // A value after an equals sign is no escape (`=CA` of CARL, `=DE` of DEAN): the name is found as written.
    expect(scrubber.scrub('owner=CARL DEAN; width=80 id=8842', 0)).toBe('owner=[PERSON]; width=80 id=8842');
  });

  it('scrubs a mail body in base64 (as sent), its lines wrapped or not, and leaves base64 that is no text', () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Renée', last_name: 'Lefèvre' });
    const scrubber = tokensOver(d);
    const body = Buffer.from(
      'Dear Renée Lefèvre, we would like to invite you to an interview next week.',
    ).toString('base64');
    expect(scrubber.scrub(`Content-Transfer-Encoding: base64\n\n${body}`, 0)).toBe(
      'Content-Transfer-Encoding: base64\n\nDear [CANDIDATE], we would like to invite you to an interview next week.',
    );
    const wrapped = body.replace(/.{76}/g, '$&\r\n');
    expect(wrapped).toContain('\r\n');
    expect(scrubber.scrub(wrapped, 0)).toBe(
      'Dear [CANDIDATE], we would like to invite you to an interview next week.',
    );
    // Bytes that are no text (an image, a key), and text naming no one: left as written.
    const key = Buffer.from(Array.from({ length: 48 }, (_, k) => (k * 73 + 11) % 256)).toString('base64');
    const none = Buffer.from('Thanks for the update, see you on Monday then.').toString('base64');
    expect(scrubber.scrub(`key ${key}; ${none}`, 0)).toBe(`key ${key}; ${none}`);
  });

  it("scrubs names in a mail header's B-encoded words (RFC 2047), one or split in two, in UTF-8 or Latin-1", () => {
    const d = new DictionaryBuilder();
    d.add('candidates', { candidate_id: '1', first_name: 'Renée', last_name: 'Lefèvre' });
    d.add('candidates', { candidate_id: '2', first_name: 'José', last_name: 'Müller' });
    const scrubber = tokensOver(d);
    expect(scrubber.scrub('From: =?UTF-8?B?UmVuw6llIExlZsOodnJl?= <r@example.com>', 0)).toBe(
      'From: [CANDIDATE] <[EMAIL]>',
    );
    // The space between two encoded words is no part of the text; a name cut between them is whole.
    expect(scrubber.scrub('=?utf-8?b?UmVuw6llIExlZg==?=\r\n =?utf-8?b?w6h2cmU=?= wrote', 0)).toBe(
      '[CANDIDATE] wrote',
    );
    expect(scrubber.scrub('cc =?ISO-8859-1?B?Sm9z6SBN/GxsZXI=?=', 0)).toBe('cc [PERSON]');
    // None named: left as written, encoded.
    const subject = 'Subject: =?UTF-8?B?TWVldGluZyBub3Rlcw==?= =?X-UNKNOWN?B?UmVuw6ll?=';
    expect(scrubber.scrub(subject, 0)).toBe(subject);
  });
});
