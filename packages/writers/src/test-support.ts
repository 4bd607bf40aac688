// Shared by the tests only (not exported from the package): fixtures and independent readers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FieldSchema } from '@talent-export/schema';
import { afterAll } from 'vitest';
import type { TypedRecord, Value } from './types.js';

const made: string[] = [];
// Registered when a test file imports this module, so every folder made for that file goes when it ends,
// pass or fail, and repeated runs do not fill the disk.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `writers-${label}-`));
  made.push(dir);
  return dir;
}

export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** A field of `type`, optional and no personal data. */
export const field = (name: string, type: FieldSchema['type']): FieldSchema => ({
  name,
  type,
  required: false,
  pii: 'none',
  description: `${type} column`,
});

/** A table with every field type, for checking each type's path through each format. */
export const KITCHEN: readonly FieldSchema[] = [
  field('id', 'id'),
  field('note', 'text'),
  field('size', 'integer'),
  field('score', 'number'),
  field('ok', 'boolean'),
  field('at', 'timestamp'),
  field('tags', 'list'),
];

const TEXTS: (string | null)[] = [
  'plain',
  'Zoë Ångström',
  '张伟 李娜',
  'emoji 😀👩🏽‍💻',
  'line1\nline2',
  'cr\rhere',
  'crlf\r\nend',
  'quote " inside',
  '"starts with quote',
  'comma, here',
  'semi;colon',
  '  spaced  ',
  '',
  'NULL',
  'back\\slash\ttab',
  null,
];
const IDS = ['1', '007', '123456789012345678901234567890', '9007199254740993', 'abc-DEF_1'];
const INTEGERS = [0, -1, 42, 2 ** 53 - 1, -(2 ** 53 - 1), null];
const NUMBERS = [0, -1.5, 1e-7, 123456.789, 4.25, 1e21, null];
const BOOLEANS = [true, false, null];
const TIMES = [
  '1970-01-01T00:00:00.000Z',
  '2021-01-26T17:45:00.000Z',
  '1969-12-31T23:59:59.999Z',
  '2099-12-31T23:59:59.123Z',
  null,
];
const LISTS: (string[] | null)[] = [[], ['a;b', 'c,d'], ['"q"'], ['x\ny', '张'], [''], ['one'], null];

/** Deterministic rows that walk through every edge value, in shifting combinations. */
export function kitchenRows(count: number): TypedRecord[] {
  const pick = <T>(pool: T[], i: number, step: number): T => pool[(i * step + (i >> 3)) % pool.length]!;
  const rows: TypedRecord[] = [];
  for (let i = 0; i < count; i++) {
    rows.push({
      id: i === 1 ? null : pick(IDS, i, 1),
      note: pick(TEXTS, i, 3),
      size: pick(INTEGERS, i, 5),
      score: pick(NUMBERS, i, 2),
      ok: pick(BOOLEANS, i, 1),
      at: pick(TIMES, i, 3),
      tags: pick(LISTS, i, 5),
    });
  }
  rows.push({ id: '9' }); // every other field missing: read back as nulls
  return rows;
}

/** The same rows with missing fields made explicit, as every reader should return them. */
export function expected(rows: TypedRecord[], fields: readonly FieldSchema[]): Record<string, Value>[] {
  return rows.map((row) => Object.fromEntries(fields.map((f) => [f.name, row[f.name] ?? null])));
}

const DUCK_TYPE: Record<FieldSchema['type'], string> = {
  id: 'VARCHAR',
  text: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
  list: 'VARCHAR[]',
};

export type DuckFormat = 'ndjson' | 'csv' | 'parquet';

/** Reads a file back with DuckDB, typed from the field list, as a loader given our schema would. */
export async function readWithDuckDb(
  path: string,
  format: DuckFormat,
  fields: readonly FieldSchema[],
): Promise<Record<string, Value>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run("SET TimeZone = 'UTC'");
    const columns = `{${fields
      .map((f) => `'${f.name}': '${format === 'csv' && f.type === 'list' ? 'VARCHAR' : DUCK_TYPE[f.type]}'`)
      .join(', ')}}`;
    const source =
      format === 'parquet'
        ? `read_parquet('${path}')`
        : format === 'ndjson'
          ? `read_ndjson('${path}', columns = ${columns})`
          : `read_csv('${path}', header = true, columns = ${columns}, allow_quoted_nulls = false, delim = ',', quote = '"', escape = '"')`;
    const projection = fields.map((f) => `${select(f, format)} AS "${f.name}"`).join(', ');
    const result = await db.runAndReadAll(`SELECT ${projection} FROM ${source}`);
    return result
      .getRowObjectsJson()
      .map((row) => Object.fromEntries(fields.map((f) => [f.name, decode(f, row[f.name] as string | null)])));
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

function select(f: FieldSchema, format: DuckFormat): string {
  const col = `"${f.name}"`;
  if (f.type === 'timestamp') return `strftime(${col}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
  if (f.type === 'list') return format === 'csv' ? col : `CAST(to_json(${col}) AS VARCHAR)`;
  return `CAST(${col} AS VARCHAR)`;
}

function decode(f: FieldSchema, text: string | null): Value {
  if (text === null) return null;
  switch (f.type) {
    case 'integer':
    case 'number':
      return Number(text);
    case 'boolean':
      return text === 'true';
    case 'list':
      return JSON.parse(text) as string[];
    default:
      return text;
  }
}

/** Reads a CSV with Python's csv module: every cell as text, header row first. */
export function readWithPython(path: string): string[][] {
  const script =
    'import csv, json, sys\n' +
    "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n" +
    '    print(json.dumps(list(csv.reader(f)), ensure_ascii=True))\n';
  return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8', maxBuffer: 1 << 28 }));
}
