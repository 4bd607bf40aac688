import { describe, expect, it } from 'vitest';
import type { TypedRecord } from './decoder.js';
import {
  checkName,
  createReferenceChecker,
  isEntityType,
  MissingReferences,
  REFERENCE_CHECKS,
  REFERENCE_ORDER,
  type ReferenceReport,
  referenceColumns,
} from './references.js';
import type { TableName } from './tables.js';
import type { Value } from './values.js';

const FEED: [TableName, TypedRecord][] = [
  ['hiring_states', { candidate_hiringstate_id: '31' }],
  ['projects', { project_id: '21', candidate_hiring_state_ids: ['31'] }],
  ['projects', { project_id: '22', candidate_hiring_state_ids: ['31', '39', '38'] }],
  ['projects', { project_id: '23', candidate_hiring_state_ids: [] }],
  ['candidates', { candidate_id: '11', project_id: '21', hiring_state_id: '31' }],
  ['candidates', { candidate_id: '12', project_id: '2404', hiring_state_id: null }],
  ['messages', { message_id: '61', project_id: '21', candidate_id: '11' }],
  ['messages', { message_id: '62', project_id: null, candidate_id: '19' }],
  ['messages', { message_id: '63', project_id: '21', candidate_id: '19' }],
  ['scorecards', { scorecard_id: '71', project_id: '22', candidate_id: '12', interview_module_id: '51' }],
  ['custom_field_definitions', { custom_field_id: '41' }],
  ['custom_field_values', { custom_field_id: '41', entity_type: 'Candidate', entity_id: '11' }],
  ['custom_field_values', { custom_field_id: '42', entity_type: 'PROJECT', entity_id: '11' }],
  ['custom_field_values', { custom_field_id: '41', entity_type: 'job', entity_id: 'zzz' }],
];

function run(feed: [TableName, TypedRecord][]): ReferenceReport[] {
  const checker = createReferenceChecker();
  for (const [table, record] of feed) checker.add(table, record);
  return checker.finish();
}

it('reports every check, orphans counted per row, nulls and empty lists not orphans', () => {
  const report = run(FEED);
  expect(report.map((r) => r.check)).toEqual([
    'candidates.hiring_state_id -> hiring_states.candidate_hiringstate_id',
    'candidates.project_id -> projects.project_id',
    'feedbacks.project_id -> projects.project_id',
    'messages.project_id -> projects.project_id',
    'notes.project_id -> projects.project_id',
    'scorecards.project_id -> projects.project_id',
    'feedbacks.candidate_id -> candidates.candidate_id',
    'messages.candidate_id -> candidates.candidate_id',
    'notes.candidate_id -> candidates.candidate_id',
    'scorecards.candidate_id -> candidates.candidate_id',
    'scorecards.interview_module_id -> interview_modules.interview_module_id',
    'custom_field_values.custom_field_id -> custom_field_definitions.custom_field_id',
    'custom_field_values.entity_id -> candidates.candidate_id',
    'custom_field_values.entity_id -> projects.project_id',
    'projects.candidate_hiring_state_ids -> hiring_states.candidate_hiringstate_id',
  ]);
  const byCheck = Object.fromEntries(report.map((r) => [r.check, [r.rows, r.examples]]));
  expect(byCheck).toMatchObject({
    'candidates.hiring_state_id -> hiring_states.candidate_hiringstate_id': [0, []],
    'candidates.project_id -> projects.project_id': [1, ['2404']],
    'messages.project_id -> projects.project_id': [0, []],
    'messages.candidate_id -> candidates.candidate_id': [2, ['19']],
    'scorecards.interview_module_id -> interview_modules.interview_module_id': [1, ['51']],
    'custom_field_values.custom_field_id -> custom_field_definitions.custom_field_id': [1, ['42']],
    'custom_field_values.entity_id -> candidates.candidate_id': [0, []],
    'custom_field_values.entity_id -> projects.project_id': [1, ['11']],
    'projects.candidate_hiring_state_ids -> hiring_states.candidate_hiringstate_id': [1, ['39', '38']],
  });
});

