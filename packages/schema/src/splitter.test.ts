import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createTableDecoder, type Decoded, shiftReject, type TableDecoder } from './decoder.js';
import type { RejectCode } from './errors.js';
import type { DecodeOptions } from './options.js';
import { prng, type Rng } from './prng.js';
import { lastRecordEnd, RecordSplitter, type Slice } from './splitter.js';
import { SCHEMAS, type TableName } from './tables.js';

const LF = 0x0a;
const QUOTE = 0x22;

/**
 * Counted quotes before each position: all but bare ones (printable ASCII but `,` and `"` on both sides,
 * in a field not opened by a quote within 256 bytes back).
 */
function quotesBefore(bytes: Uint8Array): number[] {
  const text = (b: number | undefined) =>
    b !== undefined && b >= 0x20 && b < 0x7f && b !== QUOTE && b !== 0x2c;
  const bare = (q: number) => {
    if (!text(bytes[q - 1]) || !text(bytes[q + 1])) return false;
    for (let j = q - 1; j >= q - 256; j--) {
      if (j < 0) return bytes[0] !== QUOTE;
      if (bytes[j] === 0x2c || bytes[j] === LF || bytes[j] === 0x0d) return bytes[j + 1] !== QUOTE;
    }
    return false;
  };
  const before = [0];
  for (let i = 0; i < bytes.length; i++) before.push(before[i]! + (bytes[i] === QUOTE && !bare(i) ? 1 : 0));
  return before;
}

/** The definition, byte by byte: just after the last LF with an even number of counted quotes before it. */
function referenceEnd(bytes: Uint8Array): number {
  const before = quotesBefore(bytes);
  let end = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === LF && before[i]! % 2 === 0) end = i + 1;
  return end;
}

