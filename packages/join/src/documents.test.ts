import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  buildDocument,
  type DocumentSink,
  groupByCandidate,
  type Lookups,
  type Orphan,
} from './documents.js';
import { compareIds, Ranges, rangeOf } from './ids.js';
import { LineSplitter } from './lines.js';
import { type Code, parseRows, rowHead } from './rows.js';
import { SpillFiles, TempDir } from './spill.js';

const lookups: Lookups = {
  projects: new Map([['5', Buffer.from('{"project_id":"5","project_name":"P"}')]]),
  hiringStates: new Map([['7', '{"name":"Screen","type":"phone screen"}']]),
  modules: new Map([['3', Buffer.from('{"interview_module_id":"3","name":"Onsite"}')]]),
  definitions: new Map([['8', '"name":"Salary","type":"number"']]),
};

/** Spilled rows as the partitions hold them, in the order given (not the order documents want). */
function spilled(rows: [Code, number, string, string, string, object][]): Buffer {
  const text = rows
    .map(
      ([code, row, cand, k1, k2, json]) =>
        `${rowHead(code, row, JSON.stringify(cand), k1, k2)}${JSON.stringify(json)}\n`,
    )
    .join('');
  return Buffer.from(text);
}

function build(buf: Buffer) {
  const orphans: Orphan[] = [];
  const docs: unknown[] = [];
  for (const [id, rows] of groupByCandidate(parseRows(buf))) {
    let text = '';
    const sink: DocumentSink = {
      text: (t) => {
        text += t;
      },
      bytes: (b, s, e) => {
        text += b.toString('utf8', s, e);
      },
    };
    if (buildDocument(id, rows, lookups, sink, (o) => orphans.push(o))) docs.push(JSON.parse(text));
  }
  return { docs, orphans };
}

describe('buildDocument', () => {
  it('orders custom fields by created_time as times, not as text (.1234Z is after .123Z)', () => {
    const value = (
      row: number,
      id: string,
      time: string | null,
    ): [Code, number, string, string, string, object] => [
      'v',
      row,
      '10',
      JSON.stringify(time),
      JSON.stringify(id),
      { custom_field_id: id, created_time: time },
    ];
    const buf = spilled([
      ['c', 1, '10', 'null', 'null', { candidate_id: '10' }],
      value(1, '1', '2021-01-01T00:00:00.123456Z'),
      value(2, '2', null),
      value(3, '3', '2021-01-01T00:00:00.1234Z'),
      value(4, '4', '2021-01-01T00:00:00.123Z'),
      value(5, '5', '2021-01-01T00:00:00.123000Z'),
      value(6, '6', '2021-01-01T00:00:00.122999Z'),
      value(7, '7', '2021-01-01T00:00:00.124Z'),
    ]);
    const doc = build(buf).docs[0] as { custom_fields: { custom_field_id: string }[] };
    expect(doc.custom_fields.map((v) => v.custom_field_id)).toEqual(['6', '4', '5', '3', '1', '7', '2']);
  });

  it('orders every array whatever order the rows come in, and resolves the lookups', () => {
    const buf = spilled([
      ['m', 3, '10', '"5"', '"10"', { message_id: '10' }],
      ['m', 1, '10', '"5"', '"9"', { message_id: '9' }],
      ['v', 4, '10', 'null', '"8"', { custom_field_id: '8', created_time: null }],
      [
        'v',
        2,
        '10',
        '"2020-01-01T00:00:00.000Z"',
        '"99"',
        { custom_field_id: '99', created_time: '2020-01-01T00:00:00.000Z' },
      ],
      ['s', 1, '10', '"5"', '"1"', { scorecard_id: '1', interview_module_id: '3' }],
      [
        'c',
        2,
        '10',
        '"6"',
        '"7"',
        {
          candidate_id: '10',
          project_id: '6',
          hiring_state_id: '7',
          first_name: 'B',
          sourcing_channels: null,
        },
      ],
      [
        'c',
        1,
        '10',
        '"5"',
        'null',
        {
          candidate_id: '10',
          project_id: '5',
          hiring_state_id: null,
          first_name: 'A',
          sourcing_channels: ['x'],
        },
      ],
      ['n', 1, '9', '"5"', '"1"', { note_id: '1' }],
    ]);
    const { docs, orphans } = build(buf);
    expect(docs).toHaveLength(1);
    const doc = docs[0] as Record<string, unknown>;
    expect(doc.first_name).toBe('A');
    expect(doc.messages).toEqual([{ message_id: '9' }, { message_id: '10' }]);
    expect(doc.custom_fields).toEqual([
      { custom_field_id: '99', created_time: '2020-01-01T00:00:00.000Z', name: null, type: null },
      { custom_field_id: '8', created_time: null, name: 'Salary', type: 'number' },
    ]);
    expect(doc.scorecards).toEqual([
      {
        scorecard_id: '1',
        interview_module_id: '3',
        interview_module: { interview_module_id: '3', name: 'Onsite' },
      },
    ]);
    expect(doc.projects).toEqual([
      {
        project_id: '5',
        hiring_state_id: null,
        hiring_state: null,
        sourcing_channels: ['x'],
        project: { project_id: '5', project_name: 'P' },
      },
      {
        project_id: '6',
        hiring_state_id: '7',
        hiring_state: { name: 'Screen', type: 'phone screen' },
        sourcing_channels: null,
        // Its first_name is not the document's (the first row's), so it stays here.
        first_name: 'B',
        project: null,
      },
    ]);
    expect(orphans).toEqual([
      // Candidate 9 (no candidates row) comes before 10.
      {
        table: 'notes',
        row: 1,
        key: 'candidate_id',
        value: '9',
        references: 'candidates',
        in_document: false,
      },
      {
        table: 'candidates',
        row: 2,
        key: 'project_id',
        value: '6',
        references: 'projects',
        in_document: true,
      },
      {
        table: 'custom_field_values',
        row: 2,
        key: 'custom_field_id',
        value: '99',
        references: 'custom_field_definitions',
        in_document: true,
      },
    ]);
  });
});