it('does not depend on the order tables are fed', () => {
  expect(run([...FEED].reverse())).toEqual(run(FEED));
});

it('gives the same report when referenced tables are fed first and marked complete', () => {
  const checker = createReferenceChecker();
  for (const table of REFERENCE_ORDER) {
    for (const [t, record] of FEED) if (t === table) checker.add(t, record);
    checker.complete(table);
  }
  expect(checker.finish()).toEqual(run(FEED));
});

it('gives the same report and repeats from addRows, rows given as the values of referenceColumns', () => {
  // Each table's rows in batches of 2, a row standing for 3 alike; repeated rows of a unique key too.
  const feed: [TableName, TypedRecord][] = [...FEED, ['hiring_states', { candidate_hiringstate_id: '31' }]];
  for (const complete of [false, true]) {
    const byRecord = createReferenceChecker();
    const byRows = createReferenceChecker();
    for (const table of REFERENCE_ORDER) {
      const records = feed.filter(([t]) => t === table).map(([, record]) => record);
      const columns = referenceColumns(table);
      for (const record of records) byRecord.add(table, record, 3);
      for (let at = 0; at < records.length; at += 2) {
        const batch = records.slice(at, at + 2);
        const values = batch.flatMap((record) => columns.map((column) => record[column] ?? null));
        byRows.addRows(
          table,
          columns,
          values,
          batch.map(() => 3),
        );
      }
      if (complete) {
        byRecord.complete(table);
        byRows.complete(table);
      }
    }
    expect(byRows.finish()).toEqual(byRecord.finish());
    expect(byRows.repeated()).toEqual(byRecord.repeated());
    expect(byRows.repeated()).toEqual([
      { table: 'hiring_states', column: 'candidate_hiringstate_id', rows: 5, examples: ['31'] },
      { table: 'custom_field_definitions', column: 'custom_field_id', rows: 2, examples: ['41'] },
    ]);
  }
});

it('takes ids as their numericId in any column, and reports them spelled as ids', () => {
  const numeric = (record: TypedRecord): TypedRecord =>
    Object.fromEntries(
      Object.entries(record).map(([k, v]) => [
        k,
        typeof v === 'string' && /^[1-9]\d*$/.test(v) ? Number(v) : v,
      ]),
    );
  const feed: [TableName, TypedRecord][] = [
    ['candidates', { candidate_id: '17', project_id: '5' }],
    ['projects', { project_id: '5' }],
    ['messages', { message_id: '61', project_id: '5', candidate_id: '17' }],
    ['messages', { message_id: '62', project_id: '6', candidate_id: '18' }],
    ['messages', { message_id: '63', project_id: '5', candidate_id: '017' }],
  ];
  const expected = run(feed);
  const byCheck = Object.fromEntries(expected.map((r) => [r.check, [r.rows, r.examples]]));
  expect(byCheck['messages.candidate_id -> candidates.candidate_id']).toEqual([2, ['18', '017']]);
  expect(byCheck['messages.project_id -> projects.project_id']).toEqual([1, ['6']]);
  expect(run(feed.map(([table, record]) => [table, numeric(record)]))).toEqual(expected);
  // Keys as strings, references as numbers, referenced tables complete first (as the engine feeds them).
  const checker = createReferenceChecker();
  for (const table of REFERENCE_ORDER) {
    for (const [t, record] of feed)
      if (t === table) checker.add(t, t === 'messages' ? numeric(record) : record);
    checker.complete(table);
  }
  expect(checker.finish()).toEqual(expected);
});

it('keeps at most 5 examples and counts every orphan row', () => {
  const feed: [TableName, TypedRecord][] = [];
  for (let i = 0; i < 1000; i += 1) feed.push(['notes', { note_id: `n${i}`, candidate_id: `1${i % 50}` }]);
  const notes = run(feed).find((r) => r.check === 'notes.candidate_id -> candidates.candidate_id')!;
  expect(notes).toEqual({
    check: 'notes.candidate_id -> candidates.candidate_id',
    rows: 1000,
    examples: ['10', '11', '12', '13', '14'],
  });
});

