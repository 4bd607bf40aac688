// Table sources: where each of the ten tables is (an entry of export.zip or a CSV file) and its bytes.
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { kindOf } from '@talent-export/errors';
import { type TableName, tableForFile } from '@talent-export/schema';
import { hiddenFileName, openZip, type ZipArchive, type ZipEntry } from '@talent-export/zip';
import { besideProblems, namesAColumn } from './beside.js';
import { chunkStream, readChunks, type Watched } from './chunks.js';
import { type CutTables, tablesOf, truncatedExportZip, wholeRows } from './cut-export-zip.js';
import { ExportError, entryProblem, type Problem, type ProblemList, problem } from './errors.js';
import type { Found } from './find.js';
import { archiveProblems, downloadAgain, openHandle, openNoFollow, reason } from './io.js';
import {
  baseName,
  classifyDownloadName,
  isJunk,
  otherArchive,
  otherArchiveMessage,
  parseAttachmentPath,
  tableLookAlike,
  zippedMessage,
} from './names.js';
import { type NormalizedOptions, partZip } from './options.js';
import type { FileStamp } from './stamp.js';
import { type Candidate, locateTables, type TableSource } from './tables.js';
import { CopyPlaces, headerLine, sepLineBytes, type UnitedHeader, united, withPlaces } from './united.js';
import { ZippedCopies } from './zipped-copies.js';

export interface Sources {
  sources: Partial<Record<TableName, TableSource>>;
  zipEntries: Partial<Record<TableName, ZipEntry>>;
  csvPaths: Partial<Record<TableName, string>>;
  /** Each CSV file's stamp as the folder was listed, by path: read, it must be the same file still. */
  stamps?: ReadonlyMap<string, FileStamp>;
  /** A table's other copies, read after the first as one table (see `TableSource.copies`). */
  more: Partial<Record<TableName, ZipEntry[] | string[]>>;
  /** The header a table's copies are read under when some lack a column (see `UnitedHeader`). */
  united: Partial<Record<TableName, UnitedHeader>>;
  archive: ZipArchive | null;
  /** The table read from the entry export.zip is cut short in: its whole rows before the cut. */
  cutTable?: TableName;
  /** An export.csv inside export.zip. */
  manifestEntry?: ZipEntry;
  /**
   * The zip given as the export holds candidate folders and nothing of the export's own (no table, no
   * export.csv): an attachment part under another name (`resumes.zip`), and the part folder it holds.
   */
  renamedPart?: { folder?: string; first?: string; last?: string };
}

const MAX_UNKNOWN_NOTICES = 20;

