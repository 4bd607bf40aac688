import { isUtf8 } from 'node:buffer';
import { type RejectCode, SchemaError } from './errors.js';
import { type Column, columnKey, type HeaderPlan, planHeader, shownColumn } from './header.js';
import { type CellValue, isText, JsonLines, RAW } from './json.js';
import { type DecodeOptions, type NormalizedOptions, normalizeOptions, type Resume } from './options.js';
import { RecordTooLarge, type ScannedRecord, Scanner } from './scanner.js';
import { SCHEMAS, type TableName } from './tables.js';
import {
  cellHint,
  convert,
  isMissingMarker,
  isSheetTime,
  isTimestamp,
  PROBLEMS,
  roundedNumber,
  timePrefix,
  timePrefixOf,
  toList,
  type Value,
} from './values.js';

export type TypedRecord = Record<string, Value>;

export interface Reject {
  table: TableName;
  file?: string;
  /** 1-based physical line where the record starts. */
  line: number;
  /** Byte offset of the record start in the input (a BOM included). */
  offset: number;
  code: RejectCode;
  message: string;
  /** The schema column (or extra header) whose cell was wrong, for cell problems. */
  column?: string;
  /** The record's original text, without its line ending. */
  raw: string;
}

export interface TableStats {
  table: TableName;
  /** Rows after the header, blank lines not counted; always rowsDecoded + rowsRejected. */
  rowsRead: number;
  rowsDecoded: number;
  rowsRejected: number;
  bytes: number;
  /** Extra columns (not in the schema) as records name them. */
  extraColumns: string[];
  /**
   * The same columns as messages and reports show them: a header cell may be a value (a table without its
   * header row, a name pasted beside the header), so one that is no plausible column name is shown by its
   * place, `column 4` (see `shownColumn`).
   */
  extraColumnsShown: string[];
  missingOptionalColumns: string[];
  /**
   * Decoded rows that had a quote inside an unquoted field, read as text (`lenientQuotes`); 0 when strict.
   * Worth a `QUOTES_LENIENT` notice: the values hold quotes the export most likely meant as text.
   */
  rowsLenientQuotes: number;
  /** Columns (schema and extra) that held no value in any decoded row so far; all of them before any row. */
  emptyColumns: string[];
  /**
   * Id cells a spreadsheet rounded to its number format (`6.91912E+18`), in the rows decoded (and in
   * rows rejected for a later cell): their digits are lost, so their rows cannot be told apart or joined.
   * `roundedIdExamples`: the first few.
   */
  roundedIds: number;
  roundedIdExamples: string[];
  /**
   * Id cells written with a zero fraction (`3000000000.0`), as pandas writes a column of whole numbers
   * with an empty cell: kept as written (ids are never converted), so they match no other table's ids.
   */
  decimalIds: number;
  decimalIdExamples: string[];
  /**
   * Time cells with digits past the microsecond (.NET writes ten-millionths, Java nanoseconds): values keep
   * microseconds, as Parquet and DuckDB hold them (one such value in NDJSON made DuckDB read the whole
   * column as text), so those digits are cut; counted so that no value changes unsaid.
   */
  timesCut: number;
  /**
   * Number cells holding more than a double does (`9007199254740993` read as ...992, `1e-400` as 0): the
   * nearest double is the value; counted so that no value changes unsaid (see `roundedNumber`).
   */
  numbersRounded: number;
  /**
   * Phone number cells a spreadsheet rounded to its number format (`4.15555E+09`), in the rows decoded: the
   * digits are lost. Kept as written, never shown (they are personal data).
   */
  roundedPhones: number;
  /**
   * Name cells made of question marks (`??? ???`): a program that saved the table in an encoding without
   * those letters (a spreadsheet's "CSV", Windows-1252, rather than "CSV UTF-8") wrote `?` for each, so
   * the names are lost. Kept as written, never shown.
   */
  lostNames: number;
  /**
   * Name cells whose letters were read in the wrong encoding and saved so (`JosÃ©` for `José`): a
   * spreadsheet opened the UTF-8 table as Windows-1252 and saved it as UTF-8 again. Valid text, so nothing
   * else tells. Kept as written, never shown.
   */
  garbledNames: number;
  /**
   * Name cells holding a control character (NUL, DEL...; not a tab or line break): left by a broken
   * encoding or a program's bug, they show nothing. Kept as written, never shown; redaction learns and
   * searches such a name without them.
   */
  controlNames: number;
  /**
   * Time cells on 1970-01-01 (or 1969-12-31, the same instant in a zone west of UTC): epoch 0 (`0`,
   * `1970-01-01 00:00:00`), how tools write a placeholder for an unknown time. Read as the time they spell,
   * but no record of a Talent Hub export is that old. `epochTimeColumns`: the columns they are in.
   */
  epochTimes: number;
  epochTimeColumns: string[];
  /** The columns of the `roundedIds` and of the `decimalIds`. */
  roundedIdColumns: string[];
  decimalIdColumns: string[];
  /**
   * Id cells of 16 digits or more, and of those the ones whose digits past the 15th are zeros
   * (`1000000012000000`): a spreadsheet holds 15 significant digits and writes zeros
   * for the rest when the column is formatted to show whole numbers. One id may end so by chance; all of
   * them, with `zeroTailDigits` zeros in all, most likely do not: see `zeroTailRounded`.
   * Counted up to the first id that is not so, which settles it.
   */
  wideIds: number;
  zeroTailIds: number;
  zeroTailDigits: number;
  zeroTailIdExamples: string[];
  zeroTailIdColumns: string[];
  /**
   * Rows skipped as blank (every cell empty, `,,,`, or spaces only): with `rowsRead` and the header, the
   * rows a spreadsheet saved, to tell a table cut at a spreadsheet's last row (see `SHEET_ROWS`).
   */
  blankRows: number;
  /**
   * Cells of exactly 32,767 characters, a spreadsheet's longest cell (50,000 in Google Sheets), by column
   * (as records name it): longer text was most likely cut there when the table was opened and saved in one.
   */
  cutCells: Record<string, number>;
  /**
   * Time cells on a day tools write for no date (`0001-01-01`, .NET's least date; `1899-12-30`, a
   * spreadsheet's day 0; `1900-01-01`; see `PLACEHOLDER_DAYS`), read as written; and their columns.
   */
  placeholderTimes: number;
  placeholderTimeColumns: string[];
  /**
   * Time cells a spreadsheet re-wrote in its own form (its serial day number `45123`, its date format
   * `10/13/2021 7:40`, epoch milliseconds rounded `1.63411E+12`), rejected (see `spreadsheetTimeHint`);
   * counted here too, so that a table says it once with its columns.
   */
  sheetTimes: number;
  sheetTimeColumns: string[];
  /**
   * Cells holding a spreadsheet's error value (`#NAME?`, `#VALUE!`, `#REF!`, ...) or a run of `#` (a date
   * in a column too narrow to show it), by column: a spreadsheet read the cell as a formula (a phone number
   * starting with `+`, a text starting with `-` or `=`) or saved what it showed, and the value is lost.
   * `#N/A` is not among them: it is a tool's word for a missing value (see `isMissingMarker`).
   */
  errorCells: Record<string, number>;
  /**
   * Empty cells ending the header past its last named one, two or more: a spreadsheet saved its empty
   * columns (see `HeaderPlan.width`). Read past, in no record; a row with a value there is rejected.
   */
  paddingColumns: number;
  /**
   * Extra columns whose header repeats an earlier one's (two "notes" a spreadsheet user added), as shown:
   * kept under a suffixed name (`notes_1`), as DuckDB names them.
   */
  renamedColumns: string[];
}

/**
 * Whether the id cells of 16 digits or more of a table's stats were rounded to 15 significant digits by
 * a spreadsheet: every one of them ends in zeros past its 15th digit, three ids at least, three zeros or
 * more in all (one real id ends in a zero by chance one time in ten; a table of one or two such ids, as a
 * first message id `6919122000000000000` of a sequence, says nothing).
 */
export const zeroTailRounded = (
  stats: Pick<TableStats, 'wideIds' | 'zeroTailIds' | 'zeroTailDigits'>,
): boolean =>
  stats.zeroTailIds >= ROUNDED_AT_LEAST && stats.zeroTailIds === stats.wideIds && stats.zeroTailDigits >= 3;
/** Ids ending in zeros past their 15th digit a table holds before they are taken for a spreadsheet's rounding. */
const ROUNDED_AT_LEAST = 3;

/**
 * The most rows a spreadsheet holds, its header included: Excel since 2007 (and LibreOffice),
 * and Excel 97 to 2003. A table of exactly so many rows was most likely cut there when opened in one.
 */
export const SHEET_ROWS = [1_048_576, 65_536] as const;
/** The most characters a spreadsheet's cell holds (Excel, LibreOffice). */
export const CELL_CHARS = 32_767;
/** The most characters a cell of Google Sheets holds. */
const SHEETS_CELL_CHARS = 50_000;

export type Decoded =
  | {
      kind: 'record';
      record: TypedRecord;
      line: number;
      offset: number;
      /** With `cellTexts`: the row's cells as written, in the header's order. */
      texts?: readonly string[];
    }
  | { kind: 'reject'; reject: Reject };

export interface TableDecoder {
  /** Decodes what the bytes complete; the items are returned, nothing is kept. */
  push(chunk: Uint8Array): Decoded[];
  /** Decodes the last record; throws `SCHEMA_NO_HEADER` if the input had no header row. */
  end(): Decoded[];
  readonly stats: TableStats;
  /** The header as written (BOM stripped), once read. */
  readonly header: string[] | undefined;
  /** Things worth telling that lose nothing: extra columns, missing optional columns. */
  readonly notices: string[];
  /**
   * Once the header is read and the bytes so far end between two records: what another decoder needs to
   * carry on from here (`continueAt`); undefined mid-record (e.g. inside a quoted field).
   */
  readonly resume: Resume | undefined;
}

/** The pure core: bytes in, typed records and rejects out; no I/O. */
export function createTableDecoder(table: TableName, options?: DecodeOptions): TableDecoder {
  return new Decoder(normalizeOptions(table, options));
}

class Decoder implements TableDecoder {
  readonly stats: TableStats;
  readonly notices: string[] = [];
  private plan: HeaderPlan | undefined;
  private out: Decoded[] = [];
  private readonly scanner: Scanner;
  private ended = false;
  private json: JsonLines | undefined;
  /** Per column of the plan: whether it goes into records; whether its text may stay bytes (`RAW`). */
  private kept: boolean[] = [];
  /** With `lineStage`: each column's value in the line, and whether the stage gave it (see `restaged`). */
  private lineValues: CellValue[] = [];
  private given: boolean[] = [];
  private raw: boolean[] = [];
  /** With `cellTexts`: the cells of the row decoded last (see `Decoded`). */
  private texts: string[] | undefined;
  /** Per column of the plan: a time left out of the records and the lines, checked but never made. */
  private checkedTimes: boolean[] = [];
  /** Id columns given as numbers (`numericIds`). */
  private numeric: boolean[] = [];
  /**
   * Where the row's phone and name cells are, looked at for what a save lost (see `spotRow`); undefined
   * for a table without such columns, which is all but one.
   */
  private spots: { phones: number[]; names: number[] } | undefined;
  /** Per column of the plan: the characters of a time given (`cutTimes`); 0 for the whole text. */
  private timeChars: number[] = [];
  /** Text columns whose strings are given again while their bytes repeat (see `idOf`), as ids are. */
  private repeats: boolean[] = [];
  /** Per list column in `repeats`: the lists made of the texts seen lately, given again for the same text. */
  private lists: Map<string, string[]>[] = [];
  /** With `fieldRows`: where each of `fields` is among the plan's columns (-1: not there), and their values. */
  private fieldAt: number[] = [];
  private fieldValues: Value[] = [];
  /** Per column of the plan: the last id made into a string, given again while the bytes repeat (see `idOf`). */
  private lastIds: (string | undefined)[] = [];
  /** Per column of the plan: whether a decoded row held a value there; `unfilled` counts those that did not. */
  private filled: boolean[] = [];
  private unfilled = 0;
  /**
   * Set by `decodeRow` for each row with a quote out of place: whether it was read as it is (lenient quotes),
   * not again for its backslashes (see `backslashRow`).
   */
  private lenientRow = false;
  /** An id of more digits than a spreadsheet holds was seen whose digits past the 15th are not all zeros. */
  private wideSettled = false;
  /** The schema's columns the header has, by place, as `columnKey` spells them: to tell the header again. */
  private named: { index: number; name: string }[] = [];
  /** The names of `named`; the bytes they may start with, and their shortest and longest. */
  private names = new Set<string>();
  private nameStarts = new Uint8Array(256);
  private nameMin = 0;
  private nameMax = 0;
  /**
   * The row's values. Made of nulls for each table (see usePlan), so that numbers, then text, stored in it
   * never change the kind of array it is: each change threw away the optimized decodeRow.
   */
  private values: CellValue[] = [];
  /** A chunk ended in Ctrl-Z (0x1A), held back until more input shows whether it ends the table. */
  private heldEof = false;
  /**
   * The row the input ends in, decoded in `end()`, has no line end after it: a table cut short (an
   * interrupted download or copy) ends so, mid-row, and a rejected row says it (see `cutShort`).
   */
  private cutEnd = false;
  /** The header was quoted throughout (see `rMissing`). */
  private quotedHeader = false;
  /**
   * A row whose field quoted with backslash-escaped quotes runs on over lines, held with the lines after it
   * until that field closes (see `holdRow`); `replaying` while held rows are read again as they are.
   */
  private held: Held | undefined;
  private replaying = false;

