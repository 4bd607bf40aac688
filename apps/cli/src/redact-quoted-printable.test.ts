// `talent-export redact` over message bodies pasted as a mail was sent, in quoted-printable (`Ren=C3=A9e`,
// `M=FCller`): the names behind the escapes are scrubbed, and --verify reads them as the scrubber does.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExport } from '@talent-export/sample/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZips, runCli, table } from './redact.fixture.js';

let work: string;

/** Message bodies and what they must become. */
const BODIES: [string, string][] = [
  ['Dear Ren=C3=A9e Lef=C3=A8vre,=0AThanks', 'Dear [CANDIDATE],=0AThanks'],
  ['Hallo Jos=E9 M=FCller, Gr=FC=DFe', 'Hallo [CANDIDATE], Gr=FC=DFe'],
  // A value after an equals sign, and a number, are no escapes.
  ['<td width=80>ref=CAFE</td>', '<td width=80>ref=CAFE</td>'],
];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-qp-'));
  const header = [
    'message_id',
    'project_id',
    'candidate_id',
    'sender_profile_url',
    'subject',
    'body',
    'type',
  ];
  writeExport(join(work, 'export'), {
    'Candidate.csv': [
      ['candidate_id', 'project_id', 'first_name', 'last_name'],
      ['101', '9', 'Renée', 'Lefèvre'],
      ['102', '9', 'José', 'Müller'],
    ],
    'Messages.csv': [
      header,
      ...BODIES.map(([body], i) => [
        String(600 + i),
        '9',
        String(101 + Math.min(i, 1)),
        '',
        'Hi',
        body,
        'email',
      ]),
    ],
  });
  writeFileSync(join(work, 'key'), 'ef'.repeat(32));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redact: quoted-printable message bodies', () => {
  it('scrubs the names behind the escapes and leaves other text as written; --verify agrees', () => {
    const r = runCli(work, ['redact', 'export', '-o', 'out', '--key-file', 'key', '--verify', '-q']);
    // Tables are missing: a problem, so exit 1 after a finished run.
    expect([r.status, r.stderr]).toEqual([1, '']);
    const messages = table(readZips(join(work, 'out')), 'Messages.csv');
    expect(messages.slice(1).map((row) => row[5])).toEqual(BODIES.map(([, out]) => out));
    expect(JSON.parse(readFileSync(join(work, 'out', 'redaction.json'), 'utf8')).verify).toMatchObject({
      hits: 0,
    });
  });
});