/** Lists export.zip (or the extracted CSV files) and finds the ten tables in it. */
export async function locateSources(
  found: Found,
  problems: ProblemList,
  opts: NormalizedOptions,
): Promise<Sources> {
  const tables: Sources = { sources: {}, zipEntries: {}, csvPaths: {}, more: {}, united: {}, archive: null };
  // An extracted export, or a download whose export.zip was unzipped and is gone (see `tablesUnzipped`).
  if (found.layout === 'extracted' || found.tablesUnzipped) {
    const digests = await duplicateDigests(found.csvFiles, opts.signal);
    const files = await blanksAsEmpty(found.csvFiles, (file) => headOf(file.ref));
    const headers = await copyHeaders(files, (file) => openNoFollow(file.ref, opts.signal));
    const located = locateTables(withoutStrangers(files, headers, problems), {
      root: '.',
      same: (a, b) => digests.get(a.ref) !== undefined && digests.get(a.ref) === digests.get(b.ref),
      header: (file) => headers.get(file),
      ...(found.lookAlikes ? { lookAlikes: found.lookAlikes } : {}),
    });
    problems.addAll(located.problems);
    tables.sources = located.sources;
    tables.csvPaths = located.refs;
    tables.more = located.more;
    tables.stamps = new Map(found.csvFiles.flatMap((file) => (file.stamp ? [[file.ref, file.stamp]] : [])));
    tables.united = located.united;
    return tables;
  }
  const zip = found.exportZip;
  if (zip === undefined) return tables;
  /** export.zip cannot be read: refused given alone, else a problem and no table. */
  const unreadableZip = (error: unknown): Sources => {
    opts.signal?.throwIfAborted();
    // Only unreadable input is a problem of the export; a bad option or a bug is the caller's.
    if (kindOf(error) !== 'input') throw error;
    if (found.layout === 'export-zip') {
      throw new ExportError('EXPORT_UNREADABLE', notAnExport(zip.file, error), {
        file: zip.file,
        cause: error,
      });
    }
    problems.add(
      problem(
        'EXPORT_ZIP_UNREADABLE',
        downloadAgain(`${zip.file} cannot be read, so none of the ten tables can be: ${reason(error)}`),
        { file: zip.file },
      ),
    );
    return tables;
  };
  let archive: ZipArchive;
  // The same, a file cut short refused (ZIP_TRUNCATED): for one holding nothing of the export before the cut.
  let refuseCut: () => Promise<ZipArchive>;
  try {
    // Opened as an attachment part is (see `partZip`): its entries other than the tables may be named after
    // people (a file a user added, a refused link), and a zip of the unpacked export holds the candidates'
    // folders, where `CV.pdf` beside `cv.pdf` is two uploads (two tables differing so are TABLE_DUPLICATE).
    // Cut short (a download that stopped), it is read as far as its entries are whole (see
    // EXPORT_ZIP_TRUNCATED): refused, not one of its tables was read.
    const zipOptions = {
      ...partZip(opts.zip),
      truncated: 'salvage' as const,
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
    archive = await openZip(zip.path, zipOptions);
    refuseCut = () => openZip(zip.path, { ...zipOptions, truncated: 'refuse' });
  } catch (error) {
    return unreadableZip(error);
  }
  const files: Candidate<ZipEntry>[] = [];
  const zipped = { exportZip: 0, parts: 0 };
  let attachments = 0;
  const copies = new ZippedCopies();
  const unknownFiles: Problem[] = [];
  const lookAlikes: string[] = [];
  let unknown = 0;
  try {
    for await (const entry of archive.entries()) {
      if (entry.isDirectory || isJunk(entry.name)) continue;
      const kind =
        tableForFile(entry.name) === undefined ? classifyDownloadName(baseName(entry.name)).kind : 'table';
      if (kind === 'table') {
        files.push({ name: entry.name, bytes: entry.uncompressedSize, ref: entry });
      } else if (found.layout === 'export-zip' && parseAttachmentPath(entry.name).kind !== 'unknown') {
        // Read as its own part (below); in a download, export.zip's attachments are files it should not hold.
        attachments++;
        copies.add(entry.name, entry.uncompressedSize, entry.crc32);
      } else if (kind === 'manifest') {
        tables.manifestEntry ??= entry;
      } else {
        if (kind === 'export-zip') zipped.exportZip++;
        if (kind === 'part') zipped.parts++;
        if (tableLookAlike(entry.name) !== undefined) lookAlikes.push(entry.name);
        // Its name may be anyone's (`José García notes.csv`): shown without it, as attachments are.
        if (++unknown <= MAX_UNKNOWN_NOTICES) {
          unknownFiles.push(
            entryProblem('UNKNOWN_FILE', zip.file, entry.name, 'is not one of the ten tables and is ignored'),
          );
        }
      }
    }
  } catch (error) {
    opts.signal?.throwIfAborted();
    // Only unreadable input is a problem of the export; a bad option or a bug is the caller's.
    if (kindOf(error) !== 'input') throw error;
    problems.addFound(unknownFiles);
    await archive.close();
    problems.add(
      problem(
        'EXPORT_ZIP_UNREADABLE',
        downloadAgain(`${zip.file} cannot be read to the end (${reason(error)})`),
        { file: zip.file },
      ),
    );
    return tables;
  }
  if (files.length + attachments === 0 && tables.manifestEntry === undefined && (await nothingCut(archive))) {
    // Cut short with nothing of the export whole before the cut: refused as cut short (ZIP_TRUNCATED says
    // where), as it was before its entries could be salvaged.
    await archive.close();
    return await refuseCut().then(async (again) => {
      await again.close();
      return tables;
    }, unreadableZip);
  }
  if (found.layout === 'export-zip' && asPart(zip.file, files.length, attachments, tables, zipped)) {
    await archive.close();
    tables.renamedPart = copies.partFolder() ?? {};
    return tables;
  }
  // Cut short, it is told once with its tables (EXPORT_ZIP_TRUNCATED, below), not as a part is.
  problems.addAll(archiveProblems(archive, zip.file).filter((p) => p.code !== 'PART_TRUNCATED'));
  // A zip of the whole export unpacked (the tables and the candidate folders, zipped to be sent) given as
  // the export: it is its own attachment part too, else every attachment in it went unread.
  if (attachments > 0) {
    const { roots, problems: told } = copies.copies(zip.file);
    problems.addAll(told);
    const bytes = (await stat(zip.path)).size;
    found.parts.push({
      file: zip.file,
      path: zip.path,
      kind: 'zip',
      bytes,
      ...(roots.length > 0 ? { copies: roots } : {}),
    });
  }
  if (files.length === 0 && zipped.exportZip + zipped.parts > 0) {
    await archive.close();
    const message = zippedDownload(zip.file, zipped, found.layout === 'export-zip');
    if (found.layout === 'export-zip')
      throw new ExportError('EXPORT_UNRECOGNIZED', message, { file: zip.file });
    problems.add(problem('EXPORT_ZIP_UNREADABLE', message, { file: zip.file }));
    return tables;
  }
  // Read as a part too, its other files are told once, by the attachment index.
  if (attachments === 0) problems.addFound(unknownFiles);
  if (attachments === 0 && unknown > MAX_UNKNOWN_NOTICES) {
    problems.add(
      problem(
        'UNKNOWN_FILE',
        `${zip.file}: ${unknown - MAX_UNKNOWN_NOTICES} more unknown files are ignored`,
        // Counted as data: a caller counting the files found does not read the number out of the words.
        { file: zip.file, count: unknown - MAX_UNKNOWN_NOTICES },
      ),
    );
  }
  const refused = new Set(
    archive.refused.flatMap((error) => {
      const table = error.entry === undefined ? undefined : tableForFile(error.entry);
      return table === undefined ? [] : [table];
    }),
  );
  const candidates = await blanksAsEmpty(files, (file) => entryBytes(archive, file.ref));
  const headers = await copyHeaders(candidates, (file) => archive.openStream(file.ref));
  const located = locateTables(candidates, {
    archive: zip.file,
    root: '.',
    refused,
    same: (a, b) => a.ref.crc32 === b.ref.crc32 && a.ref.uncompressedSize === b.ref.uncompressedSize,
    header: (file) => headers.get(file),
    lookAlikes,
    truncated: archive.truncated !== undefined,
  });
  const truncated = archive.truncated;
  if (truncated !== undefined) {
    const cut = await cutTableOf(archive, zip.file, located.sources);
    if (cut.source !== undefined) {
      located.sources[cut.source.table] = cut.source;
      // Read from the cut entry, unless another copy is whole (then only marked: it lacks the cut copy's rows).
      if (cut.source.entry === truncated.cutEntry?.name) tables.cutTable = cut.source.table;
      located.problems = located.problems.filter(
        (p) => !(p.code === 'TABLE_MISSING' && p.table === cut.source!.table),
      );
    }
    const { whole, missing } = tablesOf(located.sources, cut.tables.cut?.table);
    problems.add(truncatedExportZip({ ...cut.tables, whole, missing }));
  }
  problems.addAll(located.problems);
  if (found.besideTables)
    problems.addAll(await besideProblems(found.besideTables, located.refs, zip.file, opts.signal));
  tables.sources = located.sources;
  tables.zipEntries = located.refs;
  tables.more = located.more;
  tables.united = located.united;
  tables.archive = archive;
  return tables;
}

/** Why the cut entry's bytes hold no whole line (not even the header), or undefined when they do. */
async function cutHeaderLine(archive: ZipArchive): Promise<string | undefined> {
  const rows = wholeRows(await archive.openCutEntry());
  try {
    const first = await rows.next();
    return first.done ? 'the cut falls in its header line: no whole line is before it' : undefined;
  } finally {
    await rows.return(undefined);
  }
}

/** Cut short, and not in a table a line of which can be read before the cut. */
async function nothingCut(archive: ZipArchive): Promise<boolean> {
  const truncated = archive.truncated;
  if (truncated === undefined) return false;
  const cut = truncated.cutEntry;
  if (cut === undefined || isJunk(cut.name) || tableForFile(cut.name) === undefined) return true;
  return (await cutHeaderLine(archive).catch((error: unknown) => reason(error))) !== undefined;
}

/**
 * The table of the entry export.zip is cut short in, when it is one: read from its bytes before the cut
 * (`source`) unless another copy of it is whole, or its bytes cannot be read at all.
 */
async function cutTableOf(
  archive: ZipArchive,
  file: string,
  sources: Partial<Record<TableName, TableSource>>,
): Promise<{ source?: TableSource; tables: Omit<CutTables, 'whole' | 'missing'> }> {
  const truncated = archive.truncated!;
  const entry = truncated.cutEntry;
  const table = entry === undefined || isJunk(entry.name) ? undefined : tableForFile(entry.name);
  if (entry === undefined || table === undefined) return { tables: { file, truncated } };
  const whole = sources[table];
  if (whole !== undefined) {
    // Read from its whole copy, it still lacks the rows of the cut one: never given as whole.
    const other = whole.entry ?? whole.file;
    const source: TableSource = { ...whole, truncated: true };
    return { source, tables: { file, truncated, cut: { table, entry: entry.name, read: false, other } } };
  }
  // Read here up to its first line end, so that a table none of whose lines is whole (its header cut), or
  // whose bytes cannot be read (encrypted, another method), is told now: not read as a table of no header.
  const why = await cutHeaderLine(archive).catch((error: unknown) => reason(error));
  const cut = { table, entry: entry.name, read: why === undefined, ...(why === undefined ? {} : { why }) };
  if (why !== undefined) return { tables: { file, truncated, cut } };
  const source: TableSource = {
    table,
    file,
    entry: entry.name,
    bytes: entry.uncompressedSize ?? 0,
    truncated: true,
  };
  return { source, tables: { file, truncated, cut } };
}

/**
 * Whether a zip given as the export, named like no file of a download, is an attachment part renamed by
 * hand: it holds candidate folders, and no table, export.csv or zip of the download. Read as export.zip,
 * each of the ten tables was told missing, and its folder's export was not read.
 */
function asPart(
  file: string,
  tables: number,
  attachments: number,
  sources: Sources,
  zipped: { exportZip: number; parts: number },
): boolean {
  if (tables > 0 || attachments === 0 || sources.manifestEntry !== undefined) return false;
  return zipped.exportZip + zipped.parts === 0 && classifyDownloadName(baseName(file)).kind === 'other';
}

/**
 * The files, but for a file of the user's named like a table (`Notes.csv` beside the export's
 * `Contract_1/Notes.csv`) whose header names none of that table's columns while another copy's does: read
 * as the table (the larger, or united with it), it failed the table. It is told, as any stray file is.
 */
function withoutStrangers<T>(
  files: Candidate<T>[],
  headers: Map<Candidate<T>, string>,
  problems: ProblemList,
): Candidate<T>[] {
  const table = (file: Candidate<T>) => tableForFile(file.name)!;
  const fits = (file: Candidate<T>) => {
    const header = headers.get(file);
    return header === undefined || namesAColumn(header, table(file));
  };
  const strangers = files.filter(
    (file) =>
      headers.has(file) &&
      !fits(file) &&
      files.some((other) => table(other) === table(file) && headers.has(other) && fits(other)),
  );
  for (const file of strangers) {
    const shown = hiddenFileName(file.name);
    problems.add(
      problem(
        'UNKNOWN_FILE',
        `${shown} is named like the ${table(file)} table, but its first line names none of that table's columns, as the table's other copy does: it is not part of the export and is ignored`,
        { file: shown },
      ),
    );
  }
  return files.filter((file) => !strangers.includes(file));
}

/**
 * Files this small are read, to tell an empty sheet (a BOM, line breaks, blank rows) from a table: a
 * sheet's used range saves a row of commas for each of its rows, a few thousand of them at most.
 */
const BLANK_MAX = 64 * 1024;

/** `sep=,` and the line break ending it, as a spreadsheet writes it above the header. */
const SEP_LINE = /^sep=,(?:\r\n|\r|\n|$)/i;

/**
 * Whether a file's bytes hold no header and no row: at most a UTF-8 BOM, a spreadsheet's `sep=,` line,
 * line breaks, blank rows (commas, spaces and tabs alone, as a spreadsheet saves the empty rows of its
 * used range) and a Ctrl-Z ending the file (DOS-era tools' end-of-file mark): the decoder reads past
 * each of them, and finding no header would refuse the table, where an empty file is a table not there.
 */
function isBlank(bytes: Uint8Array): boolean {
  let from = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const sep = SEP_LINE.exec(Buffer.from(bytes.subarray(from, from + 7)).toString('latin1'));
  if (sep !== null) from += sep[0].length;
  const end = bytes[bytes.length - 1] === 0x1a ? bytes.length - 1 : bytes.length;
  for (let at = from; at < end; at++) if (!BLANK_BYTES.has(bytes[at]!)) return false;
  return true;
}

/** Line breaks, commas, spaces and tabs. */
const BLANK_BYTES = new Set([0x0a, 0x0d, 0x2c, 0x20, 0x09]);

/**
 * The files, those holding no header and no row given as 0 bytes long: what a spreadsheet saves for an
 * empty sheet is a table not there (TABLE_MISSING), as an empty file is, not one that stops the run. A
 * file that cannot be read here is left to fail where it is read.
 */
async function blanksAsEmpty<T>(
  files: Candidate<T>[],
  read: (file: Candidate<T>) => Promise<Uint8Array>,
): Promise<Candidate<T>[]> {
  const blank = async (file: Candidate<T>) =>
    file.bytes > 0 && file.bytes <= BLANK_MAX && (await read(file).then(isBlank, () => false));
  return Promise.all(files.map(async (file) => ((await blank(file)) ? { ...file, bytes: 0 } : file)));
}

/** A file's first BLANK_MAX bytes. */
async function headOf(path: string): Promise<Uint8Array> {
  const handle = await openHandle(path);
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(BLANK_MAX), 0, BLANK_MAX, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The longest header line read: a table's header is a few hundred bytes. */
const HEADER_MAX = 64 * 1024;

/**
 * The header line of each file that is one of several copies of a table (two contracts' folders), as
 * `united` compares them: copies are read as one table only when every header is the same. Undefined for a
 * copy that cannot be read here (it fails where it is read).
 */
async function copyHeaders<T>(
  files: readonly Candidate<T>[],
  open: (file: Candidate<T>) => Promise<Readable> | Readable,
): Promise<Map<Candidate<T>, string>> {
  const byTable = new Map<string, Candidate<T>[]>();
  for (const file of files) {
    const table = tableForFile(file.name);
    if (table === undefined || file.bytes === 0) continue;
    const copies = byTable.get(table);
    if (copies) copies.push(file);
    else byTable.set(table, [file]);
  }
  const headers = new Map<Candidate<T>, string>();
  for (const copies of byTable.values()) {
    if (copies.length < 2) continue;
    for (const file of copies) {
      const line = await firstLine(await open(file)).catch(() => undefined);
      if (line !== undefined) headers.set(file, line);
    }
  }
  return headers;
}

/**
 * A stream's header line, without a byte order mark and line break (see `headerLine`): its first line, or
 * the one after a spreadsheet's `sep=,` line (read past by the decoder too); the stream is ended.
 */
async function firstLine(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let lines = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.from(chunk as Uint8Array);
      chunks.push(buffer);
      bytes += buffer.length;
      for (let at = buffer.indexOf(0x0a); at >= 0 && lines < 2; at = buffer.indexOf(0x0a, at + 1)) lines += 1;
      if (lines >= 2 || bytes > HEADER_MAX) break;
    }
  } finally {
    stream.destroy();
  }
  const text = Buffer.concat(chunks);
  const sep = sepLineBytes(text);
  const rest = text.subarray(sep);
  const lf = rest.indexOf(0x0a);
  return headerLine(lf < 0 ? rest : rest.subarray(0, lf + 1)).toString('latin1');
}