/** The bytes cut at the given (sorted) positions; empty parts included. */
function cutAt(bytes: Buffer, positions: number[]): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (const at of positions) {
    parts.push(bytes.subarray(from, at));
    from = at;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

/** Random chunks: views of `bytes`, some of them empty. */
function chunk(bytes: Buffer, rng: Rng, max: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = rng.chance(0.05) ? 0 : rng.int(1, max);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

function split(chunks: readonly Buffer[], sliceBytes: number, maxBytes?: number): Slice[] {
  const splitter = new RecordSplitter(sliceBytes, maxBytes);
  const slices: Slice[] = [];
  for (const c of chunks) slices.push(...splitter.push(c));
  slices.push(...splitter.end());
  return slices;
}

/** A copy at offset 0 of an ArrayBuffer of its own. */
function own(bytes: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  copy.set(bytes);
  return copy;
}

const joined = (slice: Slice): Buffer => Buffer.concat(slice.parts);

// ---------------------------------------------------------------------------------------------------------
// Generated CSV of table feedbacks (it has typed columns, so rows can be rejected for their values).

const FEEDBACK_COLUMNS = SCHEMAS.feedbacks.fields.map((f) => f.name);
const TEXT_BITS = [
  'plain',
  'x',
  ' spaced ',
  'a,b',
  'say "hi"',
  '"',
  '""',
  'line\nbreak',
  'cr\rhere',
  'crlf\r\nend',
  '\n',
  'é',
  'Zoë Ångström',
  '张伟',
  '😀',
  '👩🏽‍💻',
  ';',
];

function text(rng: Rng): string {
  let s = '';
  for (let n = rng.int(0, 4); n > 0; n--) s += rng.pick(TEXT_BITS);
  return s;
}

/** A cell as a careful writer writes it: quoted when it must be (and now and then when it need not be). */
function cell(rng: Rng, value: string): string {
  return /[",\r\n]/.test(value) || (value !== '' && rng.chance(0.1))
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

interface CsvShape {
  /** Rows with a single stray quote (quote parity no longer tells record ends). */
  strayQuotes?: boolean;
}

/**
 * A feedbacks table: header (any case and order, sometimes an extra column, sometimes a BOM), rows with
 * quoted free text, blank lines, and rows the decoder rejects. Quotes come in pairs unless `strayQuotes`.
 */
function feedbacksCsv(rng: Rng, rows: number, shape: CsvShape = {}): Buffer {
  const header = [...FEEDBACK_COLUMNS];
  if (rng.chance(0.5)) header.reverse();
  if (rng.chance(0.3)) header.push('Extra, "Notes"');
  const headerCells = header.map((name) => (rng.chance(0.2) ? name.toUpperCase() : name));
  const eol = rng.pick(['\n', '\r\n', 'mixed'] as const);
  const end = () => (eol === 'mixed' ? rng.pick(['\n', '\r\n']) : eol);
  let csv = (rng.chance(0.3) ? '\uFEFF' : '') + headerCells.map((h) => cell(rng, h)).join(',') + end();
  for (let i = 0; i < rows; i++) {
    if (rng.chance(0.04)) csv += end(); // a blank line: not a row, but a line
    const cells = header.map((name) => {
      switch (name) {
        case 'feedback_id':
          return rng.chance(0.05) ? '' : cell(rng, `f${i}`); // required: empty is rejected
        case 'candidate_id':
        case 'project_id':
        case 'company':
          return cell(rng, `${name[0]}${rng.int(1, 40)}`);
        case 'recommendation_score':
          return rng.chance(0.05)
            ? cell(rng, rng.pick(['abc', '4,5', '1e']))
            : cell(rng, rng.pick(['4.5', '-1', '1e3', '', '0.25']));
        case 'approved_for_referral':
          return rng.chance(0.05) ? 'maybe' : cell(rng, rng.pick(['yes', 'NO', 'true', '0', '']));
        default:
          return cell(rng, text(rng));
      }
    });
    const at = rng.int(0, cells.length - 1);
    const roll = rng.int(0, 99);
    if (roll < 4)
      cells.pop(); // too few fields
    else if (roll < 8)
      cells.push('surplus'); // too many
    else if (roll < 12)
      cells[at] = 'ab"c"d'; // quotes inside an unquoted field (a pair)
    else if (roll < 15)
      cells[at] = '"ab"cd'; // text after a closing quote
    else if (roll < 20 && shape.strayQuotes)
      cells[at] = '27"'; // one stray quote, before a comma or line end
    else if (roll < 25) cells[at] = `${rng.pick(['5', 'O', 'a '])}"${rng.pick(['x', ' y', 'Brien'])}`; // bare
    csv += cells.join(',');
    if (i < rows - 1 || rng.chance(0.7)) csv += end();
  }
  return Buffer.from(csv);
}

// ---------------------------------------------------------------------------------------------------------
// Decoding the whole input with one decoder, and slice by slice with a decoder per slice.

interface Outcome {
  items: Decoded[];
  rowsRead: number;
  rowsDecoded: number;
  rowsRejected: number;
  rowsLenientQuotes: number;
  bytes: number;
  /** Decoders that decoded a slice on its own (1 = the whole input in order). */
  decoders: number;
  /** A decoder ended a cut slice mid-record, so the rest was decoded in order. */
  fellBack: boolean;
  /** What went wrong between slices (a resume elsewhere than the slice end, items left at the end). */
  problems: string[];
}

function decodeWhole(table: TableName, input: Buffer, options: DecodeOptions = {}): Outcome {
  const decoder = createTableDecoder(table, options);
  const items = [...decoder.push(input), ...decoder.end()];
  const { rowsRead, rowsDecoded, rowsRejected, rowsLenientQuotes, bytes } = decoder.stats;
  return {
    items,
    rowsRead,
    rowsDecoded,
    rowsRejected,
    rowsLenientQuotes,
    bytes,
    decoders: 1,
    fellBack: false,
    problems: [],
  };
}

/**
 * The first slice with a normal decoder, each later one with a fresh decoder started at the previous
 * decoder's `resume`. `lines: 'relative'` decodes every later slice as if from line 1 (as a worker that
 * does not know where its slice starts) and moves its lines afterwards; `'exact'` passes the real line.
 * Where a decoder ends a slice with no `resume`, the rest goes to that decoder in order.
 */
function decodeSlices(
  table: TableName,
  slices: readonly Slice[],
  lines: 'relative' | 'exact',
  base: DecodeOptions = {},
): Outcome {
  const out: Outcome = {
    items: [],
    rowsRead: 0,
    rowsDecoded: 0,
    rowsRejected: 0,
    rowsLenientQuotes: 0,
    bytes: 0,
    decoders: 1,
    fellBack: false,
    problems: [],
  };
  let decoder: TableDecoder = createTableDecoder(table, base);
  /** Lines to add to what the current decoder reports. */
  let shift = 0;
  const collect = (items: Decoded[]) => {
    for (const item of items) {
      out.items.push(
        item.kind === 'record'
          ? { ...item, line: item.line + shift }
          : { kind: 'reject', reject: shiftReject(item.reject, shift) },
      );
    }
  };
  const count = (d: TableDecoder) => {
    out.rowsRead += d.stats.rowsRead;
    out.rowsDecoded += d.stats.rowsDecoded;
    out.rowsRejected += d.stats.rowsRejected;
    out.rowsLenientQuotes += d.stats.rowsLenientQuotes;
    out.bytes = d.stats.bytes;
  };
  slices.forEach((slice, k) => {
    // A worker gets the slice copied once; in this thread the parts are pushed as they are.
    if (lines === 'relative') collect(decoder.push(own(Buffer.concat(slice.parts))));
    else for (const part of slice.parts) collect(decoder.push(part));
    if (k === slices.length - 1 || out.fellBack) return;
    const resume = decoder.resume;
    if (resume === undefined) {
      out.fellBack = true;
      return;
    }
    // Checked by the caller (expect is too slow to call per slice).
    if (resume.offset !== slice.offset + slice.length)
      out.problems.push(`slice ${k}: resume ${resume.offset}`);
    if (decoder.end().length > 0) out.problems.push(`slice ${k}: items left pending`);
    count(decoder);
    if (lines === 'exact') {
      decoder = createTableDecoder(table, { ...base, continueAt: resume });
    } else {
      // The next slice starts on line resume.line of this decoder, whose lines are `shift` short.
      decoder = createTableDecoder(table, { ...base, continueAt: { ...resume, line: 1 } });
      shift += resume.line - 1;
    }
    out.decoders++;
  });
  collect(decoder.end());
  count(decoder);
  return out;
}

/** Deep, strict equality; the slow but readable expect only when they differ. */
function same<T>(got: T, want: T): void {
  if (!isDeepStrictEqual(got, want)) expect(got).toStrictEqual(want);
}

// ---------------------------------------------------------------------------------------------------------

describe('lastRecordEnd', () => {
  // [bytes up to the answer, bytes after it (holding no record end)]
  const CASES: [string, string, string][] = [
    ['cut after the last LF', 'a,b\nc,d\n', 'e,f'],
    ['input ending with an LF', 'a,b\nc,d\n', ''],
    ['LF inside a quoted field skipped', 'id,body\n1,"x\ny"\n', '2,"z\nw\n'],
    ['quoted field is the whole tail', 'a\n', '"\n\n\n'],
    ['no LF at all', '', 'no line feed, "at all"'],
    ['every LF inside quotes', '', '"a\nb\n""c,d\ne'],
    ['only a CR-terminated line', '', 'a,b\rc,d\r'],
    ['empty input', '', ''],
    ['CRLF file', 'a,b\r\n"c\r\nd",e\r\n', 'f,"g\r\n'],
    ['CRLF file ending in CRLF', 'h\r\n1,"x\r\n"\r\n', ''],
    ['escaped quotes', '1,"say ""hi""\nthere"\n', '2,"""\n'],
    ['empty quoted field then an escaped quote', '1,""\n', '2,"a""\n""b"'],
    ['quotes inside an unquoted field (a pair)', 'a"b"c\n', 'd'],
    ['a bare quote between text is not counted', 'id,size\n1,5" screen\n2,O"Brien\n', '3,"x\n'],
    ['a bare quote in the first field of the parts', '5" screen,x\n', '"y\n'],
    ['text after a closing quote in the first field of the parts', '"a"b\n', '"c\n'],
    ['a quote closing a quoted field before text is counted', '1,"a"b\n2,"c\nd"\n', '3,"e""f\n'],
    ['a quote before a comma is counted', '1,27",x\n"y\n', 'z'],
    ['multi-byte text', 'é,"张\n😀"\n', '"\n'],
  ];

  it.each(CASES)(
    '%s: the same answer over one part and over the bytes cut anywhere into 2 or 3 parts',
    (_, head, tail) => {
      const bytes = Buffer.from(head + tail);
      const want = Buffer.byteLength(head);
      expect(referenceEnd(bytes)).toBe(want);
      expect(lastRecordEnd([bytes])).toBe(want);
      for (let i = 0; i <= bytes.length; i++) {
        for (let j = i; j <= bytes.length; j++) {
          const got = lastRecordEnd(cutAt(bytes, [i, j]));
          if (got !== want) expect({ cuts: [i, j], got }).toEqual({ cuts: [i, j], got: want });
        }
      }
    },
  );

  it('follows a quoted field across parts, also when its opening quote is the first byte of a part', () => {
    const check = (want: number, ...texts: string[]) => {
      const parts = texts.map((t) => Buffer.from(t));
      expect(referenceEnd(Buffer.concat(parts))).toBe(want);
      expect(lastRecordEnd(parts)).toBe(want);
    };
    check(8, 'a\n', '"x\ny"', '\nz');
    check(2, 'a\n', '"x\n', 'y"', 'z');
    check(2, 'a\n', '"', 'x\n', '\n', 'y');
    check(6, '"', 'x\n', 'y"\n');
    check(5, '"x\n', '"', '\n');
    check(0, '', '"x', '', '\ny""\n', '', 'z"');
    check(12, '1\n', '"a\n', 'b\n', 'c\n', 'd"\n', '2,"e\n');
    check(12, '1\n', '"a\n', 'b\n', 'c\n', 'd', '"', '\n', '"', '2,e\n');
    expect(lastRecordEnd([])).toBe(0);
    check(0, '', '');
  });

  it('matches the byte-by-byte definition on generated CSV cut into many parts', () => {
    const rng = prng(11);
    for (let round = 0; round < 60; round++) {
      const bytes = feedbacksCsv(rng, rng.int(1, 12), { strayQuotes: round % 2 === 1 });
      const want = referenceEnd(bytes);
      expect(lastRecordEnd([bytes])).toBe(want);
      for (let k = 0; k < 10; k++) {
        const cuts = Array.from({ length: rng.int(1, 12) }, () => rng.int(0, bytes.length)).sort(
          (a, b) => a - b,
        );
        expect(lastRecordEnd(cutAt(bytes, cuts))).toBe(want);
      }
      // And any prefix: the answer there is the last record end up to it.
      const at = rng.int(0, bytes.length);
      expect(lastRecordEnd(cutAt(bytes.subarray(0, at), [rng.int(0, at)]))).toBe(
        referenceEnd(bytes.subarray(0, at)),
      );
    }
  });
});

describe('RecordSplitter', () => {
  it('gives back the input exactly, cut only after an LF outside quotes, for many chunkings', () => {
    const rng = prng(7);
    let slicesSeen = 0;
    for (let round = 0; round < 80; round++) {
      // In a buffer of its own, so where each part lies in it shows it is a view, not a copy.
      const input = own(feedbacksCsv(rng, rng.int(0, 40), { strayQuotes: round % 3 === 0 }));
      const chunks = chunk(input, rng, rng.pick([1, 7, 50, 300, 5000]));
      const sliceBytes = rng.pick([1, 16, 64, 200, 1000]);
      const slices = split(chunks, sliceBytes, 1 << 20);
      slicesSeen += slices.length;
      expect(Buffer.concat(slices.map(joined)).equals(input)).toBe(true);
      // Quotes before each position, to tell a record end (an LF with an even number before it).
      const quotes = quotesBefore(input);
      const problems: string[] = [];
      let offset = 0;
      slices.forEach((slice, k) => {
        const at = `slice ${k} at ${slice.offset}`;
        if (slice.offset !== offset) problems.push(`${at}: offset, expected ${offset}`);
        if (slice.length !== joined(slice).length || slice.length === 0) problems.push(`${at}: length`);
        // Views of the caller's chunks, not copies.
        let partAt = slice.offset;
        for (const part of slice.parts) {
          if (part.buffer !== input.buffer || part.byteOffset !== partAt) problems.push(`${at}: a copy`);
          partAt += part.length;
        }
        if (!slice.cut) problems.push(`${at}: cut=false`);
        offset += slice.length;
        const recordEnd = input[offset - 1] === LF && quotes[offset]! % 2 === 0;
        if (k < slices.length - 1 && !recordEnd) problems.push(`${at}: does not end at a record end`);
      });
      expect(problems).toEqual([]);
      expect(offset).toBe(input.length);
    }
    expect(slicesSeen).toBeGreaterThan(300);
  });

  // RecordSplitter's constructor says "Slices of at least `sliceBytes` (the last one may be shorter)", but a
  // cut goes at the last record end in what is pending, which may lie before `sliceBytes`.
  it('cuts at the last record end once sliceBytes are pending, so a slice may be shorter', () => {
    const row = `${'x'.repeat(59)}\n`; // 60 bytes
    const slices = split([Buffer.from(row + row.slice(0, 50))], 100);
    expect(slices.map((s) => [s.length, s.cut])).toEqual([
      [60, true],
      [50, true],
    ]);
  });

  it('handles a cut exactly at the end of the pending bytes, or exactly at a chunk boundary', () => {
    const b = (s: string) => Buffer.from(s);
    // The whole pending input is one slice.
    let slices = split([b('a,b\nc,d\n')], 4);
    expect(slices.map((s) => [s.offset, joined(s).toString(), s.cut])).toEqual([[0, 'a,b\nc,d\n', true]]);
    // Over two chunks, the cut at the end of the second.
    slices = split([b('ab\n'), b('cd\n'), b('ef')], 5);
    expect(slices.map((s) => [s.offset, s.parts.length, joined(s).toString(), s.cut])).toEqual([
      [0, 2, 'ab\ncd\n', true],
      [6, 1, 'ef', true],
    ]);
    // The cut at the end of the first of two chunks: the second stays pending whole.
    slices = split([b('ab\n'), b('cd'), b('ef\n'), b('g')], 5);
    expect(slices.map((s) => [s.offset, joined(s).toString()])).toEqual([
      [0, 'ab\n'],
      [3, 'cdef\n'],
      [8, 'g'],
    ]);
    // The cut ends exactly where an empty chunk sits.
    slices = split([b('ab\n'), b(''), b('cd\n'), b(''), b('x')], 3);
    expect(Buffer.concat(slices.map(joined)).toString()).toBe('ab\ncd\nx');
    expect(slices.map((s) => joined(s).toString())).toEqual(['ab\n', 'cd\n', 'x']);
    // The last push of the input ends with its cut; end() has nothing left.
    const splitter = new RecordSplitter(4);
    expect(splitter.push(b('a\nb')).map(joined).map(String)).toEqual([]);
    expect(splitter.push(b('c\n')).map(joined).map(String)).toEqual(['a\nbc\n']);
    expect(splitter.end()).toEqual([]);
  });

  it('copies the rest of a chunk it cuts into a buffer the caller gives: no two slices share a buffer', () => {
    const rng = prng(11);
    const input = Buffer.from(
      Array.from({ length: 400 }, (_, i) => `r${i},"a\nb",${'x'.repeat(i % 37)}\n`).join(''),
    );
    const taken: Buffer[] = [];
    const take = () => {
      const buffer = Buffer.alloc(64);
      taken.push(buffer);
      return buffer;
    };
    const splitter = new RecordSplitter(200, 1600, take);
    const slices: Slice[] = [];
    // Each chunk in a buffer of its own (Buffer.from would take small ones from a shared pool).
    const own = (c: Buffer) => {
      const copy = Buffer.alloc(c.length);
      c.copy(copy);
      return copy;
    };
    for (const c of chunk(input, rng, 64)) slices.push(...splitter.push(own(c)));
    slices.push(...splitter.end());
    expect(Buffer.concat(slices.map(joined)).equals(input)).toBe(true);
    expect(taken.length).toBeGreaterThan(5);
    const owner = new Map<ArrayBufferLike, number>();
    slices.forEach((slice, i) => {
      for (const part of slice.parts) {
        expect(owner.get(part.buffer) ?? i).toBe(i);
        owner.set(part.buffer, i);
      }
    });
    // A rest longer than the buffer given stays a view of its chunk.
    const short = new RecordSplitter(4, 64, () => Buffer.alloc(2));
    const [first] = short.push(Buffer.from('ab\ncdefg'));
    expect(joined(first!).toString()).toBe('ab\n');
    expect(short.end().map((s) => joined(s).toString())).toEqual(['cdefg']);
  });

  it('with CR-only line ends (no LF): cut=false after maxBytes, then the bytes as they arrive', () => {
    const rng = prng(5);
    const input = Buffer.from(Array.from({ length: 80 }, (_, i) => `m${i},p,c,"u\r",é😀,b,t\r`).join(''));
    const chunks = chunk(input, rng, 40);
    const splitter = new RecordSplitter(16, 128);
    const slices: Slice[] = [];
    const perPush: Slice[][] = [];
    for (const c of chunks) {
      const got = splitter.push(c);
      perPush.push(got);
      slices.push(...got);
    }
    expect(splitter.end()).toEqual([]);
    expect(Buffer.concat(slices.map(joined)).equals(input)).toBe(true);
    expect(slices.every((s) => !s.cut)).toBe(true);
    expect(slices[0]!.length).toBeGreaterThan(128);
    // Once it gave up, every chunk comes back as one slice, unchanged (a view of the chunk); empty ones not at all.
    const first = perPush.findIndex((got) => got.length > 0);
    for (let i = first + 1; i < chunks.length; i++) {
      const got = perPush[i]!;
      if (chunks[i]!.length === 0) {
        expect(got).toEqual([]);
        continue;
      }
      expect(got).toHaveLength(1);
      expect(got[0]!.parts).toHaveLength(1);
      const part = got[0]!.parts[0]!;
      expect([part.buffer, part.byteOffset, part.length]).toEqual([
        chunks[i]!.buffer,
        chunks[i]!.byteOffset,
        chunks[i]!.length,
      ]);
    }
    let offset = 0;
    for (const s of slices) {
      expect(s.offset).toBe(offset);
      offset += s.length;
    }
  });

  it('with one unclosed quote: a cut before it, then cut=false slices that pass the bytes through', () => {
    const head = 'a,b\n1,2\n';
    const input = Buffer.from(`${head}3,"never closed\n${'more text\n'.repeat(40)}`);
    const slices = split(chunk(input, prng(9), 30), 8, 64);
    expect(Buffer.concat(slices.map(joined)).equals(input)).toBe(true);
    expect(joined(slices[0]!).toString()).toBe(head);
    expect(slices[0]!.cut).toBe(true);
    expect(slices.length).toBeGreaterThan(2);
    expect(slices.slice(1).every((s) => !s.cut)).toBe(true);
  });

  it('gives no slices for empty input', () => {
    expect(split([], 10)).toEqual([]);
    expect(split([Buffer.alloc(0), Buffer.alloc(0)], 1)).toEqual([]);
  });
});

describe('slices decoded on their own give what one decoder gives', () => {
  it.each([
    ['relative', 21],
    ['exact', 22],
  ] as const)('well-formed quoting, lines %s (seed %i): every cut is a record end', (lines, seed) => {
    const rng = prng(seed);
    const codes = new Set<RejectCode>();
    let decoders = 0;
    for (let round = 0; round < 40; round++) {
      const input = feedbacksCsv(rng, rng.int(1, 60));
      const file = round % 2 === 0 ? `Contract_${round}/Feedback.csv` : undefined;
      const chunks = chunk(input, rng, rng.pick([5, 40, 400, 5000]));
      const slices = split(chunks, rng.pick([1, 32, 100, 300]), 1 << 20);
      const whole = decodeWhole('feedbacks', input, file === undefined ? {} : { file });
      const sliced = decodeSlices('feedbacks', slices, lines, file === undefined ? {} : { file });
      expect(sliced.fellBack).toBe(false);
      expect(sliced.decoders).toBe(slices.length);
      same({ ...sliced, decoders: 1 }, whole);
      expect(whole.bytes).toBe(input.length);
      decoders += sliced.decoders;
      for (const item of whole.items) if (item.kind === 'reject') codes.add(item.reject.code);
    }
    expect(decoders).toBeGreaterThan(200);
    expect([...codes].sort()).toEqual(
      expect.arrayContaining([
        'ROW_BAD_BOOLEAN',
        'ROW_BAD_NUMBER',
        'ROW_FIELD_COUNT',
        'ROW_INVALID_QUOTE',
        'ROW_MISSING_VALUE',
      ]),
    );
  });

  it('a stray quote makes a cut fall inside a quoted field: resume is undefined there', () => {
    const header = `${SCHEMAS.messages.fields.map((f) => f.name).join(',')}\n`;
    const stray = 'm1,p1,c1,u,27",body,InMail\n'; // one quote: parity is odd from here
    const multiLine = 'm2,p1,c1,u,s,"two\nlines",InMail\n'; // its opening quote makes parity even again
    const input = Buffer.from(header + stray + multiLine);
    const slices = split([input], 8);
    expect(slices.map((s) => joined(s).toString())).toEqual([
      `${header}${stray}m2,p1,c1,u,s,"two\n`,
      'lines",InMail\n',
    ]);
    const first = createTableDecoder('messages');
    for (const part of slices[0]!.parts) first.push(part);
    expect(first.resume).toBeUndefined();
    const sliced = decodeSlices('messages', slices, 'relative');
    expect(sliced.fellBack).toBe(true);
    const whole = decodeWhole('messages', input);
    expect(sliced).toStrictEqual({ ...whole, fellBack: true });
    expect(whole.items.map((i) => (i.kind === 'reject' ? i.reject.code : i.record.body))).toEqual([
      'ROW_INVALID_QUOTE',
      'two\nlines',
    ]);
  });

  it('with stray quotes, falling back where resume is undefined still gives what one decoder gives', () => {
    const rng = prng(23);
    let fellBack = 0;
    let clean = 0;
    for (let round = 0; round < 50; round++) {
      const input = feedbacksCsv(rng, rng.int(5, 60), { strayQuotes: true });
      const slices = split(chunk(input, rng, rng.pick([5, 60, 500])), rng.pick([1, 32, 128]), 1 << 20);
      const whole = decodeWhole('feedbacks', input);
      for (const lines of ['relative', 'exact'] as const) {
        const sliced = decodeSlices('feedbacks', slices, lines);
        same({ ...sliced, decoders: 1, fellBack: false }, whole);
        if (lines === 'relative' && sliced.fellBack) fellBack++;
        else if (lines === 'relative' && sliced.decoders > 1) clean++;
      }
    }
    expect(fellBack).toBeGreaterThan(5);
    expect(clean).toBeGreaterThan(5);
  });

  it('lenientQuotes: bare quotes read as text and counted, slices give what one decoder gives', () => {
    const rng = prng(29);
    let lenient = 0;
    let clean = 0;
    for (let round = 0; round < 50; round++) {
      const input = feedbacksCsv(rng, rng.int(5, 60), { strayQuotes: round % 2 === 0 });
      const slices = split(chunk(input, rng, rng.pick([5, 60, 500])), rng.pick([1, 32, 128]), 1 << 20);
      const whole = decodeWhole('feedbacks', input, { lenientQuotes: true });
      for (const lines of ['relative', 'exact'] as const) {
        const sliced = decodeSlices('feedbacks', slices, lines, { lenientQuotes: true });
        same({ ...sliced, decoders: 1, fellBack: false }, whole);
        if (lines === 'relative' && !sliced.fellBack && sliced.decoders > 1) clean++;
      }
      lenient += whole.rowsLenientQuotes;
      // Strict rejects exactly the rows read leniently on top of the rest.
      const strict = decodeWhole('feedbacks', input);
      expect(strict.rowsRejected).toBe(whole.rowsRejected + whole.rowsLenientQuotes);
    }
    expect(lenient).toBeGreaterThan(50);
    expect(clean).toBeGreaterThan(10);
  });
});
