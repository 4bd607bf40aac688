import type { Readable } from 'node:stream';
import type { IdLookup, TableName } from '@talent-export/schema';
import { type AttachmentRecord, type AttachmentSummary, AttachmentTally } from './attachments.js';
import { ExportError, type Problem, ProblemList, problem } from './errors.js';
import { type Found, findExport, findRenamedPart, type Layout, type PartInfo } from './find.js';
import type { Manifest } from './manifest.js';
import { downloadKey } from './names.js';
import { type NormalizedOptions, normalizeOptions, type OpenExportOptions } from './options.js';
import { flatten, indexParts, type PartContext, readParts } from './parts.js';
import { readManifest, reconcileParts } from './read-manifest.js';
import { locateSources, openSource, type Sources } from './sources.js';
import type { TableSource } from './tables.js';
import { notAnExport, tablesMissingAsOne } from './unrecognized.js';
import { type VerifyProgress, verifyPart } from './verify.js';
import { verifyExportZip } from './verify-export-zip.js';
import { VerifyThread } from './verify-thread.js';

export type { VerifyProgress };

export interface TalentExport {
  /** The folder (or lone export.zip) that was opened, as an absolute path. */
  readonly root: string;
  readonly layout: Layout;
  readonly manifest: Manifest | null;
  readonly parts: readonly PartInfo[];
  readonly tables: Partial<Record<TableName, TableSource>>;
  /**
   * What opening found: the folder, export.csv and export.zip. Set once; what reading the attachments
   * finds comes back in their summary.
   */
  readonly problems: readonly Problem[];
  /** The bytes of one table's CSV file. */
  openTable(table: TableName, options?: OpenTableOptions): Promise<Readable>;
  /**
   * One record per attachment file, from zip central directories only; returns the summary, with the
   * problems found and the manifest's file counts reconciled with what the parts hold.
   */
  indexAttachments(
    options?: AttachmentOptions,
  ): AsyncGenerator<AttachmentRecord, AttachmentSummary, undefined>;
  /**
   * indexAttachments, a batch of up to 256 records at a time: a caller that handles records synchronously
   * pays one promise a batch, not one a record.
   */
  indexAttachmentBatches(
    options?: AttachmentOptions,
  ): AsyncGenerator<AttachmentRecord[], AttachmentSummary, undefined>;
  /**
   * Reads and checks (CRC, sizes) every byte of every part, and of the files of export.zip that are not
   * tables read from it: one record per attachment file once it was read back, and the summary
   * `indexAttachments` gives, with the entries that were not intact.
   */
  verifyAttachments(
    options?: AttachmentOptions & {
      onProgress?: (progress: VerifyProgress) => void;
      /**
       * Threads in all: by default zip parts are checked by one worker thread; 1 checks every part on the
       * calling thread, with no worker thread started.
       */
      threads?: number;
    },
  ): AsyncGenerator<AttachmentRecord, AttachmentSummary, undefined>;
  close(): Promise<void>;
}

export interface AttachmentOptions {
  /**
   * The candidates table's ids: folders without a row and rows without a folder are then reported. It may
   * be a promise (e.g. of a candidates table still being read): it is awaited only once every part is read.
   */
  candidateIds?: IdLookup | Promise<IdLookup | undefined>;
  signal?: AbortSignal;
}

export interface OpenTableOptions {
  signal?: AbortSignal;
}

/** `openTable`'s options as the reading engine gives them (see `openTableInto`). */
export interface ReadIntoOptions extends OpenTableOptions {
  /**
   * The buffer each chunk goes into, filled up to its length: read straight into it from a file, or
   * copied into it as an entry of export.zip is inflated. A caller that gets its chunks' buffers back
   * (e.g. from a worker thread) reads on in those, leaving no garbage behind; without it, each chunk is a
   * new buffer. Each buffer given must stay free until the chunk read into it is done with: a file is read
   * up to 16 chunks at a time (see `readChunks`), an entry one chunk ahead.
   */
  readInto?: () => Uint8Array;
}

/** How each opened export reads a table into given buffers, kept off its public interface. */
const readers = new WeakMap<
  TalentExport,
  (table: TableName, options: ReadIntoOptions) => Promise<Readable>
>();

/**
 * `ex.openTable`, each chunk read into a buffer `readInto` gives. For the reading engine only (exported
 * from `@talent-export/export/internal`); an export not made by `openExport` reads into new buffers.
 */
export function openTableInto(
  ex: TalentExport,
  table: TableName,
  options: ReadIntoOptions = {},
): Promise<Readable> {
  const read = readers.get(ex);
  if (read) return read(table, options);
  const { readInto: _, ...rest } = options;
  return ex.openTable(table, rest);
}

/**
 * Finds and checks an export in any of its three layouts; see {@link Layout}. A zip or folder holding
 * nothing of an export (no table, export.csv or attachment part) is refused (EXPORT_UNRECOGNIZED), saying
 * what it holds by file endings only; an export holding none of its tables has one TABLE_MISSING problem
 * naming no table, not ten.
 */
