import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS } from '@talent-export/schema';
import { parquetMetadata } from 'hyparquet';
import { expect, it } from 'vitest';
import { openOutput } from './output.js';
import { writeAll } from './streams.js';
import { readWithDuckDb, tempDir } from './test-support.js';

it('row groups are bounded by bytes, so huge text bodies never gather into one group', async () => {
  const dir = tempDir('groups');
  const output = await openOutput({ dir, formats: ['parquet'], rowGroupBytes: 1024 * 1024 });
  const body = (i: number) => `${i} ${'é'.repeat(300_000)}`;
  const rows = Array.from({ length: 20 }, (_, i) => ({ message_id: String(i), body: body(i) }));
  await writeAll(output.table('messages', SCHEMAS.messages.fields), rows);
  await output.finish();
  const bytes = readFileSync(join(dir, 'messages.parquet'));
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  expect(meta.row_groups.map((group) => Number(group.num_rows))).toEqual([4, 4, 4, 4, 4]);
  const back = await readWithDuckDb(join(dir, 'messages.parquet'), 'parquet', SCHEMAS.messages.fields);
  expect(back.map((row) => row.body)).toEqual(rows.map((row) => row.body));
});
