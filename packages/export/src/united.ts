// A table found in several folders of one export (two contracts' `Contract_1/` and `Contract_1 2/`, as the
// guide shows an export.zip) read as one table: each copy's rows after the one before's, its header line
// checked against the first copy's (or the united header, when a copy lacks a column) and left out, a line
// break put between two copies where one ends without it.
import { ExportError } from './errors.js';
import { columnOrder, columnPlaces, inPlace, Reorder } from './reorder.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const BOM = [0xef, 0xbb, 0xbf];
/** The longest header line looked for: a table's header is a few hundred bytes. */
const MAX_HEADER = 1024 * 1024;

export interface TableCopy {
  /** Its path, in export.zip or below the export's folder. */
  name: string;
  /** How a row's place names it (`export.zip:Contract_1 2/Candidate.csv`); `name` when not given. */
  label?: string;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** Where a row of the united table is in its own copy: the copy's name, the line and byte there. */
export interface CopyPlace {
  name: string;
  line: number;
  offset: number;
}

/**
 * Where each copy's bytes went in the united table, so that a row is named by the file it is in and its
 * line there (a reject of `Contract_1 2/Candidate.csv` line 3, not `Contract_1/Candidate.csv` line 40).
 * Filled as the table is read: a row is placed once its bytes were read.
 */
interface Copied {
  name: string;
  /** The united table's byte and line where the copy's bytes begin. */
  start: number;
  line: number;
  headBytes: number;
  /** The lines of those bytes: the header's, and a `sep=,` line's above it. */
  headLines: number;
  /** Its rows put in the united header's order, widened where the copy lacks a column. */
  reorder: Reorder | undefined;
  /** See `CopyPart.head`. */
  head: Buffer | undefined;
}

/** Where a copy's bytes are in the united table (see `CopyPlaces.parts`). */
export interface CopyPart {
  /** As a row of the copy is named (`TableCopy.label`). */
  name: string;
  /** The united table's byte where the copy's bytes begin: its rows, or for the first copy its header. */
  start: number;
  /**
   * The header the copy's rows are read under, as the copy's own would be written (its byte order mark,
   * `sep=,` line and line break) with the united header's columns; undefined when the copy's bytes begin
   * with their header.
   */
  head: Buffer | undefined;
}

export class CopyPlaces {
  readonly #copies: Copied[] = [];
  #bytes = 0;
  #line = 1;
  #lastCr = false;