  constructor(private readonly options: NormalizedOptions) {
    this.stats = {
      table: options.table,
      rowsRead: 0,
      rowsDecoded: 0,
      rowsRejected: 0,
      bytes: 0,
      extraColumns: [],
      extraColumnsShown: [],
      missingOptionalColumns: [],
      rowsLenientQuotes: 0,
      emptyColumns: [],
      roundedIds: 0,
      roundedIdExamples: [],
      decimalIds: 0,
      decimalIdExamples: [],
      timesCut: 0,
      numbersRounded: 0,
      roundedPhones: 0,
      lostNames: 0,
      garbledNames: 0,
      controlNames: 0,
      epochTimes: 0,
      epochTimeColumns: [],
      roundedIdColumns: [],
      decimalIdColumns: [],
      wideIds: 0,
      zeroTailIds: 0,
      zeroTailDigits: 0,
      zeroTailIdExamples: [],
      zeroTailIdColumns: [],
      blankRows: 0,
      cutCells: {},
      placeholderTimes: 0,
      placeholderTimeColumns: [],
      sheetTimes: 0,
      sheetTimeColumns: [],
      errorCells: {},
      paddingColumns: 0,
      renamedColumns: [],
    };
    const at = options.continueAt;
    this.scanner = new Scanner(options.maxRecordBytes, (record) => this.onRecord(record), at);
    if (at) this.usePlan(planHeader([...at.header], options, at.line, at.offset, at.blankTail ?? 0));
    this.quotedHeader = at?.quotedHeader === true;
  }

  get header(): string[] | undefined {
    return this.plan?.header;
  }

  get resume(): Resume | undefined {
    const next = this.scanner.next;
    if (this.plan === undefined || next === undefined || this.heldEof || this.held) return undefined;
    const { header, blankTail } = this.plan;
    const at = { header, offset: next.offset, line: next.line, ...(blankTail > 0 ? { blankTail } : {}) };
    return this.quotedHeader ? { ...at, quotedHeader: true } : at;
  }

  push(chunk: Uint8Array): Decoded[] {
    this.check();
    this.run(() => {
      if (chunk.length === 0) return;
      if (this.heldEof) this.scanner.push(EOF_MARK);
      // A Ctrl-Z as the very last byte is the end-of-file mark DOS-era tools (copy, some Windows exporters)
      // still add: no row, and read as one it would be rejected for its field count.
      this.heldEof = chunk[chunk.length - 1] === CTRL_Z;
      this.scanner.push(this.heldEof ? chunk.subarray(0, chunk.length - 1) : chunk);
    });
    return this.take();
  }

  end(): Decoded[] {
    this.check();
    this.ended = true;
    this.run(() => {
      this.rejectPadding();
      const tail = this.scanner.pending?.bytes;
      // A pending CR may still be a line end (the scanner waits for a LF after it); a LF always is.
      this.cutEnd = tail !== undefined && tail[tail.length - 1] !== 0x0a && tail[tail.length - 1] !== 0x0d;
      try {
        this.scanner.end();
      } finally {
        this.cutEnd = false;
      }
      this.replayHeld();
    });
    if (this.heldEof) {
      this.stats.bytes += 1;
      this.heldEof = false;
    }
    if (this.plan === undefined) {
      const { table, file, source } = this.options;
      const what =
        this.stats.blankRows > 0
          ? `holds only rows of empty cells (${this.stats.blankRows}, a spreadsheet's blank rows), no header row`
          : 'is empty (no header row)';
      throw new SchemaError(
        'SCHEMA_NO_HEADER',
        `${source}: table ${table} ${what}; export the table again or remove the file.`,
        { table, file },
      );
    }
    return this.take();
  }

  /**
   * A table whose last line runs into NUL bytes was cut short and padded with zeros (an interrupted
   * download or copy, a disk that lost the end of a file): read as CSV, as Python's csv and DuckDB read
   * it, its last row would be a row like any other with zeros in its last field. Looked for in the last
   * line only, once a table: never per row.
   */
  private rejectPadding(): void {
    const tail = this.plan === undefined ? undefined : this.scanner.pending;
    if (tail === undefined) return;
    // Padding runs to the end: a NUL inside the last row's text (`c\0d`, no line ending after it) is text.
    if (tail.bytes[tail.bytes.length - 1] !== 0) return;
    const zero = tail.bytes.indexOf(0);
    this.scanner.dropPending();
    const { table, file, source } = this.options;
    const { line, offset, bytes } = tail;
    this.stats.rowsRead += 1;
    this.stats.rowsRejected += 1;
    let end = bytes.length;
    while (end > zero && bytes[end - 1] === 0) end -= 1;
    this.out.push({
      kind: 'reject',
      reject: {
        table,
        ...(file === undefined ? {} : { file }),
        line,
        offset,
        code: 'ROW_ZERO_PADDED',
        message: `${source} line ${line} (byte ${offset}), table ${table}: the table ends in zero bytes where its last row should go on: the file was cut short and padded (an interrupted download or copy), so rows after this one are most likely lost; download the export again.`,
        raw: bytes.toString('utf8', 0, end),
      },
    });
  }

  private check(): void {
    const { table, file, source, signal } = this.options;
    if (this.ended) {
      throw new SchemaError('SCHEMA_ENDED', `${source}: the ${table} decoder has ended; create a new one.`, {
        table,
        file,
      });
    }
    if (signal?.aborted) {
      throw new SchemaError('SCHEMA_ABORTED', `${source}: decoding table ${table} was aborted.`, {
        table,
        file,
        cause: signal.reason,
      });
    }
  }

