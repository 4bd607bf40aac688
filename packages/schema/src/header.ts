import { SchemaError } from './errors.js';
import type { NormalizedOptions } from './options.js';
import { type FieldType, SCHEMAS, type TableName } from './tables.js';

/** How one output key is read from a row. */
export interface Column {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
  /** Index in the row, or -1 for a missing optional column (always null). */
  readonly index: number;
}

export interface HeaderPlan {
  readonly header: string[];
  /** Schema fields in schema order, then extra columns as text. */
  readonly columns: Column[];
  readonly extraColumns: string[];
  /** The extra columns as messages and reports show them (see `shownColumn`), in the same order. */
  readonly extraColumnsShown: string[];
  readonly missingOptionalColumns: string[];
  /**
   * The header's cells read as columns; those after them are a spreadsheet's padding (see `paddingFrom`),
   * which records and lines leave out: a row's cells there must be empty.
   */
  readonly width: number;
  /** Extra columns whose header repeats an earlier extra column's, suffixed (see `suffixed`). */
  readonly renamedColumns: readonly RenamedColumn[];
  /**
   * How many cells end the header empty as the file wrote it (see `blankTail`): a short row may leave them
   * out, and a decoder given the header again (`continueAt`, whose names are `headerNames`') is told it.
   */
  readonly blankTail: number;
}

/**
 * Where a header's trailing run of empty cells starts, when it is a spreadsheet's used range: 16 cells or
 * more (Excel saves every column of its used range, up to 16,384, so one formatted cell far to the right
 * pads every line). Read as columns, each was a key of every record and of every JSON line, and a table of
 * 20,000 rows became gigabytes. Fewer are columns named by their place, as DuckDB and pandas keep them (a
 * comma ending every line, a few columns a user left without a name, a value there kept). `blank`: how
 * many cells end the header empty as the file wrote it; a cell named `column7` is a name, not padding.
 */
function paddingFrom(given: readonly string[], blank: number): number {
  return blank >= PADDING_CELLS ? given.length - blank : given.length;
}
const PADDING_CELLS = 16;

/** How many cells end a header as written (not as `headerNames` names them) empty or spaces only. */
export function blankTail(given: readonly string[]): number {
  let n = given.length;
  while (n > 0 && given[n - 1]!.trim() === '') n--;
  return given.length - n;
}

/**
 * A header's cells as records name their columns: a column without a name (a comma at the end of every
 * line, as some tools write) is named by its place, as DuckDB names it; spreadsheets and Python's csv
 * read such files too. A place's name that another cell of the header already spells (`column11` beside
 * an empty 11th cell) takes a suffix, `column11_1`, as DuckDB's does: the table was refused for a
 * repeated column.
 */
export function headerNames(given: readonly string[]): string[] {
  if (!given.some((raw) => raw.trim() === '')) return [...given];
  const taken = new Set(given.filter((raw) => raw.trim() !== '').map(foldHeader));
  return given.map((raw, index) => {
    if (raw.trim() !== '') return raw;
    let name = `column${index + 1}`;
    for (let k = 1; taken.has(name); k++) name = `column${index + 1}_${k}`;
    taken.add(name);
    return name;
  });
}

/** Whether `name` is the name `headerNames` gives the empty header cell at `index`. */
export function placeName(name: string, index: number): boolean {
  const base = `column${index + 1}`;
  return name === base || (name.startsWith(`${base}_`) && /^\d+$/.test(name.slice(base.length + 1)));
}

/** A header's cells as the decoder compares them (and refuses two alike): trimmed, in any case. */
export const foldHeader = (name: string): string => name.trim().toLowerCase();

/**
 * How a header cell names a column of the schema: in any case, without spaces, underscores, hyphens or
 * dots, so that headers people retype or tools rename (`Candidate ID`, `candidate-id`, `CandidateId`, R's
 * `Candidate.ID` for a name with a space) still name the guide's `candidate_id`; nor invisible format
 * characters (zero-width spaces and joiners, soft hyphens, direction marks), which a header pasted from a
 * web page or a document brings along: with one, no name matched and the header was taken for a row of
 * data. No two names of a table are alike this way; two extra columns may be, and stay two columns
 * (`555-123` and `555 123`).
 */
export const columnKey = (name: string): string => name.toLowerCase().replace(/[\s_.\p{Cf}-]+/gu, '');

