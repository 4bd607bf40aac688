import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openExport } from '@talent-export/export';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinExport } from './join.js';
import { referenceDocuments } from './reference.test-support.js';
import { bundleCandidates } from './subjects.js';

const KEYS = [
  'candidate_id',
  'first_name',
  'last_name',
  'emails',
  'phone_numbers',
  'tags',
  'profile_url',
  'projects',
  'custom_fields',
  'scorecards',
  'feedbacks',
  'notes',
  'messages',
  'attachments',
];

/** Validates each line of an NDJSON file against a JSON Schema (draft 2020-12), with Python's jsonschema. */
const VALIDATE = `
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
n = 0
for line in open(sys.argv[2], encoding='utf-8'):
    validator.validate(json.loads(line))
    n += 1
print(n, 'valid')
`;

type Doc = Record<string, unknown> & { candidate_id: string };
type Orphan = { table: string; row: number; key: string; value: string | null; in_document: boolean };

const lines = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);

let work: string;
let dir: string;
let truth: string;

async function run(
  out: string,
  options: { partitionBytes?: number; threads?: number; byProject?: boolean } = {},
) {
  const ex = await openExport(dir);
  try {
    return await joinExport(ex, { out, ...options });
  } finally {
    await ex.close();
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'join-'));
  dir = join(work, 'export');
  truth = join(work, 'truth');
  // Edge cases: quotes, commas, newlines and emoji inside fields, CRLF line ends, a BOM.
  await generateExport({
    dir,
    truthDir: truth,
    candidates: 400,
    attachmentsMb: 1,
    truthRecords: true,
    edgeCases: true,
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('joinExport on a generated export', () => {
  it('gives every candidate one document equal, field by field, to what DuckDB builds from the ground truth', async () => {
    // Small partitions, so candidates are spread over many and the ranges' edges are crossed.
    const out = join(work, 'small');
    const result = await run(out, { partitionBytes: 16 * 1024, threads: 2, byProject: true });
    expect(result.partitions).toBeGreaterThan(20);
    // The attachment index is the export package's; the reference takes it as it is.
    const ex = await openExport(dir);
    const attachments = join(work, 'attachments.ndjson');
    const index: string[] = [];
    for await (const record of ex.indexAttachments()) index.push(JSON.stringify(record));
    await ex.close();
    writeFileSync(attachments, `${index.join('\n')}\n`);
    const reference = await referenceDocuments(join(truth, 'records'), attachments);

    const docs = lines<Doc>(join(out, 'candidates.ndjson'));
    expect(docs.length).toBe(reference.documents.size);
    expect(result.documents).toBe(docs.length);
    const ids = docs.map((d) => BigInt(d.candidate_id));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    for (const doc of docs) {
      expect(Object.keys(doc)).toEqual(KEYS);
      const expected = reference.documents.get(doc.candidate_id) as Doc;
      for (const key of KEYS)
        expect({ id: doc.candidate_id, key, value: doc[key] }).toEqual({
          id: doc.candidate_id,
          key,
          value: expected[key],
        });
    }
    const projects = lines<Record<string, unknown>>(join(out, 'projects.ndjson'));
    expect(projects.length).toBe(reference.projects.size);
    for (const project of projects) {
      const { stages, candidates, candidates_without_stage, ...fields } = project;
      expect(fields).toEqual(reference.projects.get(project.project_id as string));
    }
  });

  it('accounts for every row of every table: rows in documents + orphans outside them', async () => {
    const out = join(work, 'small');
    const docs = lines<Doc>(join(out, 'candidates.ndjson'));
    const orphans = lines<Orphan>(join(out, 'orphans.ndjson'));
    const projects = lines<{ custom_fields: unknown[] }>(join(out, 'projects.ndjson'));
    const count = (key: string) => docs.reduce((n, d) => n + (d[key] as unknown[]).length, 0);
    const outside = (table: string) => orphans.filter((o) => o.table === table && !o.in_document).length;
    const truthRows = (table: string) => lines(join(truth, 'records', `${table}.ndjson`)).length;
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const report = manifest.report;
    for (const [table, key] of [
      ['candidates', 'projects'],
      ['scorecards', 'scorecards'],
      ['feedbacks', 'feedbacks'],
      ['notes', 'notes'],
      ['messages', 'messages'],
    ] as const) {
      expect({ table, rows: count(key) + outside(table) }).toEqual({ table, rows: truthRows(table) });
      expect(report.tables[table].inDocuments).toBe(count(key));
      expect(report.tables[table].orphaned).toBe(outside(table));
    }
    const projectValues = projects.reduce((n, p) => n + p.custom_fields.length, 0);
    expect(count('custom_fields') + projectValues + outside('custom_field_values')).toBe(
      truthRows('custom_field_values'),
    );
    expect(count('attachments') + outside('attachments')).toBe(report.tables.attachments.rows);
    // The orphans planted by the sample: rows of candidates that do not exist, and broken references.
    const candidates = new Set(
      lines<{ candidate_id: string }>(join(truth, 'records', 'candidates.ndjson')).map((c) => c.candidate_id),
    );
    const strays = ['feedbacks', 'messages', 'notes', 'scorecards'].flatMap((table) =>
      lines<{ candidate_id: string }>(join(truth, 'records', `${table}.ndjson`)).filter(
        (r) => !candidates.has(r.candidate_id),
      ),
    );
    expect(
      orphans.filter((o) => !o.in_document && o.key === 'candidate_id' && o.table !== 'attachments').length,
    ).toBe(strays.length);
    expect(strays.length).toBeGreaterThan(0);
    expect(orphans.some((o) => o.in_document && o.key === 'hiring_state_id')).toBe(true);
    expect(report.problems.some((p: { code: string }) => p.code === 'ORPHAN_ROWS')).toBe(true);
  });

  it('counts candidates per pipeline stage in projects.ndjson', () => {
    const out = join(work, 'small');
    const rows = lines<{ project_id: string; hiring_state_id: string | null }>(
      join(truth, 'records', 'candidates.ndjson'),
    );
    for (const project of lines<{
      project_id: string;
      stages: { candidate_hiringstate_id: string; candidates: number }[];
      candidates: number;
    }>(join(out, 'projects.ndjson'))) {
      const mine = rows.filter((r) => r.project_id === project.project_id);
      expect(project.candidates).toBe(mine.length);
      for (const stage of project.stages)
        expect(stage.candidates).toBe(
          mine.filter((r) => r.hiring_state_id === stage.candidate_hiringstate_id).length,
        );
    }
  });

  it('writes projects.schema.json beside projects.ndjson, describing every line as candidates.schema.json does', (context) => {
    const out = join(work, 'small');
    const schema = JSON.parse(readFileSync(join(out, 'projects.schema.json'), 'utf8'));
    expect([schema.$id, schema.title]).toEqual([expect.stringMatching(/:project$/), 'project document']);
    const projects = lines<Record<string, unknown>>(join(out, 'projects.ndjson'));
    expect(projects.length).toBeGreaterThan(0);
    for (const project of projects) expect(Object.keys(project).sort()).toEqual([...schema.required].sort());
    expect(Object.keys(schema.properties).sort()).toEqual([...schema.required].sort());
    // Read by an independent validator (Python's jsonschema), as the documents are by their schema.
    if (spawnSync('python3', ['-c', 'import jsonschema']).status !== 0) {
      console.warn(
        "join: Python's jsonschema is not installed here; the schemas were not validated against the lines",
      );
      context.skip();
    }
    const check = (schemaFile: string, ndjson: string) =>
      execFileSync('python3', ['-c', VALIDATE, join(out, schemaFile), join(out, ndjson)], {
        encoding: 'utf8',
      });
    expect(check('projects.schema.json', 'projects.ndjson')).toBe(`${projects.length} valid\n`);
    expect(check('candidates.schema.json', 'candidates.ndjson')).toMatch(/^\d+ valid\n$/);
  });

  it('writes the same bytes whatever the partitions and threads, and leaves no temporary files', async () => {
    const a = join(work, 'small');
    const b = join(work, 'default');
    const result = await run(b, { threads: 1 });
    expect(result.partitions).toBe(1);
    for (const name of ['candidates.ndjson', 'orphans.ndjson', 'candidates.schema.json'])
      expect(readFileSync(join(b, name)).equals(readFileSync(join(a, name)))).toBe(true);
    for (const out of [a, b]) expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(b, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual([
      'candidates.ndjson',
      'orphans.ndjson',
    ]);
  });

  it('stops when aborted: no output, no temporary folder', async () => {
    const out = join(work, 'aborted');
    const tmp = join(work, 'tmp');
    const controller = new AbortController();
    const ex = await openExport(dir);
    const run = joinExport(ex, {
      out,
      tmp,
      partitionBytes: 16 * 1024,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'documents') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'JOIN_ABORTED', kind: 'interrupted' });
    await ex.close();
    // Both folders were made by the run, and are removed with it.
    expect(existsSync(out)).toBe(false);
    expect(existsSync(tmp)).toBe(false);
  });
});

describe('an attachment part cut short (part truncated to half.zip)', () => {
  it('is a problem of the join and of a bundle, not attachments missing without a word', async () => {
    const cut = join(work, 'cut');
    cpSync(dir, cut, { recursive: true });
    const part = readdirSync(cut).find((name) => name.startsWith('Attachment_'))!;
    const bytes = readFileSync(join(cut, part));
    writeFileSync(join(cut, part), bytes.subarray(0, bytes.length >> 1));
    const ex = await openExport(cut);
    try {
      const joined = await joinExport(ex, { out: join(work, 'cut-joined') });
      // Its entries whole before the cut are read: it is cut short, not unreadable.
      expect(joined.problems.find((p) => p.code === 'PART_UNREADABLE')).toBeUndefined();
      const cutShort = joined.problems.find((p) => p.code === 'PART_TRUNCATED');
      expect(cutShort).toMatchObject({ severity: 'problem', file: part });
      const first = lines<Doc>(join(work, 'cut-joined', 'candidates.ndjson'))[0]!;
      const bundled = await bundleCandidates(ex, {
        out: join(work, 'cut-bundled'),
        candidates: [first.candidate_id],
      });
      expect(bundled.problems.map((p) => [p.code, p.file])).toContainEqual(['PART_TRUNCATED', part]);
    } finally {
      await ex.close();
    }
  });
});

describe('an attachment whose bytes fail their CRC (flipped byte in attachment.zip)', () => {
  it('is left out of the bundle, with a refusal that names its folders only; other bundles are whole', async () => {
    const bad = join(work, 'flipped');
    cpSync(dir, bad, { recursive: true });
    let ex = await openExport(bad);
    let victim: { candidate_id: string; part: string; entry: string } | undefined;
    let other: string | undefined;
    try {
      for await (const a of ex.indexAttachments()) {
        if (!victim && a.size > 100) victim = a;
        else if (victim && !other && a.candidate_id !== victim.candidate_id) other = a.candidate_id;
      }
    } finally {
      await ex.close();
    }
    const { candidate_id, part, entry } = victim!;
    const zip = readFileSync(join(bad, part));
    // The first copy of the name is the local header's: the data follows it and the local extra field.
    const nameAt = zip.indexOf(Buffer.from(entry));
    const dataAt = nameAt + entry.length + zip.readUInt16LE(nameAt - 2);
    zip[dataAt + 50]! ^= 0xff;
    writeFileSync(join(bad, part), zip);
    const out = join(work, 'flipped-bundled');
    ex = await openExport(bad);
    try {
      const result = await bundleCandidates(ex, { out, candidates: [candidate_id, other!] });
      const refused = result.problems.filter((p) => p.code === 'ATTACHMENT_CORRUPT');
      expect(refused).toEqual([expect.objectContaining({ severity: 'problem', refused: true, file: part })]);
      expect(refused[0]!.message).toMatch(/CRC-32|inflat|corrupt/i);
      expect(refused[0]!.message).toContain(`Candidate_${candidate_id}.zip`);
      // The attachment's file name may name a person: the problem names its folders, length and extension.
      const fileName = entry.slice(entry.lastIndexOf('/') + 1);
      expect(JSON.stringify(refused)).not.toContain(fileName);
      expect(result.bundles.map((b) => b.candidate_id).sort()).toEqual([candidate_id, other!].sort());
      const listed = (id: string) =>
        execFileSync('unzip', ['-Z1', join(out, `Candidate_${id}.zip`)], { encoding: 'utf8' });
      expect(listed(candidate_id)).not.toContain(fileName);
      expect(execFileSync('unzip', ['-tq', join(out, `Candidate_${candidate_id}.zip`)]).toString()).toMatch(
        /No errors/,
      );
    } finally {
      await ex.close();
    }
  });
});

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

/**
 * A copy of the generated export named `name`, with the table in `file` of export.zip given back by `edit`
 * (its text in, the new text out); `edit` also sees the export.zip's first row of any table.
 */
function withTable(
  name: string,
  file: string,
  edit: (text: string, firstRow: (file: string) => string[]) => string,
): string {
  const copy = join(work, name);
  cpSync(dir, copy, { recursive: true });
  const zip = join(copy, 'export.zip');
  const names = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n');
  const entry = (table: string) => names.find((n) => n.endsWith(`/${table}`))!;
  const text = (table: string) => execFileSync('unzip', ['-p', zip, entry(table)], { encoding: 'utf8' });
  const firstRow = (table: string) => text(table).split(/\r?\n/)[1]!.split(',');
  const tables = join(work, `${name}-tables`);
  execFileSync('unzip', ['-q', zip, entry(file), '-d', tables]);
  writeFileSync(join(tables, entry(file)), edit(text(file), firstRow));
  execFileSync('zip', ['-q', '-X', zip, entry(file)], { cwd: tables });
  return copy;
}

describe('custom field values whose entity_type has spaces or capitals (" candidate ", "Project ")', () => {
  it("are the candidate's and the project's, in join and in a bundle, not orphans", async () => {
    let candidate = '';
    const spaced = withTable('spaced', 'CustomFieldValues.csv', (text, firstRow) => {
      [candidate] = firstRow('Candidate.csv') as [string];
      const [project] = firstRow('Projects.csv');
      const [field] = firstRow('CustomFieldDefinition.csv');
      return `${text}${field}, candidate ,${candidate},Spaced-64000,,\n${field},Project ,${project},Spaced-Deutsch,,\n`;
    });
    const ex = await openExport(spaced);
    try {
      const out = join(work, 'spaced-joined');
      await joinExport(ex, { out, byProject: true });
      expect(readFileSync(join(out, 'orphans.ndjson'), 'utf8')).not.toContain('Spaced-');
      const doc = readFileSync(join(out, 'candidates.ndjson'), 'utf8')
        .split('\n')
        .find((line) => line.includes(`"candidate_id":"${candidate}"`))!;
      expect(doc).toContain('Spaced-64000');
      expect(readFileSync(join(out, 'projects.ndjson'), 'utf8')).toContain('Spaced-Deutsch');
      const bundled = join(work, 'spaced-bundled');
      await bundleCandidates(ex, { out: bundled, candidates: [candidate] });
      const csv = execFileSync('unzip', [
        '-p',
        join(bundled, `Candidate_${candidate}.zip`),
        'CustomFieldValues.csv',
      ]);
      expect(csv.toString()).toContain('Spaced-64000');
    } finally {
      await ex.close();
    }
  });
});

describe('a candidates row whose project and hiring state both resolve nowhere', () => {
  it('counts two references, not two rows, in ORPHAN_ROWS', async () => {
    const broken = withTable(
      'two-references',
      'Candidate.csv',
      (text) => `${text}999999999,424242424,,,,,,,,434343434\r\n`,
    );
    const ex = await openExport(broken);
    try {
      const out = join(work, 'two-references-joined');
      const result = await joinExport(ex, { out });
      const mine = lines<Orphan>(join(out, 'orphans.ndjson')).filter(
        (o) => o.value?.startsWith('4343') || o.value?.startsWith('4242'),
      );
      expect(mine.map((o) => [o.key, o.in_document])).toEqual([
        ['project_id', true],
        ['hiring_state_id', true],
      ]);
      const message = result.problems.find((p) => p.code === 'ORPHAN_ROWS')!.message;
      expect(message).toContain(
        `and ${result.orphans.references} reference(s) of rows in documents resolve nowhere`,
      );
    } finally {
      await ex.close();
    }
  });
});

describe('a candidates table with its header and no rows', () => {
  it('joins to no document, every other row an orphan, rather than failing', async () => {
    const empty = withTable('no-candidates', 'Candidate.csv', (text) => `${text.split('\r\n')[0]}\r\n`);
    const ex = await openExport(empty);
    try {
      const out = join(work, 'no-candidates-joined');
      const result = await joinExport(ex, { out });
      expect(result.documents).toBe(0);
      expect(readFileSync(join(out, 'candidates.ndjson'), 'utf8')).toBe('');
      const { messages, attachments } = result.tables;
      expect(messages.orphaned).toBe(messages.rows);
      expect(attachments.orphaned).toBe(attachments.rows);
      expect(attachments.rows).toBeGreaterThan(0);
    } finally {
      await ex.close();
    }
  });
});

describe('a table with a column beyond the schema (Colour)', () => {
  it("keeps its values in a bundle's CSV, under the source's header", async () => {
    let candidate = '';
    const extra = withTable('extra-column', 'Candidate.csv', (text) => {
      const lines = text.split('\r\n');
      candidate = lines[1]!.split(',')[0]!;
      return lines
        .map((line, i) => (line === '' ? line : `${line},${i === 0 ? 'Colour' : `blue${i}`}`))
        .join('\r\n');
    });
    const ex = await openExport(extra);
    try {
      const out = join(work, 'extra-column-bundled');
      await bundleCandidates(ex, { out, candidates: [candidate] });
      const csv = execFileSync('unzip', ['-p', join(out, `Candidate_${candidate}.zip`), 'Candidate.csv']);
      // The source's line ends (CRLF) and byte order mark are kept.
      expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const [head, row] = csv.toString().split('\r\n');
      expect(head!.split(',').at(-1)).toBe('Colour');
      expect(row!.split(',').at(-1)).toBe('blue1');
    } finally {
      await ex.close();
    }
  });
});

describe('a candidates table in export.zip twice (two contracts.zip)', () => {
  it('joins one copy, and its problems say the other copy is not read', async () => {
    const twice = join(work, 'twice');
    cpSync(dir, twice, { recursive: true });
    const copy = join(work, 'twice-copy');
    // A column no export writes: not read as one table with the other (a copy lacking columns would be).
    write(join(copy, 'Contract_2', 'Candidate.csv'), 'candidate_id,colour\r\n1,blue\r\n');
    execFileSync('zip', ['-q', '-r', '-X', join(twice, 'export.zip'), 'Contract_2'], { cwd: copy });
    const ex = await openExport(twice);
    try {
      const read = ex.tables.candidates!.entry!;
      const joined = await joinExport(ex, { out: join(work, 'twice-joined') });
      expect(joined.problems.find((p) => p.code === 'TABLE_DUPLICATE')?.message).toMatch(
        new RegExp(
          `is in export\\.zip 2 times .*: only ${read}, the largest, is read, the rows of the other copies are not`,
        ),
      );
      expect(lines(join(work, 'twice-joined', 'candidates.ndjson')).length).toBeGreaterThan(0);
    } finally {
      await ex.close();
    }
  });
});

describe('an export without some tables (Projects.csv, HiringStates.csv left out of export.zip)', () => {
  it('does not count references into a table that is not there as orphans: a notice says they were not checked', async () => {
    const without = join(work, 'without-projects');
    cpSync(dir, without, { recursive: true });
    execFileSync('zip', ['-q', '-d', join(without, 'export.zip'), '*/Projects.csv', '*/HiringStates.csv']);
    const ex = await openExport(without);
    try {
      const out = join(work, 'without-projects-joined');
      const result = await joinExport(ex, { out });
      const into = (table: string) =>
        lines<{ references: string | null; in_document: boolean }>(join(out, 'orphans.ndjson')).filter(
          (o) => o.in_document && o.references === table,
        );
      expect(into('projects')).toEqual([]);
      expect(into('hiring_states')).toEqual([]);
      expect(Object.keys(result.orphans.byReference)).not.toContain('candidates.project_id');
      expect(Object.keys(result.orphans.byReference)).not.toContain('candidates.hiring_state_id');
      const notice = result.problems.find((p) => p.code === 'REFERENCES_NOT_CHECKED');
      expect(notice).toMatchObject({ severity: 'notice' });
      expect(notice!.message).toMatch(
        /^\d+ reference\(s\) of rows in documents point into tables the export does not hold, so were not checked: candidates\.project_id -> projects: \d+.*candidates\.hiring_state_id -> hiring_states: \d+/,
      );
    } finally {
      await ex.close();
    }
  });
});

describe('the attachment parts alone (no export.csv, no export.zip)', () => {
  it('stops join and bundle saying no table is there and where the tables come from', async () => {
    const parts = join(work, 'parts-only');
    cpSync(dir, parts, { recursive: true });
    rmSync(join(parts, 'export.zip'));
    rmSync(join(parts, 'export.csv'));
    const ex = await openExport(parts);
    try {
      const expected = {
        code: 'JOIN_TABLE_MISSING',
        message: expect.stringMatching(
          /no candidates table that can be read \(export\.zip is not in the folder, so none of the ten tables can be read/,
        ),
      };
      await expect(joinExport(ex, { out: join(work, 'parts-joined') })).rejects.toMatchObject(expected);
      await expect(
        bundleCandidates(ex, { out: join(work, 'parts-bundled'), candidates: ['1'] }),
      ).rejects.toMatchObject(expected);
    } finally {
      await ex.close();
    }
  });
});

describe('a download without its export.zip (export.csv and the parts only)', () => {
  it('stops join and bundle with an error that says export.zip is missing and where to get it', async () => {
    const without = join(work, 'without-export-zip');
    cpSync(dir, without, { recursive: true });
    rmSync(join(without, 'export.zip'));
    const ex = await openExport(without);
    try {
      const expected = {
        code: 'JOIN_TABLE_MISSING',
        message: expect.stringMatching(
          /no candidates table that can be read \(export\.zip is listed in export\.csv .* but is not in the folder; download it/,
        ),
      };
      await expect(joinExport(ex, { out: join(work, 'without-joined') })).rejects.toMatchObject(expected);
      await expect(
        bundleCandidates(ex, { out: join(work, 'without-bundled'), candidates: ['1'] }),
      ).rejects.toMatchObject(expected);
    } finally {
      await ex.close();
    }
  });
});

describe('an export.zip that cannot be read (an HTML page saved as export.zip)', () => {
  it('stops join and bundle with an error that says why, not only that Candidate.csv is missing', async () => {
    const html = join(work, 'html-export-zip');
    cpSync(dir, html, { recursive: true });
    write(join(html, 'export.zip'), '<!DOCTYPE html><html><body>This link has expired</body></html>');
    const ex = await openExport(html);
    try {
      const expected = {
        code: 'JOIN_TABLE_MISSING',
        message: expect.stringMatching(/no candidates table that can be read \(export\.zip cannot be read/),
      };
      await expect(joinExport(ex, { out: join(work, 'html-joined') })).rejects.toMatchObject(expected);
      await expect(
        bundleCandidates(ex, { out: join(work, 'html-bundled'), candidates: ['1'] }),
      ).rejects.toMatchObject(expected);
    } finally {
      await ex.close();
    }
  });
});
