import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { expect, it } from 'vitest';
import { decodeStream, decodeTable } from './adapters.js';
import type { Decoded, TableStats } from './decoder.js';

const CSV = 'note_id,project_id,candidate_id,content\nn1,p1,c1,"a, b"\nn2,p1,c1\nn3,p2,c2,\n';
const chunks = () => Readable.from([Buffer.from(CSV.slice(0, 20)), Buffer.from(CSV.slice(20))]);

it('decodeTable yields records and rejects, returns and exposes the stats', async () => {
  const generator = decodeTable('notes', chunks(), { file: 'Notes.csv' });
  const items: Decoded[] = [];
  let result = await generator.next();
  while (!result.done) {
    items.push(result.value);
    result = await generator.next();
  }
  expect(items.map((i) => i.kind)).toEqual(['record', 'reject', 'record']);
  expect(result.value).toMatchObject({ rowsRead: 3, rowsDecoded: 2, rowsRejected: 1, bytes: CSV.length });
  expect(generator.stats).toBe(result.value);
  expect(generator.notices).toEqual([
    'Notes.csv: table notes has no column "owner_profile_url"; its values are null.',
    'Notes.csv: table notes has no column "visibility"; its values are null.',
  ]);
});

it('decodeTable reads an async iterable of strings too', async () => {
  async function* text() {
    yield 'candidate_hiringstate_id,name,type\n';
    yield 'h1,ü,x\n';
  }
  const items: Decoded[] = [];
  for await (const item of decodeTable('hiring_states', text())) items.push(item);
  expect(items).toEqual([
    { kind: 'record', line: 2, offset: 35, record: { candidate_hiringstate_id: 'h1', name: 'ü', type: 'x' } },
  ]);
});

it('decodeStream is an object-mode Transform that emits stats', async () => {
  const items: Decoded[] = [];
  let stats: TableStats | undefined;
  const stream = decodeStream('notes');
  stream.on('stats', (s: TableStats) => (stats = s));
  await pipeline(chunks(), stream, async (source: AsyncIterable<Decoded>) => {
    for await (const item of source) items.push(item);
  });
  expect(items).toHaveLength(3);
  expect(stats).toMatchObject({ rowsRead: 3, rowsRejected: 1 });
  expect(stream.decoder.stats).toBe(stats);
});

it('decodeStream fails the pipeline with the coded error', async () => {
  const stream = decodeStream('notes', { file: 'Notes.csv' });
  await expect(
    pipeline(Readable.from([Buffer.from('content\nx\n')]), stream, async (s: AsyncIterable<Decoded>) => {
      for await (const _ of s);
    }),
  ).rejects.toMatchObject({ code: 'SCHEMA_MISSING_COLUMN', column: 'note_id' });
});