  /**
   * A copy's bytes come next, its header line (and a `sep=,` line above it: `headLines` lines) of
   * `headBytes` bytes left out (none, of the first).
   */
  begin(
    name: string,
    headBytes: number,
    headLines = 1,
    rows: { reorder?: Reorder | undefined; head?: Buffer | undefined } = {},
  ): void {
    this.#copies.push({
      name,
      start: this.#bytes,
      line: this.#line,
      headBytes,
      headLines,
      reorder: rows.reorder,
      head: rows.head,
    });
  }

  /** Where each copy's bytes are in the united table, in order: known once the table was read. */
  parts(): CopyPart[] {
    return this.#copies.map(({ name, start, head }) => ({ name, start, head }));
  }

  /** Bytes handed on: their line breaks counted as the CSV reader counts them (LF, CRLF, a lone CR). */
  pass(chunk: Uint8Array): void {
    this.#bytes += chunk.length;
    for (let at = chunk.indexOf(CR); at >= 0; at = chunk.indexOf(CR, at + 1)) this.#line += 1;
    for (let at = chunk.indexOf(LF); at >= 0; at = chunk.indexOf(LF, at + 1)) {
      if (!(at > 0 ? chunk[at - 1] === CR : this.#lastCr)) this.#line += 1;
    }
    if (chunk.length > 0) this.#lastCr = chunk[chunk.length - 1] === CR;
  }

  /** The copy and place of the united table's `line` starting at byte `offset`. */
  place(line: number, offset: number): CopyPlace | undefined {
    let copy: Copied | undefined;
    for (const c of this.#copies) if (c.start <= offset) copy = c;
    if (copy === undefined) return undefined;
    // A copy after the first lost its header line: `headLines` lines, `headBytes` bytes; the empty fields
    // put in the rows of a copy lacking a column are not its bytes.
    const head = copy.headBytes > 0 ? copy.headLines : 0;
    const local = offset - copy.start;
    return {
      name: copy.name,
      line: line - copy.line + 1 + head,
      offset: local - (copy.reorder?.widened(local) ?? 0) + copy.headBytes,
    };
  }
}

/**
 * The header of copies read as one where some lack columns the table does not require (a copy from an
 * older export): `line`, the columns of every copy (as a header line reads, without a byte order mark and
 * line break); `lacking`, the keys (see `columnKey`) of the columns a copy may lack.
 */
export interface UnitedHeader {
  line: string;
  lacking: readonly string[];
}

/**
 * The copies' bytes as one table's: the first as it is, the others without their header line. `places`
 * learns where each copy's bytes went. With `header`, a copy lacking some of its columns is read with an
 * empty field for each (a row with an empty cell there); the first copy, if so, under that header.
 */
export async function* united(
  copies: readonly TableCopy[],
  places?: CopyPlaces,
  header?: UnitedHeader,
): AsyncGenerator<Uint8Array> {
  // The header line every copy's rows are read under (the first copy's, or `header`'s).
  let first: Buffer | undefined = header === undefined ? undefined : Buffer.from(header.line, 'latin1');
  const lacking = header === undefined ? undefined : new Set(header.lacking);
  let last = LF;
  for (const [k, copy] of copies.entries()) {
    if (k > 0 && last !== LF && last !== CR) {
      last = LF;
      const lf = Buffer.of(LF);
      places?.pass(lf);
      yield lf;
    }
    // The copy's header line is taken from its rows (and given again of the first copy, as the united
    // header: the same bytes when it names every column) but for a first copy read as it is.
    const apart = k > 0 || header !== undefined;
    if (!apart) places?.begin(copy.label ?? copy.name, 0);
    // The header line's bytes, copied: a chunk's buffer may be filled again once handed on.
    const head: Buffer[] = [];
    let headBytes = 0;
    let headed = false;
    // The header ended in a CR as its chunk did: a LF starting the next chunk is its line break's too.
    let afterCr = false;
    // A copy whose header names the first's columns in another order: its rows put in the first's order.
    let reorder: Reorder | undefined;
    // Where the header line starts in `head`: after a spreadsheet's `sep=,` line, when there is one.
    let lineStart = 0;
    let headLines = 0;
    // The copy's header as written of it alone: its own shape, the united header's columns.
    let ownHead: Buffer | undefined;
    const check = () => {
      const whole = Buffer.concat(head);
      const line = headerLine(whole.subarray(lineStart));
      if (first === undefined) first = line;
      else if (!line.equals(first)) {
        const order =
          lacking === undefined
            ? columnOrder(first.toString('utf8'), line.toString('utf8'))
            : columnPlaces(first.toString('utf8'), line.toString('utf8'), lacking);
        if (order === undefined) throw otherHeader(copy.name, copies[0]!.name);
        if (!inPlace(order)) reorder = new Reorder(order);
      }
      if (apart) ownHead = withLine(whole, lineStart, first);
    };
    // The copy's header line is done: the first copy's is given again, as the united header.
    const begun = (): Buffer | undefined => {
      if (!apart) return undefined;
      const said = k === 0 ? ownHead : undefined;
      if (said !== undefined) places?.pass(said);
      places?.begin(copy.label ?? copy.name, headBytes, headLines, { reorder, head: ownHead });
      return said;
    };
    const quotes = new QuoteState();
    for await (const chunk of await copy.open()) {
      if (chunk.length === 0) continue;
      let out: Uint8Array = chunk;
      if (!headed) {
        let at = 0;
        while (!headed) {
          const { end, done } = headerEnd(chunk.subarray(at), afterCr);
          afterCr = !done && end > 0 && chunk[at + end - 1] === CR;
          head.push(Buffer.from(chunk.subarray(at, at + end)));
          headBytes += end;
          at += end;
          if (!done) {
            if (headBytes > MAX_HEADER) throw otherHeader(copy.name, copies[0]!.name);
            break;
          }
          headLines += 1;
          // A `sep=,` line above the header (the decoder reads past it in the first copy): left out too.
          if (headLines === 1 && sepLineBytes(Buffer.concat(head)) === headBytes) {
            lineStart = headBytes;
            continue;
          }
          headed = true;
          check();
          const said = begun();
          if (said !== undefined) {
            last = said[said.length - 1] ?? last;
            yield said;
          }
        }
        if (apart) out = chunk.subarray(at);
      }
      if (reorder) out = reorder.push(out);
      if (out.length === 0) continue;
      last = out[out.length - 1]!;
      places?.pass(out);
      if (k < copies.length - 1) quotes.pass(out);
      yield out;
    }
    // A copy of a header alone, without a line break after it.
    if (!headed && head.length > 0) {
      check();
      const said = begun();
      if (said !== undefined && said.length > 0) {
        last = said[said.length - 1]!;
        yield said;
      }
    }
    const rest = reorder?.end();
    if (rest !== undefined && rest.length > 0) {
      last = rest[rest.length - 1]!;
      places?.pass(rest);
      if (k < copies.length - 1) quotes.pass(rest);
      yield rest;
    }
    if (quotes.open) throw quoteOpen(copy.name, copies[k + 1]!.name);
  }
}

/**
 * Where the header line ends in a chunk (after its line break: LF, CRLF, or a lone CR, as old Mac
 * spreadsheets end lines), and whether it does; `afterCr`: the chunk before ended the header in a CR.
 */
function headerEnd(chunk: Uint8Array, afterCr: boolean): { end: number; done: boolean } {
  if (afterCr) return { end: chunk[0] === LF ? 1 : 0, done: chunk.length > 0 };
  const lf = chunk.indexOf(LF);
  const cr = chunk.indexOf(CR);
  if (cr < 0 || (lf >= 0 && lf < cr))
    return lf < 0 ? { end: chunk.length, done: false } : { end: lf + 1, done: true };
  // A CR ending the chunk: whether a LF follows is known from the next one.
  if (cr + 1 >= chunk.length) return { end: cr + 1, done: false };
  return { end: chunk[cr + 1] === LF ? cr + 2 : cr + 1, done: true };
}

/**
 * Whether CSV bytes end inside a quoted field, as the CSV reader reads them: a quote opens a field only at
 * its start (after a comma or a line break), `""` inside is one quote, and a quote elsewhere is text. One
 * copy ending so (its last row cut short) would take every row of the next copy into that row's field.
 */
class QuoteState {
  #quoted = false;
  #afterQuote = false;
  #previous = LF;
  /** Bytes of a byte order mark at the start seen so far; 3 once past it (or there was none). */
  #bom = 0;

  get open(): boolean {
    return this.#quoted;
  }

  pass(chunk: Uint8Array): void {
    let at = 0;
    // A BOM is no text before the first field: a quote after it opens that field.
    while (this.#bom < 3 && at < chunk.length) {
      if (chunk[at] !== BOM[this.#bom]) this.#bom = 3;
      else {
        this.#bom += 1;
        at += 1;
      }
    }
    while (at < chunk.length) {
      if (this.#quoted) {
        const q = chunk.indexOf(QUOTE, at);
        if (q < 0) return;
        this.#quoted = false;
        this.#afterQuote = true;
        at = q + 1;
      } else if (this.#afterQuote) {
        // `""` is a quote inside the field; anything else ends it (or is text after it, as the reader takes it).
        this.#afterQuote = false;
        this.#quoted = chunk[at] === QUOTE;
        this.#previous = chunk[at]!;
        at += 1;
      } else {
        const q = chunk.indexOf(QUOTE, at);
        if (q < 0) {
          this.#previous = chunk[chunk.length - 1]!;
          return;
        }
        const before = q === at ? this.#previous : chunk[q - 1]!;
        this.#quoted = before === COMMA || before === LF || before === CR;
        this.#previous = QUOTE;
        at = q + 1;
      }
    }
  }
}

const placesOf = new WeakMap<object, CopyPlaces>();

/** A united table's stream, and where its copies' bytes go in it. */
export function withPlaces<T extends object>(stream: T, places: CopyPlaces): T {
  placesOf.set(stream, places);
  return stream;
}

/**
 * Where the copies of a table read as one (see `united`) are in its stream, to name a row by its own copy
 * and line; undefined for a table of one file.
 */
export function copyPlaces(stream: object): CopyPlaces | undefined {
  return placesOf.get(stream);
}

/**
 * The bytes of a spreadsheet's `sep=,` line starting a table (its byte order mark and line break
 * included), which says that fields are separated by commas; 0 when the table starts otherwise.
 */
export function sepLineBytes(bytes: Uint8Array): number {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, start + 8)).toString(
    'latin1',
    start,
  );
  const match = /^sep=,(\r\n|\r|\n)/i.exec(text);
  return match ? start + match[0].length : 0;
}

/**
 * A copy's head (`sep=,` line, byte order mark, header line, line break) with `line` in place of its
 * header line's words.
 */
function withLine(head: Buffer, lineStart: number, line: Buffer): Buffer {
  const bom =
    head[lineStart] === 0xef && head[lineStart + 1] === 0xbb && head[lineStart + 2] === 0xbf ? 3 : 0;
  let end = head.length;
  while (end > lineStart + bom && (head[end - 1] === LF || head[end - 1] === CR)) end -= 1;
  return Buffer.concat([head.subarray(0, lineStart + bom), line, head.subarray(end)]);
}

/** A header line as compared: without a byte order mark and without its line break. */
export function headerLine(line: Buffer): Buffer {
  let start = line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf ? 3 : 0;
  let end = line.length;
  while (end > start && (line[end - 1] === LF || line[end - 1] === CR)) end -= 1;
  if (start > end) start = end;
  return line.subarray(start, end);
}

const quoteOpen = (name: string, next: string) =>
  new ExportError(
    'EXPORT_TABLE_COPIES_DIFFER',
    `${name} ends inside a quoted field (a quote never closed: its last row is cut short, or its quoting is broken): read on, the rows of ${next} would be taken into that row, so they are not read. Close the quote of that row (or remove the row), or keep one copy, and run again`,
    { file: name },
  );

const otherHeader = (name: string, firstName: string) =>
  new ExportError(
    'EXPORT_TABLE_COPIES_DIFFER',
    `${name} has another header line than ${firstName}, naming other columns: its rows cannot be read as rows of the same table, so they are not read. Make the headers name the same columns, or keep one copy, and run again`,
    { file: name },
  );
