// An independent reference for the tests: DuckDB builds the documents from the sample's ground-truth
// records (not from the CSVs our decoder reads), with SQL joins, list aggregation and JSON.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const TABLES = [
  'candidates',
  'custom_field_definitions',
  'custom_field_values',
  'feedbacks',
  'hiring_states',
  'interview_modules',
  'messages',
  'notes',
  'projects',
  'scorecards',
] as const;

/** Ids made of digits, compared as numbers of any length. */
const byId = (expr: string) => `length(${expr}), ${expr}`;
const str = (j: string, key: string) => `(${j}->>'${key}')`;

/** The object `j` with keys added at its end; a missing value is JSON null (json_merge_patch drops nulls). */
const append = (j: string, pairs: Record<string, string>) =>
  `(rtrim(${j}::VARCHAR, '}') || ${Object.entries(pairs)
    .map(([key, value]) => `',"${key}":' || coalesce((${value})::VARCHAR, 'null')`)
    .join(' || ')} || '}')::JSON`;

/** candidate_id -> document, and project_id -> project object, as DuckDB computes them. */
export async function referenceDocuments(
  recordsDir: string,
  attachmentsFile: string,
): Promise<{ documents: Map<string, unknown>; projects: Map<string, unknown> }> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  // One thread keeps the files' row order for row_number().
  await db.run('SET threads = 1');
  for (const table of [...TABLES, 'attachments']) {
    const file = (table === 'attachments' ? attachmentsFile : join(recordsDir, `${table}.ndjson`)).replaceAll(
      "'",
      "''",
    );
    await db.run(
      `CREATE TABLE ${table} AS SELECT row_number() OVER () AS r, json AS j FROM read_json_objects('${file}', format = 'newline_delimited')`,
    );
  }
  const sql = `
WITH
defs AS (SELECT ${str('j', 'custom_field_id')} AS id, arg_min(j, r) AS j FROM custom_field_definitions GROUP BY 1),
states AS (SELECT ${str('j', 'candidate_hiringstate_id')} AS id, arg_min(j, r) AS j FROM hiring_states GROUP BY 1),
modules AS (SELECT ${str('j', 'interview_module_id')} AS id, arg_min(j, r) AS j FROM interview_modules GROUP BY 1),
posts AS (
  SELECT ${str('j', 'project_id')} AS id,
    list(json_object('job_post_id', j->'job_post_id', 'job_post_description', j->'job_post_description',
      'job_post_created_at', j->'job_post_created_at', 'job_post_state', j->'job_post_state')
      ORDER BY ${byId(str('j', 'job_post_id'))}, r) FILTER (WHERE ${str('j', 'job_post_id')} IS NOT NULL) AS posts
  FROM projects GROUP BY 1),
pvalues AS (
  SELECT ${str('v.j', 'entity_id')} AS id,
    list(${append('v.j', { name: "d.j->'name'", type: "d.j->'type'" })}
      ORDER BY ${str('v.j', 'created_time')} NULLS LAST, ${byId(str('v.j', 'custom_field_id'))}, v.r) AS vals
  FROM custom_field_values v LEFT JOIN defs d ON d.id = ${str('v.j', 'custom_field_id')}
  WHERE lower(${str('v.j', 'entity_type')}) = 'project' GROUP BY 1),
proj AS (
  SELECT p.id, json_merge_patch(
      json_object('project_id', p.j->'project_id', 'project_name', p.j->'project_name', 'visibility', p.j->'visibility',
        'state', p.j->'state', 'type', p.j->'type', 'owner_profile_url', p.j->'owner_profile_url',
        'candidate_hiring_state_ids', p.j->'candidate_hiring_state_ids', 'sourcing_channels', p.j->'sourcing_channels',
        'project_description', p.j->'project_description'),
      json_object('job_posts', to_json(coalesce(posts.posts, []::JSON[])), 'custom_fields', to_json(coalesce(pvalues.vals, []::JSON[])))) AS j
  FROM (SELECT ${str('j', 'project_id')} AS id, arg_min(j, r) AS j FROM projects GROUP BY 1) p
  LEFT JOIN posts ON posts.id = p.id LEFT JOIN pvalues ON pvalues.id = p.id),
cands AS (
  SELECT ${str('c.j', 'candidate_id')} AS id, arg_min(c.j, c.r) AS first,
    list(json_object('project_id', c.j->'project_id', 'hiring_state_id', c.j->'hiring_state_id',
      'hiring_state', CASE WHEN s.id IS NULL THEN NULL ELSE json_object('name', s.j->'name', 'type', s.j->'type') END,
      'sourcing_channels', c.j->'sourcing_channels', 'project', proj.j)
      ORDER BY ${byId(str('c.j', 'project_id'))}, c.r) AS projects
  FROM candidates c LEFT JOIN states s ON s.id = ${str('c.j', 'hiring_state_id')}
  LEFT JOIN proj ON proj.id = ${str('c.j', 'project_id')} GROUP BY 1),
cvalues AS (
  SELECT ${str('v.j', 'entity_id')} AS id,
    list(${append('v.j', { name: "d.j->'name'", type: "d.j->'type'" })}
      ORDER BY ${str('v.j', 'created_time')} NULLS LAST, ${byId(str('v.j', 'custom_field_id'))}, v.r) AS vals
  FROM custom_field_values v LEFT JOIN defs d ON d.id = ${str('v.j', 'custom_field_id')}
  WHERE lower(${str('v.j', 'entity_type')}) = 'candidate' GROUP BY 1),
cards AS (
  SELECT ${str('x.j', 'candidate_id')} AS id,
    list(${append('x.j', { interview_module: 'm.j' })} ORDER BY ${byId(str('x.j', 'scorecard_id'))}, x.r) AS vals
  FROM scorecards x LEFT JOIN modules m ON m.id = ${str('x.j', 'interview_module_id')} GROUP BY 1),
${['feedbacks:feedback_id', 'notes:note_id', 'messages:message_id']
  .map((spec) => {
    const [table, key] = spec.split(':') as [string, string];
    return `${table}_l AS (SELECT ${str('j', 'candidate_id')} AS id, list(j ORDER BY ${byId(str('j', key))}, r) AS vals FROM ${table} GROUP BY 1)`;
  })
  .join(',\n')},
files AS (
  SELECT ${str('j', 'candidate_id')} AS id,
    list(json_object('kind', j->'kind', 'file_name', j->'file_name', 'size', j->'size', 'crc32', j->'crc32',
      'part', j->'part', 'entry', j->'entry') ORDER BY r) AS vals
  FROM attachments GROUP BY 1)
SELECT c.id, json_object(
  'candidate_id', c.id,
  'first_name', c.first->'first_name', 'last_name', c.first->'last_name', 'emails', c.first->'emails',
  'phone_numbers', c.first->'phone_numbers', 'tags', c.first->'tags', 'profile_url', c.first->'profile_url',
  'projects', to_json(c.projects),
  'custom_fields', to_json(coalesce(cvalues.vals, []::JSON[])),
  'scorecards', to_json(coalesce(cards.vals, []::JSON[])),
  'feedbacks', to_json(coalesce(feedbacks_l.vals, []::JSON[])),
  'notes', to_json(coalesce(notes_l.vals, []::JSON[])),
  'messages', to_json(coalesce(messages_l.vals, []::JSON[])),
  'attachments', to_json(coalesce(files.vals, []::JSON[]))) AS doc
FROM cands c
LEFT JOIN cvalues ON cvalues.id = c.id LEFT JOIN cards ON cards.id = c.id
LEFT JOIN feedbacks_l ON feedbacks_l.id = c.id LEFT JOIN notes_l ON notes_l.id = c.id
LEFT JOIN messages_l ON messages_l.id = c.id LEFT JOIN files ON files.id = c.id`;
  const documents = new Map<string, unknown>();
  for (const row of (await db.runAndReadAll(sql)).getRows()) {
    documents.set(String(row[0]), JSON.parse(String(row[1])));
  }
  const projects = new Map<string, unknown>();
  const projectSql = `${sql.slice(0, sql.indexOf('cands AS')).replace(/,\s*$/, '')} SELECT id, j FROM proj`;
  for (const row of (await db.runAndReadAll(projectSql)).getRows())
    projects.set(String(row[0]), JSON.parse(String(row[1])));
  db.closeSync();
  return { documents, projects };
}