/** The longest header cell shown as written: a longer one is a sentence or a value, not a name. */
const NAME_CHARS = 40;
/** Most digits a column name shown as written holds: more make a phone number or an id. */
const NAME_DIGITS = 6;
/** Most words a column name shown as written has: more read as a sentence ("please call me back soon"). */
const NAME_WORDS = 4;
/**
 * Two or three capitalized words and nothing else is how a person's name reads ("Jane Doe"), a word
 * possibly of capitalized parts joined by hyphens ("Mary-Jane Smith", "Ingrid Solberg-Lund").
 */
const PERSON = /^[A-Z][a-z]+(?:-[A-Z][a-z]+)*(?: [A-Z][a-z]+(?:-[A-Z][a-z]+)*){1,2}$/;

/**
 * Whether a header cell plausibly is a column name, and so may be shown as written. A header is data too:
 * a table saved without its header row has a row of values (names, emails) there, and a cell pasted
 * beside the header may be a name, an address or a sentence. Shown: short ASCII letters, digits, spaces,
 * `_`, `-` and `.`, with a letter, few digits and words, and not read as a person's name. Cautious by
 * design: a real name missed ("Start Date") is shown by its place instead, which loses nothing but a word.
 */
export function plausibleColumnName(cell: string): boolean {
  const name = cell.trim();
  if (name.length === 0 || name.length > NAME_CHARS) return false;
  if (!/^[A-Za-z0-9_ .-]+$/.test(name) || !/[A-Za-z]/.test(name)) return false;
  if (name.split(/ +/).length > NAME_WORDS) return false;
  return name.replace(/\D/g, '').length <= NAME_DIGITS && !PERSON.test(name);
}

/**
 * A header cell as every message, notice and report shows it: as written (trimmed) when it plausibly is a
 * column name, else by its 1-based place, `column 4`. The one rule for header text that reaches people.
 */
export const shownColumn = (cell: string, index: number): string =>
  plausibleColumnName(cell) ? cell.trim() : `column ${index + 1}`;

/**
 * Whether a header reads as a row of values (a table saved without its header row): fewer than half of
 * the table's columns are in it, and a cell is no column name (empty, a number, an email, a name).
 */
export function looksLikeData(table: TableName, given: readonly string[]): boolean {
  const { fields } = SCHEMAS[table];
  const known = new Set(fields.map((field) => columnKey(field.name)));
  const matched = given.filter((cell) => known.has(columnKey(cell))).length;
  return matched * 2 < fields.length && given.some((cell) => !plausibleColumnName(cell));
}

/**
 * The extra columns of a header (not in the table's schema), named as records name them; a spreadsheet's
 * padding is none (see `paddingFrom`).
 */
export function extraColumns(table: TableName, given: readonly string[]): string[] {
  const known = new Set(SCHEMAS[table].fields.map((field) => columnKey(field.name)));
  const header = headerNames(given);
  const names = new Set(header.map(foldHeader));
  const seen = new Set<string>();
  return header
    .slice(0, paddingFrom(given, blankTail(given)))
    .filter((name) => !known.has(columnKey(name)))
    .map((name) => {
      const folded = foldHeader(name);
      if (seen.has(folded)) return suffixed(name, names);
      seen.add(folded);
      return name;
    });
}