  private run(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof RecordTooLarge)) throw error;
      const { table, file, source, maxRecordBytes } = this.options;
      throw new SchemaError(
        'CSV_RECORD_TOO_LARGE',
        `${source} line ${error.line} (byte ${error.offset}): a record of table ${table} is longer than ${maxRecordBytes} bytes, ${error.quoted ? 'most likely an unclosed quote; fix the quoting' : 'a line that long (a file without line breaks, or a field of megabytes); check the file'} or raise maxRecordBytes.`,
        { table, file, line: error.line, offset: error.offset },
      );
    } finally {
      this.stats.bytes = this.scanner.bytes;
    }
  }

  private take(): Decoded[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private onRecord(rec: ScannedRecord): void {
    if (this.plan === undefined) {
      this.readHeader(rec);
      return;
    }
    if (this.held !== undefined && this.joinHeld(rec)) return;
    if (this.quotedHeader) rMissing(rec);
    if (rec.buf[rec.start] === 0xef) bomRow(rec);
    if (blankRow(rec)) {
      this.stats.blankRows += 1;
      return;
    }
    this.stats.rowsRead += 1;
    const problem = this.decodeRow(rec, this.plan);
    if (problem instanceof Problem) {
      if (problem === BLANK) {
        this.stats.rowsRead -= 1;
        this.stats.blankRows += 1;
        return;
      }
      if (problem === HELD) {
        this.stats.rowsRead -= 1;
        return;
      }
      if (STRUCTURE.has(problem.code) && this.splitJoined(rec)) {
        this.stats.rowsRead -= 1;
        return;
      }
      this.stats.rowsRejected += 1;
      this.out.push({ kind: 'reject', reject: this.reject(rec, problem) });
    } else {
      this.stats.rowsDecoded += 1;
      if (rec.bareQuote && this.lenientRow) this.stats.rowsLenientQuotes += 1;
      if (problem === TAKEN) return;
      const { line, offset } = rec;
      if (this.texts === undefined) this.out.push({ kind: 'record', record: problem, line, offset });
      else this.out.push({ kind: 'record', record: problem, line, offset, texts: this.texts });
    }
  }

  private readHeader(rec: ScannedRecord): void {
    const { table, file, source } = this.options;
    if (rec.line === 1 && (commaSepLine(rec) || typeLine(rec))) return;
    if (this.splitHeader(rec)) return;
    // A spreadsheet's blank row above the header (`,,,`, or cells of spaces) holds nothing: passed over as
    // an empty line is, and counted as a blank row the sheet saved. So is a line of spaces or tabs alone,
    // as it is among the rows: taken for a one-cell title, it refused the table.
    if ((rec.count > 1 && (blankRow(rec) || spacedCells(rec))) || spacesOnly(rec)) {
      this.stats.blankRows += 1;
      return;
    }
    const bad = this.badQuote(rec);
    const spaced = bad && !rec.unclosed ? spacedHeader(rec) : undefined;
    const problem = headerProblem(rec, bad && spaced === undefined, table);
    if (problem !== undefined) {
      throw new SchemaError('SCHEMA_BAD_HEADER', `${source} line ${rec.line}: ${problem}`, {
        table,
        file,
        line: rec.line,
        offset: rec.offset,
      });
    }
    const header: string[] = spaced ?? [];
    if (spaced === undefined) for (let i = 0; i < rec.count; i += 1) header.push(cell(rec, i));
    const cut = this.cutEnd ? cutHeader(table, header) : undefined;
    if (cut !== undefined) {
      throw new SchemaError('SCHEMA_BAD_HEADER', `${source} line ${rec.line}: ${cut}`, {
        table,
        file,
        line: rec.line,
        offset: rec.offset,
      });
    }
    this.quotedHeader = spaced === undefined && allQuoted(rec);
    this.usePlan(planHeader(header, this.options, rec.line, rec.offset));
  }

  private usePlan(plan: HeaderPlan): void {
    const { table, source, jsonLines, fields, lineStage } = this.options;
    this.plan = plan;
    this.kept = plan.columns.map(
      (column) => (fields === undefined || fields.has(column.name)) && !lineStage?.asRead.has(column.name),
    );
    this.lineValues = plan.columns.map(() => null);
    this.given = plan.columns.map(() => false);
    // Text left out of the records is never made into strings: any text is valid (UTF-8 is checked per row).
    // Nor are lists (any text is one) or times (checked only) when no line is written from the values.
    this.raw = plan.columns.map(
      (column, c) => !this.kept[c] && (isText(column) || (!jsonLines && column.type === 'list')),
    );
    this.checkedTimes = plan.columns.map(
      (column, c) => !this.kept[c] && !jsonLines && column.type === 'timestamp',
    );
    this.numeric = plan.columns.map(
      (column) => column.type === 'id' && (this.options.numericIds?.has(column.name) ?? false),
    );
    // Schema fields come first, in schema order; a column the header lacks (index -1) holds nothing.
    const schema = SCHEMAS[table].fields;
    const at = (pii: string) =>
      schema.flatMap((field, c) =>
        field.pii === pii && plan.columns[c]!.index >= 0 ? [plan.columns[c]!.index] : [],
      );
    const spots = { phones: at('phone'), names: at('name') };
    this.spots = spots.phones.length + spots.names.length > 0 ? spots : undefined;
    // Values given to `fieldRows` are tallied, a few distinct among many rows (a state, an entity type):
    // the same string each time is compared and hashed once, where a new one cost a copy and a hash a row.
    this.repeats = plan.columns.map(
      (column, c) =>
        this.options.fieldRows !== undefined &&
        this.kept[c] === true &&
        (column.type === 'text' || column.type === 'list'),
    );
    this.lists = plan.columns.map(() => new Map());
    this.timeChars = plan.columns.map((column) =>
      column.type === 'timestamp' ? (this.options.cutTimes?.[column.name] ?? 0) : 0,
    );
    this.lastIds = new Array(plan.columns.length * LAST_IDS).fill(undefined);
    this.fieldAt = [...(fields ?? [])].map((name) =>
      plan.columns.findIndex((column) => column.name === name),
    );
    this.fieldValues = this.fieldAt.map(() => null);
    this.values = plan.columns.map(() => null);
    this.filled = plan.columns.map(() => false);
    this.unfilled = plan.columns.length;
    this.stats.emptyColumns = plan.columns.map((column) => column.name);
    this.named = plan.columns
      .filter((column, c) => column.index >= 0 && c < SCHEMAS[table].fields.length)
      .map((column) => ({ index: column.index, name: columnKey(column.name) }));
    this.names = new Set(this.named.map(({ name }) => name));
    // A name written as a header may start with a BOM (EF), a space or its letter in either case.
    for (const byte of [0xef, 0x20]) this.nameStarts[byte] = 1;
    for (const name of this.names) {
      const code = name.charCodeAt(0);
      if (code < 0x80) this.nameStarts[code] = this.nameStarts[code & ~0x20] = 1;
    }
    this.nameMin = Math.min(...[...this.names].map((name) => name.length));
    this.nameMax = Math.max(...[...this.names].map((name) => name.length));
    if (jsonLines)
      this.json = new JsonLines(plan.columns, SCHEMAS[this.options.table].fields.length, jsonLines);
    this.stats.extraColumns = plan.extraColumns;
    this.stats.extraColumnsShown = plan.extraColumnsShown;
    this.stats.missingOptionalColumns = plan.missingOptionalColumns;
    this.stats.paddingColumns = plan.header.length - plan.width;
    if (this.stats.paddingColumns > 0) {
      this.notices.push(
        `${source}: the header of table ${table} ends in ${this.stats.paddingColumns} cells without a name (a spreadsheet saved its empty columns); they are read past, and a row with a value there is rejected.`,
      );
    }
    this.stats.renamedColumns = plan.renamedColumns.map((column) => column.shown);
    for (const { index, seen, shown, suffix } of plan.renamedColumns) {
      // A header not shown (it may be a person's name) is not the key either: the key is it with a suffix.
      const under = shown === `column ${index + 1}` ? `its header with "${suffix}" added` : `"${shown}"`;
      this.notices.push(
        `${source}: column ${index + 1} of table ${table} repeats the name of column ${seen + 1}; its values are kept under ${under}.`,
      );
    }
    for (const name of plan.extraColumnsShown) {
      this.notices.push(`${source}: table ${table} has an unknown column "${name}"; it is kept as text.`);
    }
    for (const name of plan.missingOptionalColumns) {
      this.notices.push(`${source}: table ${table} has no column "${name}"; its values are null.`);
    }
  }

  /** A record, what is wrong with the row, or TAKEN when `fieldRows` took its values. */
  private decodeRow(rec: ScannedRecord, plan: HeaderPlan): TypedRecord | Problem | typeof TAKEN {
    if (rec.unclosed) return unclosedQuote(rec, plan, this.cutEnd);
    if (rec.invalidQuote || rec.bareQuote) {
      if (this.bomHeaderAgain(rec)) return headerRepeated();
      const reread = backslashRow(rec, plan);
      if (reread === OPEN && this.holdRow(rec)) return HELD;
      this.lenientRow = typeof reread !== 'object';
      if (typeof reread === 'object') rec = reread;
      else if (this.badQuote(rec)) return quoteProblem(rec, plan);
    }
    if (rec.count !== plan.width) {
      const fitted = trailingFit(rec, plan);
      if (fitted === undefined) {
        if (spacesOnly(rec)) return BLANK;
        if (this.otherHeader(rec)) return otherHeaderAgain();
        // Never held for a field over lines (`"C:\cv\"` is a whole field): a row CSV reads is short, and
        // the next row's stray quote would close a field that was never open.
        return fieldCount(rec, plan, this.cutEnd);
      }
      rec = fitted;
    }
    if (this.headerAgain(rec)) return headerRepeated();
    if (!rec.utf8 && !isUtf8(rec.buf.subarray(rec.start, rec.end))) return badUtf8(rec);
    const { columns } = plan;
    const { values, kept } = this;
    // The row as read (re-read for its backslashes, fitted to the header), its cells made text once.
    if (this.options.cellTexts) {
      const texts: string[] = [];
      // Cells past `width` are empty here (see `trailingFit`).
      for (let i = 0; i < plan.header.length; i++)
        texts.push(i < rec.count && i < plan.width ? cell(rec, i) : '');
      this.texts = texts;
    }
    // No cell of fewer bytes has as many characters (nor UTF-16 units); nor a row.
    if (rec.end - rec.start >= CELL_CHARS) this.longCells(rec, columns);
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      const value = column.index === -1 ? null : this.value(rec, column, c);
      if (value instanceof Problem) return value;
      values[c] = value;
    }
    if (this.spots !== undefined) this.spotRow(rec, this.spots);
    const stage = this.options.lineStage;
    if (stage === undefined) this.json?.write(rec, values);
    if (this.unfilled > 0) this.fill(values);
    const { fieldRows } = this.options;
    if (fieldRows !== undefined) {
      const { fieldAt, fieldValues } = this;
      // Columns in `fields` are kept, so never RAW.
      for (let k = 0; k < fieldAt.length; k++) fieldValues[k] = (values[fieldAt[k]!] as Value) ?? null;
      fieldRows(fieldValues);
      return TAKEN;
    }
    const record: TypedRecord = {};
    for (let c = 0; c < columns.length; c++) {
      if (!kept[c]) continue;
      const name = columns[c]!.name;
      const value = values[c] as Value;
      if (name === '__proto__') {
        Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
      } else record[name] = value;
    }
    if (stage !== undefined) {
      const out = stage.transform(record);
      if (out !== null) this.json!.write(rec, this.restaged(out, columns), this.given);
    }
    return record;
  }

  /**
   * Holds a row whose quotes, read as escaped with a backslash (`\"`, as JSON and some programs write
   * them), leave a quoted field open at its end: the field runs on over the lines after it (a message of
   * several lines, `"He said \"hi` then `there\" and left",x`), which CSV's quoting split into rows of
   * their own, each rejected. Only a row CSV cannot read so (a quote it closes early): a row it reads is
   * short, never held. They are joined until the field closes (see `joinHeld`). False while held
   * rows are read again, or for a row over `maxRecordBytes`.
   */
  private holdRow(rec: ScannedRecord): boolean {
    if (this.replaying) return false;
    const length = rec.end - rec.start;
    const bytes = Buffer.allocUnsafe(Math.max(length * 2, 256));
    rec.buf.copy(bytes, 0, rec.start, rec.end);
    this.held = {
      bytes,
      length,
      line: rec.line,
      offset: rec.offset,
      end: rec.offset + length,
      lineAfter: rec.line + lineBreaks(rec.buf, rec.start, rec.end),
      lineEnd: rec.buf[rec.end] ?? LF,
    };
    return true;
  }

  /**
   * The next record after held rows: joined to them, the row they make is decoded when its field closes
   * and its fields are the header's; else held on while the field stays open, or, when it cannot close so
   * (a field count of its own, or past `HELD_LINES`, `HELD_BYTES` or `maxRecordBytes`), the held rows are read again as they are and
   * false returned, so that this record is read as it is too. Each line is looked at once while the
   * field stays open (a stray quote must not make the rows after it quadratic).
   */
  private joinHeld(rec: ScannedRecord): boolean {
    const held = this.held!;
    const gap = lineGap(rec, held);
    const line = rec.buf.subarray(rec.start, rec.end);
    const before = held.length;
    const bytes = before + gap.length + line.length;
    if (bytes > Math.min(this.options.maxRecordBytes, HELD_BYTES) || rec.line - held.line >= HELD_LINES) {
      this.replayHeld();
      return false;
    }
    append(held, gap);
    append(held, line);
    held.end = rec.offset + line.length;
    held.lineAfter = rec.line + lineBreaks(line);
    held.lineEnd = rec.buf[rec.end] ?? LF;
    if (!closesQuote(line)) return true;
    const text = held.bytes.subarray(0, held.length);
    const joined: ScannedRecord = {
      ...rec,
      buf: text,
      start: 0,
      end: text.length,
      offset: held.offset,
      line: held.line,
      // One cell of all the bytes, re-read by `backslashRow`: never a blank row.
      count: 1,
      starts: [0],
      ends: [text.length],
      escaped: [false],
      invalidQuote: true,
      bareQuote: false,
      unclosed: false,
      utf8: false,
    };
    const reread = backslashRow(joined, this.plan!);
    if (reread === OPEN) return true;
    if (typeof reread !== 'object') {
      held.length = before;
      this.replayHeld();
      return false;
    }
    this.held = undefined;
    this.onRecord(joined);
    return true;
  }

  /**
   * Reads a row rejected for its fields or quotes as two when a byte order mark amid it, or the header
   * glued to its end, parts it into two whole rows of the header's fields: a file joined after another
   * whose last row had no line ending (`cat a.csv b.csv`, a saved without a final line break) puts b's BOM
   * and header, or first row, at the end of a's last row, which read as one row of too many fields, a's
   * last row lost with it. Each part is then read as a row of its own (the header again is rejected as
   * one), at its own line and offset. Looked for only in a rejected row; a BOM or header that parts no two
   * whole rows leaves the row rejected (see `joinPoint`).
   */
  private splitJoined(rec: ScannedRecord): boolean {
    const plan = this.plan!;
    const cut = joinPoint(rec, plan);
    if (cut < 0) return false;
    const parts = this.parts(rec, cut);
    const whole = (r: ScannedRecord) =>
      !r.unclosed && (r.count === plan.width || trailingFit(r, plan) !== undefined);
    for (const part of parts) {
      let rows = 0;
      let fits = true;
      scanPart(part, this.options.maxRecordBytes, (r) => {
        rows += 1;
        fits &&= whole(r);
      });
      if (rows !== 1 || !fits) return false;
    }
    for (const part of parts) scanPart(part, this.options.maxRecordBytes, (r) => this.onRecord(r));
    return true;
  }

  /**
   * Reads a header line holding a byte order mark amid it as the header and the row after it: a table of
   * a header alone, saved without a line ending, and a file joined after it (`cat a.csv b.csv`) put b's
   * BOM and header, or first row, at the end of the header, which then named every column twice (refused)
   * or took b's cells for columns. Only when the two parts are one line each of as many fields, and the
   * first reads as a header naming every column; else the line is read as it is (a BOM pasted into a
   * name is no mark).
   */
  private splitHeader(rec: ScannedRecord): boolean {
    if (rec.unclosed) return false;
    const cut = rec.buf.subarray(rec.start, rec.end).indexOf(BOM, 1);
    if (cut < 0) return false;
    const parts = this.parts(rec, cut);
    const lines = parts.map((part) => {
      const found: string[][] = [];
      scanPart(part, this.options.maxRecordBytes, (r) =>
        found.push(r.unclosed ? [] : Array.from({ length: r.count }, (_, i) => cell(r, i))),
      );
      return found.length === 1 ? found[0]! : [];
    });
    const [head, next] = lines as [string[], string[]];
    if (head.length < 2 || head.length !== next.length) return false;
    // The header as exported names every column: one it lacks may be in the part after a pasted BOM.
    try {
      if (planHeader(head, this.options, rec.line, rec.offset).missingOptionalColumns.length > 0)
        return false;
    } catch (error) {
      if (error instanceof SchemaError) return false;
      throw error;
    }
    try {
      scanPart(parts[0]!, this.options.maxRecordBytes, (r) => this.readHeader(r));
    } catch (error) {
      if (error instanceof SchemaError && this.plan === undefined) return false;
      throw error;
    }
    scanPart(parts[1]!, this.options.maxRecordBytes, (r) => this.onRecord(r));
    return true;
  }

  /** A record's bytes cut in two at `cut`, copied (its ranges are valid only during its callback). */
  private parts(rec: ScannedRecord, cut: number): { bytes: Buffer; offset: number; line: number }[] {
    const copy = Buffer.from(rec.buf.subarray(rec.start, rec.end));
    return [
      { bytes: copy.subarray(0, cut), offset: rec.offset, line: rec.line },
      { bytes: copy.subarray(cut), offset: rec.offset + cut, line: rec.line + lineBreaks(copy, 0, cut) },
    ];
  }

  /** Reads held rows again each as it is (rejected as before they were held), none held again. */
  private replayHeld(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    this.replaying = true;
    try {
      const again = new Scanner(this.options.maxRecordBytes, (rec) => this.onRecord(rec), held);
      again.push(held.bytes.subarray(0, held.length));
      again.end();
    } finally {
      this.replaying = false;
    }
  }

  /** The line's values: the stage's for the columns records hold, unless equal to the decoded ones. */
  private restaged(out: TypedRecord, columns: readonly Column[]): CellValue[] {
    const { values, kept, lineValues, given } = this;
    for (let c = 0; c < columns.length; c++) {
      const value = values[c]!;
      const next = kept[c] ? (Object.hasOwn(out, columns[c]!.name) ? out[columns[c]!.name]! : null) : value;
      const same = next === value;
      lineValues[c] = same ? value : next;
      given[c] = !same;
    }
    return lineValues;
  }

  /** Marks the columns a row holds a value in; the list of empty columns changes at most once a column. */
  private fill(values: readonly CellValue[]): void {
    const { filled } = this;
    let changed = false;
    for (let c = 0; c < filled.length; c++) {
      if (filled[c] || values[c] === null) continue;
      filled[c] = true;
      this.unfilled -= 1;
      changed = true;
    }
    if (changed)
      this.stats.emptyColumns = this.plan!.columns.filter((_, c) => !filled[c]).map((col) => col.name);
  }

  /**
   * Whether every schema column of the row holds its own name: the header again, where two files were
   * joined into one (`cat`, a spreadsheet's append). Read as a row, it would be a candidate named
   * "first_name last_name" with the id "candidate_id". The first cell's first letter is looked at before
   * any text is made: an id starts with a digit. Its id cell a column's name, and most of its cells, it is
   * the header again though some name columns otherwise (another version of the export); names in other
   * columns' places refuse the table (see `reordered`).
   */
  private headerAgain(rec: ScannedRecord): boolean {
    const [first] = this.named;
    if (first === undefined) return false;
    const start = rec.starts[first.index]!;
    const end = rec.ends[first.index]!;
    if (end - start < this.nameMin || end - start > this.nameMax * 2 + 8) return false;
    if (this.nameStarts[rec.buf[start] ?? 0] === 0) return false;
    const { named, names } = this;
    // No id is a column's name (looked at first: ids of letters, such as UUIDs, pass the checks above).
    if (!names.has(columnKey(cell(rec, first.index)))) return false;
    // The header again names each column once, every one in any order, or, its id column in its place,
    // most of them (another version of the export may name a column otherwise).
    const keys = named.map(({ index }) => columnKey(cell(rec, index)));
    const seen = this.namedOnce(keys);
    if (seen === undefined) return false;
    const own = keys[0] === named[0]!.name;
    if (own ? seen.size * 2 <= keys.length : seen.size < keys.length) return false;
    if (keys.some((key, i) => seen.has(key) && key !== named[i]!.name)) this.reordered(rec);
    return true;
  }

  /** The column names among `keys`; undefined when one of them is there twice. */
  private namedOnce(keys: readonly string[]): Set<string> | undefined {
    const seen = new Set<string>();
    for (const key of keys) {
      if (!this.names.has(key)) continue;
      if (seen.has(key)) return undefined;
      seen.add(key);
    }
    return seen;
  }

  /**
   * Whether a row of another field count than the header is the header again naming other columns (a
   * file of another version of the export, a column more or less, joined after this one): its first cell,
   * the id column and most of the table's columns are named in it, none twice. Looked at only in a row so
   * rejected.
   */
  private otherHeader(rec: ScannedRecord): boolean {
    if (rec.count < 2 || !this.names.has(columnKey(cell(rec, 0)))) return false;
    const seen = this.namedOnce(Array.from({ length: rec.count }, (_, i) => columnKey(cell(rec, i))));
    if (seen === undefined) return false;
    return seen.has(this.named[0]!.name) && seen.size * 2 > this.names.size;
  }

  /**
   * Refuses the table at the header again with its columns in another order: two files joined into one,
   * one of them saved with its columns moved (or by another version of the export). Every row after it
   * would be read by the first header, its values in the wrong columns and nothing rejected; reading the
   * rest by the second header is not possible where the table is read in slices, each by the first.
   */
  private reordered(rec: ScannedRecord): never {
    const { table, file, source } = this.options;
    // Counted as read when its decoding began; it is neither a record nor a reject.
    this.stats.rowsRead -= 1;
    throw new SchemaError(
      'SCHEMA_BAD_HEADER',
      `${source} line ${rec.line}: the row repeats the header of table ${table} with its columns in another order (two files joined into one, one saved with its columns moved?): the rows after it would be read into the wrong columns, so the table is not read past it; split the file there, or put the columns of the rows after it in the order of the first header.`,
      { table, file, line: rec.line, offset: rec.offset },
    );
  }

  /**
   * Whether a row of bad quoting is the header again, quoted throughout (as R's write.csv, PowerShell's
   * Export-Csv or Python's QUOTE_ALL write it), of a file joined after another: its BOM (see `bomRow`) hid
   * from the scanner the quote that opens its first cell, which then read as a quote inside an unquoted
   * field, rejected as one, or under lenient quotes taken for a row of the names with their quotes.
   */
  private bomHeaderAgain(rec: ScannedRecord): boolean {
    const { buf, count } = rec;
    const start = rec.starts[0]!;
    const end = rec.ends[0]!;
    if (!bomBeforeQuote(rec) || end - start < 2 || buf[end - 1] !== QUOTE) return false;
    const starts = [start + 1, ...rec.starts.slice(1, count)];
    const ends = [end - 1, ...rec.ends.slice(1, count)];
    return this.headerAgain({ ...rec, starts, ends });
  }

  /** Quoting that rejects the row: text after a closing quote, or a bare quote unless read leniently. */
  private badQuote(rec: ScannedRecord): boolean {
    return rec.invalidQuote || (rec.bareQuote && !this.options.lenientQuotes);
  }

  /** A cell's value; `RAW` (when `raw`) for non-empty text left as bytes. */
  private value(rec: ScannedRecord, column: Column, c: number): CellValue | Problem {
    const i = column.index;
    if (rec.starts[i] === rec.ends[i]) {
      if (!column.required) return null;
      return new Problem(
        'ROW_MISSING_VALUE',
        `column "${column.name}" is empty but required; fill it in`,
        column.name,
      );
    }
    if (column.type === 'id') {
      // A rounded id reads `d.dddE+nn`, `d,dddE+nn` (a decimal comma) or `dE+nn`: its second byte is enough
      // to pass over every other one. Two tests per id: `.` or `,` (0x2E, 0x2C), `E` or `e` (0x45, 0x65).
      const second = rec.buf[rec.starts[i]! + 1]!;
      if ((second & 0xfd) === 0x2c || (second | 0x20) === 0x65) this.rounded(rec, i, c);
      else if (rec.buf[rec.ends[i]! - 1] === 0x30 && wholeDecimal(rec.buf, rec.starts[i]!, rec.ends[i]!))
        this.decimal(rec, i, c);
      else if (!this.wideSettled && rec.ends[i]! - rec.starts[i]! > SIGNIFICANT) this.wide(rec, i, c);
    }
    if (rec.buf[rec.starts[i]!] === HASH) this.errorCell(rec, i, c);
    if (this.raw[c]) return RAW;
    if (column.type === 'id') return this.numeric[c] ? this.numberOf(rec, i, c) : this.idOf(rec, i, c);
    if (this.repeats[c]) return column.type === 'list' ? this.listOf(rec, i, c) : this.idOf(rec, i, c);
    // Apart, as every branch that is not for every cell: V8 inlines `value` into `decodeRow` only while it
    // is small (one more branch here cost inspect 8% of its CPU).
    if (this.timeChars[c]! > 0) return this.cutTime(rec, column, i, c);
    const text = cell(rec, i);
    if (this.checkedTimes[c]) {
      // RAW: a value is there (for the empty-column count); nobody reads it.
      const ok = isTimestamp(text);
      if (ok === true && oddTime(text)) this.epochText(text, c);
      if (ok !== false) return ok === null ? null : RAW;
    } else {
      const value = convert(column.type, text);
      if (typeof value === 'number' && column.type === 'number' && roundedNumber(text, value))
        this.stats.numbersRounded += 1;
      if (value !== undefined)
        return column.type === 'timestamp' && typeof value === 'string' ? this.timeOf(text, value, c) : value;
    }
    return this.badCell(column, text, c);
  }

  /**
   * A time cut to its first characters (see `DecodeOptions.cutTimes`): read from the cell's bytes when it is
   * spelled as exports spell times (no text made per row), else from its text.
   */
  private cutTime(rec: ScannedRecord, column: Column, i: number, c: number): CellValue | Problem {
    const chars = this.timeChars[c]!;
    const cut = timePrefixOf(rec.buf, rec.starts[i]!, rec.ends[i]!, chars);
    if (cut !== undefined) return cut;
    const text = cell(rec, i);
    const value = timePrefix(text, chars);
    if (value === undefined) return this.badCell(column, text, c);
    if (value !== null && oddTime(text)) this.epochText(text, c);
    return value;
  }

  /**
   * What is wrong with a cell of no value of its column's type (see `badValue`), a re-saved time counted;
   * or its value after all when spaces of other kinds than ASCII's are around it (see `unspaced`).
   */
  private badCell(column: Column, text: string, c: number): CellValue | Problem {
    if (OTHER_SPACES.test(text)) {
      const value = this.unspaced(column, text.trim(), c);
      if (value !== undefined) return value;
    }
    const bad = badValue(column, text);
    if (bad !== null && column.type === 'timestamp' && isSheetTime(text)) this.sheetTime(c);
    return bad;
  }

  /**
   * The value of a typed cell read past spaces of other kinds around it (a no-break space, as a spreadsheet
   * in French and other languages pads numbers, or a page pasted from the web): as ASCII spaces are read
   * past (see `convert`), and as JavaScript's Number and Python's float read them. Here, on the path of a
   * cell that is no value, not in `convert`, which runs for every cell.
   */
  private unspaced(column: Column, inner: string, c: number): CellValue | undefined {
    if (inner === '') return null;
    const chars = this.timeChars[c]!;
    if (chars > 0) return timePrefix(inner, chars);
    const value = convert(column.type, inner);
    return column.type === 'timestamp' && typeof value === 'string' ? this.timeOf(inner, value, c) : value;
  }

  /**
   * A time cell's ISO text as records hold it: cut past the microsecond (see `toMicros`); one on the day
   * of epoch 0 counted (see `TableStats.epochTimes`). The cell's text is looked at first: the ISO text
   * is made of parts, which reading a character joins.
   */
  private timeOf(text: string, iso: string, c: number): string {
    if (oddTime(text)) this.oddDay(iso, c);
    return iso.length > MICROS_ISO ? this.toMicros(iso) : iso;
  }

  /** An ISO time with digits past the microsecond, cut there (see `TableStats.timesCut`). */
  private toMicros(iso: string): string {
    this.stats.timesCut += 1;
    // Zeros past the millisecond say nothing, as `convert` drops them.
    let end = MICROS_ISO - 1;
    while (end > MILLIS_ISO - 1 && iso.charCodeAt(end - 1) === 48) end -= 1;
    return `${iso.slice(0, end)}Z`;
  }

  /** Counts a time on the day of epoch 0 (see `TableStats.epochTimes`) in column `c` of the plan. */
  private epoch(c: number): void {
    this.stats.epochTimes += 1;
    const name = this.plan!.columns[c]!.name;
    if (!this.stats.epochTimeColumns.includes(name)) this.stats.epochTimeColumns.push(name);
  }

  /** `oddDay` for a cell read as a time whose ISO text is not made (checked only, or cut to its month). */
  private epochText(text: string, c: number): void {
    const iso = convert('timestamp', text);
    if (typeof iso === 'string') this.oddDay(iso, c);
  }

  /** Counts a time on the day of epoch 0, or on a day written for no date (see `PLACEHOLDER_DAYS`). */
  private oddDay(iso: string, c: number): void {
    if (onEpochDay(iso)) this.epoch(c);
    else if (PLACEHOLDER_DAYS.has(iso.slice(0, 10))) {
      this.stats.placeholderTimes += 1;
      this.tellColumn(this.stats.placeholderTimeColumns, c);
    }
  }

  /** Counts a time a spreadsheet re-wrote in time column `c` (see `TableStats.sheetTimes`). */
  private sheetTime(c: number): void {
    this.stats.sheetTimes += 1;
    this.tellColumn(this.stats.sheetTimeColumns, c);
  }

  /** Adds the name of column `c` of the plan to `columns`, once. */
  private tellColumn(columns: string[], c: number): void {
    const name = this.plan!.columns[c]!.name;
    if (!columns.includes(name)) columns.push(name);
  }

  /** Counts a cell holding a spreadsheet's error value (see `TableStats.errorCells`). */
  private errorCell(rec: ScannedRecord, i: number, c: number): void {
    const text = rec.buf.toString('latin1', rec.starts[i]!, rec.ends[i]!);
    // A run of `#` is what a spreadsheet shows of a date or number too wide for its column; in a text (a
    // note of `###`) it is text.
    if (!SHEET_ERRORS.has(text) && !(this.plan!.columns[c]!.type !== 'text' && /^#{2,}$/.test(text))) return;
    const name = this.plan!.columns[c]!.name;
    const { errorCells } = this.stats;
    errorCells[name] = (Object.hasOwn(errorCells, name) ? errorCells[name]! : 0) + 1;
  }

  /** Counts a cell of a spreadsheet's most characters (see `TableStats.cutCells`). */
  /** `longCell` for each cell of a row long enough to hold one. */
  private longCells(rec: ScannedRecord, columns: readonly Column[]): void {
    for (let c = 0; c < columns.length; c++) {
      const i = columns[c]!.index;
      if (i !== -1 && rec.ends[i]! - rec.starts[i]! >= CELL_CHARS) this.longCell(rec, i, c);
    }
  }

  private longCell(rec: ScannedRecord, i: number, c: number): void {
    const length = cell(rec, i).length;
    if (length !== CELL_CHARS && length !== SHEETS_CELL_CHARS) return;
    const name = this.plan!.columns[c]!.name;
    const { cutCells } = this.stats;
    cutCells[name] = (Object.hasOwn(cutCells, name) ? cutCells[name]! : 0) + 1;
  }

  /**
   * Counts an id cell of more digits than a spreadsheet holds, and whether those past the 15th are zeros
   * (see `TableStats.zeroTailIds`). The last byte first: an id ending in another digit is counted alone.
   */
  private wide(rec: ScannedRecord, i: number, c: number): void {
    this.stats.wideIds += 1;
    const { buf } = rec;
    const start = rec.starts[i]!;
    const end = rec.ends[i]!;
    // One id that is not so tells that the table's ids were not rounded (see `zeroTailRounded`): the
    // others need no look (a message id has 19 digits, on millions of rows).
    this.wideSettled = true;
    if (buf[end - 1] !== 0x30) return;
    for (let k = start; k < end; k++) if (buf[k]! < 0x30 || buf[k]! > 0x39) return;
    for (let k = start + SIGNIFICANT; k < end; k++) if (buf[k] !== 0x30) return;
    this.wideSettled = false;
    this.stats.zeroTailIds += 1;
    this.stats.zeroTailDigits += end - start - SIGNIFICANT;
    addExample(this.stats.zeroTailIdExamples, buf.toString('latin1', start, end));
    this.tellColumn(this.stats.zeroTailIdColumns, c);
  }

  /**
   * Counts the phone and name cells of a row whose digits or letters a save lost or garbled (see
   * `TableStats.roundedPhones`, `lostNames`, `garbledNames`): once a row, apart from `value`, which runs
   * for every cell.
   */
  private spotRow(rec: ScannedRecord, spots: { phones: number[]; names: number[] }): void {
    const { buf, starts, ends } = rec;
    const { phones, names } = spots;
    for (let k = 0; k < phones.length; k++) {
      const i = phones[k]!;
      if (starts[i] !== ends[i]) this.roundedPhone(rec, i);
    }
    for (let k = 0; k < names.length; k++) {
      const start = starts[names[k]!]!;
      const end = ends[names[k]!]!;
      if (buf[start] === QUESTION) {
        if (lostName(buf, start, end)) this.stats.lostNames += 1;
      } else if (garbled(buf, start, end)) this.stats.garbledNames += 1;
      if (controlIn(buf, start, end)) this.stats.controlNames += 1;
    }
  }

  /**
   * Counts a phone number cell a spreadsheet rounded (see `TableStats.roundedPhones`). As for ids, the
   * second byte passes over the others: a point, a comma (a decimal comma) or an E, rare in a phone number.
   */
  private roundedPhone(rec: ScannedRecord, i: number): void {
    const second = rec.buf[rec.starts[i]! + 1];
    if (second !== 0x2e && second !== 0x2c && second !== 0x45 && second !== 0x65) return;
    if (ROUNDED_PHONE.test(rec.buf.toString('latin1', rec.starts[i]!, rec.ends[i]!)))
      this.stats.roundedPhones += 1;
  }

  /** Counts an id cell a spreadsheet rounded (see `TableStats.roundedIds`), or one with decimals. */
  private rounded(rec: ScannedRecord, i: number, c: number): void {
    // An id of one character has the comma ending its field for its second byte: none of these (`1.0`, `1E+9`).
    if (rec.ends[i]! - rec.starts[i]! < 3) return;
    const text = rec.buf.toString('latin1', rec.starts[i]!, rec.ends[i]!);
    if (ROUNDED_ID.test(text)) {
      this.stats.roundedIds += 1;
      addExample(this.stats.roundedIdExamples, text);
      this.tellColumn(this.stats.roundedIdColumns, c);
    } else if (wholeDecimal(rec.buf, rec.starts[i]!, rec.ends[i]!)) this.decimal(rec, i, c);
  }

  /** Counts an id cell written with a zero fraction (see `TableStats.decimalIds`). */
  private decimal(rec: ScannedRecord, i: number, c: number): void {
    this.stats.decimalIds += 1;
    this.tellColumn(this.stats.decimalIdColumns, c);
    if (this.stats.decimalIdExamples.length < ROUNDED_EXAMPLES)
      addExample(this.stats.decimalIdExamples, rec.buf.toString('latin1', rec.starts[i]!, rec.ends[i]!));
  }

  /**
   * An id's text (or a text's, see `repeats`). Rows of one candidate come together, alternating among a few projects, so an id column
   * mostly repeats one of the last few rows: comparing its bytes with those strings costs far less than
   * making the same string again, and the same string is then compared by reference downstream.
   */
  private idOf(rec: ScannedRecord, i: number, c: number): string {
    const start = rec.starts[i]!;
    const end = rec.ends[i]!;
    const base = c * LAST_IDS;
    const last = this.lastIds;
    if (!rec.escaped[i]) {
      for (let k = base; k < base + LAST_IDS; k++) {
        const text = last[k];
        if (text === undefined) break;
        if (sameAscii(rec.buf, start, end, text)) return text;
      }
    }
    const text = cell(rec, i);
    last.copyWithin(base + 1, base, base + LAST_IDS - 1);
    last[base] = text;
    return text;
  }

  /**
   * A list given to `fieldRows` (see `repeats`): the same array for the same text while it is among the
   * last few, so that rows alike compare alike by reference (a candidate's sourcing channels), and no
   * array is made again. Its taker reads it and never changes it.
   */
  private listOf(rec: ScannedRecord, i: number, c: number): string[] {
    const text = this.idOf(rec, i, c);
    const lists = this.lists[c]!;
    let list = lists.get(text);
    if (list === undefined) {
      if (lists.size >= LAST_LISTS) lists.clear();
      list = toList(text);
      lists.set(text, list);
    }
    return list;
  }

  /** An id as the number it spells exactly (as `numericId` reads it), else its text. */
  private numberOf(rec: ScannedRecord, i: number, c: number): number | string {
    const start = rec.starts[i]!;
    const end = rec.ends[i]!;
    const buf = rec.buf;
    if (rec.escaped[i] || end - start > 16 || (end - start > 1 && buf[start] === 48))
      return this.idOf(rec, i, c);
    let n = 0;
    for (let k = start; k < end; k++) {
      const digit = buf[k]! - 48;
      if (digit < 0 || digit > 9) return this.idOf(rec, i, c);
      n = n * 10 + digit;
    }
    return n <= Number.MAX_SAFE_INTEGER ? n : this.idOf(rec, i, c);
  }

  private reject(rec: ScannedRecord, problem: Problem): Reject {
    const { table, file, source } = this.options;
    // Built in the interface's key order so serialized rejects read the same everywhere.
    return {
      table,
      ...(file === undefined ? {} : { file }),
      line: rec.line,
      offset: rec.offset,
      code: problem.code,
      message: `${source} line ${rec.line} (byte ${rec.offset}), table ${table}: ${problem.detail}.`,
      ...(problem.column === undefined ? {} : { column: problem.column }),
      raw:
        problem.code === 'ROW_BAD_UTF8'
          ? mixedText(rec.buf.subarray(rec.start, rec.end))
          : rec.buf.toString('utf8', rec.start, rec.end),
    };
  }
}

/**
 * Where the first byte of a well-formed UTF-8 character is at `i`, its length; else 0 (a stray or cut
 * sequence, an overlong form, a surrogate, or past U+10FFFF).
 */
function utf8Length(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > b.length) return 0;
  for (let k = 1; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  const next = b[i + 1]!;
  if ((c === 0xe0 && next < 0xa0) || (c === 0xed && next > 0x9f)) return 0;
  if ((c === 0xf0 && next < 0x90) || (c === 0xf4 && next > 0x8f)) return 0;
  return n;
}

/**
 * What is wrong with a row that is not UTF-8. Most often a spreadsheet saved it in its own encoding; but
 * when every byte that is not UTF-8 is half of a UTF-16 surrogate pair written as three bytes (ED A0 to
 * ED BF), the writer was UTF-8 in all but characters past U+FFFF (emoji, some CJK): CESU-8, as Java's
 * modified UTF-8 and Oracle's "UTF8" write them, or a text cut inside such a character (WTF-8). Told so:
 * saving the table as "CSV UTF-8" from a spreadsheet would not be the fix.
 */
function badUtf8(rec: ScannedRecord): Problem {
  const halves = surrogateHalves(rec.buf.subarray(rec.start, rec.end));
  const detail =
    halves === 'pairs'
      ? 'characters past U+FFFF (emoji, some Chinese or Japanese letters) are written as two halves of three bytes each (CESU-8, as Java\'s modified UTF-8 and Oracle\'s "UTF8" character set write them), which UTF-8 readers refuse; export the table again as standard UTF-8 (Oracle: AL32UTF8), or take it from export.zip again'
      : halves === 'alone'
        ? 'it holds half of a character past U+FFFF (an emoji, for one) without its other half, as a program that cut a text inside such a character writes it; fix or delete that character, or take the table from export.zip again'
        : 'the row is not valid UTF-8 (a spreadsheet most likely saved the file in its own encoding, such as Windows-1252; the raw text shows those bytes as Windows-1252 reads them); take the table from export.zip again, or save it as "CSV UTF-8"';
  return new Problem('ROW_BAD_UTF8', detail);
}

/**
 * Whether the only bytes of `bytes` that are not UTF-8 are halves of UTF-16 surrogate pairs, three bytes
 * each (ED A0 80 to ED BF BF): each high half followed by a low one (`pairs`), or some alone (`alone`);
 * undefined if other bytes are not UTF-8 either.
 */
function surrogateHalves(bytes: Uint8Array): 'pairs' | 'alone' | undefined {
  let found: 'pairs' | 'alone' | undefined;
  for (let i = 0; i < bytes.length; ) {
    const n = utf8Length(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    const half = surrogateAt(bytes, i);
    if (half === undefined) return undefined;
    if (half === 'high' && surrogateAt(bytes, i + 3) === 'low') {
      found ??= 'pairs';
      i += 6;
    } else {
      found = 'alone';
      i += 3;
    }
  }
  return found;
}

/** The UTF-16 code unit three bytes of a surrogate's half at `i` spell (ED A0 80 is D800). */
const halfOf = (b: Uint8Array, i: number): number =>
  ((b[i]! & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f);

/** The half of a surrogate pair whose three bytes start at `i`, if they are one. */
function surrogateAt(b: Uint8Array, i: number): 'high' | 'low' | undefined {
  if (b[i] !== 0xed || (b[i + 2]! & 0xc0) !== 0x80) return undefined;
  const second = b[i + 1]!;
  return second >= 0xa0 && second <= 0xaf ? 'high' : second >= 0xb0 && second <= 0xbf ? 'low' : undefined;
}

/**
 * Bytes 0x80 to 0x9F as Windows-1252 reads them, the five it leaves undefined as their C1 controls (as
 * WHATWG decoders read them); 0xA0 to 0xFF are Latin-1. Written out: Node's TextDecoder reads
 * `windows-1252` as Latin-1 (0x80 became U+0080, not €).
 */
const CP1252_80 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
/** The character a byte is in Windows-1252 (what a spreadsheet saves text in on Windows). */
export const windows1252 = (byte: number): string =>
  byte >= 0x80 && byte < 0xa0 ? CP1252_80[byte - 0x80]! : String.fromCharCode(byte);

/**
 * A row that is not UTF-8 as text that keeps every character: UTF-8 where it is well-formed, each other
 * byte as Windows-1252 reads it (what a spreadsheet most likely saved it in). Decoded as UTF-8 alone, each
 * such byte became U+FFFD and the reject's raw text lost the letters (`Núñez` read `N��ez`).
 */
export function mixedText(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let out = '';
  let from = 0;
  for (let i = 0; i < bytes.length; ) {
    const n = utf8Length(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += buf.toString('utf8', from, i);
    // Two halves of a surrogate pair (CESU-8): the character they make, which they were written for.
    if (surrogateAt(bytes, i) === 'high' && surrogateAt(bytes, i + 3) === 'low') {
      out += String.fromCharCode(halfOf(bytes, i), halfOf(bytes, i + 3));
      i += 6;
    } else {
      out += windows1252(bytes[i]!);
      i += 1;
    }
    from = i;
  }
  return out + buf.toString('utf8', from, bytes.length);
}

/**
 * A reject of bytes decoded from line 1 (a slice decoded on its own), placed `lines` further down: its
 * line and the line its message names.
 */
export function shiftReject(reject: Reject, lines: number): Reject {
  if (lines === 0) return reject;
  const source = reject.file ?? `table ${reject.table}`;
  const at = (line: number) => `${source} line ${line} (byte ${reject.offset})`;
  const old = at(reject.line);
  const line = reject.line + lines;
  const message = reject.message.startsWith(old)
    ? at(line) + reject.message.slice(old.length)
    : reject.message;
  return { ...reject, line, message };
}

/** What is wrong with a row; a class so it never mistakes a record (which may have a "code" column) for one. */
class Problem {
  constructor(
    readonly code: RejectCode,
    readonly detail: string,
    readonly column?: string,
  ) {}
}

const headerRepeated = () =>
  new Problem(
    'ROW_HEADER_REPEATED',
    'the row repeats the header (files joined one after the other?); delete the line, and check that the rows after it belong to this export',
  );

const otherHeaderAgain = () =>
  new Problem(
    'ROW_HEADER_REPEATED',
    'the row is the header again, naming other columns (a file of another version of the export joined after this one?): the rows after it are read by the first header, and rejected where their fields differ from it; split the file at this line and read each part on its own',
  );

/** What is wrong with a row rejected for its quoting, as closely as its bytes tell. */
function quoteProblem(rec: ScannedRecord, plan: HeaderPlan): Problem {
  const known = backslashQuotes(rec) ?? spacedQuotes(rec);
  if (known !== undefined) return new Problem('ROW_INVALID_QUOTE', known);
  const padded = rec.invalidQuote ? spaceAfterQuote(rec) : -1;
  if (padded >= 0) {
    const name = shownField(plan, padded);
    return new Problem(
      'ROW_INVALID_QUOTE',
      `spaces or tabs follow the closing quote of column "${name}" ("a" ,), and CSV allows nothing between a closing quote and the comma after it; write the file again without spaces around the commas, or take the table from export.zip again`,
      name,
    );
  }
  return new Problem(
    'ROW_INVALID_QUOTE',
    bomQuote(rec) ??
      formulaCell(rec, plan) ??
      (rec.invalidQuote
        ? 'text follows a closing quote; quote the whole field and double inner quotes'
        : 'a quote appears inside an unquoted field; quote the whole field and double inner quotes, or read such quotes as text with the lenient-quotes option'),
  );
}

/** The row's first cell begins after a byte-order mark (see `bomRow`) with a quote. */
const bomBeforeQuote = (rec: ScannedRecord): boolean =>
  rec.starts[0] === rec.start + 3 && rec.buf[rec.start + 3] === QUOTE;

/**
 * What to do when a row of a file joined after another starts with that file's byte-order mark and then a
 * quoted cell (`\uFEFF"42",`): CSV opens a quote only at a field's first character, and the mark is
 * before it, so the quote is inside an unquoted field (see `bomRow`).
 */
function bomQuote(rec: ScannedRecord): string | undefined {
  if (!bomBeforeQuote(rec)) return undefined;
  return 'a file joined after another begins here, and its byte-order mark comes before the quote opening its first cell, which CSV then reads as a quote inside an unquoted field; delete the mark (the bytes EF BB BF), or join the files without it';
}

/**
 * The field (0-based) whose closing quote only spaces or tabs follow before its comma or the row's end
 * (`"a" ,b`, `"a"\t`), as a hand-aligned file or a writer padding its columns leaves it; else -1. Told
 * apart from other text after a closing quote, whose advice (quote the whole field) does not fit a field
 * that is quoted. Read from the row's bytes, only for a row already rejected for its quoting.
 */
function spaceAfterQuote(rec: ScannedRecord): number {
  const { buf, end } = rec;
  let field = 0;
  let open = false;
  let fieldStart = true;
  for (let k = rec.start; k < end; k++) {
    const b = buf[k];
    if (open) {
      if (b !== 0x22) continue;
      if (buf[k + 1] === 0x22 && k + 1 < end) {
        k++;
        continue;
      }
      open = false;
      let j = k + 1;
      while (j < end && (buf[j] === 0x20 || buf[j] === 0x09)) j++;
      if (j > k + 1 && (j === end || buf[j] === 0x2c)) return field;
    } else if (b === 0x22 && fieldStart) {
      open = true;
    } else if (b === 0x2c) {
      field++;
    }
    fieldStart = b === 0x2c && !open;
  }
  return -1;
}

/**
 * What to do when a quoted field follows a space (`1, "a, b"`), as a writer that puts a space after each
 * comma writes it: CSV opens a quote only at a field's first character, so the quote is text and the comma
 * inside it splits the field. Looked for only in a row already rejected for its quoting.
 */
function spacedQuotes(rec: ScannedRecord): string | undefined {
  const { buf } = rec;
  for (let i = 0; i < rec.count; i++) {
    let k = rec.starts[i]!;
    const end = rec.ends[i]!;
    while (k < end && (buf[k] === 0x20 || buf[k] === 0x09)) k++;
    // The quote within the cell: past its end is a closing quote, a comma, or bytes of no row.
    if (k > rec.starts[i]! && k < end && buf[k] === 0x22) {
      return 'a quoted field follows a space after its comma (, "a"), and CSV opens a quote only at the first character of a field; write the file again without spaces after the commas';
    }
  }
  return undefined;
}

/**
 * What is wrong with a row whose quoted field never closes: it runs to the end of the input, and the
 * lines after its first, most likely rows of their own, are in it. Counted rows then fall short of the
 * table's lines by as many, which nothing else tells: said with the lines taken and the field opened.
 * When the input ends inside the field with no line end (`cut`), the file may as well have been cut
 * short there, mid-field: said too, since removing a quote would not bring the lost rows back.
 */
function unclosedQuote(rec: ScannedRecord, plan: HeaderPlan, cut: boolean): Problem {
  const escaped = backslashQuotes(rec);
  if (escaped !== undefined) return new Problem('ROW_UNCLOSED_QUOTE', escaped);
  const lines = lineBreaks(rec.buf, rec.start, rec.end);
  const name = shownField(plan, rec.count - 1);
  const taken =
    lines === 0
      ? `the quote opening column "${name}" is never closed before the end of the input`
      : `the quote opening column "${name}" is never closed, so the row takes in the ${lines} line(s) after it to the end of the input, which most likely hold rows of their own`;
  const fix = 'remove the stray quote, or double it if it is part of the text, and run again';
  return new Problem('ROW_UNCLOSED_QUOTE', cut ? `${taken}; ${cutShort(fix)}` : `${taken}; ${fix}`, name);
}

/**
 * What is wrong with a header the input ends in, without a line end, that lacks a column of its table
 * where its last name is the start of that column's (`hiring_state_i`) or empty (cut after a comma): the
 * file was cut short inside its header, and read as written it was a table of no rows with an unknown
 * column, its rows lost without a word. Undefined when the header ends otherwise (a table of no rows whose
 * header has no line end is whole).
 */
function cutHeader(table: TableName, header: readonly string[]): string | undefined {
  const last = columnKey(header[header.length - 1] ?? '');
  const given = new Set(header.map(columnKey));
  const cut = SCHEMAS[table].fields.find((field) => {
    const key = columnKey(field.name);
    return !given.has(key) && key.startsWith(last);
  });
  if (cut === undefined) return undefined;
  return `table ${table} ends inside its header, without a line end, where its column "${cut.name}" should be: the file was cut short there (an interrupted download or copy), and its rows are lost; take the table from export.zip again, or download the export again.`;
}

/**
 * What to say of a rejected row the input ends in without a line end: the file most likely stops there
 * because it was cut short, not as it was written (writers end a table with a line end, but a few), and the
 * rows after it are lost; `fix` is what to do if it was written so after all (a tool that ends no file with
 * a line end).
 */
function cutShort(fix: string): string {
  return `the file ends in this row, without a line end, as a file cut short does (an interrupted download or copy, the rows after it lost): take the table from export.zip again, or download the export again; else, ${fix}`;
}

/**
 * Line ends (LF, CRLF or a lone CR, as the scanner counts lines) among bytes [start, end), but for one
 * ending them: the lines after the first.
 */
export function lineBreaks(buf: Uint8Array, start = 0, end = buf.length): number {
  if (end > start && buf[end - 1] === 0x0a) end -= end - 2 >= start && buf[end - 2] === 0x0d ? 2 : 1;
  else if (end > start && buf[end - 1] === 0x0d) end -= 1;
  let n = 0;
  for (let k = start; k < end; k++) {
    if (buf[k] === 0x0a) n++;
    else if (buf[k] === 0x0d && buf[k + 1] !== 0x0a) n++;
  }
  return n;
}

/** A column as a reject names it: a schema column by its name, another as header cells are shown. */
function shownField(plan: HeaderPlan, i: number): string {
  const c = plan.columns.findIndex((column) => column.index === i);
  const schema = c >= 0 && c < plan.columns.length - plan.extraColumns.length;
  return schema ? plan.columns[c]!.name : shownColumn(plan.header[i] ?? '', i);
}

/**
 * What to do when a cell is Excel's text formula (`="0042"`), which tools writing a CSV for Excel put so
 * that it keeps an id's leading zeros: read as CSV, its quotes are inside an unquoted field. Looked for
 * only in a row already rejected for its quoting.
 */
function formulaCell(rec: ScannedRecord, plan: HeaderPlan): string | undefined {
  const { buf, starts, ends } = rec;
  for (let i = 0; i < rec.count; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    if (end - start >= 3 && buf[start] === 0x3d && buf[start + 1] === 0x22 && buf[end - 1] === 0x22) {
      return `column "${shownField(plan, i)}" is written as Excel's text formula (="..."), as a tool writing a CSV for Excel keeps an id's leading zeros, and its quotes are inside an unquoted field; write the table again with the values alone, or take it from export.zip again`;
    }
  }
  return undefined;
}

/**
 * What to do when a row holds a run of zero bytes: no writer of text puts them there, a damaged file does
 * (a disk or copy that lost a block, zeroed in place), and the rows around it are most likely cut. Looked
 * for only in a row already rejected.
 */
function zeroBytes(rec: ScannedRecord): string | undefined {
  if (!rec.buf.subarray(rec.start, rec.end).includes(ZERO_RUN)) return undefined;
  return 'it holds a run of zero bytes where text should be: the file was damaged (part of it zeroed), and rows there are most likely lost; take the table from export.zip again, or download the export again';
}
const ZERO_RUN = Buffer.alloc(4);

/**
 * What to do when a row's quotes are escaped with a backslash (`\"`), as JSON and some programs write
 * them, where CSV doubles them (`""`): the field then seems to end at the escaped quote. Looked for only
 * in a row already rejected for its quoting.
 */
function backslashQuotes(rec: ScannedRecord): string | undefined {
  if (!rec.buf.subarray(rec.start, rec.end).includes('\\"')) return undefined;
  return 'its quotes are escaped with a backslash (\\"), as JSON writes them, where CSV doubles them (""); write the file again with doubled quotes';
}

/**
 * What to do when a row's commas are escaped with a backslash (`a\,b`), as Python's csv writes them with
 * QUOTE_NONE and an escape character, and MySQL's SELECT ... INTO OUTFILE without ENCLOSED BY: to CSV the
 * comma still ends the field, so the row has a field too many for each, which the plain advice (quote
 * such fields) did not explain. Told only where the fields too many are as many as the unquoted fields
 * before the last that end in an odd run of backslashes (`C:\cv\\` escaped the backslash itself): a
 * folder path ending in one (`C:\dir\`) in a row a field too many for another reason is not said to be
 * an escaped comma. Looked for only in a row already rejected for its field count.
 */
function backslashCommas(rec: ScannedRecord, width: number): string | undefined {
  const { buf, starts, ends } = rec;
  let escaped = 0;
  for (let i = 0; i < rec.count - 1; i++) {
    let k = ends[i]!;
    while (k > starts[i]! && buf[k - 1] === BACKSLASH) k--;
    if ((ends[i]! - k) % 2 === 1 && !quoted(rec, i)) escaped += 1;
  }
  if (escaped === 0 || rec.count - width !== escaped) return undefined;
  return `its commas are escaped with a backslash (\\,), as Python's csv writes them with QUOTE_NONE and an escapechar, or MySQL's SELECT ... INTO OUTFILE without ENCLOSED BY, where CSV quotes a field that holds a comma or a line break; write the file again quoting such fields (Python's default QUOTE_MINIMAL; MySQL's FIELDS OPTIONALLY ENCLOSED BY '"')`;
}

/**
 * A row rejected for its quoting, read again with quotes escaped by a backslash (`\"`): inside quoted
 * fields, as JSON and some programs write them, and in unquoted ones, as Python's csv writes them with an
 * escape character. Its fields, unescaped into a buffer of their own, when that closes every quote and
 * gives the header's count (or one `trailingFit` takes); else undefined (the row stays rejected, saying so). Only `\"` is an escape:
 * other backslashes are text, as in the guide's tables. DuckDB reads quoted ones alike, Python's csv with
 * an escape character unquoted ones. Never runs for a row read as it is.
 */
function backslashRow(rec: ScannedRecord, plan: HeaderPlan): ScannedRecord | typeof OPEN | undefined {
  const src = rec.buf.subarray(rec.start, rec.end);
  if (!src.includes('\\"')) return undefined;
  const out = Buffer.allocUnsafe(src.length);
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  let i = 0;
  for (;;) {
    starts.push(at);
    if (src[i] === QUOTE) {
      for (i += 1; ; i += 1) {
        // The field runs on past the row: over lines, or never closed (see `holdRow`).
        if (i >= src.length) return OPEN;
        const c = src[i]!;
        if ((c === BACKSLASH || c === QUOTE) && src[i + 1] === QUOTE) {
          out[at++] = QUOTE;
          i += 1;
        } else if (c === QUOTE) break;
        else out[at++] = c;
      }
      i += 1;
      if (i < src.length && src[i] !== COMMA) return undefined;
    } else {
      for (; i < src.length && src[i] !== COMMA; i += 1) {
        // Unquoted, as Python's csv writes a field with an escape character and no comma in it.
        if (src[i] === BACKSLASH && src[i + 1] === QUOTE) i += 1;
        else if (src[i] === QUOTE) return undefined;
        out[at++] = src[i]!;
      }
    }
    ends.push(at);
    if (i >= src.length) break;
    i += 1;
  }
  const reread: ScannedRecord = {
    ...rec,
    buf: out,
    start: 0,
    end: at,
    count: starts.length,
    starts,
    ends,
    escaped: new Array<boolean>(starts.length).fill(false),
    invalidQuote: false,
    bareQuote: false,
  };
  // The header's count, or one that differs only by empty cells at the end, as any row may (see `trailingFit`).
  return starts.length === plan.header.length || trailingFit(reread, plan) !== undefined ? reread : undefined;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;

/** Buffer's own UTF-8 slice, without `toString`'s argument handling: it runs for every cell of every row. */
type Utf8Slicer = Buffer & { utf8Slice(start: number, end: number): string };

function cell(rec: ScannedRecord, i: number): string {
  const text = (rec.buf as Utf8Slicer).utf8Slice(rec.starts[i]!, rec.ends[i]!);
  return rec.escaped[i] ? text.replaceAll('""', '"') : text;
}

/** Whether field `i` of a record was written in quotes. */
const quoted = (rec: ScannedRecord, i: number) =>
  rec.starts[i]! > rec.start && rec.buf[rec.starts[i]! - 1] === 0x22;

function allQuoted(rec: ScannedRecord): boolean {
  for (let i = 0; i < rec.count; i++) if (!quoted(rec, i)) return false;
  return true;
}

/**
 * Empties the unquoted `NA` cells of a row under a header quoted throughout. R's write.csv quotes every
 * name and every text cell, and writes a missing value as a bare NA, in id and text columns too; so do
 * no other writers that quote their header (Python's QUOTE_ALL and QUOTE_NONNUMERIC quote a text NA).
 * A quoted "NA" stays text, and so does a bare NA in any other table (Talent Hub quotes only where needed).
 */
function rMissing(rec: ScannedRecord): void {
  const { buf, starts } = rec;
  // The scanner's own array for this record, read again only by this row's decoding.
  const ends = rec.ends as number[];
  for (let i = 0; i < rec.count; i++) {
    const s = starts[i]!;
    if (ends[i] === s + 2 && buf[s] === 0x4e && buf[s + 1] === 0x41 && !quoted(rec, i)) ends[i] = s;
  }
}

/**
 * Drops a byte order mark that starts a row: a file joined after another (`cat a.csv b.csv`, b saved
 * without its header) brings its BOM into the middle, where it is no text but the mark of where that file
 * began, as at the start of a table. Kept, it made the row's first cell another id (`\uFEFF2` is not `2`),
 * so its candidate was missing for every row naming it. A quoted first cell after it is a quote out of
 * place and stays rejected (`ROW_INVALID_QUOTE`).
 */
function bomRow(rec: ScannedRecord): void {
  const { buf } = rec;
  const s = rec.start;
  if (rec.starts[0] !== s || buf[s + 1] !== 0xbb || buf[s + 2] !== 0xbf) return;
  // The scanner's own array for this record, read again only by this row's decoding.
  (rec.starts as number[])[0] = s + 3;
}

/**
 * The header's names when quoted ones have spaces around them (`"Name" , "Type"`), as a header typed by
 * hand or a writer putting a space after each comma has it: the names are plain, though strict quoting
 * refuses the line, and no row depends on it (DuckDB reads such a header so too). Undefined when the
 * quoting is broken otherwise.
 */
function spacedHeader(rec: ScannedRecord): string[] | undefined {
  const text = rec.buf.toString('utf8', rec.start, rec.end);
  const cellAt = /[ \t]*(?:"((?:[^"]|"")*)"[ \t]*|([^",]*))(,|$)/y;
  const names: string[] = [];
  for (let at = 0; ; ) {
    cellAt.lastIndex = at;
    const m = cellAt.exec(text);
    if (!m) return undefined;
    names.push(m[1] === undefined ? m[2]! : m[1].replaceAll('""', '"'));
    at = cellAt.lastIndex;
    if (m[3] === '') return at === text.length ? names : undefined;
  }
}

