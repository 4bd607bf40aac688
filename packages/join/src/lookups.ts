// The small tables kept in memory: projects (with job posts and their custom field values), hiring
// states, interview modules and custom field definitions.
import type { TypedRecord } from '@talent-export/schema';
import type { Lookups } from './documents.js';
import { compareIds, compareNullableIds } from './ids.js';

const JOB_POST = ['job_post_id', 'job_post_description', 'job_post_created_at', 'job_post_state'];

interface ProjectRows {
  rows: TypedRecord[];
  /** Custom field values with entity_type project, with their row numbers. */
  values: { record: TypedRecord; row: number }[];
}

export class LookupTables {
  readonly projects = new Map<string, ProjectRows>();
  readonly hiringStates = new Map<string, TypedRecord>();
  readonly modules = new Map<string, TypedRecord>();
  readonly definitions = new Map<string, TypedRecord>();
  /** Rows read per table. */
  readonly rows: Record<string, number> = {
    custom_field_definitions: 0,
    hiring_states: 0,
    interview_modules: 0,
    projects: 0,
  };

  add(table: string, record: TypedRecord): void {
    this.rows[table] = (this.rows[table] ?? 0) + 1;
    const first = <T>(map: Map<string, T>, id: unknown, value: T) => {
      if (typeof id === 'string' && !map.has(id)) map.set(id, value);
    };
    if (table === 'hiring_states') first(this.hiringStates, record.candidate_hiringstate_id, record);
    else if (table === 'interview_modules') first(this.modules, record.interview_module_id, record);
    else if (table === 'custom_field_definitions') first(this.definitions, record.custom_field_id, record);
    else if (table === 'projects' && typeof record.project_id === 'string') {
      const project = this.projects.get(record.project_id);
      if (project) project.rows.push(record);
      else this.projects.set(record.project_id, { rows: [record], values: [] });
    }
  }

  /** A custom field value of a project; false when the project is not in the projects table. */
  addProjectValue(record: TypedRecord, row: number): boolean {
    const project = typeof record.entity_id === 'string' ? this.projects.get(record.entity_id) : undefined;
    if (!project) return false;
    project.values.push({ record, row });
    return true;
  }

  /** The lookups as the document builder uses them, values already serialized once. */
  resolve(): Lookups {
    const projects = new Map<string, string>();
    for (const [id, project] of this.projects) projects.set(id, this.projectJson(project));
    const hiringStates = new Map<string, string>();
    for (const [id, s] of this.hiringStates)
      hiringStates.set(id, JSON.stringify({ name: s.name ?? null, type: s.type ?? null }));
    const modules = new Map<string, string>();
    for (const [id, m] of this.modules) modules.set(id, JSON.stringify(m));
    const definitions = new Map<string, string>();
    for (const [id, d] of this.definitions)
      definitions.set(
        id,
        `"name":${JSON.stringify(d.name ?? null)},"type":${JSON.stringify(d.type ?? null)}`,
      );
    return { projects, hiringStates, modules, definitions };
  }

  /** The project's fields (from its first row), `job_posts` in job_post_id order, `custom_fields`. */
  projectFields(project: ProjectRows): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(project.rows[0]!))
      if (!JOB_POST.includes(key)) fields[key] = value;
    const posts = project.rows
      .map((row, i) => ({ row, i }))
      .filter(({ row }) => JOB_POST.some((key) => row[key] !== null && row[key] !== undefined))
      .sort((a, b) => compareNullableIds(postId(a.row), postId(b.row)) || a.i - b.i)
      .map(({ row }) => Object.fromEntries(JOB_POST.map((key) => [key, row[key] ?? null])));
    fields.job_posts = posts;
    fields.custom_fields = project.values
      .sort((a, b) => {
        const ta = (a.record.created_time ?? null) as string | null;
        const tb = (b.record.created_time ?? null) as string | null;
        if (ta !== tb) return ta === null ? 1 : tb === null ? -1 : ta < tb ? -1 : 1;
        return compareNullableIds(fieldId(a.record), fieldId(b.record)) || a.row - b.row;
      })
      .map(({ record }) => {
        const definition = this.definitions.get(fieldId(record) ?? '');
        return { ...record, name: definition?.name ?? null, type: definition?.type ?? null };
      });
    return fields;
  }

  private projectJson(project: ProjectRows): string {
    return JSON.stringify(this.projectFields(project));
  }

  /** Project ids in id order. */
  projectIds(): string[] {
    return [...this.projects.keys()].sort(compareIds);
  }
}

const postId = (row: TypedRecord) => (typeof row.job_post_id === 'string' ? row.job_post_id : null);
const fieldId = (row: TypedRecord) => (typeof row.custom_field_id === 'string' ? row.custom_field_id : null);