/** A small entry's bytes. */
async function entryBytes(archive: ZipArchive, entry: ZipEntry): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of await archive.openStream(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * SHA-256 of the CSV files that may be copies of one table (same table, same size): an export extracted
 * twice holds each table twice. Other files are not read here.
 */
async function duplicateDigests(
  files: readonly Candidate<string>[],
  signal: AbortSignal | undefined,
): Promise<Map<string, string>> {
  const groups = new Map<string, Candidate<string>[]>();
  for (const file of files) {
    const key = `${tableForFile(file.name)}:${file.bytes}`;
    const group = groups.get(key);
    if (group) group.push(file);
    else groups.set(key, [file]);
  }
  const digests = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    // Loaded when needed: a program that only lists an export does not pay for loading it.
    const { createHash } = await import('node:crypto');
    for (const file of group) {
      const hash = createHash('sha256');
      for await (const chunk of await openNoFollow(file.ref, signal)) hash.update(chunk as Buffer);
      digests.set(file.ref, hash.digest('hex'));
    }
  }
  return digests;
}

/**
 * Why a file given as the export cannot be read: a table's CSV or another file that is no zip (nor named
 * one) is a wrong path, so say what to give instead; a damaged zip is a download to make again.
 */
function notAnExport(file: string, error: unknown): string {
  // A .zip that is none (an HTML page saved for the download) is told as the zip package tells it.
  if ((error as { code?: unknown }).code !== 'ZIP_NOT_A_ZIP' || /\.zip$/i.test(file)) {
    return downloadAgain(`${file} cannot be read as a zip: ${reason(error)}`);
  }
  const other = otherArchive(baseName(file));
  if (other !== undefined) return otherArchiveMessage(file, other);
  const table = tableForFile(baseName(file));
  const what = table ? `the ${table} table of an export, not the export` : 'not a zip archive';
  return `${file} is ${what}: give the export's folder (the one holding export.zip or the table CSVs, and the Attachment_*.zip parts) or its export.zip`;
}