/**
 * Why a header cannot be read, told apart so the fix is clear: spreadsheets save "Unicode text" as UTF-16
 * (a BOM FF FE or FE FF, or NUL bytes between ASCII letters when there is none), others save Latin-1.
 */
function headerProblem(rec: ScannedRecord, badQuote: boolean, table: string): string | undefined {
  const bytes = rec.buf.subarray(rec.start, rec.end);
  // A workbook, a compressed file or a web page under a table's name: its bytes read as zeros, UTF-16 or
  // broken quoting, and told so the fix would be the wrong one.
  const format = otherFormat(rec.buf.toString('latin1', rec.start, Math.min(rec.end, rec.start + 64)));
  if (format !== undefined) {
    return `table ${table} is ${format}, not CSV, under a CSV file's name (renamed, or saved in another format): ${format.startsWith('compressed') ? 'decompress it' : 'open it in the program that made it and save it as "CSV UTF-8" (as Talent Hub writes it)'}, or take the table from export.zip again.`;
  }
  const zero = bytes.indexOf(0);
  // Zeros from the first byte, or from some byte to the end: no UTF-16 text has two zero bytes in a row
  // there; a file cut short and padded (or wiped) has.
  if (
    zero !== -1 &&
    (bytes[zero + 1] === 0 || zero === bytes.length - 1) &&
    bytes.subarray(zero).every((b) => b === 0)
  ) {
    return `table ${table} ${zero === 0 ? 'starts with' : 'runs into'} zero bytes, not text: the file was damaged or cut short; take it from export.zip again, or download the export again.`;
  }
  const bom =
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (bom || (zero !== -1 && utf16Like(bytes))) {
    // Windows PowerShell writes UTF-16 too, by `>` or Out-File (ConvertTo-Csv piped there), or Export-Csv
    // told -Encoding Unicode: the fix is then an option, not a spreadsheet's format.
    return `table ${table} is saved as UTF-16, not UTF-8 (a spreadsheet's "Unicode text", or Windows PowerShell's > and Out-File); save it as "CSV UTF-8" (as Talent Hub writes it; in PowerShell, Export-Csv -Encoding UTF8), or take the table from export.zip again.`;
  }
  if (zero !== -1) {
    const column = cellAt(rec, rec.start + zero);
    return `the header of table ${table} holds a zero byte${column === undefined ? '' : ` in column ${column + 1}`}, which no text has: the file was damaged or a tool wrote it so; fix the first line of the file, or take the table from export.zip again.`;
  }
  if (badQuote || rec.unclosed) {
    // Quoted cells with another separator between them ("a";"b"): a spreadsheet saved it so.
    const other = ([';', '\t', '|'] as const).find((c) => bytes.includes(`"${c}"`));
    if (other !== undefined) {
      const name = other === '\t' ? 'tabs' : `"${other}"`;
      return `the header of table ${table} is separated by ${name}, not commas; save the file with commas between fields (as Talent Hub writes it), or take the table from export.zip again.`;
    }
    return `the header of table ${table} has broken quoting; fix the first line of the file.`;
  }
  if (!isUtf8(bytes)) {
    return `the header of table ${table} is not UTF-8; save the file as "CSV UTF-8" (as Talent Hub writes it).`;
  }
  return undefined;
}

