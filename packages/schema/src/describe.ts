import { normalizeOptions } from './options.js';
import { type FieldSchema, type FieldType, SCHEMA_VERSION, SCHEMAS, type TableName } from './tables.js';

/** JSON Schema (draft 2020-12) of one decoded record: schema fields, then extra columns as text. */
export function toJsonSchema(table: TableName): object {
  normalizeOptions(table);
  const schema = SCHEMAS[table];
  const properties: Record<string, object> = {};
  for (const field of schema.fields) properties[field.name] = jsonField(field);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:talent-export:schema:${SCHEMA_VERSION}:${table}`,
    title: table,
    description: schema.description,
    type: 'object',
    properties,
    // Every schema key is always present (null when empty or when an optional column is missing).
    required: schema.fields.map((f) => f.name),
    // Unknown extra columns are kept as text.
    additionalProperties: { type: ['string', 'null'] },
  };
}

function jsonField(field: FieldSchema): object {
  const base = jsonType(field.type);
  const type = field.required ? base.type : [base.type, 'null'];
  return { ...base, type, description: field.description, 'x-pii': field.pii };
}

function jsonType(type: FieldType): { type: string } & Record<string, unknown> {
  switch (type) {
    case 'id':
    case 'text':
      return { type: 'string' };
    case 'integer':
      return { type: 'integer' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'list':
      return { type: 'array', items: { type: 'string', minLength: 1 } };
  }
}

/** Frictionless Table Schema of the table's typed CSV form (lists `;`-separated, empty cell = null). */
export function toTableSchema(table: TableName): object {
  normalizeOptions(table);
  const schema = SCHEMAS[table];
  return {
    name: table,
    description: schema.description,
    fields: schema.fields.map((field) => ({
      name: field.name,
      ...tableType(field.type),
      description: field.description,
      ...(field.required ? { constraints: { required: true } } : {}),
      'x-pii': field.pii,
    })),
    missingValues: [''],
  };
}

function tableType(type: FieldType): Record<string, unknown> {
  switch (type) {
    case 'id':
    case 'text':
      return { type: 'string' };
    case 'integer':
      return { type: 'integer' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean', trueValues: ['true'], falseValues: ['false'] };
    case 'timestamp':
      return { type: 'datetime' };
    case 'list':
      return { type: 'list', delimiter: ';', itemType: 'string' };
  }
}

const rejectField = (name: string, type: FieldType, description: string): FieldSchema => ({
  name,
  type,
  required: false,
  pii: name === 'raw' ? 'free_text' : 'none',
  description,
});

/** The fields of a rejected row (a `Reject`) as written to `rejects.ndjson`. */
export const REJECT_FIELDS: readonly FieldSchema[] = [
  rejectField('table', 'text', 'Table the row belongs to.'),
  rejectField('file', 'text', 'Archive and entry (or file) the row was read from.'),
  rejectField('line', 'integer', 'Physical line where the row starts (1-based).'),
  rejectField('offset', 'integer', 'Byte offset of the row in the table file.'),
  rejectField('code', 'text', 'Why the row was rejected.'),
  rejectField('column', 'text', 'Column at fault, when one is.'),
  rejectField('message', 'text', 'What is wrong and what to do.'),
  rejectField('raw', 'text', 'The row as written in the file.'),
];
