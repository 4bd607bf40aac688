// Custom field values of a project no candidates row names: no candidate's document holds that project, so
// without projects.ndjson its values were counted "in projects" and written nowhere.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openExport } from '@talent-export/export';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinExport } from './join.js';

let work: string;
let dir: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'join-project-values-'));
  dir = join(work, 'extracted');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Candidate.csv'), 'candidate_id,project_id,first_name\r\n1,10,Ana\r\n2,10,Bo\r\n');
  writeFileSync(
    join(dir, 'Projects.csv'),
    'project_id,project_name,state\r\n10,Backend,ACTIVE\r\n30,Draft without candidates,DRAFT\r\n',
  );
  writeFileSync(
    join(dir, 'CustomFieldDefinitions.csv'),
    'custom_field_id,entity_type,name,type\r\n7,project,budget,number\r\n',
  );
  // Project 10 has candidates, 30 has none, 40 is not in the projects table.
  writeFileSync(
    join(dir, 'CustomFieldValues.csv'),
    'custom_field_id,entity_type,entity_id,custom_field_values\r\n7,project,10,100\r\n7,project,30,300\r\n7,project,40,400\r\n',
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('custom field values of a project without candidates', () => {
  it('are counted as left out of every document and told, without byProject', async () => {
    const ex = await openExport(dir);
    try {
      const out = join(work, 'by-candidate');
      const result = await joinExport(ex, { out });
      const values = result.tables.custom_field_values;
      expect(values).toMatchObject({ rows: 3, inDocuments: 0, inProjects: 1, orphaned: 1, leftOut: 1 });
      expect(values.inDocuments + values.inProjects + values.orphaned + values.leftOut).toBe(values.rows);
      const told = result.problems.find((p) => p.code === 'PROJECT_VALUES_LEFT_OUT');
      expect(told?.severity).toBe('problem');
      expect(told?.message).toContain('1 value(s) of 1 project(s)');
      expect(told?.message).toContain('e.g. 30');
      expect(told?.message).toContain('byProject');
      const documents = readFileSync(join(out, 'candidates.ndjson'), 'utf8');
      expect(documents).toContain('"100"');
      expect(documents).not.toContain('"300"');
    } finally {
      await ex.close();
    }
  });

  it('are in projects.ndjson with byProject, and nothing is told', async () => {
    const ex = await openExport(dir);
    try {
      const out = join(work, 'by-project');
      const result = await joinExport(ex, { out, byProject: true });
      expect(result.tables.custom_field_values).toMatchObject({ inProjects: 2, orphaned: 1, leftOut: 0 });
      expect(result.problems.map((p) => p.code)).not.toContain('PROJECT_VALUES_LEFT_OUT');
      const projects = readFileSync(join(out, 'projects.ndjson'), 'utf8').trim().split('\n');
      const draft = JSON.parse(projects.find((line) => line.startsWith('{"project_id":"30"'))!);
      expect(draft.custom_fields).toMatchObject([{ entity_id: '30', custom_field_values: ['300'] }]);
    } finally {
      await ex.close();
    }
  });
});