/**
 * What a file named as a table is when it is no CSV at all, from its first bytes (read as Latin-1): a
 * workbook renamed `.csv` (an `.xlsx` is a zip, an `.xls` an OLE2 file), a compressed table, a PDF, or a
 * web page or XML file (a spreadsheet's "Web page" or "XML Spreadsheet" save, another ATS's `.xls` export
 * that is HTML, or a download link's error page saved under the table's name). Undefined for text.
 */
function otherFormat(start: string): string | undefined {
  if (start.startsWith('PK\u0003\u0004')) return 'a zip file (an Excel workbook, .xlsx, is one)';
  if (start.startsWith('\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1'))
    return 'an Excel 97-2003 workbook (.xls)';
  if (start.startsWith('\u001f\u008b')) return 'compressed with gzip';
  if (start.startsWith('%PDF-')) return 'a PDF document';
  if (/^\s*<(?:!doctype html|html|\?xml|table)\b/i.test(start)) return 'a web page or an XML file';
  return undefined;
}

/**
 * Whether bytes read as UTF-16 text: a header is mostly ASCII, so in UTF-16 every other byte is zero (the
 * odd ones little-endian, the even ones big-endian). One zero byte among UTF-8 text is damage, not UTF-16.
 */
function utf16Like(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 128) & ~1;
  if (n < 4) return false;
  let even = 0;
  let odd = 0;
  for (let k = 0; k < n; k += 2) {
    if (bytes[k] === 0) even++;
    if (bytes[k + 1] === 0) odd++;
  }
  return Math.max(even, odd) * 2 >= n * 0.8;
}

