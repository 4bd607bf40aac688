// The pure core: one candidate's rows (from one partition) and the lookups in, a document's bytes out.
import { SCHEMAS } from '@talent-export/schema';
import { JOIN_ADDS, keptName, moveClashing } from './clash.js';
import { compareIds, compareNullableIds, compareTimes } from './ids.js';
import { tokenAt, tokenValue } from './lines.js';
import type { Code, KeyedTable, Row } from './rows.js';
import { CODES } from './rows.js';

/** Values found by id (a Map, or the join's values on disk). */
export interface IdLookup {
  get(id: string): Buffer | undefined;
  has(id: string): boolean;
}

/** The small tables, as the documents embed them. */
export interface Lookups {
  /** project_id -> the project's JSON (fields of its first row, job_posts, custom_fields). */
  projects: IdLookup;
  /** candidate_hiringstate_id -> `{"name":...,"type":...}`. */
  hiringStates: Map<string, string>;
  /** interview_module_id -> the module's record as JSON. */
  modules: IdLookup;
  /** custom_field_id -> `"name":...,"type":...` (to splice into a value). */
  definitions: Map<string, string>;
}

/** A reference that resolves nowhere; `in_document` says whether the row is in a document nonetheless. */
export interface Orphan {
  table: KeyedTable;
  row: number;
  key: string;
  value: string | null;
  references: string | null;
  in_document: boolean;
}

/** Where document bytes go: text is encoded, bytes are copied or handed over. */
export interface DocumentSink {
  text(text: string): void;
  bytes(buf: Buffer, start: number, end: number): void;
}

const PROFILE = ['first_name', 'last_name', 'emails', 'phone_numbers', 'tags', 'profile_url'] as const;
/** Keys of a candidates row the document places; any other is a column the schema does not know. */
const PLACED = new Set(SCHEMAS.candidates.fields.map((f) => f.name));
/** Keys the document adds beside a row's own: a column of the same name is kept under `keptName`. */
const ADDED = { c: JOIN_ADDS.candidates, v: JOIN_ADDS.custom_field_values, s: JOIN_ADDS.scorecards } as const;
/** Array members of a document, in the order they are written. */
const LISTS: readonly [string, Code][] = [
  ['custom_fields', 'v'],
  ['scorecards', 's'],
  ['feedbacks', 'f'],
  ['notes', 'n'],
  ['messages', 'm'],
  ['attachments', 'a'],
];

const byRow = (a: Row, b: Row) => a.row - b.row;
const byIdThenRow = (a: Row, b: Row) => compareNullableIds(a.k2, b.k2) || a.row - b.row;
/** custom_field_values: created_time (none last), then custom_field_id, then row. */
const byTimeThenId = (a: Row, b: Row) => compareTimes(a.k1, b.k1) || byIdThenRow(a, b);
const ORDER: Record<Code, (a: Row, b: Row) => number> = {
  c: (a, b) => compareNullableIds(a.k1, b.k1) || a.row - b.row,
  v: byTimeThenId,
  s: byIdThenRow,
  f: byIdThenRow,
  n: byIdThenRow,
  m: byIdThenRow,
  a: byRow,
};

/** Whether two rows have the keys their table's order sorts by (so that equal rows end up side by side). */
const SAME: Record<Exclude<Code, 'a'>, (a: Row, b: Row) => boolean> = {
  c: (a, b) => a.k1 === b.k1,
  v: (a, b) => a.k1 === b.k1 && a.k2 === b.k2,
  s: (a, b) => a.k2 === b.k2,
  f: (a, b) => a.k2 === b.k2,
  n: (a, b) => a.k2 === b.k2,
  m: (a, b) => a.k2 === b.k2,
};
/** How many rows back a row is compared with among rows of the same keys: bounds the work of a long run. */
const LOOK_BACK = 64;

/**
 * Calls `duplicate` for each row whose record is, byte for byte, that of an earlier row of the same keys:
 * a row a hand-edited export holds twice, which the document then holds twice.
 */
function findDuplicates(rows: Row[], same: (a: Row, b: Row) => boolean, duplicate: (row: Row) => void): void {
  let run = 0;
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i]!;
    if (!same(rows[run]!, row)) {
      run = i;
      continue;
    }
    for (let j = Math.max(run, i - LOOK_BACK); j < i; j++) {
      const other = rows[j]!;
      if (row.buf.compare(other.buf, other.start, other.end, row.start, row.end) === 0) {
        duplicate(row);
        break;
      }
    }
  }
}

/** Groups a partition's rows by candidate, in candidate id order. */
export function groupByCandidate(rows: Row[]): [string, Row[]][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const id = row.candidate!;
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  return [...groups].sort((a, b) => compareIds(a[0], b[0]));
}

/** The rank of each table's list in a document: rows in this order, then their table's `ORDER`, are written as they come. */
const RANK: Record<Code, number> = { c: 0, v: 1, s: 2, f: 3, n: 4, m: 5, a: 6 };

/** Document order: candidates rows (the projects), then each list's rows in its order. */
export const documentOrder = (a: Row, b: Row): number => RANK[a.code] - RANK[b.code] || ORDER[a.code](a, b);

