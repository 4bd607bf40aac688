import { expect, it } from 'vitest';
import { createTableDecoder } from './decoder.js';
import { toJsonSchema, toTableSchema } from './describe.js';
import { SCHEMAS, TABLE_NAMES } from './tables.js';

interface JsonProperty {
  type: string | string[];
  format?: string;
  items?: { type: string };
}

/** Just enough of JSON Schema to check a record against what toJsonSchema says. */
function conforms(schema: { properties: Record<string, JsonProperty>; required: string[] }, record: object) {
  const typeOf = (v: unknown) =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  for (const name of schema.required) expect(Object.hasOwn(record, name)).toBe(true);
  for (const [name, value] of Object.entries(record)) {
    const property = schema.properties[name];
    if (!property) continue;
    const types = [property.type].flat();
    const t = typeOf(value);
    expect(types.includes(t) || (t === 'integer' && types.includes('number'))).toBe(true);
    if (property.format === 'date-time' && typeof value === 'string') {
      expect(new Date(value).toISOString()).toBe(value);
    }
  }
}

it('JSON Schema describes decoded records', () => {
  const schema = toJsonSchema('feedbacks') as Parameters<typeof conforms>[0] & Record<string, unknown>;
  expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  expect(schema.properties.feedback_id).toMatchObject({ type: 'string', 'x-pii': 'none' });
  expect(schema.properties.recommendation_score).toMatchObject({ type: ['number', 'null'] });
  expect(schema.properties.approved_for_referral).toMatchObject({ type: ['boolean', 'null'] });
  expect(schema.additionalProperties).toEqual({ type: ['string', 'null'] });
  const decoder = createTableDecoder('feedbacks');
  const items = decoder.push(
    Buffer.from(
      'feedback_id,candidate_id,project_id,company,message,recommendation_score,approved_for_referral,note\nf1,c1,p1,co,"hi\nthere",3,no,x\n',
    ),
  );
  expect(items[0]?.kind).toBe('record');
  if (items[0]?.kind === 'record') conforms(schema, items[0].record);
});

it('every table has a JSON Schema with every field, times as date-time, lists as string arrays', () => {
  for (const table of TABLE_NAMES) {
    const schema = toJsonSchema(table) as { properties: Record<string, JsonProperty>; required: string[] };
    expect(schema.required).toEqual(SCHEMAS[table].fields.map((f) => f.name));
    for (const field of SCHEMAS[table].fields) {
      const property = schema.properties[field.name]!;
      if (field.type === 'timestamp') expect(property.format).toBe('date-time');
      if (field.type === 'list') expect(property.items).toMatchObject({ type: 'string' });
    }
  }
});

it('Frictionless Table Schema uses list, datetime and required constraints', () => {
  const schema = toTableSchema('projects') as { fields: Record<string, unknown>[]; missingValues: string[] };
  expect(schema.missingValues).toEqual(['']);
  const field = (name: string) => schema.fields.find((f) => f.name === name);
  expect(field('project_id')).toMatchObject({ type: 'string', constraints: { required: true } });
  expect(field('candidate_hiring_state_ids')).toMatchObject({
    type: 'list',
    delimiter: ';',
    itemType: 'string',
  });
  expect(field('job_post_created_at')).toMatchObject({ type: 'datetime' });
  expect(field('project_name')).not.toHaveProperty('constraints');
  expect(schema.fields.map((f) => f.name)).toEqual(SCHEMAS.projects.fields.map((f) => f.name));
});