/** The index of the cell of `rec` holding the byte at `at`, or undefined. */
function cellAt(rec: ScannedRecord, at: number): number | undefined {
  for (let i = 0; i < rec.count; i++) if (rec.starts[i]! <= at && at < rec.ends[i]!) return i;
  return undefined;
}

/**
 * A first line `sep=,`, which people and some tools put above the header so that Excel splits the file at
 * commas in every language: it says what the file already is, and the header follows it. Any other
 * separator is refused (see `sepLineHint`): the rows are not separated by commas.
 */
function commaSepLine(rec: ScannedRecord): boolean {
  if (rec.count !== 2 || rec.starts[1] !== rec.ends[1] || rec.escaped[0]) return false;
  const text = rec.buf.toString('latin1', rec.starts[0], rec.ends[0]);
  return text.toLowerCase() === 'sep=';
}

/**
 * A first line `#TYPE System.Management.Automation.PSCustomObject`, which Windows PowerShell's Export-Csv
 * writes above the header unless told -NoTypeInformation: it names the type of the objects exported and
 * holds no value, so it is read past as a `sep=,` line is (padded with empty cells, it is told instead:
 * see `typeLineHint`).
 */
function typeLine(rec: ScannedRecord): boolean {
  if (rec.count !== 1 || rec.escaped[0]) return false;
  return /^#TYPE \S+$/i.test(rec.buf.toString('latin1', rec.starts[0], rec.ends[0]));
}

