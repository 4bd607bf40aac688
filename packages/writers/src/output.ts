import { rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { makeFolders } from '@talent-export/errors';
import type { FieldSchema } from '@talent-export/schema';
import { encodeNdjsonLine } from '@talent-export/schema/internal';
import { whilePublishing } from './cleanup.js';
import { csvHeader, encodeCsvRow } from './csv.js';
import { abortedError, ioError, WriterError } from './errors.js';
import { lockFolder, unlockFolder } from './lock.js';
import {
  buildDataPackage,
  buildManifest,
  type ManifestFile,
  type ManifestTable,
  type OutputManifest,
} from './manifest.js';
import { type NormalizedOptions, normalizeOptions, type OutputOptions } from './options.js';
import { checkRecord, type EncodedRows, MAX_EXTRA_NAMES, wellFormed } from './rows.js';
import { FileSink, removeDeadTemps, type SinkOptions, SpareBatches } from './sink.js';
import type { Format, TypedRecord } from './types.js';

export interface TableWriter {
  readonly name: string;
  readonly fields: readonly FieldSchema[];
  /** Rows accepted so far. */
  readonly rows: number;
  /**
   * Times written so far whose fraction has digits past the microsecond (`.1234567`, as .NET and Java
   * write them): Parquet holds microseconds, so those digits are cut there (NDJSON and CSV keep them).
   * 0 without Parquet.
   */
  readonly timesCut: number;
  /** Checks and writes one record to every format; returns a promise only when the caller must wait for the disk. */
  write(record: TypedRecord): void | Promise<void>;
  /**
   * Writes rows already checked and encoded by a `RowEncoder` (e.g. in a worker thread), in order. Once
   * it returns (or its promise settles) the buffers of `PiecePool.reusable(rows)` may be reused.
   */
  writeEncoded(rows: EncodedRows): void | Promise<void>;
  /** Completes every file of the table; its final names appear at `Output.finish()`. Idempotent. */
  close(options?: CloseOptions): Promise<void>;
}

export interface CloseOptions {
  /**
   * How the manifest names extra columns, by record key: a key made from a header cell may be a value (a
   * person's name pasted as a header), which a manifest, read as a report, must not show. Default: as is.
   */
  extraColumnsShown?: ReadonlyMap<string, string>;
}

export interface TableOptions {
  formats?: readonly Format[];
}

export interface FinishExtra {
  /** Kept in manifest.json as `report`. */
  report?: object;
  /**
   * More JSON files, by name, made from the manifest (a run's report): written with it, they appear
   * together with every other file or not at all.
   */
  json?: Record<string, (manifest: OutputManifest) => object>;
}

export interface Output {
  readonly dir: string;
  /**
   * One file per format: `<dir>/<name>.ndjson`, `<dir>/<name>.csv`, `<dir>/<name>.parquet`;
   * `formats` narrows the output's formats for this table (e.g. rejects as NDJSON only).
   */
  table(name: string, fields: readonly FieldSchema[], options?: TableOptions): TableWriter;
  /**
   * Closes every table, writes datapackage.json (when CSV is written) and manifest.json, then renames
   * every file to its final name: none appears before, so a failed or interrupted run leaves nothing.
   */
  finish(extra?: FinishExtra): Promise<OutputManifest>;
  /** Removes every temp; no file not yet completed appears under its final name. */
  abort(): Promise<void>;
}

const noop = (): void => undefined;

const EXTENSION: Record<Format, string> = { ndjson: 'ndjson', csv: 'csv', parquet: 'parquet' };
const TABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;
const FIELD_TYPES = new Set<FieldSchema['type']>([
  'id',
  'text',
  'integer',
  'number',
  'boolean',
  'timestamp',
  'list',
]);

export async function openOutput(options: OutputOptions): Promise<Output> {
  const normalized = normalizeOptions(options);
  if (normalized.signal?.aborted) throw abortedError(normalized.dir);
  let made: string | undefined;
  try {
    made = await makeFolders(normalized.dir);
    await removeDeadTemps(normalized.dir);
  } catch (error) {
    throw ioError('create the output folder', normalized.dir, error);
  }
  let lock: string | undefined;
  try {
    if (normalized.lock) lock = await lockFolder(normalized.dir, normalized.handleSignals);
    // Parquet's encoder is loaded only for an output that writes it.
    const parquet = normalized.formats.includes('parquet') ? await import('./parquet-encoder.js') : undefined;
    return new DirectoryOutput(normalized, made, parquet?.ParquetTableEncoder, lock);
  } catch (error) {
    await unlockFolder(lock, normalized.handleSignals);
    await removeMadeFolders(normalized.dir, made);
    throw error;
  }
}

/**
 * Removes `dir` and the folders above it up to `made` (the first one this run created), each only if
 * empty: an interrupted or failed run leaves no empty folder behind it either.
 */
export async function removeMadeFolders(dir: string, made: string | undefined): Promise<void> {
  if (made === undefined) return;
  const top = resolve(made);
  for (let at = resolve(dir); ; at = dirname(at)) {
    try {
      await rmdir(at);
    } catch {
      return;
    }
    if (at === top || dirname(at) === at) return;
  }
}

interface FormatEncoder {
  readonly format: Format;
  readonly sink: FileSink;
  /** `ordered`: the record's keys are exactly the fields, in order (worked out once per record). */
  write(record: TypedRecord, ordered: boolean): void | Promise<void>;
  writeEncoded(rows: EncodedRows): void | Promise<void>;
  end(): Promise<void>;
  /** Times whose digits past the microsecond the format cannot hold: cut (Parquet). */
  timesCut?: () => number;
}

type ParquetEncoderClass = typeof import('./parquet-encoder.js').ParquetTableEncoder;

function encoderFor(
  format: Format,
  sink: FileSink,
  table: string,
  fields: readonly FieldSchema[],
  options: NormalizedOptions,
  Parquet: ParquetEncoderClass | undefined,
): FormatEncoder {
  if (format === 'parquet') {
    // Loaded by openOutput for an output whose formats hold Parquet; a table's formats are among those.
    const parquet = new Parquet!(sink, table, fields, options);
    const writeEncoded = async ({ records }: EncodedRows) => {
      if (records === undefined) throw missingFormat(table, format);
      for (const record of records) await parquet.write(record);
    };
    return {
      format,
      sink,
      write: (record) => parquet.write(record),
      writeEncoded,
      end: () => parquet.finish(),
      timesCut: () => parquet.timesCut,
    };
  }
  if (format === 'csv') sink.enqueue(csvHeader(fields));
  const write =
    format === 'csv'
      ? (record: TypedRecord) => sink.write(encodeCsvRow(record, fields))
      : (record: TypedRecord, ordered: boolean) => sink.write(encodeNdjsonLine(record, fields, ordered));
  const writeEncoded = (rows: EncodedRows) => {
    const pieces = rows[format];
    if (pieces === undefined) throw missingFormat(table, format);
    for (const piece of pieces) sink.enqueue(piece);
    return sink.ready();
  };
  return { format, sink, write, writeEncoded, end: async () => {} };
}

const missingFormat = (table: string, format: Format) =>
  new WriterError(
    'WRITER_BAD_VALUE',
    `table ${table}: encoded rows lack the ${format} format; give the RowEncoder every format of the table`,
  );

class DirectoryOutput implements Output {
  readonly dir: string;
  private readonly options: NormalizedOptions;
  private readonly tables = new Map<string, Table>();
  private readonly files: ManifestFile[] = [];
  private state: 'open' | 'finishing' | 'publishing' | 'finished' | 'aborted' = 'open';
  private publishing: Promise<void> = Promise.resolve();
  private aborting: Promise<void> = Promise.resolve();
  private readonly onAbort = (): void => void this.abort().catch(() => undefined);
  private readonly sinkOptions: SinkOptions;

  constructor(
    options: NormalizedOptions,
    /** The first folder openOutput created for `dir`, if it created any. */
    private readonly made?: string,
    /** The Parquet encoder, when the output writes Parquet. */
    private readonly parquet?: ParquetEncoderClass,
    /** The folder's lock this output took (see lockFolder). */
    private readonly lock?: string,
  ) {
    this.dir = options.dir;
    this.options = options;
    this.sinkOptions = { handleSignals: options.handleSignals, spares: new SpareBatches() };
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  table(name: string, fields: readonly FieldSchema[], options: TableOptions = {}): TableWriter {
    this.assertOpen(`table(${JSON.stringify(name)})`);
    if (typeof name !== 'string' || !TABLE_NAME.test(name)) {
      throw new WriterError(
        'WRITER_BAD_TABLE',
        `table name ${JSON.stringify(name)} is not usable as a file name; use letters, digits, _ . - (starting with a letter or digit)`,
      );
    }
    checkFields(name, fields);
    if (this.tables.has(name)) {
      throw new WriterError(
        'WRITER_DUPLICATE_TABLE',
        `table ${name} was already opened in ${this.dir}; write each table once`,
      );
    }
    const encoders: FormatEncoder[] = [];
    try {
      const formats = this.options.formats.filter((f) => !options.formats || options.formats.includes(f));
      if (options.formats && formats.length === 0) {
        throw new WriterError(
          'WRITER_BAD_OPTION',
          `table ${name}: formats ${options.formats.join(',')} are not among the output's (${this.options.formats.join(',')})`,
        );
      }
      for (const format of formats) {
        const sink = new FileSink(join(this.dir, `${name}.${EXTENSION[format]}`), this.sinkOptions);
        encoders.push(encoderFor(format, sink, name, fields, this.options, this.parquet));
      }
    } catch (error) {
      for (const encoder of encoders) void encoder.sink.discard();
      throw error;
    }
    const table = new Table(name, fields, encoders, this);
    this.tables.set(name, table);
    return table;
  }

  async finish(extra: FinishExtra = {}): Promise<OutputManifest> {
    this.assertOpen('finish()');
    this.state = 'finishing';
    const json: FileSink[] = [];
    try {
      for (const table of this.tables.values()) await table.close();
      const tables: ManifestTable[] = [...this.tables.values()].map(({ name, fields }) => ({ name, fields }));
      const manifest = buildManifest(this.options.source, this.files, tables, extra.report);
      for (const [name, make] of Object.entries(extra.json ?? {})) {
        if (!TABLE_NAME.test(name) || name === 'manifest.json' || name === 'datapackage.json') {
          throw new WriterError(
            'WRITER_BAD_OPTION',
            `finish: ${JSON.stringify(name)} is not a usable file name`,
          );
        }
        json.push(await this.sealJson(name, make(manifest)));
      }
      if (this.options.formats.includes('csv')) {
        json.push(await this.sealJson('datapackage.json', buildDataPackage(this.files, tables)));
      }
      // Last: a folder with a manifest.json holds every file it lists.
      json.push(await this.sealJson('manifest.json', manifest));
      // Renames only once every file is written: a disk that fills up on the last one leaves no table behind.
      this.state = 'publishing';
      this.publishing = whilePublishing(async () => {
        for (const table of this.tables.values()) await table.publish();
        for (const sink of json) await sink.publish();
      });
      await this.publishing;
      this.state = 'finished';
      this.options.signal?.removeEventListener('abort', this.onAbort);
      await unlockFolder(this.lock, this.options.handleSignals);
      return manifest;
    } catch (error) {
      // A rename that failed: what is left is removed.
      if (this.state === 'publishing') this.state = 'finishing';
      await Promise.all(json.map((sink) => sink.discard()));
      await this.abort();
      throw error;
    }
  }

  abort(): Promise<void> {
    if (this.state === 'finished') return Promise.resolve();
    // Every file is complete and being renamed: the output appears whole, then the run stops.
    if (this.state === 'publishing') return this.publishing.then(noop, noop);
    if (this.state !== 'aborted') {
      this.state = 'aborted';
      this.options.signal?.removeEventListener('abort', this.onAbort);
      this.aborting = Promise.all([...this.tables.values()].map((table) => table.discard()))
        .then(() => unlockFolder(this.lock, this.options.handleSignals))
        .then(() => removeMadeFolders(this.dir, this.made));
    }
    return this.aborting;
  }

  /** Called by a table once its files are complete. */
  completed(file: ManifestFile): void {
    this.files.push(file);
  }

  assertWritable(where: string): void {
    if (this.state === 'aborted' || this.options.signal?.aborted)
      throw abortedError(`${this.dir} (${where})`);
  }

  private assertOpen(where: string): void {
    this.assertWritable(where);
    if (this.state !== 'open') {
      throw new WriterError(
        'WRITER_CLOSED',
        `${where}: output ${this.dir} is already finished; open a new output`,
      );
    }
  }

  /** A JSON file, complete under its temp name: `publish()` gives it its final name. */
  private async sealJson(name: string, value: object): Promise<FileSink> {
    const sink = new FileSink(join(this.dir, name), this.sinkOptions);
    try {
      sink.enqueue(`${JSON.stringify(value, null, 2)}\n`);
      await sink.seal();
      return sink;
    } catch (error) {
      await sink.discard();
      throw error;
    }
  }
}

function checkFields(table: string, fields: readonly FieldSchema[]): void {
  const bad = (message: string): never => {
    throw new WriterError(
      'WRITER_BAD_TABLE',
      `table ${table}: ${message}; pass the table's FieldSchema list`,
    );
  };
  if (!Array.isArray(fields) || fields.length === 0) bad('fields must be a non-empty array');
  const seen = new Set<string>();
  for (const field of fields) {
    if (typeof field?.name !== 'string' || field.name === '') bad('every field needs a non-empty name');
    if (seen.has(field.name)) bad(`field ${field.name} appears twice`);
    if (!FIELD_TYPES.has(field.type))
      bad(`field ${field.name} has unknown type ${JSON.stringify(field.type)}`);
    seen.add(field.name);
  }
}

class Table implements TableWriter {
  readonly name: string;
  readonly fields: readonly FieldSchema[];
  rows = 0;
  private readonly encoders: FormatEncoder[];

  get timesCut(): number {
    let cut = 0;
    for (const encoder of this.encoders) cut += encoder.timesCut?.() ?? 0;
    return cut;
  }
  private readonly output: DirectoryOutput;
  private readonly extra = new Set<string>();
  /** Where a bad value was found; one object per table, its row updated, rather than one per row. */
  private readonly where = { table: '', row: 0 };
  private closing: Promise<void> | undefined;
  private failed: unknown;
  /** The last wait a single sink gave, and the one given for it (see `each`). */
  private lastWait: { given: Promise<void>; wait: Promise<void> } | undefined;

  constructor(
    name: string,
    fields: readonly FieldSchema[],
    encoders: FormatEncoder[],
    output: DirectoryOutput,
  ) {
    this.name = name;
    this.where.table = name;
    this.fields = fields;
    this.encoders = encoders;
    this.output = output;
  }

  write(record: TypedRecord): void | Promise<void> {
    this.assertWritable();
    this.where.row = this.rows + 1;
    const ordered = checkRecord(record, this.fields, this.where, this.extra);
    this.rows++;
    const row = wellFormed(record);
    return this.each((encoder) => encoder.write(row, ordered));
  }

  writeEncoded(rows: EncodedRows): void | Promise<void> {
    this.assertWritable();
    for (const key of rows.extraColumns) if (this.extra.size < MAX_EXTRA_NAMES) this.extra.add(key);
    this.rows += rows.rows;
    return this.each((encoder) => encoder.writeEncoded(rows));
  }

  private assertWritable(): void {
    this.output.assertWritable(`table ${this.name}`);
    if (this.failed) throw this.failed;
    if (this.closing) {
      throw new WriterError('WRITER_CLOSED', `table ${this.name} is closed; write every row before close()`);
    }
  }

  private each(step: (encoder: FormatEncoder) => void | Promise<void>): void | Promise<void> {
    let waits: Promise<void>[] | undefined;
    try {
      for (const encoder of this.encoders) {
        const wait = step(encoder);
        if (wait) (waits ??= []).push(wait);
      }
    } catch (error) {
      throw this.fail(error);
    }
    if (waits) {
      // A sink gives the same wait until its next batch goes to the disk: so is the one given here, not one
      // made for each record and held as long (rows of no candidate, written before their writer waits).
      const last = this.lastWait;
      if (last !== undefined && waits.length === 1 && waits[0] === last.given) return last.wait;
      const wait = Promise.all(waits).then(
        () => undefined,
        (error: unknown) => {
          throw this.fail(error);
        },
      );
      if (waits.length === 1) this.lastWait = { given: waits[0]!, wait };
      return wait;
    }
  }

  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.complete(options.extraColumnsShown);
    return this.closing;
  }

  /** Gives every sealed file its final name; called by the output once every table is complete. */
  async publish(): Promise<void> {
    for (const encoder of this.encoders) await encoder.sink.publish();
  }

  /** Drops every file of the table that has no final name yet. */
  async discard(): Promise<void> {
    this.failed ??= abortedError(`table ${this.name}`);
    await Promise.all(this.encoders.map((encoder) => encoder.sink.discard()));
  }

  private async complete(shown: ReadonlyMap<string, string> | undefined): Promise<void> {
    if (this.failed) throw this.failed;
    const extraColumns = [...this.extra].map((key) => shown?.get(key) ?? key).sort();
    try {
      for (const encoder of this.encoders) {
        this.output.assertWritable(`table ${this.name}`);
        await encoder.end();
        const { path, bytes, sha256 } = await encoder.sink.seal();
        this.output.completed({
          path: path.slice(this.output.dir.length + 1),
          table: this.name,
          format: encoder.format,
          rows: this.rows,
          bytes,
          sha256,
          extraColumns,
          extraColumnsKept: encoder.format === 'ndjson',
        });
      }
    } catch (error) {
      throw this.fail(error);
    }
  }

  private fail(error: unknown): unknown {
    this.failed ??= error;
    void this.discard();
    return error;
  }
}
