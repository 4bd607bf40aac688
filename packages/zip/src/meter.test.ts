import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EntryMeter, TotalMeter } from './meter.js';
import { DEFAULT_LIMITS } from './options.js';

const data = Buffer.from('candidate_id,first_name\n1,Ada\n2,Grace\n'.repeat(100));

function run(meter: EntryMeter, chunks: Buffer[]) {
  for (const chunk of chunks) {
    const found = meter.push(chunk);
    if (found) return found;
  }
  return meter.end();
}

const split = (bytes: Buffer, size: number) =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

describe('EntryMeter', () => {
  const entries = { a: { name: 'a.csv' }, b: { name: 'b.csv' }, c: { name: 'c.csv' } };
  const spec = (over: Partial<ConstructorParameters<typeof EntryMeter>[0]> = {}) => ({
    entry: entries.a,
    expectedBytes: data.length,
    sizeIsCertain: true,
    crc32: crc32(data),
    caps: { limits: DEFAULT_LIMITS, compressedSize: 100, total: new TotalMeter(Infinity) },
    ...over,
  });

  it('accepts correct data whatever the chunk size', () => {
    for (const size of [1, 7, 64, 1000, data.length])
      expect(run(new EntryMeter(spec()), split(data, size))).toBeUndefined();
  });
  it('reports a CRC mismatch', () => {
    expect(run(new EntryMeter(spec({ crc32: crc32(data) ^ 1 })), [data])?.code).toBe('ZIP_CRC_MISMATCH');
  });
  it('reports data longer than declared as soon as it is seen', () => {
    const meter = new EntryMeter(spec({ expectedBytes: 10 }));
    expect(meter.push(data.subarray(0, 11))?.code).toBe('ZIP_SIZE_MISMATCH');
  });
  it('reports data shorter than declared at the end', () => {
    expect(run(new EntryMeter(spec({ expectedBytes: data.length + 1 })), [data])?.code).toBe(
      'ZIP_SIZE_MISMATCH',
    );
  });
  it('allows a 32-bit-truncated size only when the size is uncertain (macOS Archive Utility)', () => {
    const meter = new EntryMeter(spec({ expectedBytes: 5, sizeIsCertain: false, crc32: undefined }));
    expect(run(meter, [data])?.code).toBe('ZIP_SIZE_MISMATCH');
    const ok = new EntryMeter(spec({ expectedBytes: data.length, sizeIsCertain: false }));
    expect(run(ok, split(data, 99))).toBeUndefined();
  });
  it('enforces the entry cap while streaming', () => {
    const limits = { ...DEFAULT_LIMITS, maxEntryBytes: 1000 };
    const meter = new EntryMeter(
      spec({ sizeIsCertain: false, caps: { limits, compressedSize: 100, total: new TotalMeter(Infinity) } }),
    );
    expect(run(meter, split(data, 512))?.code).toBe('ZIP_ENTRY_TOO_LARGE');
    expect(meter.byteCount).toBe(1024);
  });
  it('enforces the ratio cap only above ratioMinBytes', () => {
    const limits = { ...DEFAULT_LIMITS, maxRatio: 10, ratioMinBytes: 1000 };
    const caps = { limits, compressedSize: 10, total: new TotalMeter(Infinity) };
    const meter = new EntryMeter(spec({ caps }));
    expect(meter.push(data.subarray(0, 1000))).toBeUndefined();
    expect(meter.push(data.subarray(1000, 1001))?.code).toBe('ZIP_RATIO_TOO_HIGH');
  });
  it('enforces the archive total, counting a re-read entry once', () => {
    const total = new TotalMeter(data.length * 2);
    const caps = { limits: DEFAULT_LIMITS, compressedSize: data.length, total };
    expect(run(new EntryMeter(spec({ caps })), [data])).toBeUndefined();
    expect(run(new EntryMeter(spec({ caps })), [data])).toBeUndefined();
    expect(run(new EntryMeter(spec({ entry: entries.b, caps })), [data])).toBeUndefined();
    expect(run(new EntryMeter(spec({ entry: entries.c, caps })), [data])?.code).toBe('ZIP_TOTAL_TOO_LARGE');
  });
  it('enforces the whole-archive ratio on the bytes inflated, over ratioMinBytes', () => {
    const limits = { ...DEFAULT_LIMITS, maxArchiveRatio: 2, maxRatio: 2, ratioMinBytes: 100 };
    const total = new TotalMeter(Infinity, { limits, archiveSize: data.length });
    const caps = { limits, compressedSize: data.length, total };
    expect(run(new EntryMeter(spec({ caps })), [data])).toBeUndefined();
    expect(run(new EntryMeter(spec({ entry: entries.b, caps })), [data])).toBeUndefined();
    expect(run(new EntryMeter(spec({ entry: entries.c, caps })), [data])?.code).toBe('ZIP_ARCHIVE_RATIO');
  });
});