/**
 * What to do when a row is the line above a header (`#TYPE ...`, `sep=,`) of a file joined after another
 * (two files PowerShell's Export-Csv or a spreadsheet wrote, put one after the other): read past as the
 * first line, but amid the rows it is told for what it is, not as a row whose commas are missing. Looked
 * for only in a row already rejected for its field count.
 */
function joinedFirstLine(rec: ScannedRecord): string | undefined {
  if (rec.count > 2 || (rec.count === 2 && rec.starts[1] !== rec.ends[1]) || rec.escaped[0]) return undefined;
  // A byte-order mark (EF BB BF, read as Latin-1) begins a file joined with its own.
  const text = rec.buf.toString('latin1', rec.starts[0], rec.ends[0]).replace(/^\u00ef\u00bb\u00bf/, '');
  const what = /^#TYPE \S+$/i.test(text)
    ? 'the "#TYPE" line Windows PowerShell\'s Export-Csv writes above a header'
    : /^sep=.?$/i.test(text)
      ? 'a spreadsheet\'s "sep=" line, written above a header'
      : undefined;
  if (what === undefined) return undefined;
  return `it is ${what}: a file joined after another begins here; delete the line and the header after it, and check that the rows after it belong to this export`;
}

/**
 * A row that differs from its header only by empty fields at the end, as the row itself: a comma ending
 * every row but not the header (some tools write one after each field), or a header ending in one the
 * rows lack. Nothing is in those fields, so nothing is lost or shifted; Python's csv and DuckDB read such
 * rows too. A row lacking a field of a named column stays a wrong field count: which field is missing
 * cannot be told.
 */
function trailingFit(rec: ScannedRecord, plan: HeaderPlan): ScannedRecord | undefined {
  const { count } = rec;
  const n = plan.width;
  if (count > n) {
    for (let i = n; i < count; i++) if (rec.starts[i] !== rec.ends[i]) return undefined;
    // Cells are read by their column's index, all below n: the empty ones after them (a spreadsheet's
    // padding too, see `HeaderPlan.width`) are never read.
    return rec;
  }
  // Only cells the header left empty may be left out (see `HeaderPlan.blankTail`): not a named column.
  if (count < plan.header.length - plan.blankTail) return undefined;
  const pad = <T>(cells: readonly T[], value: T): T[] => [
    ...cells.slice(0, count),
    ...new Array<T>(n - count).fill(value),
  ];
  return {
    ...rec,
    count: n,
    starts: pad(rec.starts, rec.end),
    ends: pad(rec.ends, rec.end),
    escaped: pad(rec.escaped, false),
  };
}

/**
 * What is wrong with a row of another field count than its header, and what to do. A row short of fields
 * most often ended in empty cells whose commas a spreadsheet left out (Excel does in some rows, OnlyOffice
 * and xlsx2csv in every such row), or was cut in two by a line break in an unquoted field: which it was,
 * and so which fields are missing, cannot be told from the row, so it is rejected saying both.
 */
function fieldCount(rec: ScannedRecord, plan: HeaderPlan, cut: boolean): Problem {
  const padding = plan.header.length - plan.width;
  if (padding > 0 && rec.count > plan.width) {
    const at = filledFrom(rec, plan.width);
    if (at < plan.header.length) {
      return new Problem(
        'ROW_FIELD_COUNT',
        `the row holds a value in column ${at + 1}, past the header's last named column (${plan.width}): the header ends in ${padding} cells without a name (a spreadsheet saved its empty columns), which are read past; name the column in the header, or move the value into a named column`,
      );
    }
  }
  const columns = plan.header.length;
  const fields = `${rec.count} field${rec.count === 1 ? '' : 's'}`;
  const fix =
    joinedFirstLine(rec) ??
    zeroBytes(rec) ??
    backslashQuotes(rec) ??
    backslashCommas(rec, columns) ??
    (rec.count < columns
      ? `if its last ${columns - rec.count === 1 ? 'cell is' : `${columns - rec.count} cells are`} empty (a spreadsheet may leave out the commas of empty cells ending a row), add a comma for each; else a line break in an unquoted field cut the row: quote fields that contain commas or line breaks`
      : 'quote fields that contain commas or line breaks');
  // Cut mid-row, a row is short; one too long was not cut.
  const said = cut && rec.count < columns ? cutShort(fix) : fix;
  return new Problem('ROW_FIELD_COUNT', `the row has ${fields} but the header has ${columns}; ${said}`);
}

/** The index of the first cell of `rec` from `from` on that holds something; its count if none does. */
function filledFrom(rec: ScannedRecord, from: number): number {
  let i = from;
  while (i < rec.count && rec.starts[i] === rec.ends[i]) i++;
  return i;
}

/**
 * A row whose every cell is empty (`,,,`): a spreadsheet writes one for every blank row it kept below the
 * data when it saves a CSV. It holds no value, so it is skipped as a blank line is (and as Python's csv
 * readers skip what they read as blank), not rejected for a missing id.
 */
function blankRow(rec: ScannedRecord): boolean {
  const { starts, ends } = rec;
  for (let i = 0; i < rec.count; i++) if (starts[i] !== ends[i]) return false;
  return true;
}

/**
 * A cell that is no value of its column's type: null for a missing-value marker (`NA`, `nan`, `NULL`: see
 * `isMissingMarker`), else what is wrong with it. Apart from `value`, which runs for every cell: with its
 * messages inside, it grew past what V8 inlines into `decodeRow`, and a call a cell cost the report ~0.2 s.
 */
function badValue(column: Column, text: string): Problem | null {
  if (isMissingMarker(text)) return null;
  const problem = PROBLEMS[column.type as keyof typeof PROBLEMS];
  const todo = cellHint(column.type, text) ?? 'fix the value or leave the cell empty';
  return new Problem(
    problem.code,
    `column "${column.name}" holds ${shown(text)}, expected ${problem.expected}; ${todo}`,
    column.name,
  );
}

