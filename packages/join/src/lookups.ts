// The small tables: hiring states and custom field definitions in memory (a few dozen rows in any export);
// projects (with job posts and their custom field values) and interview modules on disk. Those two grow
// with the export (a sample of 100,000 candidates has 2,500 projects and 4,000 modules, four times as many
// at x4), and small buffers kept for long in a thread that reads gigabytes pin whole 8 KiB pool slabs: the
// 5 MB of their JSON held 15 MB of heap. Now memory holds an offset per id.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { type Problem, problem } from '@talent-export/export';
import {
  IDS_NOT_SHOWN,
  showableId,
  type TableName,
  type TypedRecord,
  UNIQUE_KEYS,
} from '@talent-export/schema';
import { moveClashing, setOwn } from './clash.js';
import type { Lookups } from './documents.js';
import { tempError } from './errors.js';
import { compareIds, compareNullableIds, compareTimes } from './ids.js';
import { parseRows, type Row } from './rows.js';
import { readWhole, SpillFiles, type TempDir } from './spill.js';

/** The small tables, read first and embedded wherever they are referenced. */
export const LOOKUP_TABLES: readonly TableName[] = [
  'custom_field_definitions',
  'hiring_states',
  'interview_modules',
  'projects',
];

const JOB_POST = ['job_post_id', 'job_post_description', 'job_post_created_at', 'job_post_state'];
/** Projects' rows and values are spilled to this many files by a hash of the id, and resolved one at a time. */
const BUCKETS = 16;

interface ProjectValue {
  /** The value's NDJSON line (copied as it is spilled). */
  json: Buffer;
  row: number;
  time: string | null;
  field: string | null;
}

type Named = { name: unknown; type: unknown };

export class LookupTables {
  readonly hiringStates = new Map<string, Named>();
  readonly definitions = new Map<string, Named>();
  /** Rows read per table. */
  readonly rows: Record<string, number> = {
    custom_field_definitions: 0,
    hiring_states: 0,
    interview_modules: 0,
    projects: 0,
  };
  /** Rows whose id an earlier row of the table has (hiring states, definitions, modules): not embedded. */
  private readonly repeated = new Map<TableName, { rows: number; examples: string[] }>();
  private readonly projectSet = new Set<string>();
  /**
   * Projects a candidates row names: only those are in a candidate's document. Ids the projects table
   * lacks are not kept, so this holds no more than `projectSet`.
   */
  private readonly namedSet = new Set<string>();
  private readonly modules: DiskMap;
  private readonly projects: DiskMap;
  private readonly bucketPaths: string[];
  private readonly buckets: SpillFiles;

  constructor(temp: TempDir) {
    this.modules = new DiskMap(temp.file('modules.json'));
    this.projects = new DiskMap(temp.file('projects.json'));
    this.bucketPaths = Array.from({ length: BUCKETS }, (_, i) => temp.file(`projects.${i}.rows`));
    this.buckets = new SpillFiles(this.bucketPaths);
  }

  add(table: string, record: TypedRecord): void {
    this.rows[table] = (this.rows[table] ?? 0) + 1;
    const first = (map: { has(id: string): boolean }, id: unknown, put: (id: string) => void) => {
      if (typeof id !== 'string') return;
      if (!map.has(id)) put(id);
      else this.repeat(table as TableName, id);
    };
    const named = () => ({ name: record.name ?? null, type: record.type ?? null });
    if (table === 'hiring_states')
      first(this.hiringStates, record.candidate_hiringstate_id, (id) => this.hiringStates.set(id, named()));
    else if (table === 'custom_field_definitions')
      first(this.definitions, record.custom_field_id, (id) => this.definitions.set(id, named()));
    else if (table === 'interview_modules')
      first(this.modules, record.interview_module_id, (id) =>
        this.modules.put(id, Buffer.from(JSON.stringify(record))),
      );
    else if (table === 'projects' && typeof record.project_id === 'string') {
      const id = record.project_id;
      this.projectSet.add(id);
      const json = Buffer.from(JSON.stringify(record));
      const head = `p${this.rows.projects}\t${JSON.stringify(id)}\t\t\t`;
      this.buckets.add(bucketOf(id), head, json, 0, json.length);
    }
  }

