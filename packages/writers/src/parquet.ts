import { readFileSync } from 'node:fs';
import type { FieldSchema } from '@talent-export/schema';
import type { ParquetWriter } from 'hyparquet-writer';

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** Fixed, so the same rows give the same bytes; it names the writer, never a time. */
export const PARQUET_CREATED_BY = `talent-export writers version ${VERSION}`;

const STRING = { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } } as const;

/** The Parquet schema of a table: every column OPTIONAL, lists as the standard 3-level LIST<string>. */
export function parquetSchema(fields: readonly FieldSchema[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: 'root', num_children: fields.length }];
  for (const { name, type } of fields) {
    const optional = { name, repetition_type: 'OPTIONAL' } as const;
    switch (type) {
      case 'id':
      case 'text':
        schema.push({ ...optional, ...STRING });
        break;
      case 'integer':
        // Plain INT64 is a signed 64-bit integer; no logical type needed (and every reader agrees).
        schema.push({ ...optional, type: 'INT64' });
        break;
      case 'number':
        schema.push({ ...optional, type: 'DOUBLE' });
        break;
      case 'boolean':
        schema.push({ ...optional, type: 'BOOLEAN' });
        break;
      case 'timestamp':
        schema.push({
          ...optional,
          type: 'INT64',
          // Microseconds, as PostgreSQL and DuckDB keep them: a time decoded with them keeps them here too.
          converted_type: 'TIMESTAMP_MICROS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
        });
        break;
      case 'list':
        schema.push(
          { ...optional, converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'element', repetition_type: 'REQUIRED', ...STRING },
        );
        break;
    }
  }
  return schema;
}