/** Matches a header row to the table schema as `columnKey` names columns, in any order. */
export function planHeader(
  given: string[],
  options: NormalizedOptions,
  line: number,
  offset: number,
  blank = blankTail(given),
): HeaderPlan {
  const { table, file, source } = options;
  const where = { table, file, line, offset };
  const header = headerNames(given);
  const width = paddingFrom(given, blank);
  let repeated: { index: number; seen: number } | undefined;
  // Each schema column by the first cell that names it; another naming it too repeats it.
  const { fields } = SCHEMAS[table];
  const fieldKeys = new Set(fields.map((field) => columnKey(field.name)));
  const byKey = new Map<string, number>();
  header.forEach((raw, index) => {
    const key = columnKey(raw);
    if (!fieldKeys.has(key)) return;
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, index);
    else repeated ??= { index, seen };
  });
  const columns: Column[] = [];
  const missingOptionalColumns: string[] = [];
  const used = new Set<number>();
  for (const field of fields) {
    const index = byKey.get(columnKey(field.name)) ?? -1;
    if (index === -1 && field.required) {
      throw new SchemaError(
        'SCHEMA_MISSING_COLUMN',
        `${source} line ${line}: table ${table} has no column "${field.name}", which is required; ${garbledBomHint(given) ?? sepLineHint(given) ?? separatorHint(header) ?? typeLineHint(given) ?? titleHint(table, given) ?? dataHint(table, given) ?? `check that this file holds the ${table} table.`}`,
        { ...where, column: field.name },
      );
    }
    if (index === -1) missingOptionalColumns.push(field.name);
    else used.add(index);
    columns.push({ name: field.name, type: field.type, required: field.required, index });
  }
  // Told after a missing column: a file without its header row has a row of values there, and a value
  // that repeats (a first name equal to the last name) must not reach the message.
  if (repeated !== undefined) {
    const { index, seen } = repeated;
    const shown = shownColumn(header[index]!, index);
    const named = shown === `column ${index + 1}` ? shown : `column "${shown}" (column ${index + 1})`;
    throw new SchemaError(
      'SCHEMA_DUPLICATE_COLUMN',
      `${source} line ${line}: ${named} of table ${table} repeats column ${seen + 1}; remove or rename one of them.`,
      { ...where, column: shown },
    );
  }
  const extraColumns: string[] = [];
  const extraColumnsShown: string[] = [];
  const renamedColumns: RenamedColumn[] = [];
  const names = new Set(header.map((raw) => foldHeader(options.extraNames?.[raw] ?? raw)));
  const first = new Map<string, number>();
  header.forEach((raw, index) => {
    if (used.has(index) || index >= width) return;
    const given = options.extraNames?.[raw] ?? raw;
    const seen = first.get(foldHeader(given));
    const name = seen === undefined ? given : suffixed(given, names);
    if (seen === undefined) first.set(foldHeader(given), index);
    // Shown as the cell it comes from is: a suffix makes no value a plausible name.
    const shown = plausibleColumnName(given) ? name.trim() : `column ${index + 1}`;
    if (seen !== undefined)
      renamedColumns.push({ index, seen, shown, suffix: name.slice(given.trim().length) });
    extraColumns.push(name);
    extraColumnsShown.push(shown);
    columns.push({ name, type: 'text', required: false, index });
  });
  return {
    header,
    columns,
    extraColumns,
    extraColumnsShown,
    missingOptionalColumns,
    width,
    renamedColumns,
    blankTail: blank,
  };
}

/** An extra column whose header repeats an earlier one's, kept under a name of its own. */
export interface RenamedColumn {
  /** 0-based places of the column and of the one it repeats. */
  readonly index: number;
  readonly seen: number;
  /** Its new name as messages show it (see `shownColumn`). */
  readonly shown: string;
  /** What its name added to the header's (`_1`): told where the name is not shown. */
  readonly suffix: string;
}

/**
 * A repeated extra column's name with the first suffix `_1`, `_2`, ... that no header cell nor earlier
 * suffix spells (in any case), as DuckDB names such columns; taken into `names`. Refusing the table for
 * it lost every row over a column nobody asked for (two "Notes" columns a spreadsheet user added).
 */
function suffixed(name: string, names: Set<string>): string {
  let k = 1;
  while (names.has(foldHeader(`${name.trim()}_${k}`))) k++;
  const unique = `${name.trim()}_${k}`;
  names.add(foldHeader(unique));
  return unique;
}

/**
 * What to do when the first line is a spreadsheet's separator line (`sep=,`, which Excel writes and reads
 * but CSV readers do not): the header is the line after it.
 */
function sepLineHint(given: readonly string[]): string | undefined {
  const cells = unpadded(given);
  const line = cells.join(',');
  if (cells.length > 2 || !/^sep=.?$/i.test(line.trim())) return undefined;
  // `sep=;` says the rows are separated by `;` too: deleting the line alone would not make them readable.
  const other = /^sep=([^,\s])$/i.exec(line.trim())?.[1] ?? (line === 'sep=\t' ? '\t' : undefined);
  if (other !== undefined) {
    const name = other === '\t' ? 'tabs' : `"${other}"`;
    return `its first line is a spreadsheet's "sep=" line: delete that line so the header comes first, and as it says the fields are separated by ${name}, save the file with commas between fields (as Talent Hub writes it), or take the table from export.zip again.`;
  }
  return 'its first line is a spreadsheet\'s "sep=" line: delete that line so the header comes first (as Talent Hub writes it).';
}

