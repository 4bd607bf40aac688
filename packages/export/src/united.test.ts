import { describe, expect, it } from 'vitest';
import { CopyPlaces, type TableCopy, united } from './united.js';

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
          // Lines ended by a lone CR, as old Mac spreadsheets end them.
          copy('e/T.csv', 'id,name\r5,v\r6,u\r', size),
        ]),
      ).toBe('id,name\r\n1,x\r\n2,y\n3,z\n4,w\r\n5,v\r6,u\r');
    }
  });

  it("refuses a copy that ends inside a quoted field: read on, the next copy's rows would be taken into its row", async () => {
    for (const size of [1, 3, 64]) {
      // Quoted line breaks, doubled quotes, a quote inside an unquoted field, text after a closing quote: closed.
      const closed = 'id,name\n1,"a\nb"\n2,"say ""hi"""\n3,5" screen\n4,"x"y\n';
      expect(await read([copy('a/T.csv', closed, size), copy('b/T.csv', 'id,name\n5,z\n', size)])).toBe(
        `${closed}5,z\n`,
      );
      // A quoted header after a byte order mark: its quotes open and close its fields.
      const bom = '\ufeff"id","name"\n1,x\n';
      await expect(
        read([copy('a/T.csv', bom, size), copy('b/T.csv', '"id","name"\n5,z\n', size)]),
      ).resolves.toContain('5,z');
      await expect(
        read([copy('a/T.csv', 'id,name\n1,x\n2,"cut sh', size), copy('b/T.csv', 'id,name\n3,z\n', size)]),
      ).rejects.toThrow(
        /^a\/T\.csv ends inside a quoted field .* the rows of b\/T\.csv would be taken into that row/,
      );
    }
  });

  it('refuses a copy whose header names other columns, naming both', async () => {
    await expect(
      read([copy('a/T.csv', 'id,name\n1,x\n', 4), copy('b/T.csv', 'name,kind\n2,y\n', 4)]),
    ).rejects.toThrow(/^b\/T\.csv has another header line than a\/T\.csv, naming other columns/);
    await expect(
      read([copy('a/T.csv', 'id,name\n1,x\n', 4), copy('b/T.csv', 'name,id,id\n2,y,z\n', 4)]),
    ).rejects.toThrow(/^b\/T\.csv has another header line/);
  });

  it('reads a copy whose header names the same columns in another order by their names, whatever the chunks', async () => {
    const other = [
      '"Name","ID","Note"\r\n',
      'x,1,\r\n',
      '"a, ""b""\r\nc",2,n\r\n',
      ',3,"q"\r',
      'y,4,z,,\n',
      'too,few\n',
      '\n',
      'last,5,"end"',
    ].join('');
    const want =
      'id,name,note\n0,w,\n1,x,\r\n2,"a, ""b""\r\nc",n\r\n3,,"q"\r4,y,z,,\ntoo,few\n\n5,last,"end"';
    for (const size of [1, 2, 3, 5, 64]) {
      const text = await read([copy('a/T.csv', 'id,name,note\n0,w,\n', size), copy('b/T.csv', other, size)]);
      expect(text).toBe(want);
      const cr = await read([
        copy('a/T.csv', 'id,name\r1,x\r', size),
        copy('b/T.csv', 'name,id\ry,2\r', size),
      ]);
      expect(cr).toBe('id,name\r1,x\r2,y\r');
    }
    // Spelled otherwise, in the same order: the bytes as they are.
    expect(await read([copy('a/T.csv', 'id,name\n1,x\n', 3), copy('b/T.csv', 'ID,Name\n2,y\n', 3)])).toBe(
      'id,name\n1,x\n2,y\n',
    );
  });
  it("leaves out a spreadsheet's sep=, line above a copy's header with it, and places rows below it in their lines", async () => {
    for (const size of [1, 2, 5, 64]) {
      const copies = [
        copy('a/T.csv', 'sep=,\r\nid,name\r\n1,x\r\n', size),
        copy('b/T.csv', '\ufeffSEP=,\rname,id\ry,2\r', size),
        copy('c/T.csv', 'sep=,\nid,name\n3,z\n', size),
      ];
      const places = new CopyPlaces();
      let text = '';
      for await (const chunk of united(copies, places)) text += Buffer.from(chunk).toString();
      expect(text).toBe('sep=,\r\nid,name\r\n1,x\r\n2,y\r3,z\n');
      expect(places.place(5, Buffer.byteLength('sep=,\r\nid,name\r\n1,x\r\n2,y\r'))).toEqual({
        name: 'c/T.csv',
        line: 3,
        offset: 14,
      });
    }
  });
  it('matches headers ending in unnamed columns by their named ones, the fields past those kept at the end', async () => {
    for (const size of [1, 3, 64]) {
      const text = await read([
        copy('a/T.csv', 'id,name,\n1,x,\n', size),
        copy('b/T.csv', 'name,id\ny,2\nz,3,\nw,4,kept\nshort\n', size),
        copy('c/T.csv', 'Name,ID,,\nv,5,,\n', size),
      ]);
      expect(text).toBe('id,name,\n1,x,\n2,y\n3,z,\n4,w,kept\nshort\n5,v,,\n');
    }
  });
});