/**
 * What to do with a zip that holds no table but export.zip or attachment parts: the download folder zipped
 * whole (to move or back it up), or export.zip zipped once more.
 */
function zippedDownload(file: string, zipped: { exportZip: number; parts: number }, lone: boolean): string {
  const held = [
    ...(zipped.exportZip > 0
      ? [zipped.exportZip > 1 ? `${zipped.exportZip} copies of export.zip` : 'export.zip']
      : []),
    ...(zipped.parts > 0 ? [`${zipped.parts} Attachment_*.zip part(s)`] : []),
  ].join(' and ');
  return zippedMessage(file, held, lone ? 'download' : 'export-zip');
}

/** One table's bytes, or undefined when the table has no source. See `ReadIntoOptions.readInto`. */
export async function openSource(
  located: Sources,
  table: TableName,
  signal: AbortSignal | undefined,
  into: (() => Uint8Array) | undefined,
): Promise<Readable | undefined> {
  const archive = located.archive;
  if (located.cutTable === table && archive !== null) {
    // Its bytes before the cut, up to its last whole row: a new buffer a chunk, not the caller's.
    return chunkStream(wholeRows(await archive.openCutEntry(signal ? { signal } : {})), signal);
  }
  const entry = located.zipEntries[table];
  const csv = located.csvPaths[table];
  const first = entry !== undefined && archive !== null ? entry : csv;
  if (first === undefined) return undefined;
  const more = located.more[table];
  const source = located.sources[table]!;
  const watched = (copy: ZipEntry | string, file: string) => ({
    file,
    ...(typeof copy === 'string' && located.stamps?.has(copy) ? { listed: located.stamps.get(copy)! } : {}),
  });
  if (more === undefined || more.length === 0)
    return openOne(archive, first, signal, into, watched(first, source.file));
  // Two contracts' copies (see `united`): each copy's chunks after the other's, named as the source names them.
  const held = [source, ...(source.copies ?? [])];
  const copies = [first, ...more].map((copy, k) => ({
    name: held[k]?.entry ?? held[k]?.file ?? '',
    // As a table's rows are named (`export.zip:Contract_1/Candidate.csv`): a row of a copy, by its copy.
    label: held[k]?.entry ? `${held[k]!.file}:${held[k]!.entry}` : (held[k]?.file ?? ''),
    open: async () =>
      (await openOne(
        archive,
        copy,
        signal,
        into,
        watched(copy, held[k]?.file ?? ''),
      )) as AsyncIterable<Uint8Array>,
  }));
  const places = new CopyPlaces();
  return withPlaces(chunkStream(united(copies, places, located.united[table]), signal), places);
}

/** What a CSV file is read in when the caller gives no buffers: a file stream's chunk. */
const CHUNK_BYTES = 64 * 1024;

/**
 * One copy's bytes: an entry of export.zip (its CRC-32 and sizes checked by the zip reader), or a CSV file
 * (checked to be as listed and unchanged by the end, see `readChunks`).
 */
async function openOne(
  archive: ZipArchive | null,
  copy: ZipEntry | string,
  signal: AbortSignal | undefined,
  into: (() => Uint8Array) | undefined,
  watched: Watched,
): Promise<Readable> {
  if (typeof copy !== 'string') {
    const options = signal ? { signal } : {};
    return into
      ? chunkStream(archive!.readInto(copy, into, options), signal)
      : archive!.openStream(copy, options);
  }
  const buffers = into ?? (() => Buffer.allocUnsafe(CHUNK_BYTES));
  return chunkStream(readChunks(await openHandle(copy), buffers, signal, watched), signal);
}
