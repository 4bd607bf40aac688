// The small tables kept in memory: projects (with job posts and their custom field values), hiring
// states, interview modules and custom field definitions. Rows are kept as UTF-8 JSON bytes, not objects:
// a sample export of 100,000 candidates has 2,500 projects and 4,000 interview modules, ~18 MB as objects,
// ~5 MB as bytes, and they grow with the export.
import type { TableName, TypedRecord } from '@talent-export/schema';
import type { Lookups } from './documents.js';
import { compareIds, compareNullableIds } from './ids.js';

const JOB_POST = ['job_post_id', 'job_post_description', 'job_post_created_at', 'job_post_state'];

/** The small tables, read first and embedded wherever they are referenced. */
export const LOOKUP_TABLES: readonly TableName[] = [
  'custom_field_definitions',
  'hiring_states',
  'interview_modules',
  'projects',
];

interface ProjectValue {
  json: Buffer;
  row: number;
  time: string | null;
  field: string | null;
}

interface ProjectRows {
  rows: Buffer[];
  /** Custom field values with entity_type project. */
  values: ProjectValue[];
}

type Named = { name: unknown; type: unknown };

export class LookupTables {
  readonly projects = new Map<string, ProjectRows>();
  readonly hiringStates = new Map<string, Named>();
  readonly modules = new Map<string, Buffer>();
  readonly definitions = new Map<string, Named>();
  /** Rows read per table. */
  readonly rows: Record<string, number> = {
    custom_field_definitions: 0,
    hiring_states: 0,
    interview_modules: 0,
    projects: 0,
  };

  add(table: string, record: TypedRecord): void {
    this.rows[table] = (this.rows[table] ?? 0) + 1;
    const first = <T>(map: Map<string, T>, id: unknown, value: () => T) => {
      if (typeof id === 'string' && !map.has(id)) map.set(id, value());
    };
    const named = () => ({ name: record.name ?? null, type: record.type ?? null });
    if (table === 'hiring_states') first(this.hiringStates, record.candidate_hiringstate_id, named);
    else if (table === 'custom_field_definitions') first(this.definitions, record.custom_field_id, named);
    else if (table === 'interview_modules')
      first(this.modules, record.interview_module_id, () => Buffer.from(JSON.stringify(record)));
    else if (table === 'projects' && typeof record.project_id === 'string') {
      const json = Buffer.from(JSON.stringify(record));
      const project = this.projects.get(record.project_id);
      if (project) project.rows.push(json);
      else this.projects.set(record.project_id, { rows: [json], values: [] });
    }
  }

  /** A custom field value of a project (its NDJSON line, copied); false when the project is not known. */
  addProjectValue(projectId: string, value: ProjectValue): boolean {
    const project = this.projects.get(projectId);
    if (!project) return false;
    project.values.push(value);
    return true;
  }

  /**
   * The lookups as the document builder uses them, each serialized once; the rows they were made from are
   * dropped (`projectDocument` parses a project's JSON back).
   */
  resolve(): Lookups {
    const projects = new Map<string, Buffer>();
    for (const [id, project] of this.projects) {
      projects.set(id, Buffer.from(JSON.stringify(this.projectFields(project))));
      project.rows = [];
      project.values = [];
    }
    const hiringStates = new Map<string, string>();
    for (const [id, s] of this.hiringStates) hiringStates.set(id, JSON.stringify(s));
    const definitions = new Map<string, string>();
    for (const [id, d] of this.definitions)
      definitions.set(id, `"name":${JSON.stringify(d.name)},"type":${JSON.stringify(d.type)}`);
    return { projects, hiringStates, modules: this.modules, definitions };
  }

  /** The project's fields (from its first row), `job_posts` in job_post_id order, `custom_fields`. */
  private projectFields(project: ProjectRows): Record<string, unknown> {
    const rows = project.rows.map((json) => JSON.parse(json.toString('utf8')) as TypedRecord);
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rows[0]!)) if (!JOB_POST.includes(key)) fields[key] = value;
    fields.job_posts = rows
      .map((row, i) => ({ row, i }))
      .filter(({ row }) => JOB_POST.some((key) => row[key] !== null && row[key] !== undefined))
      .sort((a, b) => compareNullableIds(postId(a.row), postId(b.row)) || a.i - b.i)
      .map(({ row }) => Object.fromEntries(JOB_POST.map((key) => [key, row[key] ?? null])));
    fields.custom_fields = project.values
      .sort((a, b) => {
        if (a.time !== b.time) return a.time === null ? 1 : b.time === null ? -1 : a.time < b.time ? -1 : 1;
        return compareNullableIds(a.field, b.field) || a.row - b.row;
      })
      .map(({ json, field }) => {
        const definition = field === null ? undefined : this.definitions.get(field);
        const record = JSON.parse(json.toString('utf8')) as TypedRecord;
        return { ...record, name: definition?.name ?? null, type: definition?.type ?? null };
      });
    return fields;
  }

  /** Project ids in id order. */
  projectIds(): string[] {
    return [...this.projects.keys()].sort(compareIds);
  }
}

const postId = (row: TypedRecord) => (typeof row.job_post_id === 'string' ? row.job_post_id : null);