describe('CopyPlaces', () => {
  it("places a row of the united table in its own copy's file, line and byte, whatever the chunks", async () => {
    // Line breaks of every kind: CRLF (split across chunks at size 1), a lone CR, a copy ending without one.
    const texts = ['id,name\r\n1,x\r\n2,y', '\ufeffid,name\n3,z\r4,v\n', 'id,name\r\n5,"a\r\nb"\r\n6,w\r\n'];
    const text = (await read(texts.map((t, k) => copy(`${k}/T.csv`, t, 64)))).toString();
    for (const size of [1, 2, 5, 64]) {
      const places = new CopyPlaces();
      const copies = texts.map((t, k) => ({ ...copy(`${k}/T.csv`, t, size), label: `x.zip:${k}/T.csv` }));
      for await (const _ of united(copies, places));
      const at = (row: string) => {
        const offset = Buffer.byteLength(text.slice(0, text.indexOf(row)));
        const before = text.slice(0, text.indexOf(row));
        const line = 1 + (before.match(/\r\n|\r|\n/g) ?? []).length;
        return places.place(line, offset);
      };
      const inFile = (k: number, row: string) => {
        const bytes = Buffer.from(texts[k]!);
        const offset = bytes.indexOf(row);
        const line =
          1 +
          (
            bytes
              .subarray(0, offset)
              .toString()
              .match(/\r\n|\r|\n/g) ?? []
          ).length;
        return { name: `x.zip:${k}/T.csv`, line, offset };
      };
      expect([at('2,y'), at('3,z'), at('4,v'), at('6,w')]).toEqual([
        inFile(0, '2,y'),
        inFile(1, '3,z'),
        inFile(1, '4,v'),
        inFile(2, '6,w'),
      ]);
      expect(at('6,w')).toEqual({ name: 'x.zip:2/T.csv', line: 4, offset: 19 });
    }
  });
});

describe('united, a copy lacking a column the table does not require', () => {
  // The united header names every column; `tags` and `note` may be lacking.
  const header = { line: 'id,name,tags,note', lacking: ['tags', 'note'] };
  const texts = [
    // The first copy lacks both: the united header is put in place of its own, its byte order mark kept.
    '\ufeffid,name\r\n1,x\r\n2,"a\r\nb"\r\n',
    'id,name,tags,note\n3,y,t,n\n',
    // In another order, lacking `note`; a row too short is handed on as it is, to be rejected.
    'Tags,Name,ID\n,z,4\nshort\n"u,v",w,5',
    // A header alone.
    'id,name',
  ];
  const want = '\ufeffid,name,tags,note\r\n1,x,,\r\n2,"a\r\nb",,\r\n3,y,t,n\n4,z,,\nshort\n5,w,"u,v",\n';

  it('reads its rows with an empty field for each column lacking, whatever the chunks', async () => {
    for (const size of [1, 2, 3, 7, 64]) {
      let text = '';
      const copies = texts.map((t, k) => copy(`${k}/T.csv`, t, size));
      for await (const chunk of united(copies, undefined, header)) text += Buffer.from(chunk).toString();
      expect(text, `${size}`).toBe(want);
    }
  });

  it("places each row at its own copy's line and byte, the empty fields put in not counted", async () => {
    for (const size of [1, 2, 5, 64]) {
      const places = new CopyPlaces();
      const copies = texts.map((t, k) => copy(`${k}/T.csv`, t, size));
      for await (const _ of united(copies, places, header));
      const at = (row: string) => {
        const before = want.slice(0, want.indexOf(row));
        return places.place(1 + (before.match(/\r\n|\r|\n/g) ?? []).length, Buffer.byteLength(before));
      };
      const inFile = (k: number, row: string) => {
        const before = texts[k]!.slice(0, texts[k]!.indexOf(row));
        return {
          name: `${k}/T.csv`,
          line: 1 + (before.match(/\r\n|\r|\n/g) ?? []).length,
          offset: Buffer.byteLength(before),
        };
      };
      expect([at('1,x'), at('2,"a'), at('3,y'), at('4,z'), at('short'), at('5,w')], `${size}`).toEqual([
        inFile(0, '1,x'),
        inFile(0, '2,"a'),
        inFile(1, '3,y'),
        inFile(2, ',z,4'),
        inFile(2, 'short'),
        inFile(2, '"u,v"'),
      ]);
      // Where each copy's bytes are, with the header it is read under in its own shape.
      expect(places.parts().map((p) => [p.name, p.start, p.head?.toString()])).toEqual([
        ['0/T.csv', Buffer.byteLength('\ufeffid,name,tags,note\r\n'), '\ufeffid,name,tags,note\r\n'],
        ['1/T.csv', Buffer.byteLength(want.slice(0, want.indexOf('3,y'))), 'id,name,tags,note\n'],
        ['2/T.csv', Buffer.byteLength(want.slice(0, want.indexOf('4,z'))), 'id,name,tags,note\n'],
        ['3/T.csv', Buffer.byteLength(want), 'id,name,tags,note'],
      ]);
    }
  });

  it('refuses a copy lacking a column not allowed to be, or naming one the header does not', async () => {
    await expect(
      read2([copy('a/T.csv', 'id,name,tags\n1,x,\n', 4), copy('b/T.csv', 'name,tags\ny,t\n', 4)], header),
    ).rejects.toThrow(/^b\/T\.csv has another header line than a\/T\.csv, naming other columns/);
    await expect(
      read2(
        [copy('a/T.csv', 'id,name,tags\n1,x,\n', 4), copy('b/T.csv', 'id,name,mood\n2,y,z\n', 4)],
        header,
      ),
    ).rejects.toThrow(/^b\/T\.csv has another header line/);
  });
});

async function read2(copies: TableCopy[], header: { line: string; lacking: string[] }): Promise<string> {
  let text = '';
  for await (const chunk of united(copies, undefined, header)) text += Buffer.from(chunk).toString();
  return text;
}
