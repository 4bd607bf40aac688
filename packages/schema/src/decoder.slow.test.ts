import { expect, it } from 'vitest';
import { decodeTable } from './adapters.js';

const HEADER = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type\n';

async function* table(rows: number, unclosedAt = -1): AsyncGenerator<Uint8Array> {
  yield Buffer.from(HEADER);
  // After an unclosed quote the rest must hold no quote, or a later one would close it.
  const body = unclosedAt < 0 ? `"${'Hello, ""you""\nsee you Friday; '.repeat(90)}"` : 'plain '.repeat(250);
  let block = '';
  for (let i = 0; i < rows; i += 1) {
    block +=
      i === unclosedAt
        ? `m${i},p1,c1,u,s,"never closed,\n`
        : `m${i},p${i % 97},c${i % 5000},u,s,${body},InMail\n`;
    if (block.length > 1 << 20) {
      yield Buffer.from(block);
      block = '';
    }
  }
  yield Buffer.from(block);
}

it('a 1 GB table decodes in flat memory, every row accounted for', async () => {
  const rows = 700_000;
  const generator = decodeTable('messages', table(rows));
  let records = 0;
  let peak = 0;
  for await (const item of generator) {
    if (item.kind === 'record') records += 1;
    if (records % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  expect(generator.stats.bytes).toBeGreaterThan(1e9);
  expect(records).toBe(rows);
  expect(generator.stats).toMatchObject({ rowsRead: rows, rowsDecoded: rows, rowsRejected: 0 });
  expect(peak).toBeLessThan(300 * 1024 * 1024);
});

it('an unclosed quote early in a 1 GB table stops within maxRecordBytes', async () => {
  const generator = decodeTable('messages', table(700_000, 0), { maxRecordBytes: 8 * 1024 * 1024 });
  const error = await (async () => {
    try {
      for await (const _ of generator);
    } catch (e) {
      return e as { code: string; line: number; offset: number };
    }
  })();
  expect(error).toMatchObject({ code: 'CSV_RECORD_TOO_LARGE', line: 2, offset: HEADER.length });
  expect(generator.stats.bytes).toBeLessThan(12 * 1024 * 1024);
});
