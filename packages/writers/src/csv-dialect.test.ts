// The README's DuckDB call for our CSV, run on a file DuckDB's own dialect guess misreads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { openOutput } from './output.js';
import { writeAll } from './streams.js';
import { field, tempDir } from './test-support.js';

const NOTES = [field('note_id', 'id'), field('content', 'text'), field('visibility', 'text')];

/** The options the README gives DuckDB's read_csv, as written there. */
function readmeOptions(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replaceAll('\n', ' ');
  const options = /`read_csv\('notes\.csv', (.+?), types = \{\.\.\.\}\)`/.exec(readme)?.[1];
  if (options === undefined) throw new Error('the README gives no read_csv call for notes.csv');
  return options;
}

async function readCsv(path: string, options: string): Promise<string[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const types = NOTES.map((f) => `'${f.name}': 'VARCHAR'`).join(', ');
    const result = await db.runAndReadAll(
      `SELECT note_id, content, visibility FROM read_csv('${path}', ${options}, types = {${types}})`,
    );
    return result.getRowsJson() as string[][];
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

describe('CSV as the README tells DuckDB to read it', () => {
  it('keeps the only row of a table whose text holds a backslash before a quote and a comma', async () => {
    // Left to guess, DuckDB takes the backslash for the escape, reads a column more and the row for the header.
    const content = 'Saved to C:\\Jobs\\", then sent.';
    const dir = tempDir('dialect');
    const output = await openOutput({ dir, formats: ['csv'] });
    await writeAll(output.table('notes', NOTES), [{ note_id: '0042', content, visibility: 'HiringContext' }]);
    await output.finish();
    const path = join(dir, 'notes.csv');
    expect(readFileSync(path, 'utf8')).toBe(
      'note_id,content,visibility\n0042,"Saved to C:\\Jobs\\"", then sent.",HiringContext\n',
    );
    expect(await readCsv(path, readmeOptions())).toEqual([['0042', content, 'HiringContext']]);
  });
});
