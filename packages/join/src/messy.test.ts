// Exports edited by hand or produced by another tool: each case rewrites one table of a generated export.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openExport } from '@talent-export/export';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinExport } from './join.js';
import { bundleCandidates } from './subjects.js';

let work: string;
let dir: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'join-messy-'));
  dir = join(work, 'export');
  await generateExport({ dir, truthDir: join(work, 'truth'), candidates: 20, attachmentsMb: 1 });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the generated export named `name`, each table of export.zip named in `edits` given back edited. */
function withTables(name: string, edits: Record<string, (text: string) => string>): string {
  const copy = join(work, name);
  cpSync(dir, copy, { recursive: true });
  const zip = join(copy, 'export.zip');
  const names = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n');
  const tables = join(work, `${name}-tables`);
  for (const [file, edit] of Object.entries(edits)) {
    const entry = names.find((n) => n.endsWith(`/${file}`))!;
    execFileSync('unzip', ['-q', zip, entry, '-d', tables]);
    const path = join(tables, entry);
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
    execFileSync('zip', ['-q', '-X', zip, entry], { cwd: tables });
  }
  return copy;
}

const withTable = (name: string, file: string, edit: (text: string) => string) =>
  withTables(name, { [file]: edit });

/** The table's text with one more column, `name`, holding `value` on every row. */
const addColumn = (name: string, value: string) => (text: string) =>
  text
    .split('\n')
    .map((line, i) => (line === '' ? line : `${line},${i === 0 ? name : value}`))
    .join('\n');

type Doc = Record<string, unknown> & { projects: Record<string, unknown>[] };

const docOf = (ndjson: string, id: string): Doc =>
  JSON.parse(ndjson.split('\n').find((line) => line.startsWith(`{"candidate_id":"${id}"`))!) as Doc;

describe('a candidate on two rows whose profile values differ (a second email, a new last name)', () => {
  it("keeps the second row's values in its project entry, in join and in a bundle's candidate.json", async () => {
    const differing = withTable('differing', 'Candidate.csv', (text) => {
      const rows = [
        '1999999999,,Ana,Silva,ana@example.org,,Go,,referral,',
        '1999999999,,Ana,Silva-Costa,ana@example.org;ana.c@example.net,,,,sourced,',
      ];
      return `${text.trimEnd()}\n${rows.join('\n')}\n`;
    });
    const ex = await openExport(differing);
    try {
      const out = join(work, 'differing-joined');
      await joinExport(ex, { out });
      const doc = docOf(readFileSync(join(out, 'candidates.ndjson'), 'utf8'), '1999999999');
      expect(doc).toMatchObject({ last_name: 'Silva', emails: ['ana@example.org'], tags: ['Go'] });
      expect(doc.projects[0]).not.toHaveProperty('last_name');
      expect(doc.projects[1]).toMatchObject({
        last_name: 'Silva-Costa',
        emails: ['ana@example.org', 'ana.c@example.net'],
        tags: null,
      });
      expect(doc.projects[1]).not.toHaveProperty('first_name');
      const bundled = join(work, 'differing-bundled');
      await bundleCandidates(ex, { out: bundled, candidates: ['1999999999'] });
      const json = execFileSync('unzip', ['-p', join(bundled, 'Candidate_1999999999.zip'), 'candidate.json']);
      expect(JSON.parse(json.toString())).toEqual(doc);
    } finally {
      await ex.close();
    }
  });
});

describe('a candidate asked for whose rows were removed from Candidate.csv', () => {
  it('is unknown, and the problem says their messages and files exist, in no bundle', async () => {
    let candidate = '';
    const removed = withTable('removed', 'Candidate.csv', (text) => {
      const lines = text.split('\n');
      candidate = lines[1]!.split(',')[0]!;
      return lines.filter((line) => !line.startsWith(`${candidate},`)).join('\n');
    });
    const ex = await openExport(removed);
    try {
      const out = join(work, 'removed-bundled');
      const result = await bundleCandidates(ex, { out, candidates: [candidate, '42'] });
      expect(result.unknown.sort()).toEqual([candidate, '42'].sort());
      const message = result.problems.find((p) => p.code === 'CANDIDATE_UNKNOWN')!.message;
      expect(message).toMatch(
        new RegExp(
          `1 of them do have rows in other tables or attachment files, which no bundle holds \\(.*messages: \\d+.*\\): ${candidate}; \`extract --candidates\` with these ids copies their attachment folders$`,
        ),
      );
      expect(message).toContain('attachments: ');
    } finally {
      await ex.close();
    }
  });
});