describe('buildDocument with columns the schema does not know', () => {
  it('keeps a candidates row’s extra columns in its projects entry, as other tables keep theirs', () => {
    const buf = spilled([
      [
        'c',
        1,
        '10',
        '"5"',
        'null',
        { candidate_id: '10', project_id: '5', Nickname: 'Bo', source_rank: null },
      ],
      [
        'c',
        2,
        '10',
        '"6"',
        'null',
        { candidate_id: '10', project_id: '6', Nickname: 'Bob', source_rank: '2' },
      ],
      ['m', 1, '10', '"5"', '"9"', { message_id: '9', Extra: 'e' }],
    ]);
    const doc = build(buf).docs[0] as { projects: Record<string, unknown>[]; messages: unknown[] };
    expect(doc.projects.map((p) => [p.project_id, p.Nickname, p.source_rank])).toEqual([
      ['5', 'Bo', null],
      ['6', 'Bob', '2'],
    ]);
    expect(doc.messages).toEqual([{ message_id: '9', Extra: 'e' }]);
  });
});

describe('compareIds', () => {
  it('is a total order: digits by value (any length), then other ids by code unit', () => {
    const ids = ['1a', '10', '9', '007', '7', 'b', '123456789012345678901', '9007199254740993'];
    expect([...ids].sort(compareIds)).toEqual([
      '007',
      '7',
      '9',
      '10',
      '9007199254740993',
      '123456789012345678901',
      '1a',
      'b',
    ]);
  });
});

describe('Ranges', () => {
  it('puts an id read from bytes in the range compareIds gives it', () => {
    const ids = [
      '1',
      '7',
      '007',
      '10',
      '99',
      '100',
      '0',
      '9007199254740993',
      '123456789012345',
      'x1',
      '',
      '٣',
    ];
    for (const bounds of [
      ['7', '100'],
      ['5', '99', '1000'],
      ['007', '50'],
    ]) {
      const ranges = new Ranges(bounds);
      for (const id of ids) {
        const token = Buffer.from(JSON.stringify(id));
        expect([bounds, id, ranges.ofToken(token, 0, token.length, () => id)]).toEqual([
          bounds,
          id,
          rangeOf(bounds, id),
        ]);
      }
    }
  });
});

describe('LineSplitter', () => {
  it('gives the same lines wherever the pieces are cut', () => {
    const text = Buffer.from('{"a":"é"}\n\n{"b":"😀"}\n{"c":1}');
    const whole: string[] = [];
    const take = (b: Buffer, s: number, e: number) => whole.push(b.toString('utf8', s, e));
    for (let cut = 0; cut <= text.length; cut++) {
      whole.length = 0;
      const lines = new LineSplitter();
      lines.push(text.subarray(0, cut), take);
      lines.push(text.subarray(cut), take);
      lines.end(take);
      expect(whole).toEqual(['{"a":"é"}', '{"b":"😀"}', '{"c":1}']);
    }
  });
});