it('counts rows repeating the id of a table looked up by one id, not of tables with a row per pair', () => {
  const checker = createReferenceChecker();
  checker.add('hiring_states', { candidate_hiringstate_id: '31' });
  checker.add('hiring_states', { candidate_hiringstate_id: '31' });
  checker.add('hiring_states', { candidate_hiringstate_id: '32' }, 3);
  checker.add('interview_modules', { interview_module_id: 7 });
  checker.add('projects', { project_id: '21' });
  checker.add('projects', { project_id: '21' });
  checker.add('candidates', { candidate_id: '11', project_id: '21' });
  checker.add('candidates', { candidate_id: '11', project_id: '22' });
  expect(checker.repeated()).toEqual([
    { table: 'hiring_states', column: 'candidate_hiringstate_id', rows: 3, examples: ['31', '32'] },
  ]);
});

describe('isEntityType', () => {
  it('matches any case and stray spaces, nothing else', () => {
    for (const v of ['candidate', 'Candidate', 'CANDIDATE', ' candidate\t']) {
      expect(isEntityType(v, 'candidate')).toBe(true);
    }
    for (const v of ['project', 'candidates', '', null, 42]) expect(isEntityType(v, 'candidate')).toBe(false);
  });
});

describe('shared checks (MissingReferences)', () => {
  // Custom field values: entity ids checked against candidates or projects by their entity type.
  const columns = ['custom_field_id', 'entity_type', 'entity_id'];
  const rows: Value[][] = [
    ['41', 'candidate', '11'],
    ['41', 'candidate', '19'],
    ['41', 'candidate', '19'],
    ['42', ' Project ', '21'],
    ['42', 'project', '11'],
    ['49', 'candidate', '11'],
    ['42', 'other', 'zz'],
    ['41', 'CANDIDATE', '18'],
  ];
  const checkerWith = () => {
    const checker = createReferenceChecker();
    checker.add('projects', { project_id: '21' });
    checker.complete('projects');
    checker.add('custom_field_definitions', { custom_field_id: '41' });
    checker.add('custom_field_definitions', { custom_field_id: '42' });
    checker.complete('custom_field_definitions');
    for (const id of ['11', '12']) checker.add('candidates', { candidate_id: id });
    checker.complete('candidates');
    return checker;
  };

  it('finds, row by row or a combination at a time, what the checker finds itself', () => {
    const alone = checkerWith();
    for (const row of rows)
      alone.add('custom_field_values', Object.fromEntries(columns.map((c, k) => [c, row[k]!])));
    const expected = alone.finish();
    for (const byRow of [true, false]) {
      const checker = checkerWith();
      const shared = checker.shareChecks('custom_field_values');
      expect(shared).toHaveLength(3);
      const elsewhere = new MissingReferences(structuredClone(shared));
      const check = elsewhere.rowChecker(columns);
      if (byRow) for (const row of rows) check(row);
      else
        elsewhere.addRows(
          columns,
          rows.flat(),
          rows.map(() => 1),
        );
      for (const found of elsewhere.take()) checker.addMissing(found);
      // Rows given to addRows skip the shared checks: they were checked elsewhere.
      checker.addRows(
        'custom_field_values',
        columns,
        rows.flat(),
        rows.map(() => 1),
      );
      expect(checker.finish(), `by row: ${byRow}`).toEqual(expected);
    }
    expect(expected.find((r) => r.check.startsWith('custom_field_values.entity_id -> candidates'))).toEqual({
      check: 'custom_field_values.entity_id -> candidates.candidate_id',
      rows: 3,
      examples: ['19', '18'],
    });
  });

  it('counts rows alternating between two ids, one missing, as the checker itself does', () => {
    const alternating: Value[][] = [];
    for (const id of ['19', '11', '19', '11', '11', '19', '18', '19', '18', '11', '19'])
      alternating.push(['41', 'candidate', id]);
    const alone = checkerWith();
    for (const row of alternating)
      alone.add('custom_field_values', Object.fromEntries(columns.map((c, k) => [c, row[k]!])));
    const expected = alone.finish();
    const checker = checkerWith();
    const elsewhere = new MissingReferences(structuredClone(checker.shareChecks('custom_field_values')));
    const check = elsewhere.rowChecker(columns);
    for (const row of alternating) check(row);
    for (const found of elsewhere.take()) checker.addMissing(found);
    checker.addRows(
      'custom_field_values',
      columns,
      alternating.flat(),
      alternating.map(() => 1),
    );
    expect(checker.finish()).toEqual(expected);
    expect(
      expected.find((r) => r.check === 'custom_field_values.entity_id -> candidates.candidate_id')?.rows,
    ).toBe(7);
  });

  it('gives each take() what was found since the one before, the same row checker going on', () => {
    const checker = checkerWith();
    const elsewhere = new MissingReferences(structuredClone(checker.shareChecks('custom_field_values')));
    const check = elsewhere.rowChecker(columns);
    const takes = [rows.slice(0, 3), rows.slice(3)].map((some) => {
      for (const row of some) check(row);
      return elsewhere.take();
    });
    const byCheck = (found: { check: number; rows: number }[]) =>
      Object.fromEntries(found.map((f) => [checkName(REFERENCE_CHECKS[f.check]!), f.rows]));
    expect(takes.map(byCheck)).toEqual([
      // Candidate 19, twice.
      { 'custom_field_values.entity_id -> candidates.candidate_id': 2 },
      // Project 11, field 49 and candidate 18.
      {
        'custom_field_values.entity_id -> projects.project_id': 1,
        'custom_field_values.custom_field_id -> custom_field_definitions.custom_field_id': 1,
        'custom_field_values.entity_id -> candidates.candidate_id': 1,
      },
    ]);
  });
});

