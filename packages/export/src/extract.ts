// extractExport: the tables and every attachment of every part, written into one folder in the "extracted"
// layout (the guide's tip: all candidate folders in one place). Everything is written into a hidden
// staging folder that gets the final name only when the run succeeds; a failed or interrupted run
// removes it, so no partial file ever appears under a final name.
import { randomBytes } from 'node:crypto';
import { closeSync, constants as fsConstants, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { TABLE_NAMES, type TableName } from '@talent-export/schema';
import {
  isZipError,
  openZip,
  WindowBuffers,
  type ZipArchive,
  type ZipEntry,
  ZipError,
  type ZipOptions,
} from '@talent-export/zip';
import { ExportError, examples, type Problem, ProblemList, problem } from './errors.js';
import type { TalentExport } from './export.js';
import type { PartInfo } from './find.js';
import { reason } from './io.js';
import { type AttachmentKind, baseName, isJunk, parseAttachmentPath } from './names.js';
import { folderEntries } from './parts.js';

export interface ExtractOptions {
  /** The folder to write; it must be missing or empty. */
  out: string;
  /** Keep the `empty.txt` markers (default true). */
  markers?: boolean;
  /** Extract only these candidates' folders (ids exactly as in the folder names); the tables stay whole. */
  candidates?: Iterable<string>;
  /** Limits for the attachment parts (as given to `openExport`); refused entries are always skipped. */
  zip?: Omit<ZipOptions, 'signal' | 'onRefused'>;
  signal?: AbortSignal;
  onProgress?: (progress: ExtractProgress) => void;
}

export interface ExtractProgress {
  /** Bytes read so far: table bytes, then the parts' bytes (zip size on disk, or file sizes of folders). */
  bytesDone: number;
  bytesTotal: number;
  /** Files written so far (tables, attachments, markers). */
  files: number;
}

export interface ExtractRename {
  /** The part and the entry (path inside it) that was renamed. */
  part: string;
  entry: string;
  /** Where it was written, relative to the output folder. */
  path: string;
}

export interface ExtractResult {
  out: string;
  /** Table files written at the top of `out`, with their names as in export.zip. */
  tables: { table: TableName; file: string; bytes: number }[];
  /** Whether export.csv was copied (only when nothing is left out, or its counts would not add up). */
  manifest: boolean;
  files: number;
  markers: number;
  bytes: number;
  /** Candidate folders written. */
  candidates: number;
  /** Entries written under another name because an earlier part had the name (first `MAX_LISTED`). */
  renamed: ExtractRename[];
  renamedCount: number;
  /** Problems and notices of the extraction (the export's own stay in `ex.problems`). */
  problems: Problem[];
}

const KIND_FOLDER: Record<AttachmentKind, string> = {
  public: 'Public',
  private: 'Private',
  miscellaneous: 'Miscellaneous',
};
/** How many renames and per-kind notices are listed one by one; the counts beside them give the totals. */
export const MAX_LISTED = 20;
const MAX_CORRUPT_PER_PART = 20;
/** Small chunks are gathered into one write of this size; bigger ones are written as they come. */
const BATCH = 1024 * 1024;

interface Normalized {
  out: string;
  markers: boolean;
  candidates: Set<string> | undefined;
  zip: ZipOptions;
  signal: AbortSignal | undefined;
  onProgress: ((progress: ExtractProgress) => void) | undefined;
}

function normalize(options: ExtractOptions): Normalized {
  const bad = (detail: string) => new ExportError('EXPORT_BAD_OPTION', `extractExport: ${detail}`);
  if (typeof options !== 'object' || options === null) throw bad('options must be an object');
  if (typeof options.out !== 'string' || options.out === '') throw bad('out must name a folder');
  if (options.markers !== undefined && typeof options.markers !== 'boolean')
    throw bad('markers must be a boolean');
  let candidates: Set<string> | undefined;
  if (options.candidates !== undefined) {
    candidates = new Set();
    for (const id of options.candidates) {
      if (typeof id !== 'string' || id === '') throw bad('candidates must be non-empty id strings');
      candidates.add(id);
    }
  }
  const { signal } = options;
  return {
    out: resolve(options.out),
    markers: options.markers ?? true,
    candidates,
    zip: {
      windowBuffers: new WindowBuffers(),
      ...options.zip,
      onRefused: 'skip',
      ...(signal ? { signal } : {}),
    },
    signal,
    onProgress: options.onProgress,
  };
}

/**
 * Writes every table as `<out>/<Table>.csv` and every attachment as
 * `<out>/Candidate_<id>/<Public|Private|Miscellaneous>/<file>`, each byte checked (CRC, sizes, caps) by
 * `@talent-export/zip`. An entry the reader refuses or that fails a check is not written and becomes a
 * problem; a name an earlier part already used gets a numeric suffix (`resume_1.pdf`, as Talent Hub names
 * several files of one kind) and a notice. Throws for an output folder that is not empty or cannot be
 * written, and when cancelled; then nothing is left behind.
 */
export async function extractExport(ex: TalentExport, options: ExtractOptions): Promise<ExtractResult> {
  const opts = normalize(options);
  opts.signal?.throwIfAborted();
  const staging = await prepare(opts.out);
  const run = new Extraction(ex, opts, staging.path);
  try {
    await run.tables();
    await run.manifest();
    for (const part of ex.parts) {
      opts.signal?.throwIfAborted();
      await run.part(part);
    }
    run.finish();
    opts.signal?.throwIfAborted();
    await staging.publish();
  } catch (error) {
    await rm(staging.path, { recursive: true, force: true });
    throw error;
  }
  return run.result;
}

interface Staging {
  path: string;
  publish(): Promise<void>;
}

/** The staging folder: beside `out` when `out` is missing (one rename at the end), else inside it. */
async function prepare(out: string): Promise<Staging> {
  const tag = randomBytes(6).toString('hex');
  const info = await stat(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw outError(out, error);
  });
  if (info === undefined) {
    const path = join(dirname(out), `.${basename(out)}.extract-${tag}.tmp`);
    await mkdir(dirname(out), { recursive: true }).catch((error) => {
      throw outError(out, error);
    });
    await mkdir(path).catch((error) => {
      throw outError(out, error);
    });
    return {
      path,
      publish: () =>
        rename(path, out).catch((error) => {
          throw outError(out, error);
        }),
    };
  }
  if (!info.isDirectory()) {
    throw new ExportError('EXPORT_OUT_UNWRITABLE', `${out} exists and is not a folder; give a new folder`, {
      file: out,
    });
  }
  const present = await readdir(out);
  if (present.length > 0) {
    throw new ExportError(
      'EXPORT_OUT_NOT_EMPTY',
      `${out} is not empty (${examples(present.sort(), present.length, 3)}); extract into a new or empty folder, so nothing there is overwritten or mixed in`,
      { file: out },
    );
  }
  const path = join(out, `.extract-${tag}.tmp`);
  await mkdir(path).catch((error) => {
    throw outError(out, error);
  });
  return {
    path,
    publish: async () => {
      try {
        for (const name of await readdir(path)) await rename(join(path, name), join(out, name));
        await rmdir(path);
      } catch (error) {
        throw outError(out, error);
      }
    },
  };
}

