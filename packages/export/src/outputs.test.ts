// An earlier run's output folder inside the export's folder (`convert a --out a/lake`) holds files named for
// the tables: they are not the export's tables, and not copies of them that differ.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, makeDownload, write } from './download.fixture.js';
import { openExport } from './index.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const f of fixtures.splice(0)) f.cleanup();
});

/** What convert writes into `folder`: a table named as it names them, and its manifest (unless `manifest` is false). */
function convertOutput(folder: string, manifest = true): void {
  write(join(folder, 'candidates.csv'), 'candidate_id,first_name\n1,changed\n');
  write(join(folder, 'datapackage.json'), '{}');
  if (!manifest) return;
  const files = [
    { path: 'candidates.csv', table: 'candidates', format: 'csv', rows: 1, bytes: 31, sha256: 'ab' },
  ];
  write(join(folder, 'manifest.json'), JSON.stringify({ schemaVersion: '1.0.0', files, tables: [] }));
}

async function openedProblems(dir: string) {
  const ex = await openExport(dir);
  try {
    return { codes: ex.problems.map((p) => p.code), messages: ex.problems.map((p) => p.message), ex };
  } finally {
    await ex.close();
  }
}

describe("an earlier run's output inside the export's folder", () => {
  it('beside the download: not a copy of a table that differs', async () => {
    const f = makeDownload({ parts: [['1', '2']] });
    fixtures.push(f);
    convertOutput(join(f.dir, 'lake'));
    const { codes } = await openedProblems(f.dir);
    expect(codes).not.toContain('TABLE_COPY_DIFFERS');
  });

  it('in an extracted export: told once, its tables not read', async () => {
    const f = makeDownload({ parts: [['1', '2']] });
    fixtures.push(f);
    const extracted = join(f.dir, 'extracted');
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', extracted]);
    convertOutput(join(extracted, 'lake'));
    const { codes, messages, ex } = await openedProblems(extracted);
    expect(codes.filter((c) => c.startsWith('TABLE_'))).toEqual([]);
    expect(ex.tables.candidates?.file).toMatch(/Candidate\.csv$/);
    expect(messages).toContain(
      "lake/ holds 3 file(s) an earlier talent-export run wrote (its manifest.json says so): they are not read as the export's",
    );
  });

  it("redact's report beside the export it made is told for what it is", async () => {
    const f = makeDownload({ parts: [['1', '2']] });
    fixtures.push(f);
    write(join(f.dir, 'redaction.json'), '{}');
    const { messages } = await openedProblems(f.dir);
    expect(messages).toContain(
      'redaction.json is the report of the redaction that made this export (counts, no data), and is ignored',
    );
  });

  it('a folder without such a manifest is read as before', async () => {
    const f = makeDownload({ parts: [['1', '2']] });
    fixtures.push(f);
    const extracted = join(f.dir, 'extracted');
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', extracted]);
    convertOutput(join(extracted, 'lake'), false);
    const { codes } = await openedProblems(extracted);
    expect(codes.some((c) => c.startsWith('TABLE_'))).toBe(true);
  });
});
