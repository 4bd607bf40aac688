import { columnKey, SCHEMAS, TABLE_NAMES, type TableName, tableForFile } from '@talent-export/schema';
import { type Problem, problem } from './errors.js';
import { lookAlikeHint, tableLookAlike } from './names.js';
import { headerCells, sameCells, sameColumns } from './reorder.js';
import type { FileStamp } from './stamp.js';
import type { UnitedHeader } from './united.js';

/** Where one of the ten tables is: an entry of an archive, or a CSV file of an extracted folder. */
export interface TableSource {
  table: TableName;
  /** The archive (export.zip) or, when extracted, the CSV file, relative to the export's root. */
  file: string;
  /** The entry inside `file`, when `file` is an archive. */
  entry?: string;
  /** Uncompressed size in bytes (of every copy, when `copies`). */
  bytes: number;
  /**
   * The table's other copies, in folders of their own (two contracts' `Contract_1/` and `Contract_1 2/`):
   * their rows are read after this one's, as rows of one table (see TABLE_COPIES_UNITED); a column a copy
   * lacks that the table does not require is empty in its rows.
   */
  copies?: readonly { file: string; entry?: string; bytes: number }[];
  /**
   * The entry is the one export.zip is cut short in (see EXPORT_ZIP_TRUNCATED): its rows before the cut
   * are read, never the whole table; `bytes` is its size as its local header gives it (0 when unknown).
   * Also set when another copy of the table (a second contract's) is the one cut: read from this copy,
   * the table lacks that one's rows.
   */
  truncated?: true;
}

export interface Candidate<T> {
  /** Entry name in the archive, or path relative to the root of an extracted folder. */
  name: string;
  bytes: number;
  ref: T;
  /** A file's stamp as the folder was listed (see `readChunks`); none for an entry of a zip. */
  stamp?: FileStamp;
}

export interface Located<T> {
  sources: Partial<Record<TableName, TableSource>>;
  refs: Partial<Record<TableName, T>>;
  /** The other copies of a table read as one with it (see `TableSource.copies`), in order. */
  more: Partial<Record<TableName, T[]>>;
  /** The header those copies are read under, when some lack a column the table does not require. */
  united: Partial<Record<TableName, UnitedHeader>>;
  problems: Problem[];
}

/**
 * Finds each of the ten tables among files (any folder, any case, singular or plural). A table found twice is
 * a problem naming every copy, and the largest copy is read (a copy of a header alone, as a second
 * contract's folder may hold, would lose every row). Unless `same` says every copy holds the same bytes (an
 * export extracted twice, `Contract_1` beside `Contract_1 2`): then the copy of the shortest path is read,
 * and one notice for all such tables says which copies were alike.
 */
