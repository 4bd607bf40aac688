// `talent-export redact` over the signatures recruiters write, known only by their profile URL: a middle
// initial, the first name as an initial, the last name first. Taken out of their own messages; where
// another row names them so, --verify says so rather than passing it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExport } from '@talent-export/sample/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZips, runCli, table } from './redact.fixture.js';

let work: string;

const SENDER = 'https://www.linkedin.com/in/sarah-j-connor-12ab34';
const OTHER = 'https://www.linkedin.com/in/zyx-qwerty-9';

/** Message bodies (sender, body) and what they must become. */
const MESSAGES: [string, string, string][] = [
  [SENDER, 'Thanks,\nSarah J. Connor', 'Thanks,\n[PERSON]'],
  [SENDER, 'Thanks,\nSarah Connor', 'Thanks,\n[PERSON]'],
  [SENDER, 'Best, S. Connor | Talent Acquisition', 'Best, [PERSON] | Talent Acquisition'],
  [SENDER, 'Connor, Sarah (she/her)', '[PERSON] (she/her)'],
  [SENDER, '--\nCONNOR Sarah', '--\n[PERSON]'],
  // An HTML body: a no-break space written as a reference, each word in a tag of its own.
  [SENDER, '<p>Best,<br>S.&nbsp;Connor</p>', '<p>Best,<br>[PERSON]</p>'],
  [OTHER, '<p>Ask <b>Tomasz</b> <b>Kowalski</b></p>', '<p>Ask <b>[PERSON]</b></p>'],
  // A word of the name alone stays: it may be anyone's, or a word.
  [SENDER, 'The Connor account', 'The Connor account'],
  // Another row names the owner of the project with the last name first, without a comma.
  [OTHER, 'Kowalski Tomasz will call', '[PERSON] will call'],
];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-signatures-'));
  const header = [
    'message_id',
    'project_id',
    'candidate_id',
    'sender_profile_url',
    'subject',
    'body',
    'type',
  ];
  const rows = MESSAGES.map(([sender, body], i) => [
    String(600 + i),
    '9',
    '101',
    sender,
    'Hi',
    body,
    'email',
  ]);
  writeExport(join(work, 'export'), {
    'Candidate.csv': [
      ['candidate_id', 'project_id', 'first_name', 'last_name'],
      ['101', '9', 'Jane', 'Doe'],
    ],
    'Projects.csv': [
      ['project_id', 'project_name', 'owner_profile_url'],
      ['9', 'Data engineer', 'https://uk.linkedin.com/in/tomasz-kowalski-88'],
    ],
    'Messages.csv': [header, ...rows],
  });
  // Another row writes the owner's first name as an initial: not taken out there, but found by --verify.
  writeExport(join(work, 'other-row'), {
    'Candidate.csv': [
      ['candidate_id', 'project_id', 'first_name', 'last_name'],
      ['101', '9', 'Jane', 'Doe'],
    ],
    'Projects.csv': [
      ['project_id', 'project_name', 'owner_profile_url'],
      ['9', 'Data engineer', 'https://uk.linkedin.com/in/tomasz-kowalski-88'],
    ],
    'Messages.csv': [header, ['600', '9', '101', OTHER, 'Hi', 'Ask T. Kowalski', 'email']],
  });
  writeFileSync(join(work, 'key'), 'cd'.repeat(32));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const redact = (from: string, to: string) => {
  const r = runCli(work, ['redact', from, '-o', to, '--key-file', 'key', '--verify', '-q']);
  // Tables are missing: a problem, so exit 1 after a finished run.
  expect([r.status, r.stderr]).toEqual([1, '']);
  return JSON.parse(readFileSync(join(work, to, 'redaction.json'), 'utf8')).verify;
};

describe('redact: signatures of people known by their profile URL only', () => {
  it('takes out a middle initial, an initial for the first name and the last name first, whole', () => {
    const verify = redact('export', 'out');
    const messages = table(readZips(join(work, 'out')), 'Messages.csv');
    const body = messages[0]!.indexOf('body');
    expect(messages.slice(1).map((row) => row[body])).toEqual(MESSAGES.map(([, , out]) => out));
    expect(verify).toMatchObject({ hits: 0 });
  });

  it('--verify finds such a name left in the text of a row that is not theirs', () => {
    const verify = redact('other-row', 'other-out');
    expect(table(readZips(join(work, 'other-out')), 'Messages.csv')[1]![5]).toBe('Ask T. Kowalski');
    expect(verify).toMatchObject({ hits: 1 });
    expect(verify.places[0].columns).toEqual([
      { column: 'projects.owner_profile_url', pii: 'profile_url', hits: 1 },
    ]);
  });
});