/** Orphan order (a candidate the candidates table lacks): by table code, then row. */
export const orphanOrder = (a: Row, b: Row): number => a.code.localeCompare(b.code) || a.row - b.row;

/** The orphan of a row whose candidate has no row in the candidates table. */
export const unknownCandidate = (id: string, row: Row): Orphan => ({
  table: CODES[row.code],
  row: row.row,
  key: row.code === 'v' ? 'entity_id' : 'candidate_id',
  value: id,
  references: 'candidates',
  in_document: false,
});

/**
 * Writes one candidate's document, or, when the candidate has no row in the candidates table, nothing:
 * every row is then an orphan. Returns whether a document was written.
 */
export function buildDocument(
  id: string,
  rows: Row[],
  lookups: Lookups,
  out: DocumentSink,
  orphan: (orphan: Orphan) => void,
  duplicate: (row: Row) => void = () => {},
): boolean {
  const byCode: Record<Code, Row[]> = { c: [], v: [], s: [], f: [], n: [], m: [], a: [] };
  for (const row of rows) byCode[row.code].push(row);
  if (byCode.c.length === 0) {
    for (const row of [...rows].sort(orphanOrder)) orphan(unknownCandidate(id, row));
    return false;
  }
  for (const code of Object.keys(byCode) as Code[]) {
    byCode[code].sort(ORDER[code]);
    if (code !== 'a') findDuplicates(byCode[code], SAME[code], duplicate);
  }
  const first = [...byCode.c].sort(byRow)[0]!;
  const document = new DocumentWriter(id, first, lookups, out, orphan);
  for (const code of Object.keys(byCode) as Code[]) for (const row of byCode[code]) document.add(row);
  document.end();
  return true;
}

/**
 * Writes a document row by row, rows coming in `documentOrder`: the whole of a candidate's rows need not be
 * in memory at once (see `big.ts`). `first` is the candidate's first candidates row (by row), its profile.
 */
export class DocumentWriter {
  private code: Code = 'c';
  private count = 0;
  private readonly profile: Record<string, unknown>;
  private readonly profileJson: string[];

  constructor(
    id: string,
    private readonly first: Row,
    private readonly lookups: Lookups,
    private readonly out: DocumentSink,
    private readonly orphan: (orphan: Orphan) => void,
    /** A member's bytes written otherwise (documents whose extra columns are renamed, see ShownHeaders). */
    private readonly member?: (list: string, write: (sink: DocumentSink) => void) => void,
  ) {
    this.profile = parseRow(first);
    this.profileJson = PROFILE.map((field) => JSON.stringify(this.profile[field] ?? null));
    let head = `{"candidate_id":${JSON.stringify(id)}`;
    PROFILE.forEach((field, k) => {
      head += `,"${field}":${this.profileJson[k]}`;
    });
    out.text(`${head},"projects":[`);
  }

  /** The next row, in `documentOrder`. */
  add(row: Row): void {
    while (this.code !== row.code) this.nextList();
    if (this.count++ > 0) this.out.text(',');
    const list = this.code === 'c' ? 'projects' : LIST_OF[this.code];
    const write = (sink: DocumentSink) =>
      this.code === 'c' ? this.project(row, sink) : writeMember(row, this.lookups, sink, this.orphan);
    if (this.member) this.member(list, write);
    else write(this.out);
  }

  end(): void {
    while (this.code !== 'a') this.nextList();
    this.out.text(']}\n');
  }

  private nextList(): void {
    const next = LISTS[RANK[this.code]]!;
    this.out.text(`],"${next[0]}":[`);
    this.code = next[1];
    this.count = 0;
  }

  /** The first row may be a copy of it (see big.ts): rows of the candidates table differ by number. */
  private isFirst(row: Row): boolean {
    return row.row === this.first.row;
  }

  private project(row: Row, out: DocumentSink): void {
    const { lookups, orphan } = this;
    const record = (this.isFirst(row) ? this.profile : parseRow(row)) as Record<
      string,
      string | null | string[]
    >;
    const projectId = (record.project_id ?? null) as string | null;
    const stateId = (record.hiring_state_id ?? null) as string | null;
    const project = projectId === null ? undefined : lookups.projects.get(projectId);
    const state = stateId === null ? undefined : lookups.hiringStates.get(stateId);
    if (projectId !== null && project === undefined)
      orphan(inDocument(row, 'project_id', projectId, 'projects'));
    if (stateId !== null && state === undefined)
      orphan(inDocument(row, 'hiring_state_id', stateId, 'hiring_states'));
    // A profile value this row holds that the document's profile (the first row's) does not is kept here,
    // else a hand-edited export's second email or newer name would be lost without a word.
    let extra = this.isFirst(row) ? '' : differingProfile(record, this.profileJson);
    // Columns the schema does not know stay with their row, as they do in the other tables' members.
    for (const key of Object.keys(record)) {
      if (PLACED.has(key)) continue;
      const name = (ADDED.c as readonly string[]).includes(key) ? keptName(record, key) : key;
      extra += `,${JSON.stringify(name)}:${JSON.stringify(record[key])}`;
    }
    out.text(
      `{"project_id":${JSON.stringify(projectId)},"hiring_state_id":${JSON.stringify(stateId)},"hiring_state":${state ?? 'null'},"sourcing_channels":${JSON.stringify(record.sourcing_channels ?? null)}${extra},"project":`,
    );
    if (project) out.bytes(project, 0, project.length);
    else out.text('null');
    out.text('}');
  }
}

