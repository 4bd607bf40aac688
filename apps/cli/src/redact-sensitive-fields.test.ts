// `talent-export redact` over custom fields of special personal data (`Home address`, `Date of birth`,
// `Geburtsdatum`, a field whose description says so): their values are replaced whole, which no detector
// or name would find, and verify-redaction searches for them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExport } from '@talent-export/sample/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZips, runCli, table } from './redact.fixture.js';

let work: string;
let values: string[][];
let json: {
  known: Record<string, number>;
  verify: { hits: number; values: number };
};

const run = (args: string[]) => runCli(work, args);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-sensitive-'));
  writeExport(join(work, 'export'), {
    'Candidate.csv': [
      ['candidate_id', 'project_id', 'first_name', 'last_name'],
      ['101', '9', 'Jane', 'Doe'],
    ],
    'CustomFieldDefinition.csv': [
      ['custom_field_id', 'entity_type', 'description', 'name', 'state', 'type'],
      ['901', 'candidate', '', 'Home address', 'active', 'string'],
      ['902', 'candidate', '', 'Geburtsdatum', 'active', 'string'],
      ['903', 'candidate', "the candidate's national insurance number", 'Field 3', 'active', 'string'],
      ['904', 'candidate', '', 'Notice period', 'active', 'string'],
      ['905', 'project', '', 'Office address', 'active', 'string'],
    ],
    'CustomFieldValues.csv': [
      ['custom_field_id', 'entity_type', 'entity_id', 'custom_field_values'],
      ['901', 'candidate', '101', '12 Rose Street, Leeds'],
      ['902', 'candidate', '101', '1987-03-04'],
      ['903', 'candidate', '101', 'QQ 12 34 56 C'],
      ['904', 'candidate', '101', '3 months'],
      ['905', 'project', '9', '1 Canal Walk, Leeds'],
    ],
  });
  writeFileSync(join(work, 'key'), 'ef'.repeat(32));
  const r = run(['redact', 'export', '-o', 'out', '--key-file', 'key', '--verify', '-q']);
  // Tables are missing: a problem, so exit 1 after a finished run.
  expect([r.status, r.stderr]).toEqual([1, '']);
  values = table(readZips(join(work, 'out')), 'CustomFieldValues.csv').slice(1);
  json = JSON.parse(readFileSync(join(work, 'out', 'redaction.json'), 'utf8'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redact: custom fields of special personal data', () => {
  it("replaces their values whole, by the field's name or description, and counts them", () => {
    expect(values.map((row) => row[3])).toEqual([
      '[REDACTED]',
      '[REDACTED]',
      '[REDACTED]',
      '3 months',
      '1 Canal Walk, Leeds',
    ]);
    expect(json.known.sensitive_field).toBe(3);
    expect(json.verify.hits).toBe(0);
  });

  it('convert --policy replaces them too', () => {
    const r = run(['convert', 'export', '--out', 'lake', '--to', 'ndjson', '--policy', 'default', '-q']);
    expect(r.stderr).toBe('');
    const rows = readFileSync(join(work, 'lake', 'custom_field_values.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).custom_field_values);
    expect(rows).toEqual([
      ['[REDACTED]'],
      ['[REDACTED]'],
      ['[REDACTED]'],
      ['3 months'],
      ['1 Canal Walk, Leeds'],
    ]);
  });

  it('verify-redaction searches for them, where a copy of the source would show them', () => {
    mkdirSync(join(work, 'shared'));
    writeFileSync(
      join(work, 'shared', 'notes.txt'),
      'lives at 12 Rose Street, Leeds; born 1987-03-04; NI QQ123456C, QQ 12 34 56 C',
    );
    const r = run(['verify-redaction', 'export', 'shared', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ hits: 3, exitCode: 1 });
    expect(r.stderr).toContain('custom_field_values[901] (sensitive) 1');
  });
});
