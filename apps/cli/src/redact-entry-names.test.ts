// export.zip re-zipped by hand under a folder named after a person: the redacted export.zip keeps the
// tables' file names and layout, with that folder's name scrubbed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeExport } from '@talent-export/sample/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { readZips } from './redact.fixture.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'talent-export-redact-entry-names-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redact: folders of export.zip', () => {
  it("scrubs a person's name out of the folders the tables are under, and --verify finds none", () => {
    const folder = 'Export for Seán O’Brien (sean.obrien@example.org)/Contract_42';
    writeExport(join(work, 'export'), {
      [`${folder}/Candidate.csv`]: [
        ['candidate_id', 'first_name', 'last_name', 'emails'],
        ['101', 'Seán', "O'Brien", 'sean.obrien@example.org'],
      ],
      [`${folder}/Notes.csv`]: [
        ['note_id', 'candidate_id', 'content'],
        ['1', '101', 'Keen.'],
      ],
    });
    writeFileSync(join(work, 'key'), 'ab'.repeat(32));
    const r = spawnSync(
      process.execPath,
      [bin, 'redact', 'export', '-o', 'out', '--key-file', 'key', '--verify', '-q'],
      { cwd: work, encoding: 'utf8', env: { ...process.env, TALENT_EXPORT_REDACT_KEY: undefined } },
    );
    // Missing tables: a problem, so exit 1 after a finished run.
    expect(r.status).toBe(1);
    const names = readZips(join(work, 'out'))['export.zip']!.entries.map((e) => e.name);
    expect(names).toEqual([
      'Export for [PERSON] ([EMAIL])/Contract_42/Candidate.csv',
      'Export for [PERSON] ([EMAIL])/Contract_42/Notes.csv',
    ]);
    expect(JSON.parse(readFileSync(join(work, 'out', 'redaction.json'), 'utf8')).verify.hits).toBe(0);
  });
});