export function locateTables<T>(
  files: readonly Candidate<T>[],
  where: {
    archive?: string;
    root: string;
    refused?: ReadonlySet<TableName>;
    same?: (a: Candidate<T>, b: Candidate<T>) => boolean;
    /** A copy's header line (see `united`), when it could be read: copies are united only when all agree. */
    header?: (file: Candidate<T>) => string | undefined;
    /** Files that are no table, named like one (see `tableLookAlike`): named where that table is missing. */
    lookAlikes?: readonly string[];
    /** The archive is cut short: a table not in it may have been after the cut (see EXPORT_ZIP_TRUNCATED). */
    truncated?: boolean;
  },
): Located<T> {
  const byTable = new Map<TableName, Candidate<T>[]>();
  for (const file of files) {
    const table = tableForFile(file.name);
    if (table === undefined) continue;
    const list = byTable.get(table) ?? [];
    list.push(file);
    byTable.set(table, list);
  }
  const located: Located<T> = { sources: {}, refs: {}, more: {}, united: {}, problems: [] };
  const alike: Alike[] = [];
  const container = where.archive ?? where.root;
  // An extracted export's own folder is `.` in a problem's `file`; a sentence says what it is.
  const label = where.archive ?? (where.root === '.' ? 'the export folder' : where.root);
  for (const table of TABLE_NAMES) {
    const all = byTable.get(table) ?? [];
    // An empty file (or one holding only a BOM and line breaks, given as 0 bytes) has no header and no
    // rows: read, it would stop every command; it is a table not there.
    const found = all.filter((f) => f.bytes > 0);
    const [only] = found;
    if (only === undefined) {
      // A refused entry (encrypted, unsafe, an unsupported method) is there: saying it is not misleads.
      const state = where.refused?.has(table)
        ? `is in ${label} but its entry was refused (ENTRY_REFUSED says why)`
        : all.length > 0
          ? `is in ${label} as ${all.map((f) => f.name).join(' and ')}, which is empty (no header, no rows)`
          : where.truncated
            ? `is not among the entries of ${label} before it is cut short: most likely it was after the cut (EXPORT_ZIP_TRUNCATED)`
            : `is not in ${label}${lookAlike(table, where.lookAlikes)}`;
      located.problems.push(
        problem('TABLE_MISSING', `the ${table} table (e.g. ${fileNames(table)}) ${state}`, {
          file: container,
          table,
        }),
      );
    } else if (found.length > 1) {
      found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const names = found.map((f) => f.name).join(' and ');
      // The copy of the shortest path (`Contract_1/`, not `Contract_1 2/`), when all hold the same bytes.
      const first = found.reduce((a, b) => (b.name.length < a.name.length ? b : a));
      const same = where.same !== undefined && found.every((f) => f === first || where.same!(first, f));
      if (same) {
        alike.push({ table, copies: found.map((f) => f.name), read: first.name });
        locate(located, table, first, where.archive);
        continue;
      }
      // Copies in contracts' folders side by side (`Contract_1/`, `Contract_1 2/`, as the guide shows
      // export.zip), their headers alike, are two contracts' tables: every row is read, shorter paths first.
      // Other copies (Notes.csv beside notes (1).csv, an export unpacked twice and edited, other headers) are
      // one table saved twice: which is right cannot be known.
      const header = where.header?.(found[0]!);
      const inContracts = contracts(found);
      // Headers naming the same columns in another order (or spelled otherwise) are read by the names.
      const headerOf = (f: (typeof found)[number]) => where.header?.(f);
      const read = header !== undefined && found.every((f) => headerOf(f) !== undefined);
      const sameHeaders = read && found.every((f) => sameColumns(header, headerOf(f)!));
      // Copies lacking columns the table does not require (a copy from an older export) are read as one
      // with the others too, those columns empty in its rows; other headers are not (see `optionalLacked`).
      const lacking =
        read && !sameHeaders && inContracts && !found.some((f) => separated(headerOf(f)!))
          ? optionalLacked(
              table,
              found,
              found.map((f) => headerOf(f)!),
            )
          : undefined;
      if (inContracts && (sameHeaders || lacking?.header !== undefined)) {
        // `Contract_1/` before `Contract_1 2/`: shorter paths first.
        const sorted = [...found].sort((a, b) => a.name.length - b.name.length || (a.name < b.name ? -1 : 1));
        // Of three or more copies, two may be alike (one contract's folder unpacked twice, `Contract_1 3/`
        // beside `Contract_1/`): read once, or their rows would be read twice.
        const order: Candidate<T>[] = [];
        const repeats: string[] = [];
        for (const f of sorted) {
          const twin = order.find((o) => o.bytes === f.bytes && where.same?.(o, f) === true);
          if (twin === undefined) order.push(f);
          else repeats.push(`${f.name} holds the same bytes as ${twin.name} and is not read`);
        }
        if (order.length === 1) {
          alike.push({ table, copies: found.map((f) => f.name), read: order[0]!.name });
          locate(located, table, order[0]!, where.archive);
          continue;
        }
        const lacks = (f: Candidate<T>) => lacking?.lacks.has(f.name) === true;
        const line = lacking?.header?.line ?? headerOf(order[0]!)!;
        const moved = order.filter((f) => !lacks(f) && !sameCells(line, headerOf(f)!)).map((f) => f.name);
        const headers =
          moved.length === 0 && lacking === undefined
            ? 'their headers alike'
            : `their headers naming the same columns${moved.length > 0 ? ` (${moved.join(' and ')} in another order or spelling, its rows read by the columns' names)` : ''}${lacking === undefined ? '' : `, but ${lackedWords(lacking, true)}`}`;
        unite(located, table, order, where.archive);
        if (lacking?.header !== undefined) located.united[table] = lacking.header;
        const repeated = repeats.length > 0 ? `; ${repeats.join('; ')}` : '';
        located.problems.push(
          problem(
            'TABLE_COPIES_UNITED',
            `the ${table} table is in ${label} ${found.length} times (${sorted.map((f) => f.name).join(' and ')}), each in a contract's folder of its own, and the copies differ (${sorted.map((f) => `${f.bytes.toLocaleString('en-US')} bytes`).join(' and ')}), ${headers}: the rows of every copy are read as one table, the copies in the order named${repeated}; a rejected row is named by its copy and its line there`,
            where.archive === undefined
              ? { file: first.name, table }
              : { file: where.archive, entry: first.name, table },
          ),
        );
        continue;
      }
      // A copy whose first line does not name the table's key column (a title line above the header, a
      // copy saved without it) is refused once read: the largest of the others is read, when some are.
      const key = SCHEMAS[table].fields[0]!.name;
      const keyed = found.filter((f) => namesColumn(where.header?.(f), key));
      const largestOf = (copies: typeof found) =>
        copies.reduce((a, b) =>
          b.bytes > a.bytes || (b.bytes === a.bytes && b.name.length < a.name.length) ? b : a,
        );
      const largest = largestOf(keyed.length > 0 ? keyed : found);
      const which =
        largest === largestOf(found) ? 'the largest' : `the largest whose first line names the column ${key}`;
      const sizes = found.map((f) => `${f.bytes.toLocaleString('en-US')} bytes`).join(' and ');
      // Two contracts' copies not united: say why, or the rows left out look like a mistake of this tool.
      const headers = inContracts && header !== undefined ? found.map((f) => where.header!(f)) : [];
      // A copy a spreadsheet saved with another separator names the same columns: "other columns" misled.
      const otherSeparator = headers.some((h) => h !== undefined && separated(h));
      const why =
        headers.length === 0 || headers.some((h) => h === undefined)
          ? ''
          : otherSeparator
            ? ', their header lines too (one separated by semicolons or tabs, not commas, as a spreadsheet in another language saves a table), so their rows cannot be read as one table'
            : lacking !== undefined
              ? `, their header lines too: ${lackedWords(lacking, false)}, so their rows cannot be read as one table`
              : ', their header lines too (other columns), so their rows cannot be read as one table';
      const todo =
        where.archive === undefined
          ? 'Keep the copy you want, move or delete the other(s), and run again'
          : `Download ${where.archive} again, or remove the copy you do not want from it, and run again`;
      // One copy is read rather than none: two contracts' folders (as LinkedIn's guide shows them) or a
      // copy edited by hand would otherwise stop every command; what is not read is said.
      located.problems.push(
        problem(
          'TABLE_DUPLICATE',
          `the ${table} table is in ${label} ${found.length} times (${names}) and ${where.same === undefined ? 'the copies were not compared' : `the copies differ (${sizes})${why}`}: only ${largest.name}, ${which}, is read, the rows of the other copies are not. ${todo}`,
          where.archive === undefined
            ? { file: found[0]!.name, table }
            : { file: where.archive, entry: found[0]!.name, table },
        ),
      );
      locate(located, table, largest, where.archive);
    } else {
      locate(located, table, only, where.archive);
    }
  }
  if (alike.length > 0) located.problems.push(alikeNotice(alike, label, container));
  return located;
}

/** A table found more than once, every copy holding the same bytes. */
interface Alike {
  table: TableName;
  /** Every copy's path, sorted. */
  copies: string[];
  read: string;
}

/**
 * One notice for the tables whose copies are alike: an export unpacked twice has every table twice, and
 * ten messages would say one thing. Tables are grouped by the folders their copies are in.
 */
function alikeNotice(alike: readonly Alike[], label: string, container: string): Problem {
  const groups = new Map<string, { tables: TableName[]; folders: string[]; read: string }>();
  const single: string[] = [];
  for (const { table, copies, read } of alike) {
    const folders = copies.map(folderOf);
    if (new Set(folders).size < folders.length) {
      // Two copies in one folder (Notes.csv and notes.csv): named by file.
      single.push(`${table} as ${copies.join(' and ')}, read from ${read}`);
      continue;
    }
    const key = `${folders.join('\u0000')}\u0001${folderOf(read)}`;
    const group = groups.get(key) ?? { tables: [], folders, read: folderOf(read) };
    group.tables.push(table);
    groups.set(key, group);
  }
  const one = groups.size === 1 && single.length === 0;
  const said = [
    ...[...groups.values()].map(({ tables, folders, read }) => {
      const which = one
        ? ''
        : `${tables.length === TABLE_NAMES.length ? 'all ten tables' : tables.join(', ')} `;
      return `${which}in ${folders.join(' and ')}, read from ${read}`;
    }),
    ...single,
  ];
  return copiesIdentical(
    `${label} holds ${tablesCounted(alike.length)} more than once (an export unpacked twice?)`,
    said.join('; '),
    container,
  );
}

/** `n` of the ten tables, as a sentence names them. */
export function tablesCounted(n: number): string {
  return n === TABLE_NAMES.length ? 'all ten tables' : n === 1 ? 'a table' : `${n} tables`;
}

/**
 * TABLE_COPIES_IDENTICAL, worded once for copies inside an export and for export.zip's tables unzipped
 * beside it: `held` says which tables are there more than once, `said` where the copies are and which is read.
 */
export function copiesIdentical(held: string, said: string, file: string): Problem {
  return problem(
    'TABLE_COPIES_IDENTICAL',
    `${held}, the copies alike byte for byte: ${said}. The other copies are not read and can be deleted`,
    { file },
  );
}

/** The folder of a table file (`Contract_1/`), or `the top level` for one at the root. */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? 'the top level' : `${path.slice(0, slash)}/`;
}