/** A row whose every cell holds spaces or tabs at most (`, ,\t`). */
function spacedCells(rec: ScannedRecord): boolean {
  const { buf, starts, ends } = rec;
  for (let i = 0; i < rec.count; i++)
    for (let k = starts[i]!; k < ends[i]!; k++) if (buf[k] !== 0x20 && buf[k] !== 0x09) return false;
  return true;
}

/**
 * A line of spaces or tabs alone (left below the data or above the header by an editor): blank, as a line
 * with nothing on it is. Looked for only in a row whose field count is wrong (one field where the header
 * has more) and in the lines before the header.
 */
function spacesOnly(rec: ScannedRecord): boolean {
  if (rec.count !== 1) return false;
  for (let i = rec.starts[0]!; i < rec.ends[0]!; i++) {
    const byte = rec.buf[i];
    if (byte !== 0x20 && byte !== 0x09) return false;
  }
  return true;
}

/**
 * An id as a spreadsheet shows a big number, rounded to its number format: `6.91912E+18`, or `6,91912E+18`
 * in a language that writes a decimal comma (LibreOffice in German or French keeps the comma in a CSV).
 */
const ROUNDED_ID = /^\d(?:[.,]\d+)?E\+\d+$/i;
const ROUNDED_EXAMPLES = 3;
const QUESTION = 0x3f;

/**
 * Whether bytes [start, end) hold a letter of two UTF-8 bytes read as two Windows-1252 characters and
 * written as UTF-8 again (`é`, C3 A9, became `Ã©`, C3 83 C2 A9): its first byte (C2 to DF) is now `Â`
 * to `ß` (C3 82 to C3 9F), its second (80 to BF) a character of U+00A0 to U+00BF (C2 A0 to BF) or one of
 * those Windows-1252 puts at 80 to 9F (E2 80 xx, E2 82 AC, C5 xx, C6 92, CB 86, CB 9C). A name holds
 * `Ã` or `Â` followed so by no chance: `É` (C3 89) is followed by a letter.
 */
/** Whether buf[start, end) holds a control character but a tab or line break (see `TableStats.controlNames`). */
function controlIn(buf: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const b = buf[k]!;
    if (b < 0x20 ? b < 0x09 || b > 0x0d : b === 0x7f) return true;
  }
  return false;
}

function garbled(buf: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end - 3; k++) {
    if (buf[k] !== 0xc3) continue;
    const b1 = buf[k + 1]!;
    if (b1 < 0x82 || b1 > 0x9f) continue;
    const b2 = buf[k + 2]!;
    const b3 = buf[k + 3]!;
    if (
      (b2 === 0xc2 && b3 >= 0xa0 && b3 <= 0xbf) ||
      (b2 === 0xe2 && (b3 === 0x80 || b3 === 0x82 || b3 === 0x84)) ||
      (b2 === 0xc5 && b3 >= 0x92 && b3 <= 0xbe) ||
      (b2 === 0xc6 && b3 === 0x92) ||
      (b2 === 0xcb && (b3 === 0x86 || b3 === 0x9c))
    )
      return true;
  }
  return false;
}

/**
 * Whether bytes [start, end) are question marks, with spaces, hyphens, points or apostrophes between
 * (`??? ???`, `?.-?`): letters an encoding could not hold, each written `?` (see `TableStats.lostNames`).
 */
function lostName(buf: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const b = buf[k];
    if (b !== QUESTION && b !== 0x20 && b !== 0x2d && b !== 0x2e && b !== 0x27) return false;
  }
  return true;
}

/** A phone number a spreadsheet took for a number and rounded: `4.15555E+09`, `4,15555E+09`, `1E+11`. */
const ROUNDED_PHONE = /^\d(?:[.,]\d+)?E\+?\d+$/i;

/** An ISO time on 1970-01-01 or 1969-12-31 (epoch 0 in a zone west of UTC): see `TableStats.epochTimes`. */
const onEpochDay = (iso: string) => iso.startsWith('1970-01-01') || iso.startsWith('1969-12-31');

/**
 * Whether a cell read as a time may be on the day of epoch 0, by its text, so that its value is made
 * only then: epoch digits of 8 or fewer (under ~28 hours), digits led by a zero, or a year 19xx.
 */
const maybeEpoch = (text: string) =>
  text.length <= 8 || text.charCodeAt(0) === 48 || (text.charCodeAt(0) === 49 && text.charCodeAt(1) === 57);

/**
 * Whether a time cell may be on the day of epoch 0 or on a day written for no date (see `PLACEHOLDER_DAYS`),
 * by its text: a date before the year 2000 (`0001-`, `1899-`), which no Talent Hub record has.
 */
const oddTime = (text: string) =>
  maybeEpoch(text) || (text.charCodeAt(4) === 45 && text.charCodeAt(0) <= 49) || text.charCodeAt(0) === SPACE;
const SPACE = 0x20;

/**
 * Days tools write for no date, as the cell spells them: .NET's least date, Windows' file time 0, SQL
 * Server's least datetime, a spreadsheet's day 0 (1899-12-30; 1899-12-31 as day 0 of 1900-01-00), its day 1.
 */
const PLACEHOLDER_DAYS = new Set([
  '0001-01-01',
  '1601-01-01',
  '1753-01-01',
  '1899-12-30',
  '1899-12-31',
  '1900-01-01',
]);

const HASH = 0x23;
/** A spreadsheet's error values (Excel, LibreOffice, Google Sheets), as it saves them in a CSV. */
const SHEET_ERRORS = new Set([
  '#NAME?',
  '#VALUE!',
  '#REF!',
  '#DIV/0!',
  '#NUM!',
  '#NULL!',
  '#SPILL!',
  '#CALC!',
  '#ERROR!',
]);

/** Significant digits a spreadsheet holds of a number. */
const SIGNIFICANT = 15;

function addExample(examples: string[], text: string): void {
  if (examples.length < ROUNDED_EXAMPLES && !examples.includes(text)) examples.push(text);
}

/** Whether bytes [start, end) are digits, a point and zeros (`12.0`), without a string made. */
function wholeDecimal(buf: Uint8Array, start: number, end: number): boolean {
  let k = end - 1;
  while (k > start && buf[k] === 0x30) k--;
  if (k === end - 1 || k === start || buf[k] !== 0x2e) return false;
  for (let j = start; j < k; j++) if (buf[j]! < 0x30 || buf[j]! > 0x39) return false;
  return true;
}
/** `yyyy-MM-ddTHH:mm:ss.fffZ` and `yyyy-MM-ddTHH:mm:ss.ffffffZ`: lengths of ISO times to the milli and microsecond. */
const MILLIS_ISO = 24;
const MICROS_ISO = 27;
const CTRL_Z = 0x1a;
const EOF_MARK = new Uint8Array([CTRL_Z]);

/** A line read as blank after all (see `spacesOnly`): skipped, not counted. */
const BLANK = new Problem('ROW_FIELD_COUNT', 'blank');
/** A cell starting or ending with a space of another kind than ASCII's (see `unspaced`). */
const OTHER_SPACES = /^\s|\s$/;

/** A row held with the lines after it (see `holdRow`): not counted yet. */
const HELD = new Problem('ROW_INVALID_QUOTE', 'held');
/** A row whose quotes, escaped with a backslash, leave a quoted field open at its end (see `backslashRow`). */
const OPEN = Symbol('open');
const LF = 0x0a;
const CR = 0x0d;

/**
 * Most lines and bytes a field escaping its quotes with a backslash runs on over (see `joinHeld`): a
 * message of many paragraphs fits; past them the quote that would close it is another row's mistake
 * (`27"` for inches), and the rows held meanwhile are read again as rows. Each line with a quote reads the
 * held text again, so these also bound that work: with 1,000 lines and 1 MiB, a table of stray `\"` took
 * 32 s for 18 MB.
 */
const HELD_LINES = 100;
const HELD_BYTES = 64 * 1024;

/** Rows held while a quoted field runs on over lines (see `holdRow`). */
interface Held {
  /** The rows' bytes so far, their line endings between them: `bytes[0, length)`. */
  bytes: Buffer;
  length: number;
  line: number;
  offset: number;
  /** Absolute offset where the last row held ends (its line ending not included), and the line after it. */
  end: number;
  lineAfter: number;
  /** The first byte of the last row's line ending. */
  lineEnd: number;
}

/** Appends bytes to held rows, their buffer grown twofold when full. */
function append(held: Held, bytes: Uint8Array): void {
  const need = held.length + bytes.length;
  if (need > held.bytes.length) {
    const grown = Buffer.allocUnsafe(need * 2);
    held.bytes.copy(grown, 0, 0, held.length);
    held.bytes = grown;
  }
  held.bytes.set(bytes, held.length);
  held.length = need;
}

/**
 * Whether a line inside a quoted field open since the lines before closes it: a quote neither escaped
 * with a backslash nor doubled (as `backslashRow` reads them).
 */
function closesQuote(line: Uint8Array): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if ((c === BACKSLASH || c === QUOTE) && line[i + 1] === QUOTE) i++;
    else if (c === QUOTE) return true;
  }
  return false;
}

/**
 * The line endings between held rows and the record after them: its buffer's bytes before it when they
 * are there (the record began in the same chunk); else made from their count and length, each as the
 * last row's ended (LF, CRLF or CR; a mix of them around a blank line inside the field may be told apart
 * wrongly, which changes those bytes of the value only).
 */
function lineGap(rec: ScannedRecord, held: Held): Buffer {
  const length = rec.offset - held.end;
  if (rec.start >= length) {
    const before = rec.buf.subarray(rec.start - length, rec.start);
    if (before.every((b) => b === LF || b === CR)) return Buffer.from(before);
  }
  const lines = rec.line - held.lineAfter;
  if (lines * 2 === length) return Buffer.from('\r\n'.repeat(lines));
  return Buffer.alloc(length, held.lineEnd === CR && lines === length ? CR : LF);
}

/** A row whose values `fieldRows` took: no record is made for it. */
const TAKEN = Symbol('taken');

/** What a row's bytes may be rejected for when two rows were joined into one (see `splitJoined`). */
const STRUCTURE = new Set<RejectCode>(['ROW_FIELD_COUNT', 'ROW_INVALID_QUOTE']);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Where, in a row's bytes, a file joined after its last row begins: at a byte order mark past its first
 * byte, or, without one, where the header's first name ends the cell from which the row's last cells are
 * the header's other names (`h1,a,bcandidate_hiringstate_id,name,type`); -1 where neither is.
 */
function joinPoint(rec: ScannedRecord, plan: HeaderPlan): number {
  const bom = rec.buf.subarray(rec.start, rec.end).indexOf(BOM, 1);
  if (bom > 0) return bom;
  const { header } = plan;
  const k = rec.count - header.length;
  if (k < 1 || rec.escaped[k]) return -1;
  for (let i = 1; i < header.length; i++) if (cell(rec, k + i) !== header[i]) return -1;
  const first = Buffer.from(header[0]!);
  const end = rec.ends[k]!;
  const from = end - first.length;
  if (from < rec.starts[k]! || !rec.buf.subarray(from, end).equals(first)) return -1;
  return from - rec.start;
}

/** Scans the bytes of one line or more from a record start, as a table's own scanner would there. */
function scanPart(
  part: { bytes: Buffer; offset: number; line: number },
  maxRecordBytes: number,
  onRecord: (rec: ScannedRecord) => void,
): void {
  const scanner = new Scanner(maxRecordBytes, onRecord, part);
  scanner.push(part.bytes);
  scanner.end();
}
/** Strings of an id column kept to be given again (see `idOf`). */
const LAST_IDS = 4;
/** Lists of a column kept to be given again (see `listOf`): a column holds few distinct ones, or many. */
const LAST_LISTS = 64;

/** Whether bytes [start, end) are ASCII and spell `text` (a non-ASCII byte never matches). */
function sameAscii(buf: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let k = 0; k < text.length; k++) {
    const byte = buf[start + k]!;
    if (byte !== text.charCodeAt(k) || byte > 0x7f) return false;
  }
  return true;
}

/**
 * A wrong cell as a message shows it: quoted when it has no letters (`4,5`, `1e999`), else by its length
 * only. Rows out of line put names and emails into typed columns, and messages reach terminals and reports.
 */
function shown(text: string): string {
  return text.length <= 40 && (!/[^\P{L}eE]/u.test(text) || timeLike(text)) && !phoneLike(text)
    ? JSON.stringify(text)
    : `a text of ${text.length} characters`;
}

/**
 * A phone number as people write one (`+1 (415) 555-0123`, `415.555.0123`, `4155550123`): no letters, yet
 * personal, so never shown. Seven digits or more; not a decimal number (`44329.763888`, a serial date), a
 * date (`13.10.2021`, `10/13/2021`), or digits alone past 12 (epoch milliseconds, microseconds).
 */
function phoneLike(text: string): boolean {
  let digits = 0;
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) digits++;
  if (digits < 7 || !/^\+?[\d\s().\-/]+$/.test(text)) return false;
  if (/^\d+$/.test(text)) return digits <= 12;
  return !/^\d+[.,]\d+$/.test(text) && !/^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$/.test(text);
}

/**
 * A time as tools write one (`0000-03-04T05:06:07Z`, `3/4/2021 5:06 PM`, `... UTC`): digits, and letters
 * only of `T`, `Z`, AM, PM, UTC and GMT, which spell no name or e-mail. Shown, so the reject says which.
 */
const timeLike = (text: string): boolean =>
  /^\d/.test(text) && !/[^\P{L}TZ]/u.test(text.replace(/\b(?:[AP]M|UTC|GMT)\b/g, ''));
