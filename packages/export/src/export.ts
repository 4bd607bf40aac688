import { constants as fsConstants } from 'node:fs';
import { type FileHandle, lstat, opendir, open as openFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type IdLookup, type TableName, tableForFile } from '@talent-export/schema';
import { openZip, type ZipArchive, type ZipEntry } from '@talent-export/zip';
import {
  type AttachmentRecord,
  type AttachmentSummary,
  AttachmentTally,
  type EntryMeta,
} from './attachments.js';
import { chunkStream, readChunks, repack } from './chunks.js';
import { ExportError, type Problem, ProblemList, problem } from './errors.js';
import { type Found, findExport, type Layout, type PartInfo } from './find.js';
import { checkManifestFiles, type Manifest, parseManifest, reconcileStatistics } from './manifest.js';
import { baseName, candidateFolderId, classifyDownloadName, downloadKey, isJunk } from './names.js';
import { type NormalizedOptions, normalizeOptions, type OpenExportOptions } from './options.js';
import { type Candidate, locateTables, type TableSource } from './tables.js';

export interface VerifyProgress {
  part: string;
  bytesDone: number;
  /**
   * The bytes to check in the part: for a zip its size on disk, an estimate (read once, its entries are
   * listed and checked in one pass); for a folder the sum of its files.
   */
  bytesTotal: number;
}

export interface TalentExport {
  /** The folder (or lone export.zip) that was opened, as an absolute path. */
  readonly root: string;
  readonly layout: Layout;
  readonly manifest: Manifest | null;
  readonly parts: readonly PartInfo[];
  readonly tables: Partial<Record<TableName, TableSource>>;
  /** Problems and notices found so far; indexing and verifying add to it. */
  readonly problems: Problem[];
  /** The bytes of one table's CSV file. */
  openTable(table: TableName, options?: OpenTableOptions): Promise<Readable>;
  /** One record per attachment file, from zip central directories only; returns the summary. */
  indexAttachments(options?: {
    candidateIds?: IdLookup;
    signal?: AbortSignal;
  }): AsyncGenerator<AttachmentRecord, AttachmentSummary, undefined>;
  /**
   * Reads and checks (CRC, sizes) every byte of every part; the summary is the one `indexAttachments`
   * gives. `candidateIds` may be a promise (e.g. of a candidates table still being read): it is awaited
   * only once every part is read.
   */
  verifyAttachments(options?: {
    onProgress?: (progress: VerifyProgress) => void;
    signal?: AbortSignal;
    candidateIds?: IdLookup | Promise<IdLookup | undefined>;
  }): Promise<AttachmentSummary>;
  close(): Promise<void>;
}

export interface OpenTableOptions {
  signal?: AbortSignal;
  /**
   * The buffer each chunk goes into, filled up to its length: read straight into it from a file, or
   * copied into it as an entry of export.zip is inflated. A caller that gets its chunks' buffers back
   * (e.g. from a worker thread) reads on in those, leaving no garbage behind; without it, each chunk is a
   * new buffer. The stream reads one chunk ahead: a buffer may be given again once the chunk before the
   * last one is done with.
   */
  readInto?: () => Uint8Array;
}

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
const MAX_UNKNOWN_NOTICES = 20;
const MAX_CORRUPT_PER_PART = 20;

/** Finds and checks an export in any of its three layouts; see {@link Layout}. */
export async function openExport(path: string, options?: OpenExportOptions): Promise<TalentExport> {
  const opts = normalizeOptions(options);
  opts.signal?.throwIfAborted();
  const found = await findExport(path);
  const problems = new ProblemList();
  problems.addAll(found.problems);
  const tables = await locate(found, problems, opts);
  const manifest = await readManifest(found, tables, problems);
  const listed = manifest?.files.some((f) => downloadKey(f.name) === 'export-zip') ?? false;
  if (found.layout === 'download' && found.exportZip === undefined && !listed) {
    problems.add(
      problem(
        'EXPORT_ZIP_MISSING',
        'export.zip is not in the folder, so none of the ten tables can be read; download it beside export.csv',
      ),
    );
  }
  return new OpenedExport(found, manifest, tables, problems, opts);
}

