// A candidates row the decoder rejects (a cell too many, a cell too few) is not written, but the person
// in it is still named in other tables: the scrubber and the leak scan know that person all the same.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExport } from '@talent-export/sample/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZips, runCli, table } from './redact.fixture.js';

let work: string;

const run = (args: string[]) => runCli(work, args);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-rejected-'));
  const candidates = [
    ['candidate_id', 'project_id', 'first_name', 'last_name', 'emails', 'phone_numbers'],
    ['101', '9', 'Jane', 'Doe', 'jane.doe@example.com', ''],
    // A cell too many (a stray comma in a cell of a tool's copy), and a row cut short.
    ['102', '9', 'Seán', "O'Brien", 'sean.obrien@example.org', '+353 1 234 5678', 'x'],
    ['103', '9', 'Ingrid', 'Solberg'],
  ];
  const notes = [
    ['note_id', 'project_id', 'candidate_id', 'content', 'owner_profile_url', 'visibility'],
    ['1', '9', '102', "Spoke to Seán O'Brien, he is keen.", '', 'Project'],
    ['2', '9', '103', 'Ingrid Solberg asked for a call back.', '', 'Project'],
  ];
  writeExport(join(work, 'export'), { 'Candidate.csv': candidates, 'Notes.csv': notes });
  writeFileSync(join(work, 'key'), 'ab'.repeat(32));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redact: the people of rejected candidates rows', () => {
  it('are scrubbed from free text, and --verify agrees', () => {
    const r = run(['redact', 'export', '-o', 'out', '--key-file', 'key', '--verify', '-q']);
    // Rejected rows and missing tables: a problem, so exit 1 after a finished run.
    expect(r.status).toBe(1);
    const notes = table(readZips(join(work, 'out')), 'Notes.csv');
    const column = notes[0]!.indexOf('content');
    expect(notes.slice(1).map((row) => row[column])).toEqual([
      'Spoke to [CANDIDATE], he is keen.',
      '[CANDIDATE] asked for a call back.',
    ]);
    const json = JSON.parse(readFileSync(join(work, 'out', 'redaction.json'), 'utf8'));
    expect(json.verify.hits).toBe(0);
    expect(json.problems).toContainEqual(expect.objectContaining({ code: 'NAMES_UNKNOWN' }));
  });

  it('are dropped by --drop-candidates, their rows elsewhere too, with no CANDIDATE_UNKNOWN', () => {
    writeFileSync(join(work, 'drop'), '102\n');
    const r = run([
      'redact',
      'export',
      '-o',
      'dropped',
      '--key-file',
      'key',
      '--drop-candidates',
      'drop',
      '-q',
    ]);
    expect(r.status).toBe(1);
    const notes = table(readZips(join(work, 'dropped')), 'Notes.csv');
    expect(notes.slice(1).map((row) => row[notes[0]!.indexOf('content')])).toEqual([
      '[CANDIDATE] asked for a call back.',
    ]);
    const json = JSON.parse(readFileSync(join(work, 'dropped', 'redaction.json'), 'utf8'));
    const codes = json.problems.map((p: { code: string }) => p.code);
    expect(codes).toContain('ROWS_REJECTED');
    expect(codes).not.toContain('CANDIDATE_UNKNOWN');
  });

  it('are searched for by verify-redaction', () => {
    const leaked = join(work, 'leaked');
    mkdirSync(leaked);
    writeFileSync(join(leaked, 'notes.csv'), 'content\nSEAN O’BRIEN and ingrid solberg, +353 1 234 5678\n');
    const r = run(['verify-redaction', 'export', 'leaked', '--json', '-q']);
    expect(r.status).toBe(1);
    const columns = JSON.parse(r.stdout)
      .places[0].columns.map((c: { column: string }) => c.column)
      .sort();
    expect(columns).toEqual(['candidates.first_name', 'candidates.last_name', 'candidates.phone_numbers']);
  });
});
