// Parquet holds times to the microsecond: a table writer counts the times whose finer digits it cut, so
// the caller can say so instead of losing them silently.
import { describe, expect, it } from 'vitest';
import { openOutput } from './output.js';
import { tempDir } from './test-support.js';

const FIELDS = [{ name: 'at', type: 'timestamp', pii: 'none', description: 'a time' }] as const;

async function cut(formats: ('ndjson' | 'parquet')[]): Promise<number> {
  const output = await openOutput({ dir: tempDir('times-cut'), formats });
  const table = output.table('times', FIELDS as never);
  for (const at of [
    '2021-03-04T05:06:07.123456Z',
    '2021-03-04T05:06:07.1234567Z',
    '2021-03-04T05:06:07.123456000Z',
    '2021-03-04T05:06:07.123456789Z',
    '2021-03-04T05:06:07Z',
    null,
  ])
    await table.write({ at });
  await table.close();
  await output.finish();
  return table.timesCut;
}

describe('timesCut', () => {
  it('counts the times with digits past the microsecond that are not zeros, in Parquet only', async () => {
    expect(await cut(['ndjson', 'parquet'])).toBe(2);
    expect(await cut(['ndjson'])).toBe(0);
  });
});