const parseRow = (row: Row): Record<string, unknown> =>
  JSON.parse(row.buf.toString('utf8', row.start, row.end)) as Record<string, unknown>;

/** The list a table's rows are members of. */
const LIST_OF = Object.fromEntries(LISTS.map(([name, code]) => [code, name])) as Record<Code, string>;

/**
 * Rows that repeat an earlier row of the same keys, as `findDuplicates` finds them, for rows that come one
 * at a time in their table's order: the last LOOK_BACK rows of the same keys are kept.
 */
export class DuplicateWindow {
  private readonly window: Row[] = [];

  constructor(private readonly duplicate: (row: Row) => void) {}

  add(row: Row): void {
    if (row.code === 'a') return;
    const last = this.window[this.window.length - 1];
    if (last && (last.code !== row.code || !SAME[row.code](last, row))) this.window.length = 0;
    for (let j = Math.max(0, this.window.length - LOOK_BACK); j < this.window.length; j++) {
      const other = this.window[j]!;
      if (row.buf.compare(other.buf, other.start, other.end, row.start, row.end) === 0) {
        this.duplicate(row);
        break;
      }
    }
    this.window.push(row);
    if (this.window.length > LOOK_BACK) this.window.shift();
  }
}

/** `,"field":value` for each profile field whose value in `record` is not the profile's (`profileJson`, as JSON). */
function differingProfile(record: Record<string, unknown>, profileJson: readonly string[]): string {
  let out = '';
  PROFILE.forEach((field, k) => {
    const value = JSON.stringify(record[field] ?? null);
    if (value !== profileJson[k]) out += `,"${field}":${value}`;
  });
  return out;
}

/** `"key":` of each key in ADDED, to look for in a row's bytes. */
const ADDED_KEYS = {
  v: ADDED.v.map((key) => Buffer.from(`"${key}":`)),
  s: ADDED.s.map((key) => Buffer.from(`"${key}":`)),
};

/** The member's record bytes, with a column named as a key the document adds moved to `keptName`. */
function ownBytes(row: Row, code: 'v' | 's'): { buf: Buffer; start: number; end: number } {
  const { buf, start, end } = row;
  // Searched within the row only: the partition's bytes after it are no business of this row.
  const own = buf.subarray(start, end);
  if (!ADDED_KEYS[code].some((key) => own.includes(key))) return row;
  const added = ADDED[code];
  const record = JSON.parse(buf.toString('utf8', start, end)) as Record<string, unknown>;
  const moved = Buffer.from(JSON.stringify(moveClashing(record, added)));
  return { buf: moved, start: 0, end: moved.length };
}

function writeMember(row: Row, lookups: Lookups, out: DocumentSink, orphan: (o: Orphan) => void): void {
  const { code } = row;
  const { buf, start, end } = code === 'v' || code === 's' ? ownBytes(row, code) : row;
  if (code !== 'v' && code !== 'a' && row.k1 !== null && !lookups.projects.has(row.k1))
    orphan(inDocument(row, 'project_id', row.k1, 'projects'));
  if (code === 'v') {
    const definition = row.k2 === null ? undefined : lookups.definitions.get(row.k2);
    if (row.k2 !== null && definition === undefined)
      orphan(inDocument(row, 'custom_field_id', row.k2, 'custom_field_definitions'));
    // The value's own fields, then its definition's name and type (the value has neither).
    out.bytes(buf, start, end - 1);
    out.text(`,${definition ?? '"name":null,"type":null'}}`);
    return;
  }
  if (code === 's') {
    const token = tokenAt(buf, start, end, 'interview_module_id');
    const moduleId = token ? tokenValue(buf.toString('utf8', token[0], token[1])) : null;
    const module = moduleId === null ? undefined : lookups.modules.get(moduleId);
    if (moduleId !== null && module === undefined)
      orphan(inDocument(row, 'interview_module_id', moduleId, 'interview_modules'));
    out.bytes(buf, start, end - 1);
    out.text(',"interview_module":');
    if (module) out.bytes(module, 0, module.length);
    else out.text('null');
    out.text('}');
    return;
  }
  out.bytes(buf, start, end);
}

const inDocument = (row: Row, key: string, value: string, references: string): Orphan => ({
  table: CODES[row.code],
  row: row.row,
  key,
  value,
  references,
  in_document: true,
});

/** Rows of the document's arrays, per table, for accounting. */
export function countRows(rows: Row[], counts: Map<Code, number>): void {
  for (const row of rows) counts.set(row.code, (counts.get(row.code) ?? 0) + 1);
}

export const sortIds = (ids: Iterable<string>): string[] => [...ids].sort(compareIds);