const CONTRACT = /^contracts?_\d+(?: \d+)?$/i;

/** Whether each copy is in a contract's folder of its own, the folders side by side. */
function contracts(copies: readonly { name: string }[]): boolean {
  const folders = copies.map((f) => f.name.split('/').slice(0, -1));
  const parent = (segments: string[]) => segments.slice(0, -1).join('/');
  return (
    folders.every((s) => CONTRACT.test(s.at(-1) ?? '') && parent(s) === parent(folders[0]!)) &&
    new Set(folders.map((s) => s.at(-1))).size === folders.length
  );
}

/** `locate`, with the other copies read after the first (see `TableSource.copies`). */
function unite<T>(
  located: Located<T>,
  table: TableName,
  [first, ...rest]: readonly Candidate<T>[],
  archive: string | undefined,
): void {
  if (first === undefined) return;
  locate(located, table, first, archive);
  const source = located.sources[table]!;
  located.sources[table] = {
    ...source,
    bytes: rest.reduce((n, f) => n + f.bytes, first.bytes),
    copies: rest.map((f) =>
      archive === undefined
        ? { file: f.name, bytes: f.bytes }
        : { file: archive, entry: f.name, bytes: f.bytes },
    ),
  };
  located.more[table] = rest.map((f) => f.ref);
}

