// `talent-export redact` over the names of people known only by their profile URL (a project's owner, an
// interviewer): taken out of every row's text, not only out of their own rows'.
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

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-recruiters-'));
  writeExport(join(work, 'export'), {
    'Candidate.csv': [
      ['candidate_id', 'project_id', 'first_name', 'last_name'],
      ['101', '9', 'Jane', 'Doe'],
    ],
    'Messages.csv': [
      ['message_id', 'project_id', 'candidate_id', 'sender_profile_url', 'subject', 'body', 'type'],
      [
        '601',
        '9',
        '101',
        'https://www.linkedin.com/in/priya-sharma-1a2b3c',
        'Hi',
        'Best, Priya Sharma',
        'InMail',
      ],
    ],
    // The sender owns the project: messages are not read twice for their senders' names (see redaction.ts).
    'Projects.csv': [
      ['project_id', 'project_name', 'owner_profile_url'],
      ['9', 'Data engineer', 'https://www.linkedin.com/in/priya-sharma-1a2b3c'],
    ],
    'Scorecards.csv': [
      [
        'scorecard_id',
        'project_id',
        'candidate_id',
        'interview_id',
        'interviewer',
        'interview_module_id',
        'composite_score',
        'overall_recommendation',
      ],
      ['501', '9', '101', '1', 'https://www.linkedin.com/in/tomas-novak-77', '1', '3', 'yes'],
    ],
    'Notes.csv': [
      ['note_id', 'project_id', 'candidate_id', 'content', 'owner_profile_url', 'visibility'],
      [
        '701',
        '9',
        '101',
        'Priya Sharma and Tomas Novák liked Jane; Priya will call',
        'https://www.linkedin.com/in/ola-berg-9z',
        'Project',
      ],
    ],
  });
  // A sender no other table names, whose first name is a candidate's: the scrubber knows "Priya" alone.
  writeExport(join(work, 'senders'), {
    'Candidate.csv': [
      ['candidate_id', 'project_id', 'first_name', 'last_name', 'profile_url'],
      ['101', '9', 'Priya', 'Doe', 'https://www.linkedin.com/in/priya-doe-55'],
      ['102', '9', 'Liam', 'Sato', ''],
    ],
    'Messages.csv': [
      ['message_id', 'project_id', 'candidate_id', 'sender_profile_url', 'subject', 'body', 'type'],
      [
        '601',
        '9',
        '101',
        'https://www.linkedin.com/in/priya-raman-a1b2c3',
        'Hi',
        'Regards, Priya Raman',
        'InMail',
      ],
      [
        '602',
        '9',
        '102',
        'https://www.linkedin.com/in/zyx-qwerty-9',
        'Hi',
        'Priya Raman asked me to write',
        'InMail',
      ],
      // The candidate's reply from their own profile: their name stays theirs.
      ['603', '9', '101', 'https://www.linkedin.com/in/priya-doe-55', 'Re: Hi', 'Thanks, Priya Doe', 'reply'],
    ],
    'Notes.csv': [
      ['note_id', 'project_id', 'candidate_id', 'content', 'owner_profile_url', 'visibility'],
      ['701', '9', '102', 'Zyx Qwerty and Priya Raman met Liam', '', 'Project'],
    ],
  });
  writeFileSync(join(work, 'key'), 'ef'.repeat(32));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redact: people known by their profile URL only', () => {
  it('are taken out of the text of rows that are not theirs, whole', () => {
    const r = spawnSync(
      process.execPath,
      [bin, 'redact', 'export', '-o', 'out', '--key-file', 'key', '--verify', '-q'],
      { cwd: work, encoding: 'utf8', env: { ...process.env, TALENT_EXPORT_REDACT_KEY: undefined } },
    );
    // Tables are missing: a problem, so exit 1 after a finished run.
    expect([r.status, r.stderr]).toEqual([1, '']);
    const notes = table(readZips(join(work, 'out')), 'Notes.csv').slice(1);
    expect(notes[0]![3]).toBe('[PERSON] and [PERSON] liked [CANDIDATE]; Priya will call');
    expect(JSON.parse(readFileSync(join(work, 'out', 'redaction.json'), 'utf8')).verify.hits).toBe(0);
  });

  it("are taken out whole when only the messages name them, in their own rows and others'", () => {
    const r = spawnSync(
      process.execPath,
      [bin, 'redact', 'senders', '-o', 'senders-out', '--key-file', 'key', '--verify', '-q'],
      { cwd: work, encoding: 'utf8', env: { ...process.env, TALENT_EXPORT_REDACT_KEY: undefined } },
    );
    expect([r.status, r.stderr]).toEqual([1, '']);
    const zips = readZips(join(work, 'senders-out'));
    const bodies = table(zips, 'Messages.csv')
      .slice(1)
      .map((row) => row[5]);
    // Was "Regards, [PERSON] Raman": the first name taken alone, the last name left.
    expect(bodies).toEqual(['Regards, [PERSON]', '[PERSON] asked me to write', 'Thanks, [CANDIDATE]']);
    expect(table(zips, 'Notes.csv')[1]![3]).toBe('[PERSON] and [PERSON] met [CANDIDATE]');
    expect(JSON.parse(readFileSync(join(work, 'senders-out', 'redaction.json'), 'utf8')).verify.hits).toBe(0);
  });
});
