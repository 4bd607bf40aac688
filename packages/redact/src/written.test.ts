// Free text as recruiters and candidates write it, in an export written by hand (Python's csv and zipfile,
// not the generator), through the stage in worker threads with the default policy: each message body
// against what it must become.
import { beforeAll, describe, expect, it } from 'vitest';
import { keyFile, lines, redactAll, writtenExport } from './test-export.js';

const CANDIDATES = [
  ['candidate_id', 'project_id', 'first_name', 'last_name', 'emails', 'phone_numbers', 'profile_url'],
  ['101', '9', 'Jane', 'Doe', 'jane.doe@example.com', '+44 20 7946 0958', ''],
  ['102', '9', 'José', 'Doe-Smith', '', '', ''],
  ['103', '9', 'Li', 'Wei', '', '', ''],
  ['104', '9', 'Al', 'Okafor', '', '', ''],
  ['105', '9', 'Jo', 'Do', '', '', ''],
  ['106', '9', 'Ed', 'Ma', '', '', ''],
];

/** Per fix: message bodies written for candidate 101 (or the one given) and what they must become. */
const CASES: Record<string, [body: string, out: string, candidate?: string][]> = {
  invisible: [
    [
      'Hi J\u200dane, your CV is great. Write me at j\u200dane.d\u00adoe@example.com',
      'Hi [CANDIDATE], your CV is great. Write me at [EMAIL]',
    ],
    ['Spoke to J\u0430ne D\u043e\u0435 today; she is keen.', 'Spoke to [CANDIDATE] today; she is keen.'],
  ],
  caps: [
    [
      'JOSE\u0301 DOE-SMITH\u2019S offer; Jose\u0301 Doe\u2013Smith accepted.',
      '[CANDIDATE]\u2019S offer; [CANDIDATE] accepted.',
      '102',
    ],
  ],
  glued: [
    [
      'Found her on GitHub (github.com/JaneDoe) and Twitter @janedoe - strong portfolio.',
      'Found her on GitHub ([URL]) and Twitter @[CANDIDATE] - strong portfolio.',
    ],
  ],
  handles: [
    [
      'Her handles: skype jane.doe92, twitter @janedoe1990.',
      'Her handles: skype [CANDIDATE].[CANDIDATE]92, twitter @[CANDIDATE]1990.',
    ],
  ],
  spelled: [
    [
      'Candidate asked us to write her name as J A N E  D O E on the badge (D-O-E, not DOH).',
      'Candidate asked us to write her name as [CANDIDATE] on the badge ([CANDIDATE], not DOH).',
    ],
  ],
  emails: [
    [
      'Hi, my personal address is jane(dot)doe(at)example(dot)com, or janedoe [at] example [dot] com.',
      'Hi, my personal address is [EMAIL], or [EMAIL].',
    ],
    [
      'Please cc my partner: sam.taylor@example .com or sam.taylor [@] example.com. Thanks!',
      'Please cc my partner: [EMAIL] or [EMAIL]. Thanks!',
    ],
    ['Or write sam . taylor @ example . com', 'Or write [EMAIL]'],
    [
      'Book here: https://cal.example.com/r?guest=sam.taylor%2540example.com&n=1',
      'Book here: https://cal.example.com/r?guest=[EMAIL]&n=1',
    ],
  ],
  phones: [
    [
      'Best to reach me on +44 (0)20 7946 0959 ext. 214 after 6pm, or my desk 212.555.0199 x123.',
      'Best to reach me on [PHONE] after 6pm, or my desk [PHONE].',
    ],
    ['Mobile: 07700\u200b900\u200b124 (no texts)', 'Mobile: [PHONE] (no texts)'],
    [
      'Office 020 7946 0958/07700 900125. 020 7946 0957 is the desk.',
      'Office [PHONE]/[PHONE]. [PHONE] is the desk.',
    ],
    ['Numbers: +44 20 7946 0958.0207946095812', 'Numbers: [PHONE].0207946095812'],
    ['واتساب: +٩٧١\u200f ٥٠ ١٢٣ ٤٥٦٧ شكرا', 'واتساب: [PHONE] شكرا'],
  ],
  short: [
    [
      'Al (CC Li Wei) will own the AL-based scoring; et al. cover the li-ion side. Dear Li, see you.',
      '[CANDIDATE] (CC [PERSON]) will own the AL-based scoring; et al. cover the li-ion side. Dear [PERSON], see you.',
      '104',
    ],
    ['Li from HR said Al and Li should meet.', 'Li from HR said Al and Li should meet.'],
  ],
  plain: [
    [
      'Offer: base 120000-140000 USD plus 15% bonus; EUR 85.000 - 95.000 for the Berlin role. Start 2025-03-01.',
      'Offer: base 120000-140000 USD plus 15% bonus; EUR 85.000 - 95.000 for the Berlin role. Start 2025-03-01.',
    ],
    [
      'Req ID 1234567 (REQ-2024-00123), order #123-456-7890, office zip 94103-1234, VPN 10.120.200.15.',
      'Req ID 1234567 (REQ-2024-00123), order #123-456-7890, office zip 94103-1234, VPN 10.120.200.15.',
    ],
    [
      "So, do let me know. No worries; an offer follows. Ma'am, the Ed-tech build 20240301.1542 is out.",
      "So, do let me know. No worries; an offer follows. Ma'am, the Ed-tech build 20240301.1542 is out.",
    ],
    [
      'Interviews 01/15/2024 - 03/31/2024, 10:30-11:30; she worked there 2015-2019 and 2019-2023.',
      'Interviews 01/15/2024 - 03/31/2024, 10:30-11:30; she worked there 2015-2019 and 2019-2023.',
    ],
    [
      'Buy it at amazon.com, meet me at 5.30, follow @acme_jobs; ISBN 978-3-16-148410-0 is the book.',
      'Buy it at amazon.com, meet me at 5.30, follow @acme_jobs; ISBN 978-3-16-148410-0 is the book.',
    ],
  ],
};

