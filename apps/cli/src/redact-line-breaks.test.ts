// A name hyphenated at a line break ("Bjørn-" ending one line of a note, "strüp" the next, as text pasted
// from a CV reads): redact scrubs it, and verify-redaction finds it where a policy kept it, in CSV, NDJSON
// (an escaped line end) and Parquet (values read back a row a line).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExport } from '@talent-export/sample/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZips, runCli, table } from './redact.fixture.js';

const work = mkdtempSync(join(tmpdir(), 'talent-export-line-breaks-'));
const run = (args: string[]) => runCli(work, args);

beforeAll(() => {
  writeExport(join(work, 'export'), {
    'Contract_1/Candidate.csv': [
      ['candidate_id', 'first_name', 'last_name'],
      ['101', 'Søren', 'Bjørnstrüp'],
    ],
    'Contract_1/Messages.csv': [
      ['message_id', 'candidate_id', 'subject', 'body'],
      ['1', '101', 'Hi', 'Met Mr Bjørn-\r\nstrüp today; a well-\nknown name'],
    ],
  });
  writeFileSync(join(work, 'key'), 'ab'.repeat(32));
  writeFileSync(join(work, 'keep-body.yaml'), 'version: 1\ntables:\n  messages: { body: keep }\n');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a name hyphenated at a line break', () => {
  it('is scrubbed by redact, and --verify finds nothing', () => {
    run(['redact', 'export', '-o', 'out', '--key-file', 'key', '--verify', '-q']);
    const rows = table(readZips(join(work, 'out')), 'Messages.csv');
    expect(rows[1]![3]).toBe('Met Mr [CANDIDATE] today; a well-\nknown name');
    expect(JSON.parse(readFileSync(join(work, 'out', 'redaction.json'), 'utf8')).verify.hits).toBe(0);
  });

  it('is found by verify-redaction in CSV, NDJSON and Parquet where the policy kept the text', () => {
    run([
      'convert',
      'export',
      '-o',
      'kept',
      '--policy',
      'keep-body.yaml',
      '--to',
      'csv,ndjson,parquet',
      '-q',
    ]);
    const r = run(['verify-redaction', 'export', 'kept', '--json']);
    expect(r.status).toBe(1);
    const places = JSON.parse(r.stdout).places.map((p: { file: string; entry?: string; hits: number }) =>
      [p.file, p.entry, p.hits].join(' '),
    );
    expect(places.filter((p: string) => p.startsWith('messages.')).sort()).toEqual([
      'messages.csv  1',
      'messages.ndjson  1',
      'messages.parquet column body 1',
    ]);
  });
});
