import { describe, expect, it } from 'vitest';
import { SCHEMAS, TABLE_NAMES, tableForFile } from './tables.js';

describe('tableForFile', () => {
  it.each([
    ['Candidate.csv', 'candidates'],
    ['Contract_123456/candidates.CSV', 'candidates'],
    ['CustomFieldDefinition.csv', 'custom_field_definitions'],
    ['customfielddefinitions.csv', 'custom_field_definitions'],
    ['InterviewModule.csv', 'interview_modules'],
    ['Contract_1 2/Projects.csv', 'projects'],
    // Words apart: as the guide lists the files, and as the tables are named here.
    ['Hiring States.csv', 'hiring_states'],
    ['Custom Fields Definitions.csv', 'custom_field_definitions'],
    ['Custom Field Values.csv', 'custom_field_values'],
    ['Interview Modules.csv', 'interview_modules'],
    ['Contract_1/hiring_states.csv', 'hiring_states'],
    ['custom_field_definitions.csv', 'custom_field_definitions'],
    ['interview-modules.csv', 'interview_modules'],
  ])('%s is %s', (file, table) => expect(tableForFile(file)).toBe(table));

  it.each([
    'export.csv',
    'Candidate.txt',
    'Candidates.csv.bak',
    'Other.csv',
    'Notes 2.csv',
    'Notes - Copy.csv',
    '_notes.csv',
    'notes_.csv',
  ])('%s is no table', (file) => expect(tableForFile(file)).toBeUndefined());
});

it('every table has its key columns among its fields, all required', () => {
  expect(TABLE_NAMES).toHaveLength(10);
  for (const name of TABLE_NAMES) {
    const { fields, key } = SCHEMAS[name];
    for (const column of key) expect(fields.find((f) => f.name === column)?.required).toBe(true);
  }
});
