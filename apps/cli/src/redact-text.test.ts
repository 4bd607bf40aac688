// `talent-export redact` over free text written by hand (Python's csv and zipfile, not the generator): the
// ways people hide or mangle names, addresses and numbers are scrubbed, plain business text is not, and
// --verify agrees.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeExport } from '@talent-export/sample/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZips, table } from './redact.fixture.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;

const CANDIDATES = [
  ['candidate_id', 'project_id', 'first_name', 'last_name', 'emails', 'phone_numbers', 'profile_url'],
  ['101', '9', 'Jane', 'Doe', 'jane.doe@example.com', '+44 20 7946 0958', ''],
  ['104', '9', 'Al', 'Okafor', '', '', ''],
];

/** Note contents (candidate, text) and what they must become. */
const NOTES: [string, string, string][] = [
  ['101', 'Call with J\u200dane D\u043e\u0435 went well.', 'Call with [CANDIDATE] went well.'],
  [
    '101',
    'Her alt address: jane(dot)doe(at)example(dot)com, cell +44 (0)20 7946 0958 ext. 12.',
    'Her alt address: [EMAIL], cell [PHONE].',
  ],
  ['101', 'Portfolio at github.com/JaneDoe.', 'Portfolio at [URL].'],
  [
    '101',
    'Badge: J A N E  D O E; skype jane.doe92; WhatsApp +\u0669\u0667\u0661 \u0665\u0660 \u0661\u0662\u0663 \u0664\u0665\u0666\u0667.',
    'Badge: [CANDIDATE]; skype [CANDIDATE].[CANDIDATE]92; WhatsApp [PHONE].',
  ],
  [
    '104',
    'AL OKAFOR prefers the AL-based pipeline (see Smith et al.); Al starts 2025-03-01.',
    '[CANDIDATE] prefers the AL-based pipeline (see Smith et al.); [CANDIDATE] starts 2025-03-01.',
  ],
  [
    '104',
    'Budget 120000-140000 USD, req ID 1234567, order #123-456-7890, VPN 10.120.200.15.',
    'Budget 120000-140000 USD, req ID 1234567, order #123-456-7890, VPN 10.120.200.15.',
  ],
];

let verify: { hits: number };
let notes: string[][];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-text-'));
  const header = ['note_id', 'project_id', 'candidate_id', 'content', 'owner_profile_url', 'visibility'];
  const rows = NOTES.map(([candidate, text], i) => [String(700 + i), '9', candidate, text, '', 'Project']);
  const tables = { 'Candidate.csv': CANDIDATES, 'Notes.csv': [header, ...rows] };
  writeExport(join(work, 'export'), tables);
  writeFileSync(join(work, 'key'), 'ab'.repeat(32));
  const r = spawnSync(
    process.execPath,
    [bin, 'redact', 'export', '-o', 'out', '--key-file', 'key', '--verify', '-q'],
    { cwd: work, encoding: 'utf8', env: { ...process.env, TALENT_EXPORT_REDACT_KEY: undefined } },
  );
  // Eight tables are missing: a problem, so exit 1 after a finished run.
  expect([r.status, r.stderr]).toEqual([1, expect.any(String)]);
  verify = JSON.parse(readFileSync(join(work, 'out', 'redaction.json'), 'utf8')).verify;
  notes = table(readZips(join(work, 'out')), 'Notes.csv');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redact: free text written by hand', () => {
  it('scrubs hidden and mangled names, addresses and numbers, and leaves business text as written', () => {
    const column = notes[0]!.indexOf('content');
    expect(notes.slice(1).map((row) => row[column])).toEqual(NOTES.map(([, , out]) => out));
  });

  it('--verify finds nothing left: the leak scan agrees with the scrubber on short names and words', () => {
    expect(verify).toMatchObject({ hits: 0 });
  });
});