it('counts missing ids that are not made of digits but never shows them: they may be names or e-mails', () => {
  const checker = createReferenceChecker();
  checker.add('candidates', { candidate_id: '11' });
  checker.complete('candidates');
  for (const id of ['Jane Doe', '19', 'jane@example.com', '18', 'x-1'])
    checker.add('notes', { note_id: '1', candidate_id: id });
  for (const id of ['Jane Doe', 'Jane Doe', '3'])
    checker.add('hiring_states', { candidate_hiringstate_id: id });
  const notes = checker.finish().find((r) => r.check === 'notes.candidate_id -> candidates.candidate_id');
  expect(notes).toEqual({
    check: 'notes.candidate_id -> candidates.candidate_id',
    rows: 5,
    examples: ['19', '18'],
  });
  expect(checker.repeated()).toEqual([
    { table: 'hiring_states', column: 'candidate_hiringstate_id', rows: 1, examples: [] },
  ]);
});

it('counts rows that repeat, alternate or change kind of value alike, the value looked up last reused', () => {
  // Candidate 19 is missing, 11 is not: rows of one candidate come together, alternating with others.
  const ids = ['19', '19', '11', '19', 19, '11', '11', '19', null, '19'];
  const feed: [TableName, TypedRecord][] = [
    ['candidates', { candidate_id: '11' }],
    ...ids.map((id, i): [TableName, TypedRecord] => [
      'messages',
      { message_id: String(i), candidate_id: id },
    ]),
  ];
  const checker = createReferenceChecker();
  for (const [table, record] of feed) checker.add(table, record, table === 'messages' ? 2 : 1);
  const messages = checker
    .finish()
    .find((r) => r.check === 'messages.candidate_id -> candidates.candidate_id')!;
  // Six rows name 19 (one as a number), each weighing 2.
  expect([messages.rows, messages.examples]).toEqual([12, ['19']]);
});