  private repeat(table: TableName, id: string): void {
    let repeated = this.repeated.get(table);
    if (!repeated) this.repeated.set(table, (repeated = { rows: 0, examples: [] }));
    repeated.rows += 1;
    if (repeated.examples.length < 5 && showableId(id) && !repeated.examples.includes(id))
      repeated.examples.push(id);
  }

  /**
   * KEY_REPEATED notices: a stage, module or definition whose id is on several rows is embedded as its first
   * row, and the others are in no document, so they are told (as convert and validate tell them); so is a
   * project whose rows differ in its own columns (its first row's are embedded).
   */
  repeatedProblems(): Problem[] {
    return [...this.repeated].map(([table, { rows, examples }]) => {
      const ids = examples.length > 0 ? `e.g. ${examples.join(', ')}` : IDS_NOT_SHOWN;
      const message =
        table === 'projects'
          ? `projects: ${rows} row(s) repeat the project_id of an earlier row with other values in the project's own columns (not its job post's) (${ids}); the documents embed the first row's, the others' are in none`
          : `${table}: ${rows} row(s) repeat the ${UNIQUE_KEYS[table]} of an earlier row (${ids}); the documents embed the first, the others are in none`;
      return problem('KEY_REPEATED', message, { table });
    });
  }

  /** Notes that a candidates row names the project (see `namedSet`). */
  nameProject(projectId: string | null): void {
    if (projectId !== null && this.projectSet.has(projectId)) this.namedSet.add(projectId);
  }

  /** Whether the projects table has the project and no candidates row names it, so no candidate's document. */
  unnamed(projectId: string): boolean {
    return this.projectSet.has(projectId) && !this.namedSet.has(projectId);
  }

  /** A custom field value of a project (its NDJSON line); false when the project is not known. */
  addProjectValue(projectId: string, value: ProjectValue): boolean {
    if (!this.projectSet.has(projectId)) return false;
    const { json, row, time, field } = value;
    const head = `v${row}\t${JSON.stringify(projectId)}\t${JSON.stringify(time)}\t${JSON.stringify(field)}\t`;
    this.buckets.add(bucketOf(projectId), head, json, 0, json.length);
    return true;
  }

  /**
   * The lookups as the document builder uses them, each serialized once: the projects are resolved a bucket
   * at a time (rows in the order read) and written to disk with the modules; a lookup reads its bytes back.
   */
  async resolve(): Promise<Lookups> {
    await this.buckets.end();
    for (let b = 0; b < BUCKETS; b++) {
      const groups = new Map<string, { rows: Row[]; values: Row[] }>();
      for (const row of parseRows(readWhole(this.bucketPaths[b]!, this.buckets.bytes[b]!))) {
        const id = row.candidate!;
        let group = groups.get(id);
        if (!group) groups.set(id, (group = { rows: [], values: [] }));
        (row.code === ('p' as string) ? group.rows : group.values).push(row);
      }
      for (const [id, group] of groups)
        this.projects.put(id, Buffer.from(JSON.stringify(this.projectFields(id, group.rows, group.values))));
    }
    this.projects.seal();
    this.modules.seal();
    const hiringStates = new Map<string, string>();
    for (const [id, s] of this.hiringStates) hiringStates.set(id, JSON.stringify(s));
    const definitions = new Map<string, string>();
    for (const [id, d] of this.definitions)
      definitions.set(id, `"name":${JSON.stringify(d.name)},"type":${JSON.stringify(d.type)}`);
    return { projects: this.projects, hiringStates, modules: this.modules, definitions };
  }