describe('SpillFiles', () => {
  it('keeps every file its own rows in order, whatever share of the budget each file gets', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'join-spill-'));
    // remove() takes the spill folder only, not the parent it was made in.
    onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
    const temp = await TempDir.create(parent);
    try {
      for (const count of [1, 40, 600]) {
        const paths = Array.from({ length: count }, (_, i) => temp.file(`${count}.${i}`));
        const files = new SpillFiles(paths);
        const expected = paths.map(() => '');
        const tokens = new Int32Array(6);
        for (let r = 0; r < 3000; r++) {
          const i = (r * 7919) % count;
          // Some rows are bigger than a file's share (4 KiB with 600 files, 64 KiB with one).
          const json = `{"r":${r},"t":"${'x'.repeat((r * 37) % (r % 50 === 0 ? 70_000 : 900))}"}`;
          const buf = Buffer.from(`"${r}"${json}`);
          if (r % 2 === 0) {
            files.add(i, `h${r}\t`, buf, 0, buf.length);
            expected[i] += `h${r}\t"${r}"${json}\n`;
          } else {
            const start = String(r).length + 2;
            tokens.set([0, start, -1, -1, 0, start]);
            files.addRow(i, 'm', r, buf, tokens, start, buf.length);
            expected[i] += `m${r}\t"${r}"\tnull\t"${r}"\t${json}\n`;
          }
        }
        await files.end();
        for (let i = 0; i < count; i++) {
          const text = existsSync(paths[i]!) ? readFileSync(paths[i]!, 'utf8') : '';
          expect(text).toBe(expected[i]);
          expect(files.bytes[i]).toBe(Buffer.byteLength(expected[i]!));
        }
      }
    } finally {
      await temp.remove();
    }
  });

  it('says the disk is full, and where, when it is', async () => {
    const files = new SpillFiles(['/dev/full']);
    const row = Buffer.alloc(64 * 1024, 0x61);
    expect(() => files.add(0, '', row, 0, row.length)).toThrow(
      expect.objectContaining({ code: 'JOIN_DISK_FULL', kind: 'output' }),
    );
    expect(() => files.add(0, '', row, 0, 10)).toThrow(/disk is full/);
    await files.discard();
  });
});

describe('TempDir', () => {
  it('removes the folders killed runs left, and only those', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'join-temp-'));
    onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
    // pid 2^22+1 is above Linux's pid_max default: no process has it.
    mkdirSync(join(parent, '.talent-export-join-4194305-abcdef'));
    // This process's id, not made by this process: an earlier run's given the same id (a container's process
    // 1), left two hours ago; one changed just now may be a live run's in another container, and stays.
    mkdirSync(join(parent, `.talent-export-join-${process.pid}-abcdef`));
    const hoursAgo = new Date(Date.now() - 2 * 3600e3);
    utimesSync(join(parent, `.talent-export-join-${process.pid}-abcdef`), hoursAgo, hoursAgo);
    mkdirSync(join(parent, `.talent-export-join-${process.pid}-fedcba`));
    mkdirSync(join(parent, 'keep'));
    const first = await TempDir.create(parent);
    // A folder this process made and still uses is left alone.
    const second = await TempDir.create(parent);
    expect(readdirSync(parent).sort()).toEqual(
      [
        basename(first.path),
        basename(second.path),
        `.talent-export-join-${process.pid}-fedcba`,
        'keep',
      ].sort(),
    );
    await first.remove();
    await second.remove();
    expect(existsSync(first.path)).toBe(false);
  });

  it('removes the folders it made for its parent when it leaves them empty, and no other', async () => {
    const root = mkdtempSync(join(tmpdir(), 'join-temp-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const temp = await TempDir.create(join(root, 'out', 'inner'));
    await temp.remove();
    expect(existsSync(join(root, 'out'))).toBe(false);
    expect(existsSync(root)).toBe(true);
    const kept = await TempDir.create(join(root, 'kept'));
    writeFileSync(join(root, 'kept', 'result.ndjson'), '{}\n');
    await kept.remove();
    expect(readdirSync(join(root, 'kept'))).toEqual(['result.ndjson']);
  });
});
