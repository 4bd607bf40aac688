// What convert writes from a messy export, loaded by DuckDB as a data lake would: every format opens with the
// types manifest.json and datapackage.json promise, holds the rows the manifest counts, and the three agree.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

type DuckDb = typeof import('@duckdb/node-api');
// Skipped, not failed, only where DuckDB's native module cannot load on this machine.
const duckdb: DuckDb | undefined = await import('@duckdb/node-api').catch(() => undefined);

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'talent-export-lake-load-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args, '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args[0]} exited ${r.status}: ${r.stderr}`);
};

/** A small export, extracted, then messed up as a hand-edited or odd export may be. */
function messyExport(): string {
  run('sample', '--out', join(work, 'zip'), '--candidates', '5');
  const dir = join(work, 'export');
  run('extract', join(work, 'zip'), '--out', dir);
  const table = (name: string) => join(dir, name);
  const candidates = readFileSync(table('Candidate.csv'), 'utf8').trimEnd().split('\n');
  const [header, first, ...rest] = candidates;
  const cells = first!.split(',');
  cells[0] = '000123';
  cells[2] = 'Zoë 😀👩‍💻';
  cells[6] = '"C++;""quoted, tag"";a,b"';
  writeFileSync(
    table('Candidate.csv'),
    [
      `${header},Notes ü, spaced ,"quo""te",Extra,EXTRA,all_null`,
      `${cells.join(',')},ü✓😀,x y,"q""q",e1,e2,`,
      ...rest.map((line) => `${line},,,,,,`),
    ].join('\n'),
  );
  // One note whose text DuckDB's dialect guess takes a backslash escape in.
  const notes = readFileSync(table('Notes.csv'), 'utf8').split('\n');
  const note = notes[1]!.split(',');
  writeFileSync(
    table('Notes.csv'),
    `${notes[0]}\n${[...note.slice(0, 3), '"Saved to C:\\Jobs\\"", then sent."', ...note.slice(-2)].join(',')}\n`,
  );
  writeFileSync(table('HiringStates.csv'), 'candidate_hiringstate_id,name,type\n');
  rmSync(table('InterviewModule.csv'));
  return dir;
}

interface Manifest {
  files: { path: string; table: string; format: string; rows: number }[];
  tables: { name: string; fields: { name: string; type: string }[] }[];
}

const DUCK: Record<string, string> = {
  id: 'VARCHAR',
  text: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
  list: 'VARCHAR[]',
};
const FRICTIONLESS: Record<string, string> = {
  ...DUCK,
  string: 'VARCHAR',
  datetime: DUCK.timestamp!,
  array: 'VARCHAR',
};

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const typesOf = (fields: { name: string; type: string }[], types: Record<string, string>) =>
  `{${fields.map((f) => `${quote(f.name)}: ${quote(types[f.type]!)}`).join(', ')}}`;

describe.skipIf(duckdb === undefined)('convert output loaded by DuckDB', () => {
  it('opens in every format with the promised columns and types, the rows counted, the same values', async () => {
    const out = join(work, 'lake');
    run('convert', messyExport(), '--out', out, '--to', 'ndjson,csv,parquet');
    const manifest: Manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const pack = JSON.parse(readFileSync(join(out, 'datapackage.json'), 'utf8')) as {
      resources: { path: string; schema: { fields: { name: string; type: string }[] } }[];
    };
    const instance = await duckdb!.DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      await db.run("SET TimeZone = 'UTC'");
      for (const table of manifest.tables.filter((t) => t.name !== 'rejects')) {
        const seen = new Map<string, string[]>();
        for (const file of manifest.files.filter((f) => f.table === table.name)) {
          const path = quote(join(out, file.path));
          const csvFields = pack.resources.find((r) => r.path === file.path)?.schema.fields;
          const source =
            file.format === 'parquet'
              ? `read_parquet(${path})`
              : file.format === 'ndjson'
                ? `read_ndjson(${path}, columns = ${typesOf(table.fields, DUCK)})`
                : `read_csv(${path}, header = true, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, columns = ${typesOf(csvFields!, FRICTIONLESS)})`;
          const described = await db.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
          expect(
            described.getRowsJson().map((row) => `${row[0]} ${row[1]}`),
            file.path,
          ).toEqual(
            table.fields.map(
              (f) => `${f.name} ${file.format === 'csv' && f.type === 'list' ? 'VARCHAR' : DUCK[f.type]}`,
            ),
          );
          // Lists of the CSV are JSON text; times compared as instants.
          const values = table.fields.map(({ name, type }) => {
            const column = `"${name}"`;
            if (type === 'timestamp') return `epoch_us(${column})`;
            return type === 'list' && file.format === 'csv' ? `${column}::JSON::VARCHAR[]` : column;
          });
          const rows = await db.runAndReadAll(
            `SELECT json_array(${values.join(', ')})::VARCHAR FROM ${source}`,
          );
          const got = rows.getRowsJson().map((row) => row[0] as string);
          expect(got.length, file.path).toBe(file.rows);
          seen.set(file.format, got);
        }
        expect(seen.get('csv'), table.name).toEqual(seen.get('ndjson'));
        expect(seen.get('parquet'), table.name).toEqual(seen.get('ndjson'));
      }
      const candidate = JSON.parse(
        (
          await db.runAndReadAll(
            `SELECT to_json(c)::VARCHAR FROM read_parquet(${quote(join(out, 'candidates.parquet'))}) c WHERE candidate_id = '000123'`,
          )
        ).getRowsJson()[0]![0] as string,
      );
      expect(candidate).toMatchObject({ first_name: 'Zoë 😀👩‍💻', tags: ['C++', '"quoted, tag"', 'a,b'] });
      const note = await db.runAndReadAll(
        `SELECT content FROM read_csv(${quote(join(out, 'notes.csv'))}, header = true, delim = ',', quote = '"', escape = '"')`,
      );
      expect(note.getRowsJson()).toEqual([['Saved to C:\\Jobs\\", then sent.']]);
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  });

  it('writes a table without rows as a Parquet file DuckDB opens with its columns', async () => {
    const out = join(work, 'empty');
    run('convert', join(work, 'export'), '--out', out, '--to', 'parquet', '--tables', 'hiring_states');
    const instance = await duckdb!.DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      const path = quote(join(out, 'hiring_states.parquet'));
      const described = await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${path})`);
      expect(described.getRowsJson().map((row) => `${row[0]} ${row[1]}`)).toEqual([
        'candidate_hiringstate_id VARCHAR',
        'name VARCHAR',
        'type VARCHAR',
      ]);
      const count = await db.runAndReadAll(`SELECT count(*)::INTEGER FROM read_parquet(${path})`);
      expect(count.getRowsJson()).toEqual([[0]]);
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  });
});
