// The decoder against Python's csv module on the same bytes: where each row starts (Python counts LF,
// CRLF and a lone CR as one line each, inside quoted fields too, as editors do) and, with lenientQuotes,
// the values of rows holding quotes inside unquoted fields. Needs python3 (installed by .ci/run).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createTableDecoder, type Decoded } from './decoder.js';

const HEADER = 'candidate_hiringstate_id,name,type';

// Per file: [line where the row starts, fields] for every row but blank ones, empty lines, rows of empty
// cells alone or lines of spaces and tabs alone (which the decoder skips).
const SCRIPT = `
import csv, json, sys
out = []
for path in sys.argv[1:]:
    with open(path, newline='', encoding='utf-8') as f:
        reader = csv.reader(f)
        rows, before = [], 0
        for row in reader:
            if any(row) and not (len(row) == 1 and row[0].strip(' \\t') == ''):
                rows.append([before + 1, row])
            before = reader.line_num
        out.append(rows)
print(json.dumps(out))
`;

const dir = mkdtempSync(join(tmpdir(), 'python-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function python(files: string[]): [number, string[]][][] {
  const paths = files.map((text, i) => {
    const path = join(dir, `${i}.csv`);
    writeFileSync(path, text);
    return path;
  });
  return JSON.parse(execFileSync('python3', ['-c', SCRIPT, ...paths], { maxBuffer: 1 << 28 }).toString());
}

function decode(text: string, lenientQuotes: boolean, stats?: { lenient: number }): Decoded[] {
  const decoder = createTableDecoder('hiring_states', { lenientQuotes });
  // Byte by byte: line counting must not depend on where chunks split (a CR here, its LF in the next).
  const items = [...Buffer.from(text)].flatMap((byte) => decoder.push(Uint8Array.of(byte)));
  items.push(...decoder.end());
  if (stats) stats.lenient += decoder.stats.rowsLenientQuotes;
  return items;
}

const lineOf = (item: Decoded) => (item.kind === 'record' ? item.line : item.reject.line);

/** The decoder's rows beside Python's: same start lines; lenient records hold Python's values. */
function compare(files: string[]): { decoded: number; lenient: number } {
  const expected = python(files);
  let decoded = 0;
  const stats = { lenient: 0 };
  files.forEach((text, f) => {
    const theirs = expected[f]!.slice(1); // the header
    for (const lenientQuotes of [false, true]) {
      const ours = decode(text, lenientQuotes, lenientQuotes ? stats : undefined);
      expect(ours.map(lineOf), JSON.stringify(text)).toEqual(theirs.map(([line]) => line));
      if (!lenientQuotes) continue;
      ours.forEach((item, i) => {
        const fields = theirs[i]![1];
        if (item.kind === 'reject') {
          // What Python reads differently is rejected for its shape or for text after a closing quote.
          const { code } = item.reject;
          expect([
            'ROW_FIELD_COUNT',
            'ROW_INVALID_QUOTE',
            'ROW_UNCLOSED_QUOTE',
            'ROW_MISSING_VALUE',
          ]).toContain(code);
          if (code === 'ROW_FIELD_COUNT')
            expect(fields.length < 3 || fields.slice(3).join('') !== '').toBe(true);
          if (code === 'ROW_MISSING_VALUE') expect(fields[0]).toBe('');
          return;
        }
        const { candidate_hiringstate_id: id, name, type } = item.record;
        // Empty fields after the header's last are read past (a comma ending the row).
        expect(fields.slice(3).join(''), JSON.stringify(text)).toBe('');
        expect([id, name ?? '', type ?? ''], JSON.stringify(text)).toEqual(fields.slice(0, 3));
        decoded += 1;
      });
    }
  });
  return { decoded, lenient: stats.lenient };
}

describe('line numbers and lenient quotes, against Python csv', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['lone CR', '\r'],
  ])('%s line endings, with LF, CRLF and lone CR inside quoted fields', (_name, eol) => {
    const rows = [
      HEADER,
      'h1,"a\nb","c\r\nd"',
      'h2,"lone\rcr",x',
      '',
      'h3,"\r\n\r\r\n\n",y',
      'h4,5" screen,"quoted ""twice"""',
      'h5,too,many,fields',
      'h6,"x"y,z',
      'h7,last,"\r"',
    ];
    const text = rows.join(eol) + eol;
    const { decoded } = compare([text, text.slice(0, -eol.length)]);
    expect(decoded).toBe(2 * 5);
  });

  it('rejected rows are found at their line in a file mixing all three endings', () => {
    const text = `${HEADER}\r\nh1,"a\rb",c\nh2,bad"quote,x\rh3,"a\r\n\nb",c\r\nh4,x,y,z\n`;
    const items = decode(text, false);
    expect(items.map((i) => (i.kind === 'reject' ? [i.reject.line, i.reject.code] : i.line))).toEqual([
      2,
      [4, 'ROW_INVALID_QUOTE'],
      5,
      [8, 'ROW_FIELD_COUNT'],
    ]);
    const lines = text.split(/\r\n|\r|\n/);
    expect(lines[3]).toBe('h2,bad"quote,x');
    expect(lines[7]).toBe('h4,x,y,z');
    compare([text]);
  });

  it('generated files: the same start lines, and lenient rows read as Python reads them', () => {
    const plain = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '😀'), maxLength: 4 });
    const wild = fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\r', '\n', 'é'), maxLength: 6 });
    const cell = fc.oneof(
      plain,
      wild.map((t) => `"${t.replaceAll('"', '""')}"`),
      // A bare quote inside an unquoted field, as a sloppy export writes it.
      fc.tuple(plain, plain).map(([a, b]) => `${a.length === 0 ? 'x' : a}"${b}`),
      { weight: 1, arbitrary: wild },
    );
    const row = fc.tuple(
      fc.array(cell, { minLength: 2, maxLength: 3 }),
      fc.constantFrom('\n', '\r\n', '\r', '\n\n'),
    );
    const file = fc.tuple(fc.constantFrom('\n', '\r\n', '\r'), fc.array(row, { maxLength: 8 }), fc.boolean());
    const files = fc.sample(file, { numRuns: 300, seed: 15 }).map(([eol, rows, last]) => {
      let text = HEADER + eol;
      rows.forEach(([cells, end], i) => {
        text += [`h${i}`, ...cells].join(',') + (i < rows.length - 1 || last ? end : '');
      });
      return text;
    });
    const { decoded, lenient } = compare(files);
    // The generator must reach what is compared: plenty of rows, many with bare quotes.
    expect(decoded).toBeGreaterThan(400);
    expect(lenient).toBeGreaterThan(100);
  });
});