function locate<T>(
  located: Located<T>,
  table: TableName,
  file: Candidate<T>,
  archive: string | undefined,
): void {
  located.sources[table] =
    archive === undefined
      ? { table, file: file.name, bytes: file.bytes }
      : { table, file: archive, entry: file.name, bytes: file.bytes };
  located.refs[table] = file.ref;
}

/** The hint for the first file of `names` named like `table` (see `tableLookAlike`), else ''. */
function lookAlike(table: TableName, names: readonly string[] = []): string {
  for (const name of names) {
    const like = tableLookAlike(name);
    if (like?.table === table) return lookAlikeHint(like);
  }
  return '';
}

function fileNames(table: TableName): string {
  return table === 'candidates' ? 'Candidate.csv or Candidates.csv' : `${pascal(table)}.csv`;
}

function pascal(name: string): string {
  return name.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
}

/** Whether a file of export.zip (or the extracted folder) is one the export is known to hold. */
export function isKnownExportFile(name: string): boolean {
  return tableForFile(name) !== undefined || /(^|\/)export\.csv$/i.test(name);
}

/** What two contracts' copies of a table differ by: columns some lack that the table does not require. */
interface Lacking {
  /** The copies lacking a column, by name: the columns each lacks, as the schema names them. */
  lacks: Map<string, string[]>;
  /**
   * The header every copy is read under (see `UnitedHeader`): the first that names every column, else the
   * one naming most with the others put after it; undefined when none can be made (see `unitedHeader`).
   */
  header: UnitedHeader | undefined;
}

