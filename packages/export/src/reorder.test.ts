import { describe, expect, it } from 'vitest';
import { Reorder } from './reorder.js';

/** What a Reorder gives for `text` pushed in chunks of `size` bytes (0: at once). */
function reordered(order: number[], text: string, size: number): string {
  const r = new Reorder(order);
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  const step = size === 0 ? bytes.length : size;
  for (let at = 0; at < bytes.length; at += step) {
    // A chunk of a buffer filled again after each push, as a reader's is.
    const chunk = Buffer.from(bytes.subarray(at, at + step));
    out.push(r.push(chunk));
    chunk.fill(0x58);
  }
  out.push(r.end());
  return Buffer.concat(out).toString();
}

describe('Reorder', () => {
  const long = 'x'.repeat(70_000);
  const text = `b1,"a, with\r\nbreak",c1\r\nb2,a2,"c""2"\nb3,"${long}",c3\n"b4",a4,c4`;
  const want = `"a, with\r\nbreak",b1,c1\r\na2,b2,"c""2"\n"${long}",b3,c3\na4,"b4",c4`;

  it('puts every row in the header order, quotes, line breaks and a row longer than a chunk kept', () => {
    expect(reordered([1, 0, 2], text, 0)).toBe(want);
  });

  it('gives the same bytes whatever the chunks the rows come in, down to one byte', () => {
    for (const size of [1, 2, 3, 7, 64, 4096, 65_536])
      expect(reordered([1, 0, 2], text, size), `${size}`).toBe(want);
  });
});

describe('Reorder, a copy lacking columns', () => {
  // The copy's header is `b,a`; the united one `a,x,b,y`: x and y lacking.
  const text = 'b1,"a\r\n1"\r\nshort\nb2,a2,extra\n\nb3,a3';
  const want = '"a\r\n1",,b1,\r\nshort\na2,,b2,,extra\n\na3,,b3,';

  it('puts an empty field where a column is lacking, whatever the chunks; a row too short as it is', () => {
    for (const size of [0, 1, 2, 3, 7, 64])
      expect(reordered([1, -1, 0, -1], text, size), `${size}`).toBe(want);
  });

  it('tells the bytes added before a byte of what it gave: two a row widened', () => {
    const r = new Reorder([1, -1, 0, -1]);
    const out = Buffer.concat([r.push(Buffer.from(text)), r.end()]).toString();
    const at = (row: string) => Buffer.byteLength(out.slice(0, out.indexOf(row)));
    expect([at('"a'), at('short'), at('a2'), at('a3')].map((offset) => r.widened(offset))).toEqual([
      0, 2, 2, 4,
    ]);
    expect(new Reorder([1, 0]).widened(100)).toBe(0);
  });
});