/**
 * What to do when the first line is one cell with no other separator in it: most likely a title above the
 * header (Numbers writes a table's name there when asked to, people type one), never shown: it may name
 * someone.
 */
/**
 * What to say when the header starts with `ï»¿`: the UTF-8 byte-order mark read as Windows-1252 text, as a
 * tool that read the UTF-8 file in its own encoding and saved it again as UTF-8 leaves it. Its accented
 * letters were garbled alike (`é` became `Ã©`), so the fix is the table, not the header.
 */
function garbledBomHint(given: readonly string[]): string | undefined {
  if (!given[0]?.startsWith('\u00ef\u00bb\u00bf')) return undefined;
  return 'its first column name starts with "\u00ef\u00bb\u00bf", the UTF-8 byte-order mark read as Windows-1252: a tool read the file in its own encoding and saved it again, so its accented letters are most likely garbled too (\u00c3\u00a9 for \u00e9); take the table from export.zip again.';
}

function titleHint(table: TableName, given: readonly string[]): string | undefined {
  const cells = unpadded(given);
  if (cells.length !== 1) return undefined;
  // A name of the table's own columns is a header cut short, no title.
  if (cells !== given && SCHEMAS[table].fields.some((f) => columnKey(f.name) === columnKey(cells[0]!)))
    return undefined;
  return "its first line holds a single cell, most likely a title above the header (as Numbers writes a table's name): delete the lines above the header so that it comes first (as Talent Hub writes it).";
}

/**
 * What to do when the first line is the `#TYPE` line Windows PowerShell's `Export-Csv` writes above the
 * header (`#TYPE System.Management.Automation.PSCustomObject`) unless told `-NoTypeInformation`.
 */
function typeLineHint(given: readonly string[]): string | undefined {
  const cells = unpadded(given);
  if (cells.length !== 1 || !/^#TYPE\s/i.test(cells[0]!.trim())) return undefined;
  return 'its first line is the "#TYPE" line Windows PowerShell\'s Export-Csv writes above the header: delete that line so the header comes first (as Talent Hub writes it), or export again with -NoTypeInformation.';
}

/**
 * A first line's cells without the empty ones ending it: a spreadsheet that saves a sheet pads each line to
 * the sheet's width (`Candidates 2021,,,,`), a title or a `sep=` line above the header too, which are
 * told as such only so.
 */
function unpadded(given: readonly string[]): readonly string[] {
  let n = given.length;
  while (n > 1 && given[n - 1]!.trim() === '') n--;
  return n === given.length ? given : given.slice(0, n);
}

/** What to say when the header reads as a row of values: that, and never the values. */
function dataHint(table: TableName, given: readonly string[]): string | undefined {
  if (!looksLikeData(table, given)) return undefined;
  return `the first row looks like data, not a header: is the header row missing? Add the ${table} header row (its column names are in LinkedIn's export guide) or export the table again.`;
}

/**
 * What to do when the header is one column holding another separator (a spreadsheet saved the file with
 * `;` or tabs): the guide's tables are comma-separated.
 */
function separatorHint(header: readonly string[]): string | undefined {
  if (header.length !== 1) return undefined;
  const other = ([';', '\t', '|'] as const).find((c) => header[0]!.includes(c));
  if (other === undefined) return undefined;
  const name = other === '\t' ? 'tabs' : `"${other}"`;
  const why =
    other === ';'
      ? ' (a spreadsheet set to a language that writes decimal commas separates fields with ";")'
      : other === '\t'
        ? ' (a spreadsheet\'s "Text" or "Unicode text" formats separate fields with tabs)'
        : '';
  return `its header is one column separated by ${name}: save the file with commas between fields (as Talent Hub writes it), or take the table from export.zip again${why}.`;
}

/**
 * The cells of one CSV record as a reader of any leniency reads them: quotes undone, nothing refused (a
 * quote within a cell is kept). `untilLineBreak`: stop at the first line break outside quotes (a header
 * line); else line breaks are kept as text. `separator`: `;` or a tab, as a spreadsheet saves a table in
 * some languages and formats.
 */
export function csvCells(text: string, untilLineBreak = false, separator = ','): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let start = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else quoted = false;
    } else if (c === '"' && start) quoted = true;
    else if (c === separator) {
      cells.push(cell);
      cell = '';
      start = true;
      continue;
    } else if (untilLineBreak && (c === '\r' || c === '\n')) break;
    else cell += c;
    start = false;
  }
  cells.push(cell);
  return cells;
}
