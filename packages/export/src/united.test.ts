import { describe, expect, it } from 'vitest';
import { type TableCopy, united } from './united.js';

/** A copy whose bytes come `size` at a time, in one buffer filled again for each chunk (as `readInto` does). */
const copy = (name: string, text: string, size: number): TableCopy => ({
  name,
  async open() {
    const bytes = Buffer.from(text);
    const buffer = Buffer.alloc(size);
    return (async function* () {
      for (let at = 0; at < bytes.length; at += size) {
        const n = bytes.copy(buffer, 0, at, at + size);
        yield buffer.subarray(0, n);
      }
    })();
  },
});

async function read(copies: TableCopy[]): Promise<string> {
  let text = '';
  // Each chunk is read before the next is asked for: its buffer is filled again then.
  for await (const chunk of united(copies)) text += Buffer.from(chunk).toString();
  return text;
}

describe('united', () => {
  it('reads copies as one table whatever the chunks: headers left out, a line break put in where missing', async () => {
    for (const size of [1, 2, 3, 7, 64]) {
      expect(
        await read([
          copy('a/T.csv', 'id,name\r\n1,x\r\n2,y', size),
          copy('b/T.csv', '\ufeffid,name\n3,z\n', size),
          copy('c/T.csv', 'id,name', size),
          copy('d/T.csv', 'id,name\r\n4,w\r\n', size),
        ]),
      ).toBe('id,name\r\n1,x\r\n2,y\n3,z\n4,w\r\n');
    }
  });

  it('refuses a copy whose header line differs, naming both', async () => {
    await expect(
      read([copy('a/T.csv', 'id,name\n1,x\n', 4), copy('b/T.csv', 'name,id\n2,y\n', 4)]),
    ).rejects.toThrow(/^b\/T\.csv has another header line than a\/T\.csv/);
  });
});
