// `talent-export redact` over custom fields named for a person or a contact (`Hiring Manager`, `Personal
// e-mail`): their values are redacted as names, e-mails and phones are, not left as text that names no one
// the export knows.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeExport } from '@talent-export/sample/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZips, table } from './redact.fixture.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;
let values: string[][];
let notes: string[][];
let verify: { hits: number; values: number };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-fields-'));
  const definitions = [
    [
      'custom_field_id',
      'entity_type',
      'description',
      'name',
      'state',
      'type',
      'custom_field_definition_values',
    ],
    ['801', 'candidate', '', 'Hiring Manager', 'active', 'single value', 'Alice Jones;Tom Becker'],
    ['802', 'candidate', '', 'Personal E-mail', 'active', 'string', ''],
    ['803', 'candidate', '', 'Desired salary', 'active', 'number', ''],
    ['804', 'candidate', '', 'Referred by', 'active', 'string', ''],
    ['805', 'candidate', '', 'Emergency contact', 'active', 'string', ''],
  ];
  const fieldValues = [
    ['custom_field_id', 'entity_type', 'entity_id', 'custom_field_values'],
    ['801', 'candidate', '101', 'Alice Jones'],
    ['802', 'candidate', '101', 'jane.private@example.org'],
    ['803', 'candidate', '101', '85000'],
    ['804', 'candidate', '101', 'Hendrik Jansen <hendrik.jansen@acme.example>'],
    ['805', 'candidate', '101', 'Anna Schmidt +49 171 1234567'],
  ];
  writeExport(join(work, 'export'), {
    'Candidate.csv': [
      ['candidate_id', 'project_id', 'first_name', 'last_name', 'Mobile 2'],
      ['101', '9', 'Jane', 'Doe', '912 34 567'],
    ],
    'CustomFieldDefinition.csv': definitions,
    'CustomFieldValues.csv': fieldValues,
    'Notes.csv': [
      ['note_id', 'project_id', 'candidate_id', 'content', 'owner_profile_url', 'visibility'],
      ['701', '9', '101', 'Alice Jones (hiring manager) wants Jane on site', '', 'Project'],
      ['702', '9', '101', 'Jane, call 912 34 567', '', 'Project'],
      ['703', '9', '101', 'Hendrik Jansen referred her; Anna Schmidt is next of kin', '', 'Project'],
      ['704', '9', '101', 'Tom Becker asked to meet her', '', 'Project'],
    ],
  });
  writeFileSync(join(work, 'key'), 'ef'.repeat(32));
  const r = spawnSync(
    process.execPath,
    [bin, 'redact', 'export', '-o', 'out', '--key-file', 'key', '--verify', '-q'],
    {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, TALENT_EXPORT_REDACT_KEY: undefined },
    },
  );
  // Six tables are missing: a problem, so exit 1 after a finished run.
  expect([r.status, r.stderr]).toEqual([1, '']);
  const views = readZips(join(work, 'out'));
  values = table(views, 'CustomFieldValues.csv').slice(1);
  notes = table(views, 'Notes.csv').slice(1);
  verify = JSON.parse(readFileSync(join(work, 'out', 'redaction.json'), 'utf8')).verify;
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redact: custom fields named for a person or a contact', () => {
  it('fakes their values, and leaves the other fields as text', () => {
    const [manager, email, salary] = values.map((row) => row[3]);
    expect(manager).not.toContain('Alice');
    expect(manager).not.toContain('Jones');
    expect(email).toMatch(/^person-[0-9a-f]{12}@example\.invalid$/);
    // A salary is special personal data: replaced whole (see redact-sensitive-fields.test.ts).
    expect(salary).toBe('[REDACTED]');
  });

  it('scrubs their names where else they stand, and --verify searches for them', () => {
    expect(notes[0]![3]).toBe('[PERSON] (hiring manager) wants [CANDIDATE] on site');
    // A column beyond the schema headed for a phone: its number is the candidate's, short as it is.
    expect(notes[1]![3]).toBe('[CANDIDATE], call [PHONE]');
    // Jane, Doe, the second mobile, the manager's name, the private e-mail, the referrer's name, the
    // emergency contact whole and by name, and the other manager of the field's choices.
    expect(verify).toMatchObject({ hits: 0, values: 9 });
  });

  it('scrubs the choices of a field named for a person, chosen or not, there and elsewhere', () => {
    const choices = table(readZips(join(work, 'out')), 'CustomFieldDefinition.csv')[1]!;
    expect(choices[6]).toBe('[PERSON];[PERSON]');
    expect(notes[3]![3]).toBe('[PERSON] asked to meet her');
  });

  it('takes the names out of a value that holds an e-mail or a phone beside them, there and elsewhere', () => {
    expect(values.slice(3).map((row) => row[3])).toEqual([
      '[PERSON] <[EMAIL]>',
      expect.not.stringMatching(/Anna|Schmidt|1234567/),
    ]);
    expect(notes[2]![3]).toBe('[PERSON] referred her; [PERSON] is next of kin');
    // verify-redaction searches for them: the source's own notes hold both.
    mkdirSync(join(work, 'shared'));
    writeFileSync(join(work, 'shared', 'notes.txt'), 'Hendrik Jansen referred her; Anna Schmidt too.');
    const r = spawnSync(process.execPath, [bin, 'verify-redaction', 'export', 'shared', '--json'], {
      cwd: work,
      encoding: 'utf8',
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ hits: 2, exitCode: 1 });
  });
});

describe('redact: an export without a candidates table', () => {
  it('is redacted all the same: there are no candidate columns to read', () => {
    writeExport(join(work, 'no-candidates'), {
      'Notes.csv': [
        ['note_id', 'project_id', 'candidate_id', 'content', 'owner_profile_url', 'visibility'],
        ['701', '9', '101', 'Hi', '', 'Project'],
      ],
    });
    const r = spawnSync(
      process.execPath,
      [bin, 'redact', 'no-candidates', '-o', 'no-candidates-out', '--key-file', 'key', '-q'],
      { cwd: work, encoding: 'utf8', env: { ...process.env, TALENT_EXPORT_REDACT_KEY: undefined } },
    );
    expect([r.status, r.stderr]).toEqual([1, '']);
    expect(table(readZips(join(work, 'no-candidates-out')), 'Notes.csv')).toHaveLength(2);
  });
});