/** export.csv beside the zips; else (the guide shows one there) inside export.zip; else a notice. */
async function readManifest(found: Found, tables: Tables, problems: ProblemList): Promise<Manifest | null> {
  let file: string;
  let read: () => Promise<string>;
  if (found.manifestPath !== undefined) {
    const path = found.manifestPath;
    file = relative(found, path);
    read = async () => {
      const { size } = await stat(path);
      if (size > MAX_MANIFEST_BYTES) throw new Error(`it is ${size} bytes, far more than a manifest holds`);
      return readFile(path, 'utf8');
    };
  } else if (tables.manifestEntry !== undefined && tables.archive !== null) {
    const { archive, manifestEntry: entry } = tables;
    file = `${found.exportZip?.file}:${entry.name}`;
    read = async () => {
      if (entry.uncompressedSize > MAX_MANIFEST_BYTES)
        throw new Error(`it is ${entry.uncompressedSize} bytes`);
      const chunks: Buffer[] = [];
      for await (const chunk of await archive.openStream(entry)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    };
  } else {
    if (found.layout !== 'export-zip') {
      problems.add(
        problem('MANIFEST_MISSING', 'no export.csv found: the file counts of the export are not checked'),
      );
    }
    return null;
  }
  try {
    const parsed = parseManifest(await read(), file);
    problems.addAll(parsed.problems);
    if (found.layout === 'download') problems.addAll(checkManifestFiles(parsed.manifest, found.present));
    return parsed.manifest;
  } catch (error) {
    problems.add(problem('MANIFEST_UNREADABLE', `${file} cannot be read: ${reason(error)}`, { file }));
    return null;
  }
}

interface Tables {
  sources: Partial<Record<TableName, TableSource>>;
  zipEntries: Partial<Record<TableName, ZipEntry>>;
  csvPaths: Partial<Record<TableName, string>>;
  archive: ZipArchive | null;
  /** An export.csv inside export.zip. */
  manifestEntry?: ZipEntry;
}

async function locate(found: Found, problems: ProblemList, opts: NormalizedOptions): Promise<Tables> {
  const tables: Tables = { sources: {}, zipEntries: {}, csvPaths: {}, archive: null };
  if (found.layout === 'extracted') {
    const located = locateTables(found.csvFiles, { root: '.' });
    problems.addAll(located.problems);
    tables.sources = located.sources;
    tables.csvPaths = located.refs;
    return tables;
  }
  const zip = found.exportZip;
  if (zip === undefined) return tables;
  let archive: ZipArchive;
  try {
    archive = await openZip(zip.path, { ...opts.zip, ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (error) {
    opts.signal?.throwIfAborted();
    if (found.layout === 'export-zip') {
      throw new ExportError(
        'EXPORT_UNREADABLE',
        `${zip.file} cannot be read as a zip: ${reason(error)}; download it again`,
        {
          file: zip.file,
          cause: error,
        },
      );
    }
    problems.add(
      problem(
        'EXPORT_ZIP_UNREADABLE',
        `${zip.file} cannot be read, so none of the ten tables can be: ${reason(error)}; download it again`,
        {
          file: zip.file,
        },
      ),
    );
    return tables;
  }
  const files: Candidate<ZipEntry>[] = [];
  let unknown = 0;
  try {
    for await (const entry of archive.entries()) {
      if (entry.isDirectory || isJunk(entry.name)) continue;
      if (tableForFile(entry.name) !== undefined) {
        files.push({ name: entry.name, bytes: entry.uncompressedSize, ref: entry });
      } else if (classifyDownloadName(baseName(entry.name)).kind === 'manifest') {
        tables.manifestEntry ??= entry;
      } else if (++unknown <= MAX_UNKNOWN_NOTICES) {
        problems.add(
          problem('UNKNOWN_FILE', `${zip.file}: ${entry.name} is not one of the ten tables and is ignored`, {
            file: zip.file,
            entry: entry.name,
          }),
        );
      }
    }
  } catch (error) {
    opts.signal?.throwIfAborted();
    await archive.close();
    problems.add(
      problem(
        'EXPORT_ZIP_UNREADABLE',
        `${zip.file} cannot be read to the end (${reason(error)}); download it again`,
        {
          file: zip.file,
        },
      ),
    );
    return tables;
  }
  if (unknown > MAX_UNKNOWN_NOTICES) {
    problems.add(
      problem(
        'UNKNOWN_FILE',
        `${zip.file}: ${unknown - MAX_UNKNOWN_NOTICES} more unknown files are ignored`,
        { file: zip.file },
      ),
    );
  }
  reportRefused(archive, zip.file, problems);
  const located = locateTables(files, { archive: zip.file, root: '.' });
  problems.addAll(located.problems);
  tables.sources = located.sources;
  tables.zipEntries = located.refs;
  tables.archive = archive;
  return tables;
}

const entryMeta = (entry: ZipEntry): EntryMeta => ({
  name: entry.name,
  isDirectory: entry.isDirectory,
  size: entry.uncompressedSize,
  crc32: entry.crc32,
});

function reportRefused(archive: ZipArchive, file: string, problems: ProblemList): void {
  for (const refused of archive.refused) {
    problems.add(
      problem('ENTRY_REFUSED', `${file}: an entry was refused and skipped: ${refused.message}`, {
        file,
        ...(refused.entry === undefined ? {} : { entry: refused.entry }),
      }),
    );
  }
  const more = archive.refusedCount - archive.refused.length;
  if (more > 0) {
    problems.add(
      problem('ENTRY_REFUSED', `${file}: ${more} more entries were refused and skipped`, { file }),
    );
  }
}

class OpenedExport implements TalentExport {
  readonly root: string;
  readonly layout: Layout;
  readonly manifest: Manifest | null;
  readonly parts: readonly PartInfo[];
  readonly tables: Partial<Record<TableName, TableSource>>;
  readonly #found: Found;
  readonly #located: Tables;
  readonly #problems: ProblemList;
  readonly #opts: NormalizedOptions;
  #closed = false;

  constructor(
    found: Found,
    manifest: Manifest | null,
    located: Tables,
    problems: ProblemList,
    opts: NormalizedOptions,
  ) {
    this.root = found.root;
    this.layout = found.layout;
    this.manifest = manifest;
    this.parts = found.parts;
    this.tables = located.sources;
    this.#found = found;
    this.#located = located;
    this.#problems = problems;
    this.#opts = opts;
  }

  get problems(): Problem[] {
    return this.#problems.items;
  }

  async openTable(table: TableName, options: OpenTableOptions = {}): Promise<Readable> {
    this.#open();
    const signal = options.signal ?? this.#opts.signal;
    const entry = this.#located.zipEntries[table];
    const archive = this.#located.archive;
    const into = options.readInto;
    if (entry !== undefined && archive !== null) {
      const stream = await archive.openStream(entry, signal ? { signal } : {});
      return into ? chunkStream(repack(stream, into, signal)) : stream;
    }
    const csv = this.#located.csvPaths[table];
    if (csv !== undefined) {
      if (into === undefined) return openNoFollow(csv, signal);
      return chunkStream(readChunks(await openHandle(csv), into, signal));
    }
    const why = this.problems.find(
      (p) => (p.code === 'TABLE_MISSING' || p.code === 'TABLE_DUPLICATE') && p.table === table,
    );
    throw new ExportError(
      'EXPORT_TABLE_UNAVAILABLE',
      `the ${table} table cannot be read: ${why?.message ?? 'export.zip is missing or unreadable'}`,
      { file: this.#found.exportZip?.file ?? this.root },
    );
  }

  async *indexAttachments(
    options: { candidateIds?: IdLookup; signal?: AbortSignal } = {},
  ): AsyncGenerator<AttachmentRecord, AttachmentSummary, undefined> {
    this.#open();
    const signal = options.signal ?? this.#opts.signal;
    const tally = new AttachmentTally(options.candidateIds);
    for (const part of this.parts) {
      signal?.throwIfAborted();
      tally.startPart(part.file, rangeOf(part));
      try {
        for await (const meta of this.#entries(part, signal)) {
          const record = tally.add(meta);
          if (record !== undefined) yield record;
        }
      } catch (error) {
        this.#unreadable(part, tally, error, signal);
      }
      tally.endPart();
    }
    return this.#finish(tally);
  }

  async verifyAttachments(
    options: {
      onProgress?: (progress: VerifyProgress) => void;
      signal?: AbortSignal;
      candidateIds?: IdLookup | Promise<IdLookup | undefined>;
    } = {},
  ): Promise<AttachmentSummary> {
    this.#open();
    const signal = options.signal ?? this.#opts.signal;
    const tally = new AttachmentTally();
    for (const part of this.parts) {
      signal?.throwIfAborted();
      tally.startPart(part.file, rangeOf(part));
      try {
        tally.current.verifiedBytes = 0;
        await this.#verifyPart(part, tally, signal, options.onProgress);
      } catch (error) {
        this.#unreadable(part, tally, error, signal);
      }
      tally.endPart();
    }
    const ids = await options.candidateIds;
    if (ids) tally.setCandidateIds(ids);
    return this.#finish(tally);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#located.archive?.close();
  }

  #open(): void {
    if (this.#closed)
      throw new ExportError('EXPORT_CLOSED', `${this.root} was closed; open it again to read it`);
  }

  /** A part that fails is a problem naming it; the run goes on with the other parts (unless cancelled). */
  #unreadable(part: PartInfo, tally: AttachmentTally, error: unknown, signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    tally.partUnreadable();
    this.#problems.add(
      problem(
        'PART_UNREADABLE',
        `${part.file} cannot be read (${reason(error)}); its attachments are not all indexed. Download it again from its Download Url in export.csv`,
        { file: part.file },
      ),
    );
  }

  #finish(tally: AttachmentTally): AttachmentSummary {
    const summary = tally.finish();
    this.#problems.addAll(tally.problems);
    // A lone export.zip was opened for its tables: its parts were never meant to be read.
    if (this.manifest !== null && this.layout !== 'export-zip') {
      const unread = summary.parts.filter((p) => !p.readable).map((p) => p.file);
      if (this.layout === 'download') {
        for (const listed of this.manifest.files) {
          const key = downloadKey(listed.name);
          if (key?.startsWith('part:') && !this.#found.present.has(key)) unread.push(listed.name);
        }
      }
      this.#problems.addAll(
        reconcileStatistics(this.manifest, { files: summary.files, markers: summary.markers, unread }),
      );
    }
    return summary;
  }

  /** Every entry of one part, as metadata: a zip's central directory, or a folder listing. */
  async *#entries(part: PartInfo, signal: AbortSignal | undefined): AsyncGenerator<EntryMeta> {
    if (part.kind === 'folder') {
      yield* this.#folderEntries(part, signal);
      return;
    }
    const archive = await openZip(part.path, { ...this.#opts.zip, ...(signal ? { signal } : {}) });
    try {
      for await (const entry of archive.entries()) {
        signal?.throwIfAborted();
        yield entryMeta(entry);
      }
      reportRefused(archive, part.file, this.#problems);
    } finally {
      await archive.close();
    }
  }

  /** An extracted part: Candidate_<id>/<kind>/<file> below the folder, by lstat only, links not followed. */
  async *#folderEntries(part: PartInfo, signal: AbortSignal | undefined): AsyncGenerator<EntryMeta> {
    const candidates: string[] = [];
    for await (const dirent of await opendir(part.path)) {
      if (dirent.isDirectory() && candidateFolderId(dirent.name) !== undefined) candidates.push(dirent.name);
    }
    candidates.sort();
    for (const candidate of candidates) {
      const pending = [candidate];
      while (pending.length > 0) {
        signal?.throwIfAborted();
        const rel = pending.shift()!;
        yield { name: `${rel}/`, isDirectory: true, size: 0, crc32: null };
        const children = [];
        for await (const dirent of await opendir(join(part.path, rel))) children.push(dirent);
        children.sort((a, b) => (a.name < b.name ? -1 : 1));
        for (const dirent of children) {
          const name = `${rel}/${dirent.name}`;
          if (dirent.isSymbolicLink()) {
            this.#problems.add(
              problem('SYMLINK_IGNORED', `${part.file}/${name} is a symbolic link and is not followed`, {
                file: part.file,
                entry: name,
              }),
            );
          } else if (dirent.isDirectory()) {
            pending.push(name);
          } else if (dirent.isFile()) {
            const { size } = await lstat(join(part.path, name));
            yield { name, isDirectory: false, size, crc32: null };
          }
        }
      }
    }
  }

  /** Reads every entry of one part to the end, after a first pass over its listing for the total. */
  async #verifyPart(
    part: PartInfo,
    tally: AttachmentTally,
    signal: AbortSignal | undefined,
    onProgress: ((progress: VerifyProgress) => void) | undefined,
  ): Promise<void> {
    let bytesTotal = part.bytes;
    if (part.kind === 'folder') {
      for await (const meta of this.#folderEntries(part, signal)) {
        tally.add(meta);
        if (!meta.isDirectory) bytesTotal += meta.size;
      }
    }
    const summary = tally.current;
    let bytesDone = 0;
    let corrupt = 0;
    const report = () => onProgress?.({ part: part.file, bytesDone, bytesTotal });
    report();
    const done = (bytes: number) => {
      bytesDone += bytes;
      summary.verifiedBytes = bytesDone;
      report();
    };
    // `check` reads a whole entry and answers its size, or gives its bytes as they come.
    const read = async (name: string, size: number, check: () => Promise<Readable | number>) => {
      try {
        const checked = await check();
        let read = typeof checked === 'number' ? checked : 0;
        if (typeof checked === 'number') done(checked);
        else {
          for await (const chunk of checked) {
            read += (chunk as Buffer).length;
            done((chunk as Buffer).length);
          }
        }
        // Zip entries are size-checked by the zip reader; a file of an extracted folder may have changed.
        if (read !== size) throw new Error(`${read} bytes read but ${size} listed`);
      } catch (error) {
        signal?.throwIfAborted();
        this.#problems.add(
          problem(
            'ATTACHMENT_CORRUPT',
            `${part.file}: ${name} cannot be read back intact (${reason(error)})`,
            {
              file: part.file,
              entry: name,
            },
          ),
        );
        if (++corrupt >= MAX_CORRUPT_PER_PART) {
          throw new Error(`${corrupt} entries could not be read back; the rest of the part is not checked`);
        }
      }
    };
    if (part.kind === 'folder') {
      for await (const meta of this.#folderEntries(part, signal)) {
        if (meta.isDirectory) continue;
        await read(meta.name, meta.size, () => openNoFollow(join(part.path, meta.name), signal));
      }
      return;
    }
    const archive = await openZip(part.path, { ...this.#opts.zip, ...(signal ? { signal } : {}) });
    try {
      const options = signal ? { signal } : {};
      for await (const entry of archive.entries()) {
        tally.add(entryMeta(entry));
        if (entry.isDirectory) continue;
        await read(entry.name, entry.uncompressedSize, () => archive.verify(entry, options));
      }
      reportRefused(archive, part.file, this.#problems);
    } finally {
      await archive.close();
    }
  }
}

/** O_NOFOLLOW: a link put in place after the folder was listed is not followed either. */
function openHandle(path: string): Promise<FileHandle> {
  return openFile(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
}

async function openNoFollow(path: string, signal: AbortSignal | undefined): Promise<Readable> {
  return (await openHandle(path)).createReadStream(signal ? { signal } : {});
}

function rangeOf(part: PartInfo): { first?: string; last?: string } {
  return part.first === undefined || part.last === undefined ? {} : { first: part.first, last: part.last };
}

function relative(found: Found, path: string): string {
  return path.startsWith(`${found.root}/`) ? path.slice(found.root.length + 1) : path;
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}