const ROWS = Object.values(CASES).flat();
let bodies: string[];

beforeAll(async () => {
  const header = [
    'message_id',
    'project_id',
    'candidate_id',
    'sender_profile_url',
    'subject',
    'body',
    'type',
  ];
  const messages = ROWS.map(([body, , candidate], i) => [
    String(500 + i),
    '9',
    candidate ?? '101',
    '',
    'Re: the role',
    body,
    'email',
  ]);
  const f = await writtenExport({ 'Candidate.csv': CANDIDATES, 'Messages.csv': [header, ...messages] });
  const { text } = await redactAll(f, { policy: 'default', keyFile: keyFile(f.work, 'key').path });
  bodies = lines(text.messages).map((row) => String(row.body));
}, 60_000);

const expected = (group: string) => CASES[group]!.map(([, out]) => out);
const got = (group: string) => {
  const at = ROWS.indexOf(CASES[group]![0]!);
  return bodies.slice(at, at + CASES[group]!.length);
};

describe('the stage over free text written by hand', () => {
  it('finds names and addresses with zero-width characters or Cyrillic look-alike letters inside', () => {
    expect(got('invisible')).toEqual(expected('invisible'));
  });

  it('finds names in capitals, decomposed accents, hyphenated double names with a possessive', () => {
    expect(got('caps')).toEqual(expected('caps'));
  });

  it('finds a first and last name run together in handles and links', () => {
    expect(got('glued')).toEqual(expected('glued'));
  });

  it('finds a name with digits after it in handles', () => {
    expect(got('handles')).toEqual(expected('handles'));
  });

  it('finds a name spelled letter by letter', () => {
    expect(got('spelled')).toEqual(expected('spelled'));
  });

  it('finds e-mail addresses with dots spelled in the local part, a bracketed @, spaced dots, escaped twice', () => {
    expect(got('emails')).toEqual(expected('emails'));
  });

  it('takes the extension with a phone number, finds one with zero-width characters inside or Arabic digits', () => {
    expect(got('phones')).toEqual(expected('phones'));
  });

  it('scrubs names of two letters where they stand as names and leaves the words they are elsewhere', () => {
    expect(got('short')).toEqual(expected('short'));
  });

  it('leaves amounts, ranges, dates, ids, zip codes, IP addresses and labelled numbers as written', () => {
    expect(got('plain')).toEqual(expected('plain'));
  });
});
