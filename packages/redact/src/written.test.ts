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
];

/** Per fix: message bodies written for candidate 101 and what they must become. */
const CASES: Record<string, [string, string][]> = {
  invisible: [
    [
      'Hi J\u200dane, your CV is great. Write me at j\u200dane.d\u00adoe@example.com',
      'Hi [CANDIDATE], your CV is great. Write me at [EMAIL]',
    ],
    ['Spoke to J\u0430ne D\u043e\u0435 today; she is keen.', 'Spoke to [CANDIDATE] today; she is keen.'],
  ],
};

const ROWS = Object.values(CASES).flat();
let bodies: string[];

beforeAll(async () => {
  const header = ['message_id', 'project_id', 'candidate_id', 'sender_profile_url', 'subject', 'body', 'type'];
  const messages = ROWS.map(([body], i) => [String(500 + i), '9', '101', '', 'Re: the role', body, 'email']);
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
});