function outError(out: string, error: unknown): ExportError {
  if (error instanceof ExportError) return error;
  const e = error as NodeJS.ErrnoException;
  return new ExportError(
    'EXPORT_OUT_UNWRITABLE',
    `${out} cannot be written (${e.code ?? ''}${e.code ? ': ' : ''}${e.message}); check the folder's permissions and free space`,
    { file: out, cause: error },
  );
}

/** `resume.pdf` -> `resume_2.pdf`: the numeric suffix Talent Hub gives several files of one kind. */
export function suffixedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}_${n}${name.slice(dot)}` : `${name}_${n}`;
}

/** Names that are one file on macOS and Windows (case, Unicode form) are one name here too. */
const fold = (name: string) => name.normalize('NFC').toLowerCase();

/** An entry to write: where it is from, where it goes, and its bytes. */
interface Item {
  part: string;
  entry: string;
  candidateId: string;
  kind: AttachmentKind;
  fileName: string;
  marker: boolean;
  open: () => Promise<AsyncIterable<Buffer>>;
}

class Extraction {
  readonly result: ExtractResult;
  readonly #ex: TalentExport;
  readonly #opts: Normalized;
  readonly #root: string;
  readonly #batch = Buffer.allocUnsafe(BATCH);
  readonly #found = new Set<string>();
  #bytesDone = 0;
  #files = 0;
  #bytesTotal: number;
  /** The kind folder being written to and the (folded) names in it. */
  #folder = '';
  #candidateFolder = '';
  #taken = new Set<string>();
  #duplicateMarkers = 0;
  #unknown = 0;

  constructor(ex: TalentExport, opts: Normalized, root: string) {
    this.#ex = ex;
    this.#opts = opts;
    this.#root = root;
    this.#bytesTotal =
      Object.values(ex.tables).reduce((n, t) => n + (t?.bytes ?? 0), 0) +
      ex.parts.reduce((n, p) => n + p.bytes, 0);
    this.result = {
      out: opts.out,
      tables: [],
      manifest: false,
      files: 0,
      markers: 0,
      bytes: 0,
      candidates: 0,
      renamed: [],
      renamedCount: 0,
      problems: [],
    };
  }

  async tables(): Promise<void> {
    for (const table of TABLE_NAMES) {
      const source = this.#ex.tables[table];
      if (source === undefined) continue;
      const file = baseName(source.entry ?? source.file);
      const stream = await this.#ex.openTable(table, this.#opts.signal ? { signal: this.#opts.signal } : {});
      const bytes = await this.#write(join(this.#root, file), stream);
      this.result.tables.push({ table, file, bytes });
    }
  }

  /** export.csv, as it came, when its counts still describe the folder. */
  async manifest(): Promise<void> {
    const manifest = this.#ex.manifest;
    if (manifest === null) return;
    if (!this.#opts.markers || this.#opts.candidates !== undefined) {
      this.#add(
        problem(
          'MANIFEST_LEFT_OUT',
          `${manifest.file} is not copied: its file counts are of the whole export, and ${this.#opts.markers ? 'only some candidates' : 'the empty.txt markers'} are extracted`,
          { file: manifest.file },
        ),
      );
      return;
    }
    const colon = manifest.file.indexOf(':');
    let stream: Readable;
    let archive: ZipArchive | undefined;
    if (colon < 0) {
      const handle = await open(
        join(this.#ex.root, manifest.file),
        fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW,
      );
      stream = handle.createReadStream();
    } else {
      // Inside export.zip (the guide shows one there).
      const zipFile = manifest.file.slice(0, colon);
      const entryName = manifest.file.slice(colon + 1);
      archive = await openZip(
        this.#ex.layout === 'export-zip' ? this.#ex.root : join(this.#ex.root, zipFile),
        this.#opts.zip,
      );
      let found: Readable | undefined;
      for await (const entry of archive.entries()) {
        if (entry.name === entryName) found = await archive.openStream(entry);
        if (found) break;
      }
      if (found === undefined) {
        await archive.close();
        return;
      }
      stream = found;
    }
    try {
      await this.#write(join(this.#root, 'export.csv'), stream);
      this.result.manifest = true;
    } finally {
      await archive?.close();
    }
  }

  async part(part: PartInfo): Promise<void> {
    const before = this.#bytesDone;
    let corrupt = 0;
    try {
      for await (const item of part.kind === 'zip' ? this.#zipItems(part) : this.#folderItems(part)) {
        const written = await this.#item(item);
        if (!written && ++corrupt >= MAX_CORRUPT_PER_PART) {
          throw new Error(`${corrupt} entries failed their checks; the rest of the part is not extracted`);
        }
      }
    } catch (error) {
      this.#opts.signal?.throwIfAborted();
      if (error instanceof ExportError) throw error;
      this.#add(
        problem(
          'PART_UNREADABLE',
          `${part.file} cannot be read to the end (${reason(error)}); what was read intact is extracted. Download it again from its Download Url in export.csv`,
          { file: part.file },
        ),
      );
    }
    // The part's size on disk is its share of the total; what was written of it may differ a little.
    if (part.kind === 'zip') this.#progress(Math.max(0, before + part.bytes - this.#bytesDone));
  }

  finish(): void {
    const { result } = this;
    // The total was an estimate (sizes on disk, export.csv not counted): the end is the end.
    this.#bytesTotal = this.#bytesDone;
    this.#progress(0);
    if (this.#duplicateMarkers > 0) {
      this.#add(
        problem(
          'MARKER_DUPLICATE',
          `${this.#duplicateMarkers} empty.txt marker(s) were in a folder that already had one from an earlier part; one is kept`,
        ),
      );
    }
    if (result.renamedCount > MAX_LISTED) {
      this.#add(
        problem(
          'NAME_CLASH_RENAMED',
          `${result.renamedCount - MAX_LISTED} more entries were renamed likewise`,
        ),
      );
    }
    if (this.#unknown > MAX_LISTED) {
      this.#add(
        problem(
          'UNKNOWN_FILE',
          `${this.#unknown - MAX_LISTED} more files outside candidate folders were left out`,
        ),
      );
    }
    const wanted = this.#opts.candidates;
    if (wanted !== undefined) {
      const missing = [...wanted].filter((id) => !this.#found.has(id)).sort();
      if (missing.length > 0) {
        this.#add(
          problem(
            'CANDIDATE_NOT_FOUND',
            `${missing.length} of the candidates asked for have no folder in any part: ${examples(missing, missing.length)}`,
          ),
        );
      }
    }
  }

  /** The checked entries of a zip part that are to be written; refusals become problems. */
  async *#zipItems(part: PartInfo): AsyncGenerator<Item> {
    const archive = await openZip(part.path, this.#opts.zip);
    try {
      for await (const entry of archive.entries()) {
        const item = this.#select(part.file, entry.name, entry.isDirectory);
        if (item === undefined) continue;
        const signal = this.#opts.signal;
        yield {
          ...item,
          open: async () =>
            entry.method === 0
              ? storedBytes(archive, entry, signal)
              : archive.openStream(entry, signal ? { signal } : {}),
        };
      }
      for (const refused of archive.refused) {
        this.#add(
          problem(
            'ENTRY_REFUSED',
            `${part.file}: an entry was refused and not extracted: ${refused.message}`,
            {
              file: part.file,
              ...(refused.entry === undefined ? {} : { entry: refused.entry }),
            },
          ),
        );
      }
      const more = archive.refusedCount - archive.refused.length;
      if (more > 0) {
        this.#add(
          problem('ENTRY_REFUSED', `${part.file}: ${more} more entries were refused and not extracted`, {
            file: part.file,
          }),
        );
      }
    } finally {
      await archive.close();
    }
  }

  /** An extracted part: `Candidate_<id>/<kind>/<file>` below the folder, links never followed. */
  async *#folderItems(part: PartInfo): AsyncGenerator<Item> {
    const found = new ProblemList();
    for await (const meta of folderEntries(part, found, this.#opts.signal)) {
      if (meta.isDirectory) continue;
      const item = this.#select(part.file, meta.name, false);
      if (item === undefined) continue;
      const path = join(part.path, meta.name);
      yield {
        ...item,
        open: async () => {
          const handle = await open(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
          const size = (await handle.stat()).size;
          this.#bytesTotal += size;
          return handle.createReadStream(this.#opts.signal ? { signal: this.#opts.signal } : {});
        },
      };
    }
    for (const item of found.items) this.#add(item);
  }

  /** What an entry is and whether it is extracted: attachments and markers of the candidates asked for. */
  #select(part: string, entry: string, isDirectory: boolean): Omit<Item, 'open'> | undefined {
    if (isDirectory || isJunk(entry)) return undefined;
    const parsed = parseAttachmentPath(entry);
    if (parsed.kind === 'unknown') {
      if (++this.#unknown <= MAX_LISTED) {
        this.#add(
          problem(
            'UNKNOWN_FILE',
            `${part}: ${entry} is not in a Candidate_<id>/<Public|Private|Miscellaneous>/ folder; it is left out`,
            { file: part, entry },
          ),
        );
      }
      return undefined;
    }
    const marker = parsed.kind === 'marker';
    if (marker && !this.#opts.markers) return undefined;
    const wanted = this.#opts.candidates;
    if (wanted !== undefined && !wanted.has(parsed.candidateId)) return undefined;
    return {
      part,
      entry,
      candidateId: parsed.candidateId,
      kind: parsed.attachmentKind,
      fileName: parsed.fileName,
      marker,
    };
  }

  /** Writes one attachment or marker; false when its bytes failed a check (a problem says which). */
  async #item(item: Item): Promise<boolean> {
    const candidateFolder = `Candidate_${item.candidateId}`;
    const folder = join(this.#root, candidateFolder, KIND_FOLDER[item.kind]);
    if (folder !== this.#folder) this.#enter(folder, join(this.#root, candidateFolder));
    if (this.#opts.candidates !== undefined) this.#found.add(item.candidateId);
    const key = fold(item.fileName);
    let name = item.fileName;
    if (this.#taken.has(key)) {
      if (item.marker) {
        this.#duplicateMarkers += 1;
        return true;
      }
      let n = 1;
      while (this.#taken.has(fold(suffixedName(item.fileName, n)))) n += 1;
      name = suffixedName(item.fileName, n);
      this.#renamed(item, `${candidateFolder}/${KIND_FOLDER[item.kind]}/${name}`);
    }
    const path = join(folder, name);
    // Names were checked by the zip reader (no separators, `..`, or control characters); this is the last word.
    if (!path.startsWith(this.#root + sep)) throw new Error(`unsafe path from ${item.entry}`);
    let bytes: number;
    try {
      bytes = await this.#write(path, await item.open());
    } catch (error) {
      if (this.#opts.signal?.aborted || error instanceof ExportError || !isZipError(error)) throw error;
      this.#add(
        problem('ATTACHMENT_CORRUPT', `${item.part}: ${item.entry} is not extracted: ${reason(error)}`, {
          file: item.part,
          entry: item.entry,
        }),
      );
      return false;
    }
    this.#taken.add(fold(name));
    if (item.marker) this.result.markers += 1;
    else {
      this.result.files += 1;
      this.result.bytes += bytes;
    }
    return true;
  }

  /** A new kind folder: made, or (revisited from an earlier part) its names read so none is overwritten. */
  #enter(folder: string, candidateFolder: string): void {
    // One mkdir each, parent first: a recursive mkdir tries the child first and fails once per candidate.
    if (candidateFolder !== this.#candidateFolder) {
      if (this.#mkdir(candidateFolder)) this.result.candidates += 1;
      this.#candidateFolder = candidateFolder;
    }
    const made = this.#mkdir(folder);
    this.#folder = folder;
    this.#taken = new Set(made ? [] : readdirSync(folder).map(fold));
  }

  /** False when the folder was there already. */
  #mkdir(path: string): boolean {
    try {
      mkdirSync(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw outError(this.#opts.out, error);
    }
  }

  #renamed(item: Item, path: string): void {
    const { result } = this;
    result.renamedCount += 1;
    if (result.renamed.length >= MAX_LISTED) return;
    result.renamed.push({ part: item.part, entry: item.entry, path });
    this.#add(
      problem(
        'NAME_CLASH_RENAMED',
        `${item.part}: ${item.entry} is written as ${path}: an earlier part has a file of that name for this candidate`,
        { file: item.part, entry: item.entry },
      ),
    );
  }

  /**
   * Streams bytes into a new file: small chunks gathered into large writes. A file that fails is removed
   * at once; the file system's errors become `EXPORT_OUT_UNWRITABLE`, the source's are passed on.
   */
  async #write(path: string, source: AsyncIterable<Buffer>): Promise<number> {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (error) {
      throw outError(this.#opts.out, error);
    }
    const batch = this.#batch;
    let used = 0;
    let bytes = 0;
    const put = (buffer: Uint8Array) => {
      try {
        for (let at = 0; at < buffer.length; ) at += writeSync(fd, buffer, at, buffer.length - at);
      } catch (error) {
        throw outError(this.#opts.out, error);
      }
    };
    try {
      for await (const chunk of source) {
        bytes += chunk.length;
        this.#progress(chunk.length);
        if (used + chunk.length > BATCH) {
          put(batch.subarray(0, used));
          used = 0;
        }
        if (chunk.length >= BATCH / 4) put(chunk);
        else {
          batch.set(chunk, used);
          used += chunk.length;
        }
      }
      put(batch.subarray(0, used));
      closeSync(fd);
    } catch (error) {
      try {
        closeSync(fd);
      } catch {}
      await rm(path, { force: true });
      throw error;
    }
    this.#files += 1;
    this.#progress(0);
    return bytes;
  }

  #progress(bytes: number): void {
    this.#bytesDone += bytes;
    this.#opts.onProgress?.({ bytesDone: this.#bytesDone, bytesTotal: this.#bytesTotal, files: this.#files });
  }

  #add(item: Problem): void {
    this.result.problems.push(item);
  }
}

/**
 * A stored entry's bytes straight from the archive's read window (no stream per entry: most attachments
 * are stored, and a stream each cost more than the copy), checked as a stream checks them: size and CRC-32.
 * Each chunk is only valid until the next is asked for; `#write` copies or writes it before that.
 */
async function* storedBytes(
  archive: ZipArchive,
  entry: ZipEntry,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  let crc = 0;
  let size = 0;
  for await (const chunk of archive.readRaw(entry, signal ? { signal } : {})) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    yield chunk;
  }
  const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
  const wrong =
    size !== entry.uncompressedSize
      ? `Entry data is ${size} bytes but ${entry.uncompressedSize} were declared`
      : crc >>> 0 !== entry.crc32 >>> 0
        ? `CRC-32 of the data is ${hex(crc)} but the header says ${hex(entry.crc32)}`
        : undefined;
  if (wrong !== undefined) {
    const code = size !== entry.uncompressedSize ? 'ZIP_SIZE_MISMATCH' : 'ZIP_CRC_MISMATCH';
    throw new ZipError(
      {
        code,
        detail: wrong,
        hint: 'The archive is damaged (often a cut-short or corrupted download); download it again.',
      },
      archive.path,
      entry.name,
    );
  }
}
