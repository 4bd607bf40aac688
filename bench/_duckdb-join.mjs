// DuckDB doing the join in SQL on the extracted CSVs: one JSON document per candidate (group, list
// aggregation, to JSON), as `talent-export join` writes them. Run as a child so its peak RSS is its own.
// Usage: node bench/_duckdb-join.mjs <csv folder> <output file>
import { join } from 'node:path';
import { root } from './_lib.mjs';

const [csvDir, outFile] = process.argv.slice(2);
const { DuckDBInstance } = await import(
  join(root, 'apps', 'cli', 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js')
);
const db = await (await DuckDBInstance.create(':memory:')).connect();
// DuckDB spills to a temporary folder when it must, as we do. Left to its defaults (80% of RAM, insertion
// order kept) with ORDER BY inside list(), it ran out of memory at 100k candidates on a 24 GB machine
// (18.8 GiB used; with memory_limit 4GB too: ordered aggregates do not spill). Lists are therefore
// aggregated unordered and sorted with list_sort (structs compare by their first field, the id; every id
// of the sample has as many digits as the others of its table, so text order is numeric order).
await db.run(`SET temp_directory = '${`${outFile}.tmp`.replaceAll("'", "''")}'`);
await db.run('SET preserve_insertion_order = false');
const csv = (name) =>
  `read_csv('${join(csvDir, name).replaceAll("'", "''")}', header = true, all_varchar = true)`;
const list = (column) => `CASE WHEN ${column} IS NULL THEN NULL ELSE string_split(${column}, ';') END`;
const byId = (column) => `length(${column}), ${column}`;
await db.run(`
COPY (
WITH
states AS (SELECT candidate_hiringstate_id AS id, first(name) AS name, first(type) AS type FROM ${csv('HiringStates.csv')} GROUP BY 1),
modules AS (SELECT interview_module_id AS id, first(m) AS m FROM ${csv('InterviewModule.csv')} m GROUP BY 1),
defs AS (SELECT custom_field_id AS id, first(name) AS name, first(type) AS type FROM ${csv('CustomFieldDefinition.csv')} GROUP BY 1),
values_ AS (
  SELECT v.*, ${list('v.custom_field_values')} AS value_list, d.name, d.type
  FROM ${csv('CustomFieldValues.csv')} v LEFT JOIN defs d ON d.id = v.custom_field_id),
projects AS (
  SELECT p.project_id, first(p.project_name) AS project_name, first(p.visibility) AS visibility, first(p.state) AS state,
    first(p.type) AS type, first(p.owner_profile_url) AS owner_profile_url,
    first(${list('p.candidate_hiring_state_ids')}) AS candidate_hiring_state_ids, first(${list('p.sourcing_channels')}) AS sourcing_channels,
    first(p.project_description) AS project_description,
    list_sort(list(struct_pack(job_post_id := p.job_post_id, job_post_description := p.job_post_description,
      job_post_created_at := p.job_post_created_at, job_post_state := p.job_post_state))) AS job_posts
  FROM ${csv('Projects.csv')} p GROUP BY 1),
pvalues AS (
  SELECT entity_id AS id, list_sort(list(struct_pack(custom_field_id, custom_field_values := value_list, created_time, last_modified_time, name, type)
   )) AS custom_fields
  FROM values_ WHERE lower(entity_type) = 'project' GROUP BY 1),
project_docs AS (SELECT p.*, coalesce(v.custom_fields, []) AS custom_fields FROM projects p LEFT JOIN pvalues v ON v.id = p.project_id),
cands AS (
  SELECT c.candidate_id, first(c.first_name) AS first_name, first(c.last_name) AS last_name,
    first(${list('c.emails')}) AS emails, first(${list('c.phone_numbers')}) AS phone_numbers, first(${list('c.tags')}) AS tags,
    first(c.profile_url) AS profile_url,
    list_sort(list(struct_pack(project_id := c.project_id, hiring_state_id := c.hiring_state_id,
      hiring_state := struct_pack(name := s.name, type := s.type), sourcing_channels := ${list('c.sourcing_channels')},
      project := p))) AS projects
  FROM ${csv('Candidate.csv')} c LEFT JOIN states s ON s.id = c.hiring_state_id
  LEFT JOIN project_docs p ON p.project_id = c.project_id GROUP BY 1),
cvalues AS (
  SELECT entity_id AS id, list_sort(list(struct_pack(custom_field_id, custom_field_values := value_list, created_time, last_modified_time, name, type)
   )) AS custom_fields
  FROM values_ WHERE lower(entity_type) = 'candidate' GROUP BY 1),
cards AS (
  SELECT x.candidate_id AS id, list_sort(list(struct_insert(x, interview_module := m.m))) AS scorecards
  FROM ${csv('Scorecards.csv')} x LEFT JOIN modules m ON m.id = x.interview_module_id GROUP BY 1),
feedbacks AS (SELECT candidate_id AS id, list_sort(list(f)) AS feedbacks FROM ${csv('Feedbacks.csv')} f GROUP BY 1),
notes AS (SELECT candidate_id AS id, list_sort(list(n)) AS notes FROM ${csv('Notes.csv')} n GROUP BY 1),
messages AS (SELECT candidate_id AS id, list_sort(list(m)) AS messages FROM ${csv('Messages.csv')} m GROUP BY 1)
SELECT c.*, coalesce(v.custom_fields, []) AS custom_fields, coalesce(k.scorecards, []) AS scorecards,
  coalesce(f.feedbacks, []) AS feedbacks, coalesce(n.notes, []) AS notes, coalesce(m.messages, []) AS messages
FROM cands c LEFT JOIN cvalues v ON v.id = c.candidate_id LEFT JOIN cards k ON k.id = c.candidate_id
LEFT JOIN feedbacks f ON f.id = c.candidate_id LEFT JOIN notes n ON n.id = c.candidate_id
LEFT JOIN messages m ON m.id = c.candidate_id
ORDER BY ${byId('c.candidate_id')}
) TO '${outFile.replaceAll("'", "''")}' (FORMAT json)`);