  /** The project's fields (from its first row), `job_posts` in job_post_id order, `custom_fields`. */
  private projectFields(id: string, projectRows: Row[], values: Row[]): Record<string, unknown> {
    const parse = (row: Row) => JSON.parse(row.buf.toString('utf8', row.start, row.end)) as TypedRecord;
    const rows = projectRows.map(parse);
    for (const row of rows.slice(1)) if (!sameProject(rows[0]!, row)) this.repeat('projects', id);
    const fields: Record<string, unknown> = {};
    const first = moveClashing(rows[0]!, ['job_posts', 'custom_fields']);
    for (const [key, value] of Object.entries(first)) if (!JOB_POST.includes(key)) setOwn(fields, key, value);
    fields.job_posts = rows
      .map((row, i) => ({ row, i }))
      .filter(({ row }) => JOB_POST.some((key) => row[key] !== null && row[key] !== undefined))
      .sort((a, b) => compareNullableIds(postId(a.row), postId(b.row)) || a.i - b.i)
      .map(({ row }) => Object.fromEntries(JOB_POST.map((key) => [key, row[key] ?? null])));
    fields.custom_fields = values
      .sort((a, b) => compareTimes(a.k1, b.k1) || compareNullableIds(a.k2, b.k2) || a.row - b.row)
      .map((value) => {
        const definition = value.k2 === null ? undefined : this.definitions.get(value.k2);
        const own = moveClashing(parse(value), ['name', 'type']);
        return { ...own, name: definition?.name ?? null, type: definition?.type ?? null };
      });
    return fields;
  }

  /** Project ids in id order. */
  projectIds(): string[] {
    return [...this.projectSet].sort(compareIds);
  }

  /** Closes the files (the caller removes the folder). */
  async close(): Promise<void> {
    await this.buckets.discard();
    this.modules.close();
    this.projects.close();
  }
}

const postId = (row: TypedRecord) => (typeof row.job_post_id === 'string' ? row.job_post_id : null);

/** FNV-1a of the id's UTF-16 code units. */
function bucketOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

/** Values appended to a file, found by id: memory holds an id and two numbers per value. */
class DiskMap {
  private fd: number | undefined;
  private readonly slot = new Map<string, number>();
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private size = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly path: string) {}

  has(id: string): boolean {
    return this.slot.has(id);
  }

  put(id: string, bytes: Buffer): void {
    if (this.slot.has(id)) return;
    this.slot.set(id, this.offsets.length);
    this.offsets.push(this.size);
    this.lengths.push(bytes.length);
    this.size += bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= 256 * 1024) this.flush();
  }

  /** Writes what is pending: every value is then readable. */
  seal(): void {
    this.flush();
  }

  get(id: string): Buffer | undefined {
    const i = this.slot.get(id);
    if (i === undefined) return undefined;
    const length = this.lengths[i]!;
    const out = Buffer.allocUnsafe(length);
    let at = 0;
    try {
      while (at < length) {
        const n = readSync(this.open(), out, at, length - at, this.offsets[i]! + at);
        if (n === 0) throw new Error('unexpected end of file');
        at += n;
      }
    } catch (error) {
      throw tempError('read', this.path, error);
    }
    return out;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pending = [];
  }

  private open(): number {
    try {
      this.fd ??= openSync(this.path, 'w+', 0o600);
    } catch (error) {
      throw tempError('create', this.path, error);
    }
    return this.fd;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const bytes = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const fd = this.open();
    try {
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (error) {
      throw tempError('write', this.path, error);
    }
  }
}

/**
 * Whether a project's row holds the project's own values (every column but its job post's) as its first row
 * does: Projects.csv repeats them on the row of each job post, and the documents take the first row's.
 */
function sameProject(first: TypedRecord, row: TypedRecord): boolean {
  for (const key of new Set([...Object.keys(first), ...Object.keys(row)]))
    if (!JOB_POST.includes(key) && JSON.stringify(first[key] ?? null) !== JSON.stringify(row[key] ?? null))
      return false;
  return true;
}