export async function openExport(path: string, options?: OpenExportOptions): Promise<TalentExport> {
  const opts = normalizeOptions(options);
  opts.signal?.throwIfAborted();
  let found = await findExport(path);
  let problems = new ProblemList();
  problems.addFound(found.problems);
  let sources = await locateSources(found, problems, opts);
  if (sources.renamedPart !== undefined) {
    // An attachment part under another name: read as a part given is, what was found of it as export.zip dropped.
    found = await findRenamedPart(found.root, sources.renamedPart);
    problems = new ProblemList();
    problems.addFound(found.problems);
    sources = await locateSources(found, problems, opts);
  }
  const manifest = await readManifest(found, sources, problems);
  const listed = manifest?.files.some((f) => downloadKey(f.name) === 'export-zip') ?? false;
  if (found.layout === 'download' && found.exportZip === undefined && !listed) {
    problems.add(
      problem(
        'EXPORT_ZIP_MISSING',
        'export.zip is not in the folder, so none of the ten tables can be read; download it beside export.csv',
      ),
    );
  }
  const foreign = notAnExport(
    { root: found.root, tables: sources.sources, parts: found.parts, manifest, problems: problems.items },
    path,
  );
  if (foreign !== undefined) {
    await sources.archive?.close();
    throw foreign;
  }
  const told = tablesMissingAsOne(problems.items, found.parts.length);
  return new OpenedExport(found, manifest, sources, told, opts);
}

class OpenedExport implements TalentExport {
  readonly root: string;
  readonly layout: Layout;
  readonly manifest: Manifest | null;
  readonly parts: readonly PartInfo[];
  readonly tables: Partial<Record<TableName, TableSource>>;
  readonly problems: readonly Problem[];
  readonly #found: Found;
  readonly #sources: Sources;
  readonly #opts: NormalizedOptions;
  #closed = false;

  constructor(
    found: Found,
    manifest: Manifest | null,
    sources: Sources,
    problems: readonly Problem[],
    opts: NormalizedOptions,
  ) {
    this.root = found.root;
    this.layout = found.layout;
    this.manifest = manifest;
    this.parts = found.parts;
    this.tables = sources.sources;
    this.problems = problems;
    this.#found = found;
    this.#sources = sources;
    this.#opts = opts;
    readers.set(this, (table, options) => this.#openTable(table, options));
  }

  openTable(table: TableName, options: OpenTableOptions = {}): Promise<Readable> {
    return this.#openTable(table, { ...(options.signal ? { signal: options.signal } : {}) });
  }

  async #openTable(table: TableName, options: ReadIntoOptions): Promise<Readable> {
    this.#open();
    const stream = await openSource(
      this.#sources,
      table,
      options.signal ?? this.#opts.signal,
      options.readInto,
    );
    if (stream !== undefined) return stream;
    // A TABLE_MISSING naming no table is about every one (see `tablesMissingAsOne`).
    const why = this.problems.find(
      (p) =>
        (p.code === 'TABLE_MISSING' || p.code === 'TABLE_DUPLICATE') &&
        (p.table === table || (p.code === 'TABLE_MISSING' && p.table === undefined)),
    );
    throw new ExportError(
      'EXPORT_TABLE_UNAVAILABLE',
      `the ${table} table cannot be read: ${why?.message ?? 'export.zip is missing or unreadable'}`,
      { file: this.#found.exportZip?.file ?? this.root },
    );
  }

  indexAttachments(options: AttachmentOptions = {}): AsyncGenerator<AttachmentRecord, AttachmentSummary> {
    return flatten(this.indexAttachmentBatches(options));
  }

  indexAttachmentBatches(
    options: AttachmentOptions = {},
  ): AsyncGenerator<AttachmentRecord[], AttachmentSummary> {
    const { context, finish } = this.#reading(options.signal, options.candidateIds);
    return indexParts(this.parts, context, finish);
  }

  verifyAttachments(
    options: Parameters<TalentExport['verifyAttachments']>[0] = {},
  ): AsyncGenerator<AttachmentRecord, AttachmentSummary> {
    const { context, finish } = this.#reading(options.signal, options.candidateIds);
    const { zip, problems } = context;
    const found = this.#found;
    const sources = this.#sources;
    return (async function* () {
      await verifyExportZip(found, sources, zip, problems);
      const thread = new VerifyThread();
      try {
        return yield* readParts(
          found.parts,
          verifyPart(options.onProgress, thread, options.threads),
          context,
          finish,
        );
      } finally {
        await thread.close();
      }
    })();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#sources.archive?.close();
  }

  #open(): void {
    if (this.#closed)
      throw new ExportError('EXPORT_CLOSED', `${this.root} was closed; open it again to read it`);
  }

  /** What reading the parts shares, for indexing or verifying, and the summary at the end. */
  #reading(
    signalOption: AbortSignal | undefined,
    candidateIds: IdLookup | Promise<IdLookup | undefined> | undefined,
  ): { context: PartContext; finish: () => Promise<AttachmentSummary> } {
    this.#open();
    const signal = signalOption ?? this.#opts.signal;
    const tally = new AttachmentTally();
    const problems = new ProblemList();
    const zip = { ...this.#opts.zip, ...(signal ? { signal } : {}) };
    const context = { tally, problems, zip, signal };
    const finish = async () => {
      const ids = await candidateIds;
      // A lone export.zip has no parts to look in: every candidate "without a folder" would be a wrong count.
      const parts = this.layout !== 'export-zip' || this.parts.length > 0;
      // With no part at all every candidate is "without a folder": a count of the export, not of its
      // candidates (export.csv's counts say whether parts are missing).
      if (ids && this.parts.length > 0) tally.setCandidateIds(ids);
      const summary = tally.finish();
      // One notice per file left out, though two names may be hidden alike (`[file name, 9 characters].pdf`).
      problems.addFound(summary.problems);
      // A lone export.zip was opened for its tables: its parts were never meant to be read (unless it
      // holds them, the whole export unpacked and zipped again).
      if (this.manifest !== null && parts) {
        problems.addAll(reconcileParts(this.manifest, this.#found, summary));
      }
      return { ...summary, problems: problems.items };
    };
    return { context, finish };
  }
}