describe('rows in the export twice, exactly alike (a candidates row, a message)', () => {
  it('are in the document as often as in the export, and a ROWS_DUPLICATE notice counts them', async () => {
    const twiceOver = (copies: number) => (text: string) => {
      const lines = text.trimEnd().split('\n');
      return `${[...lines, ...Array<string>(copies).fill(lines[1]!)].join('\n')}\n`;
    };
    const twice = withTables('twice', { 'Candidate.csv': twiceOver(1), 'Messages.csv': twiceOver(2) });
    const ex = await openExport(twice);
    try {
      const out = join(work, 'twice-joined');
      const result = await joinExport(ex, { out });
      const notice = result.problems.find((p) => p.code === 'ROWS_DUPLICATE');
      expect(notice?.severity).toBe('notice');
      expect(notice?.message).toMatch(/^3 row\(s\) repeat .*\(candidates: 1, messages: 2\)/);
      expect(result.tables.messages.inDocuments + result.tables.messages.orphaned).toBe(
        result.tables.messages.rows,
      );
      // The first candidate's bundle holds both copies of its row and all three of its message.
      const candidate = readFileSync(join(out, 'candidates.ndjson'), 'utf8').split('"')[3]!;
      const bundled = await bundleCandidates(ex, {
        out: join(work, 'twice-bundled'),
        candidates: [candidate],
      });
      expect(bundled.problems.find((p) => p.code === 'ROWS_DUPLICATE')?.message).toMatch(
        /^3 row\(s\) repeat .*\(candidates: 1, messages: 2\)/,
      );
    } finally {
      await ex.close();
    }
  });

  it('gives no notice for an export without copies', async () => {
    const ex = await openExport(dir);
    try {
      const result = await joinExport(ex, { out: join(work, 'no-copies-joined') });
      expect(result.problems.map((p) => p.code)).not.toContain('ROWS_DUPLICATE');
    } finally {
      await ex.close();
    }
  });
});

describe('columns beyond the schema named as keys the join adds (project, interview_module, name, stages)', () => {
  it("keep their values under <name>_column, the join's own keys beside them, no key twice", async () => {
    const clash = withTables('clash', {
      'Candidate.csv': addColumn('project', 'P-col'),
      'Scorecards.csv': addColumn('interview_module', 'M-col'),
      'CustomFieldValues.csv': addColumn('name', 'N-col'),
      'Projects.csv': addColumn('stages', 'S-col'),
    });
    const ex = await openExport(clash);
    try {
      const out = join(work, 'clash-joined');
      await joinExport(ex, { out, byProject: true });
      const text = readFileSync(join(out, 'candidates.ndjson'), 'utf8');
      const projects = readFileSync(join(out, 'projects.ndjson'), 'utf8');
      // A key twice in a line would parse as its last value: the assertions below would then fail.
      const docs = text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Doc);
      const entry = docs[0]!.projects[0]!;
      expect(entry).toMatchObject({ project_column: 'P-col' });
      expect(entry.project).not.toBe('P-col');
      const scorecard = docs.flatMap((d) => d.scorecards as Record<string, unknown>[])[0]!;
      expect(scorecard).toMatchObject({ interview_module_column: 'M-col' });
      expect(typeof scorecard.interview_module).toBe('object');
      const value = docs.flatMap((d) => d.custom_fields as Record<string, unknown>[])[0]!;
      expect(value.name_column).toBe('N-col');
      expect(value.name).not.toBe('N-col');
      const project = JSON.parse(projects.split('\n')[0]!) as Record<string, unknown>;
      expect(project.stages_column).toBe('S-col');
      expect(Array.isArray(project.stages)).toBe(true);
    } finally {
      await ex.close();
    }
  });
});

/** Paths of objects in `value` holding two keys that differ only in case. */
function caseClashes(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Object.entries(value);
  const seen = new Set<string>();
  const clashes: string[] = [];
  for (const [key, item] of entries) {
    if (seen.has(key.toLowerCase())) clashes.push(`${path}.${key}`);
    seen.add(key.toLowerCase());
    clashes.push(...caseClashes(item, `${path}.${key}`));
  }
  return clashes;
}

