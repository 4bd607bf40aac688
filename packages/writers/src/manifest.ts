import type { FieldSchema } from '@talent-export/schema';
import { SCHEMA_VERSION } from '@talent-export/schema';
import type { Format } from './types.js';

export interface ManifestFile {
  readonly path: string;
  readonly table: string;
  readonly format: Format;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
  /**
   * Record keys not in the table's fields, as `close` was told to show them; NDJSON keeps them, CSV and
   * Parquet leave them out.
   */
  readonly extraColumns: readonly string[];
  readonly extraColumnsKept: boolean;
}

export interface ManifestTable {
  readonly name: string;
  readonly fields: readonly FieldSchema[];
}

/** What a run wrote; no clock times, so the same input gives the same manifest. */
export interface OutputManifest {
  readonly schemaVersion: string;
  readonly source?: string;
  readonly files: readonly ManifestFile[];
  readonly tables: readonly ManifestTable[];
  readonly report?: object;
}

export function buildManifest(
  source: string | undefined,
  files: readonly ManifestFile[],
  tables: readonly ManifestTable[],
  report: object | undefined,
): OutputManifest {
  const sorted = [...files].sort((a, b) => compare(a.path, b.path));
  const sortedTables = [...tables].sort((a, b) => compare(a.name, b.name));
  return {
    schemaVersion: SCHEMA_VERSION,
    ...(source === undefined ? {} : { source }),
    files: sorted,
    tables: sortedTables,
    ...(report === undefined ? {} : { report }),
  };
}

const FRICTIONLESS_TYPE: Record<FieldSchema['type'], string> = {
  id: 'string',
  text: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  timestamp: 'datetime',
  list: 'array',
};

/** A Frictionless Tabular Data Package describing the CSV files, so loaders get the types. */
export function buildDataPackage(files: readonly ManifestFile[], tables: readonly ManifestTable[]): object {
  const fieldsOf = new Map(tables.map((table) => [table.name, table.fields]));
  const resources = files
    .filter((file) => file.format === 'csv')
    .sort((a, b) => compare(a.path, b.path))
    .map((file) => ({
      name: file.table,
      path: file.path,
      profile: 'tabular-data-resource',
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      bytes: file.bytes,
      hash: `sha256:${file.sha256}`,
      dialect: { delimiter: ',', quoteChar: '"', doubleQuote: true, lineTerminator: '\n', header: true },
      schema: {
        fields: (fieldsOf.get(file.table) ?? []).map((field) => ({
          name: field.name,
          type: FRICTIONLESS_TYPE[field.type],
          ...(field.type === 'timestamp' ? { format: 'default' } : {}),
          description: field.description,
          ...(field.required ? { constraints: { required: true } } : {}),
        })),
        missingValues: [''],
      },
    }));
  return { profile: 'tabular-data-package', name: 'talent-export', schemaVersion: SCHEMA_VERSION, resources };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
