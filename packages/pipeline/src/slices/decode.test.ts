import { SCHEMAS } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { decodeSlice, type SliceJob } from './decode.js';

const header = SCHEMAS.messages.fields.map((f) => f.name);

/** A slice of messages, one per (project, candidate) pair given, and what `refs`/`refCounts` add up to. */
function tally(pairs: [string, string][]) {
  const csv = pairs.map(([p, c], i) => `m${i},${p},${c},,s,b,email\n`).join('');
  const job: SliceJob = {
    table: 'messages',
    file: undefined,
    maxRecordBytes: undefined,
    header,
    offset: 0,
    parts: [Buffer.from(csv)],
    final: true,
    formats: ['ndjson'],
    refColumns: ['project_id', 'candidate_id'],
  };
  const result = decodeSlice(job);
  if (!result.ok) throw new Error(result.why);
  const counts = new Map<string, number>();
  result.refCounts.forEach((n, row) => {
    const key = `${result.refs[2 * row]}|${result.refs[2 * row + 1]}`;
    counts.set(key, (counts.get(key) ?? 0) + n);
  });
  const want = new Map<string, number>();
  for (const [p, c] of pairs) want.set(`${p}|${c}`, (want.get(`${p}|${c}`) ?? 0) + 1);
  return { counts, want, sent: result.refCounts.length, rows: result.rowsDecoded };
}

describe('a slice tallies the reference values of its rows', () => {
  it('rows alike are sent once, with their count', () => {
    const pairs = Array.from({ length: 3000 }, (_, i): [string, string] => [
      `p${i % 3}`,
      `c${Math.floor(i / 30)}`,
    ]);
    const { counts, want, sent, rows } = tally(pairs);
    expect(rows).toBe(3000);
    expect(counts).toEqual(want);
    expect(sent).toBe(want.size);
  });

  it('mostly distinct rows (a table of its own ids) are sent as they are, every row counted', () => {
    const pairs = Array.from({ length: 3000 }, (_, i): [string, string] => [
      'p1',
      i % 10 === 0 ? 'c1' : `c${i}`,
    ]);
    const { counts, want, sent } = tally(pairs);
    expect(counts).toEqual(want);
    // The lookups stop once most rows prove distinct: the repeats are then sent again.
    expect(want.size).toBeLessThan(2800);
    expect(sent).toBeGreaterThan(2900);
  });

  it('rows in any order, empty cells among them, are counted under the combination they hold', () => {
    // More alternatives than the few recent combinations kept, changing one column or both, in a
    // seeded order: every count still lands on its own combination.
    let state = 7;
    const pick = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % n;
    };
    const pairs = Array.from({ length: 5000 }, (): [string, string] => [
      ['', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', '10', '1'][pick(9)]!,
      ['', 'c1', 'c2', 'c3', '01'][pick(5)]!,
    ]);
    const { counts, want, sent } = tally(pairs);
    expect(counts).toEqual(
      new Map([...want].map(([key, n]) => [key.replace(/^\|/, 'null|').replace(/\|$/, '|null'), n])),
    );
    expect(sent).toBe(want.size);
  });
});

describe('a slice in the export shape', () => {
  const modules = SCHEMAS.interview_modules.fields.map((f) => f.name);
  const times = ['1640171967', '01640171967372', '2021-03-04T05:06:07.1234567Z', '"2021-12-22 11:19:27.5"'];
  const csv = times.map((time, i) => `00${i},d,n,TRUE,${time},${time}\n`).join('');

  it('writes a cell the stage leaves alone as it was written, one it changes in the export form', () => {
    const job: SliceJob = {
      table: 'interview_modules',
      file: undefined,
      maxRecordBytes: undefined,
      header: modules,
      offset: 0,
      parts: [Buffer.from(csv)],
      final: true,
      formats: ['csv'],
      refColumns: [],
      exportCsv: { keepExtra: [] },
    };
    const shift = (_table: string, record: Record<string, unknown>) => ({
      ...record,
      end_time: String(record.end_time).replace('2021', '2020'),
    });
    const result = decodeSlice(job, undefined, shift as never);
    if (!result.ok) throw new Error(result.why);
    const text = Buffer.concat(result.encoded?.csv ?? []).toString('utf8');
    expect(text).toBe(
      [
        '000,d,n,TRUE,1640171967,2020-12-22 11:19:27',
        '001,d,n,TRUE,01640171967372,2020-12-22 11:19:27.372',
        '002,d,n,TRUE,2021-03-04T05:06:07.1234567Z,2020-03-04 05:06:07.123456',
        '003,d,n,TRUE,2021-12-22 11:19:27.5,2020-12-22 11:19:27.500',
        '',
      ].join('\n'),
    );
  });
});