/**
 * What two contracts' copies of a table differ by, when it is only columns of the table's schema that are
 * not required, some copies lacking them (`Contract_1 2/Candidate.csv lacks the column tags, which another
 * copy has`): a copy from an export made before a column was added. Their rows are read as one table,
 * those columns empty in the rows of a copy lacking them, as a row with an empty cell there would be read;
 * undefined when the copies differ otherwise (a column not of the schema, a required one, a name given
 * twice), as which copy is right cannot be known.
 */
function optionalLacked<T>(
  table: TableName,
  copies: readonly Candidate<T>[],
  headers: readonly string[],
): Lacking | undefined {
  const optional = new Map(
    SCHEMAS[table].fields.filter((f) => !f.required).map((f) => [columnKey(f.name), f.name]),
  );
  const keys = headers.map((h) =>
    headerCells(h)
      .map((cell) => columnKey(cell.trim()))
      .filter((k) => k !== ''),
  );
  if (keys.some((k) => new Set(k).size !== k.length)) return undefined;
  const all = new Set(keys.flat());
  const lacks = new Map<string, string[]>();
  const lacking = new Set<string>();
  for (const [k, copy] of copies.entries()) {
    const own = new Set(keys[k]);
    // In the schema's order (see `optional`), as a header names them.
    const lacked = [...new Set([...optional.keys(), ...all])].filter((key) => all.has(key) && !own.has(key));
    if (lacked.some((key) => !optional.has(key))) return undefined;
    if (lacked.length === 0) continue;
    for (const key of lacked) lacking.add(key);
    lacks.set(
      copy.name,
      lacked.map((key) => optional.get(key)!),
    );
  }
  if (lacks.size === 0) return undefined;
  const line = unitedHeader(table, headers, keys, all);
  return { lacks, header: line === undefined ? undefined : { line, lacking: [...lacking] } };
}

/**
 * The header line naming every column of `all`: the first copy's that does (copies read in the order of
 * their paths), else the one naming most, the others it lacks put after its own in the schema's order. A
 * header ending in cells without a name (a spreadsheet's empty columns) takes none after it: undefined.
 */
function unitedHeader(
  table: TableName,
  headers: readonly string[],
  keys: readonly string[][],
  all: ReadonlySet<string>,
): string | undefined {
  const order = headers
    .map((line, k) => ({ line, keys: keys[k]!, path: k }))
    .sort((a, b) => b.keys.length - a.keys.length || a.path - b.path);
  const most = order[0]!;
  if (most.keys.length === all.size) return most.line;
  const cells = headerCells(most.line);
  if (cells.length !== most.keys.length) return undefined;
  const own = new Set(most.keys);
  const more = SCHEMAS[table].fields.filter((f) => all.has(columnKey(f.name)) && !own.has(columnKey(f.name)));
  return [most.line, ...more.map((f) => f.name)].join(',');
}

/**
 * Which copy lacks which column, as a problem says it: `read`, that its rows are read with those columns
 * empty.
 */
function lackedWords(lacking: Lacking, read: boolean): string {
  let columns = 0;
  const said = [...lacking.lacks].map(([copy, names]) => {
    columns += names.length;
    const one = names.length === 1;
    const empty = read ? `, so its rows are read with ${one ? 'it' : 'them'} empty` : '';
    return `${copy} lacks the column${one ? '' : 's'} ${names.join(' and ')}, which another copy has${empty}`;
  });
  const which = columns === 1 ? 'a column' : 'columns';
  return `${said.join('; ')} (${which} the table does not require: most likely a copy from an older export)`;
}

/** Whether a header line is separated by semicolons or tabs, not commas, as a spreadsheet may save one. */
function separated(line: string): boolean {
  return !line.includes(',') && /[;\t]/.test(line);
}

/** Whether a header line names a column (see `columnKey`): undefined when it could not be read. */
function namesColumn(line: string | undefined, column: string): boolean {
  if (line === undefined) return false;
  const key = columnKey(column);
  return headerCells(line).some((cell) => columnKey(cell.trim()) === key);
}