describe('columns beyond the schema named as keys the join adds, in another case (Project, Name, Stages)', () => {
  // DuckDB's read_json and Spark match keys in any case: "Project" beside "project" made them refuse
  // the whole file ("Duplicate name in struct").
  it('keep their values under <name>_column, so no object holds two keys that differ in case only', async () => {
    const clash = withTables('case-clash', {
      'Candidate.csv': (text) => addColumn('Project_Column', 'Q-col')(addColumn('Project', 'P-col')(text)),
      'Scorecards.csv': addColumn('Interview_Module', 'M-col'),
      'CustomFieldValues.csv': addColumn('TYPE', 'T-col'),
      'Projects.csv': (text) => addColumn('Job_Posts', 'J-col')(addColumn('Stages', 'S-col')(text)),
    });
    const ex = await openExport(clash);
    try {
      const out = join(work, 'case-clash-joined');
      await joinExport(ex, { out, byProject: true });
      const docs = readFileSync(join(out, 'candidates.ndjson'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      const projects = readFileSync(join(out, 'projects.ndjson'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect([...docs, ...projects].flatMap((d) => caseClashes(d))).toEqual([]);
      const entry = (docs as Doc[])[0]!.projects[0]!;
      // Project_column is taken, in another case, by a column of its own.
      expect(entry).toMatchObject({ Project_column_2: 'P-col', Project_Column: 'Q-col' });
      expect(typeof entry.project).toBe('object');
      const scorecard = docs.flatMap((d) => d.scorecards as Record<string, unknown>[])[0]!;
      expect(scorecard).toMatchObject({ Interview_Module_column: 'M-col' });
      const value = docs.flatMap((d) => d.custom_fields as Record<string, unknown>[])[0]!;
      expect(value).toMatchObject({ TYPE_column: 'T-col' });
      const project = projects[0] as Record<string, unknown>;
      expect(project).toMatchObject({ Stages_column: 'S-col', Job_Posts_column: 'J-col' });
      expect(Array.isArray(project.stages)).toBe(true);
    } finally {
      await ex.close();
    }
  });
});

describe('a hiring state, interview module or custom field definition whose id is on two rows', () => {
  it('is a KEY_REPEATED notice of the join: documents embed the first row, the second is in none', async () => {
    // The second row again, under its own id, with another name: no document shows it.
    const again = (text: string) => {
      const lines = text.split('\n');
      const [id] = lines[1]!.split(',');
      return [
        ...lines.slice(0, 2),
        `${id},${lines[1]!.slice(id!.length + 1).replace(/^[^,]*/, 'Second')}`,
        ...lines.slice(2),
      ].join('\n');
    };
    const repeated = withTables('key-repeated', {
      'HiringStates.csv': again,
      'InterviewModule.csv': again,
      'CustomFieldDefinition.csv': again,
      // The first project again, on a row of its own with another name and no job post.
      'Projects.csv': (text) => {
        const header = text.split('\n')[0]!;
        const id = text.split('\n')[1]!.split(',')[0];
        return `${text.trimEnd()}\n${id},Second${','.repeat(header.split(',').length - 2)}\n`;
      },
    });
    const ex = await openExport(repeated);
    try {
      const result = await joinExport(ex, { out: join(work, 'key-repeated-joined') });
      const told = result.problems.filter((p) => p.code === 'KEY_REPEATED');
      expect(told.map((p) => p.table).sort()).toEqual([
        'custom_field_definitions',
        'hiring_states',
        'interview_modules',
        'projects',
      ]);
      for (const p of told) expect(p.message).toMatch(/: 1 row\(s\) repeat the \w+ of an earlier row/);
      // Only the row made here: the rows of a project's job posts repeat its own values exactly.
      expect(told.find((p) => p.table === 'projects')!.message).toMatch(/: 1 row\(s\)/);
      expect(told.every((p) => p.severity === 'notice')).toBe(true);
      // A bundle's candidate.json embeds the first row too: told as it is, not counted among other people's.
      const joined = readFileSync(join(work, 'key-repeated-joined', 'candidates.ndjson'), 'utf8');
      const candidate = (JSON.parse(joined.split('\n')[0]!) as Doc).candidate_id as string;
      const bundled = await bundleCandidates(ex, {
        out: join(work, 'key-repeated-bundled'),
        candidates: [candidate],
      });
      expect(bundled.problems.filter((p) => p.code === 'KEY_REPEATED')).toHaveLength(4);
    } finally {
      await ex.close();
    }
  });
});

describe('a column beyond the schema headed __proto__ (a header is any text)', () => {
  it('keeps its values in the documents, also where the join rebuilds a row (projects, renamed headers)', async () => {
    const proto = withTables('proto', {
      'Candidate.csv': addColumn('__proto__', 'c-proto'),
      'Projects.csv': addColumn('__proto__', 'p-proto'),
      // A header shown by its place makes the join rebuild every row of the documents.
      'Notes.csv': (text) => addColumn('Olivia Okonkwo', 'n-name')(addColumn('__proto__', 'n-proto')(text)),
    });
    const ex = await openExport(proto);
    try {
      const out = join(work, 'proto-joined');
      await joinExport(ex, { out });
      const docs = readFileSync(join(out, 'candidates.ndjson'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Doc);
      const own = (o: unknown) => Object.getOwnPropertyDescriptor(o, '__proto__')?.value;
      const entries = docs.flatMap((d) => d.projects);
      expect(entries.every((p) => own(p) === 'c-proto')).toBe(true);
      const projects = entries.map((p) => p.project).filter(Boolean);
      expect(projects.length).toBeGreaterThan(0);
      expect(projects.every((p) => own(p) === 'p-proto')).toBe(true);
      const notes = docs.flatMap((d) => d.notes as Record<string, unknown>[]);
      expect(notes.length).toBeGreaterThan(0);
      expect(notes.every((n) => own(n) === 'n-proto' && n['column 8'] === 'n-name')).toBe(true);
    } finally {
      await ex.close();
    }
  });
});

describe('rows naming a candidate asked for with the id written otherwise ("123 ", "0123")', () => {
  it('are counted in a CANDIDATE_ID_VARIANT problem, not left out of the bundle without a word', async () => {
    let candidate = '';
    let spaced = 0;
    const variant = withTable('variant', 'Messages.csv', (text) => {
      const lines = text.split('\n');
      candidate = lines[1]!.split(',')[2]!;
      return lines
        .map((line) => {
          const cells = line.split(',');
          if (cells[2] !== candidate) return line;
          spaced += 1;
          cells[2] = `${candidate} `;
          return cells.join(',');
        })
        .join('\n');
    });
    const ex = await openExport(variant);
    try {
      const result = await bundleCandidates(ex, {
        out: join(work, 'variant-bundled'),
        candidates: [candidate],
      });
      expect(result.bundles).toHaveLength(1);
      expect(result.bundles[0]!.rows.messages).toBe(0);
      const found = result.problems.find((p) => p.code === 'CANDIDATE_ID_VARIANT');
      expect(found?.message).toMatch(new RegExp(`^${spaced} row\\(s\\) .*: messages: ${spaced}; `));
      // Asked for with a leading zero: unknown, and its rows written without it are counted.
      const zero = await bundleCandidates(ex, {
        out: join(work, 'variant-zero'),
        candidates: [`0${candidate}`],
      });
      expect(zero.unknown).toEqual([`0${candidate}`]);
      expect(zero.problems.find((p) => p.code === 'CANDIDATE_ID_VARIANT')?.message).toMatch(
        /candidates: \d+, .*messages: \d+.*attachments: \d+/,
      );
    } finally {
      await ex.close();
    }
  });
});

describe('rows naming a candidate asked for with the id as a spreadsheet saves it ("123.0")', () => {
  it('are counted in a CANDIDATE_ID_VARIANT problem, not left out of the bundle without a word', async () => {
    let candidate = '';
    let saved = 0;
    const variant = withTable('saved-number', 'Scorecards.csv', (text) => {
      const lines = text.split('\n');
      candidate = lines[1]!.split(',')[2]!;
      return lines
        .map((line) => {
          const cells = line.split(',');
          if (cells[2] !== candidate) return line;
          saved += 1;
          cells[2] = `${candidate}.0`;
          return cells.join(',');
        })
        .join('\n');
    });
    const ex = await openExport(variant);
    try {
      const result = await bundleCandidates(ex, {
        out: join(work, 'saved-bundled'),
        candidates: [candidate],
      });
      expect(result.bundles[0]!.rows.scorecards).toBe(0);
      const found = result.problems.find((p) => p.code === 'CANDIDATE_ID_VARIANT');
      expect(found?.message).toMatch(new RegExp(`^${saved} row\\(s\\) .*: scorecards: ${saved}; `));
    } finally {
      await ex.close();
    }
  });
});

describe('rows naming a candidate asked for with the id in a text formula (="123")', () => {
  it('are counted in a CANDIDATE_ID_VARIANT problem, not left out of the bundle without a word', async () => {
    let candidate = '';
    let formulas = 0;
    const variant = withTable('formula', 'Notes.csv', (text) => {
      const lines = text.split('\n');
      candidate = lines[1]!.split(',')[2]!;
      return lines
        .map((line) => {
          const cells = line.split(',');
          if (cells[2] !== candidate) return line;
          formulas += 1;
          // As a CSV writer quotes it: the cell is ="123".
          cells[2] = `"=""${candidate}"""`;
          return cells.join(',');
        })
        .join('\n');
    });
    const ex = await openExport(variant);
    try {
      const result = await bundleCandidates(ex, {
        out: join(work, 'formula-bundled'),
        candidates: [candidate],
      });
      expect(result.bundles[0]!.rows.notes).toBe(0);
      const found = result.problems.find((p) => p.code === 'CANDIDATE_ID_VARIANT');
      expect(found?.message).toMatch(new RegExp(`^${formulas} row\\(s\\) .*: notes: ${formulas}; `));
    } finally {
      await ex.close();
    }
  });
});

describe("a candidate whose id is another's with a leading zero (7 and 007 both in the candidates table)", () => {
  it('is a candidate of its own: its rows are not counted as a variant of the other', async () => {
    let candidate = '';
    const zeroed = (cells: string[], at: number) => {
      const copy = [...cells];
      copy[at] = `0${candidate}`;
      return copy.join(',');
    };
    const both = withTables('zero-twin', {
      'Candidate.csv': (text) => {
        const lines = text.split('\n');
        candidate = lines[1]!.split(',')[0]!;
        const mine = lines.filter((line) => line.split(',')[0] === candidate);
        return [...lines.filter(Boolean), ...mine.map((line) => zeroed(line.split(','), 0)), ''].join('\n');
      },
      'Messages.csv': (text) => {
        const lines = text.split('\n');
        const mine = lines.filter((line) => line.split(',')[2] === candidate);
        const twins = mine.map((line) => {
          const cells = line.split(',');
          cells[0] = `${cells[0]}0`;
          return zeroed(cells, 2);
        });
        return [...lines.filter(Boolean), ...twins, ''].join('\n');
      },
    });
    const ex = await openExport(both);
    try {
      const result = await bundleCandidates(ex, {
        out: join(work, 'zero-twin-bundled'),
        candidates: [candidate],
      });
      expect(result.bundles).toHaveLength(1);
      expect(result.problems.map((p) => p.code)).not.toContain('CANDIDATE_ID_VARIANT');
      const twins = await bundleCandidates(ex, {
        out: join(work, 'zero-twin-both'),
        candidates: [candidate, `0${candidate}`],
      });
      expect(twins.bundles.map((b) => b.rows.messages)).toEqual([
        expect.any(Number),
        twins.bundles[0]!.rows.messages,
      ]);
      expect(twins.problems.map((p) => p.code)).not.toContain('CANDIDATE_ID_VARIANT');
      // Asked for as neither spells it: both are counted, as either may be the one meant.
      const neither = await bundleCandidates(ex, {
        out: join(work, 'zero-twin-neither'),
        candidates: [`00${candidate}`],
      });
      expect(neither.problems.find((p) => p.code === 'CANDIDATE_ID_VARIANT')?.message).toMatch(
        /candidates: 2\b/,
      );
    } finally {
      await ex.close();
    }
  });
});

describe("columns beyond the schema headed by a person's name or e-mail (a spreadsheet's extra column)", () => {
  it("are in a bundle by their place (column 11), values kept: no bundle carries that person's name", async () => {
    const person = 'Olivia Okonkwo';
    const email = 'olivia.okonkwo@example.org';
    const named = withTables('header-person', {
      'Candidate.csv': (text) => addColumn(email, '')(addColumn(person, 'x-value')(text)),
      'Projects.csv': addColumn(person, 'p-value'),
      // As a spreadsheet saves it: a comma ending every line, the header's too.
      'Scorecards.csv': (text) => text.replace(/(?<=.)\n/g, ',\n'),
    });
    const candidate = firstCandidate(named);
    const ex = await openExport(named);
    try {
      const out = join(work, 'header-person-bundled');
      await bundleCandidates(ex, { out, candidates: [candidate] });
      const zip = join(out, `Candidate_${candidate}.zip`);
      const text = execFileSync('unzip', ['-p', zip, 'candidate.json', '*.csv'], { encoding: 'utf8' });
      expect(text.includes('Okonkwo'), 'the name in the header').toBe(false);
      expect(text.includes(email), 'the e-mail in the header').toBe(false);
      const csv = execFileSync('unzip', ['-p', zip, 'Candidate.csv'], { encoding: 'utf8' });
      expect(csv.split(/\r?\n/)[0]).toMatch(/,column 11,column 12$/);
      expect(csv).toContain(',x-value,');
      const scorecards = execFileSync('unzip', ['-p', zip, 'Scorecards.csv'], { encoding: 'utf8' });
      expect(scorecards.split('\n')[0]).toMatch(/,overall_recommendation,$/);
      const doc = JSON.parse(
        execFileSync('unzip', ['-p', zip, 'candidate.json'], { encoding: 'utf8' }),
      ) as Doc;
      expect(doc.projects[0]!['column 11']).toBe('x-value');
      expect((doc.projects[0]!.project as Record<string, unknown>)['column 14']).toBe('p-value');
    } finally {
      await ex.close();
    }
  });

  it("are in join's documents by their place too, values kept: no document carries that person's name", async () => {
    const named = withTables('header-person-join', {
      'Candidate.csv': addColumn('Olivia Okonkwo', 'x-value'),
      'Notes.csv': addColumn('olivia.okonkwo@example.org', 'n-value'),
      'Projects.csv': addColumn('Olivia Okonkwo', 'p-value'),
    });
    const ex = await openExport(named);
    try {
      const out = join(work, 'header-person-joined');
      await joinExport(ex, { out, byProject: true });
      const ndjson = readFileSync(join(out, 'candidates.ndjson'), 'utf8');
      expect(ndjson.includes('Okonkwo'), 'a header in the documents').toBe(false);
      const projects = readFileSync(join(out, 'projects.ndjson'), 'utf8');
      expect(projects.includes('Okonkwo'), 'a header in projects.ndjson').toBe(false);
      expect((JSON.parse(projects.split('\n')[0]!) as Record<string, unknown>)['column 14']).toBe('p-value');
      const docs = ndjson
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Doc);
      expect(docs.every((d) => d.projects.every((p) => p['column 11'] === 'x-value'))).toBe(true);
      const notes = docs.flatMap((d) => d.notes as Record<string, unknown>[]);
      expect(notes.length).toBeGreaterThan(0);
      expect(notes.every((n) => n['column 7'] === 'n-value')).toBe(true);
    } finally {
      await ex.close();
    }
  });
});

describe("a file in a candidate's folder but in no Public, Private or Miscellaneous folder", () => {
  it('is an ATTACHMENT_LEFT_OUT problem of the join, not a notice: the document lacks it', async () => {
    const copy = join(work, 'left-out');
    cpSync(dir, copy, { recursive: true });
    const candidate = firstCandidate(copy);
    const part = readdirSync(copy).find((name) => /^Attachment_.*\.zip$/.test(name))!;
    const add = `import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'a') as z: z.writestr(f'Candidate_{sys.argv[2]}/Scans/Person_passport.pdf', 'scan')`;
    execFileSync('python3', ['-c', add, join(copy, part), candidate]);
    const ex = await openExport(copy);
    try {
      const result = await joinExport(ex, { out: join(work, 'left-out-joined') });
      const left = result.problems.filter((p) => p.code === 'ATTACHMENT_LEFT_OUT');
      expect(left).toHaveLength(1);
      expect(left[0]!.severity).toBe('problem');
      expect(left[0]!.message).toMatch(new RegExp(`Candidate_${candidate}/\\[file name.* in no document`));
      expect(left[0]!.message).not.toContain('passport');
      expect(result.problems.map((p) => p.code)).not.toContain('UNKNOWN_FILE');
    } finally {
      await ex.close();
    }
  });
});

/** The first candidate id of the copy's Candidate.csv. */
function firstCandidate(copy: string): string {
  const list = execFileSync('unzip', ['-Z1', join(copy, 'export.zip')], { encoding: 'utf8' }).split('\n');
  const entry = list.find((n) => n.endsWith('/Candidate.csv'))!;
  const text = execFileSync('unzip', ['-p', join(copy, 'export.zip'), entry], { encoding: 'utf8' });
  return text.split('\n')[1]!.split(',')[0]!;
}
