// A bundle per candidate for a data subject access request: `Candidate_<id>.zip` holding the joined
// document, the candidate's rows of every table as CSV and their attachments copied raw. One pass over the
// tables (rows of other candidates dropped where they are decoded) and one over the parts' listings; the
// wanted candidates' rows are spilled by id range, then each partition's bundles are written in turn.
import { constants, createReadStream } from 'node:fs';
import { access, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createZip, type ZipWriter } from '@talent-export/bundle';
import { hiddenFileName, makeFolders } from '@talent-export/errors';
import {
  askedIds,
  foldName,
  type Problem,
  problem,
  readTableHeader,
  SuffixCursor,
  type TalentExport,
} from '@talent-export/export';
import {
  attachmentPartZip,
  LineEnds,
  shapePrefix,
  sourceShape,
  type TextShape,
} from '@talent-export/export/internal';
import { type ProgressEvent, readBatches, readTables, type TablesOutcome } from '@talent-export/pipeline';
import { isEntityType, looseId, SCHEMAS, SchemaError, type TableName } from '@talent-export/schema';
import { type EncodedRows, exportColumns, exportHeaderLine } from '@talent-export/writers';
import { RowEncoder, removeDeadTemps, removeMadeFolders } from '@talent-export/writers/internal';
import { openZip, type ZipEntry, type ZipOptions } from '@talent-export/zip';
import {
  BUNDLE_LIMITS,
  FileSink,
  removeRuns,
  type SortedRuns,
  sortRuns,
  tellOrphans,
  writeBigDocument,
} from './big.js';
import { CsvRowSplitter } from './csv-rows.js';
import { csvRowsOf, readCsvSpill } from './csv-spill.js';
import { buildDocument, groupByCandidate, type Lookups } from './documents.js';
import { Duplicates } from './duplicates.js';
import { abortedError, JoinError, noCandidatesError, refusedTableError, tempError } from './errors.js';
import { compareIds, rangeOf } from './ids.js';
import { LineSplitter, tokenAt, tokenValue } from './lines.js';
import { LOOKUP_TABLES, LookupTables } from './lookups.js';
import { MAX_PARTITIONS } from './options.js';
import { prettyJson } from './pretty.js';
import { CODE_OF, type Code, type KeyedTable, OWN_ID, parseRows, type Row, rowHead } from './rows.js';
import { ProblemScope } from './scope.js';
import { ShownHeaders } from './shown-headers.js';
import { readWhole, SpillFiles, TempDir } from './spill.js';
import {
  attachmentSource,
  FOLDER,
  fieldNames,
  freeName,
  missingParts,
  type OpenParts,
  parseCsvSpill,
  refusal,
  renamedWhy,
  TextSink,
  type UnreadPart,
  zipFileName,
} from './subject-parts.js';
import { candidateOf, eachLine, readUnit, type Unit, unitsOf } from './units.js';
import { unknownMessage, Variants } from './unknown.js';
import { wantedIds } from './wanted.js';

/** The tables whose rows belong to one candidate, in the order their CSVs are added. */
const ROW_TABLES = [
  'candidates',
  'custom_field_values',
  'scorecards',
  'feedbacks',
  'notes',
  'messages',
] as const satisfies readonly KeyedTable[];
type RowTable = (typeof ROW_TABLES)[number];
/** An attachment as the index gives it, spilled with the candidate's rows. */
interface AttachmentRow {
  kind: keyof typeof FOLDER;
  file_name: string;
  size: number;
  crc32: string | null;
  part: string;
  entry: string;
}
/**
 * A partition of the bundles' spills, loaded whole, or, when it is over `BUNDLE_LIMITS.bytes`, a piece of
 * its candidates (an id range) at a time; a candidate with more rows than that alone is `big`.
 */
class PartitionPieces {
  /** Loaded whole: both spills are within the limit (as nearly always: 64 candidates). */
  private readonly whole: boolean;
  private readonly units: Unit[];
  private current: Unit | undefined;
  private loaded: { groups: Map<string, Row[]>; csvRows: Map<string, Map<Code, Buffer[]>> } | undefined;

  constructor(
    private readonly docPath: string,
    private readonly docBytes: number,
    private readonly csvPath: string,
    private readonly csvBytes: number,
  ) {
    const limit = BUNDLE_LIMITS.bytes;
    this.whole = docBytes <= limit && csvBytes <= limit;
    this.units = this.whole
      ? [{ after: undefined, last: undefined, bytes: docBytes }]
      : unitsOf(docPath, docBytes, limit);
  }

  /** Whether `id` has more rows than a piece holds. */
  big(id: string): boolean {
    return this.unitOf(id).candidate === id;
  }

  /** The rows of the piece holding `id` (ids are asked for in id order), by candidate. */
  of(id: string): { groups: Map<string, Row[]>; csvRows: Map<string, Map<Code, Buffer[]>> } {
    const unit = this.unitOf(id);
    if (unit === this.current && this.loaded) return this.loaded;
    this.current = unit;
    this.loaded = undefined;
    // A big candidate's piece holds its rows alone: any other id in its range has none.
    if (unit.candidate !== undefined) return (this.loaded = { groups: new Map(), csvRows: new Map() });
    const rows =
      this.units.length === 1
        ? readWhole(this.docPath, this.docBytes)
        : readUnit(this.docPath, unit, Buffer.allocUnsafe(unit.bytes));
    this.loaded = {
      groups: new Map(groupByCandidate(parseRows(rows))),
      // The CSV spill holds the same rows, and may be over the limit alone.
      csvRows: this.whole
        ? parseCsvSpill(readWhole(this.csvPath, this.csvBytes))
        : readCsvSpill(this.csvPath, (candidate) => inUnit(candidate, unit)),
    };
    return this.loaded;
  }

  private unitOf(id: string): Unit {
    return this.units.find((unit) => unit.last === undefined || compareIds(id, unit.last) <= 0)!;
  }
}

const inUnit = (id: string, unit: Unit): boolean =>
  (unit.after === undefined || compareIds(id, unit.after) > 0) &&
  (unit.last === undefined || compareIds(id, unit.last) <= 0);

/** Candidates per partition: a partition's rows are loaded whole when its bundles are written. */
const PER_PARTITION = 64;
/** An id names a file: digits in any real export; anything that could leave the folder is refused. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const STAGE_MODULE = new URL('../dist/wanted.js', import.meta.url).href;

export type SubjectsProgress =
  | { phase: 'table'; event: ProgressEvent }
  | { phase: 'attachments'; files: number; done: boolean }
  /** Candidates done (an archive written, or found unknown) of all asked for. */
  | { phase: 'bundles'; done: number; total: number };

export interface SubjectsOptions {
  /** Folder the archives are written to, created if needed; `Candidate_<id>.zip` of the same name is replaced. */
  out: string;
  /** Candidate ids (strings, as in the export). */
  candidates: Iterable<string>;
  /** Folder for the temporary files (default: `out`); removed at the end, on failure and on abort. */
  tmp?: string;
  threads?: number;
  maxRecordBytes?: number;
  /**
   * Limits for the attachment parts: give the ones the export was opened with (`openExport`'s `zip`), so
   * that the entries its index lists are the ones the bundles find. A refused entry is left out.
   */
  zip?: Pick<ZipOptions, 'limits' | 'duplicateNames'>;
  signal?: AbortSignal;
  onProgress?: (progress: SubjectsProgress) => void;
}

export interface SubjectBundle {
  candidate_id: string;
  /** Final path of the archive. */
  path: string;
  /** Rows per table in its CSVs. */
  rows: Record<RowTable, number>;
  attachments: number;
  bytes: number;
}

export interface SubjectsResult {
  bundles: SubjectBundle[];
  /** Ids asked for that the candidates table does not hold (no archive is written for them). */
  unknown: string[];
  /**
   * The problems that concern the export as a whole or the candidates asked for; those about other
   * candidates (their rows, files, ids) are only counted, in one PROBLEMS_ELSEWHERE notice.
   */
  problems: Problem[];
}

interface Normalized {
  out: string;
  tmp: string;
  ids: string[];
  threads: number | undefined;
  maxRecordBytes: number | undefined;
  zip: Pick<ZipOptions, 'limits' | 'duplicateNames'>;
  signal: AbortSignal;
  onProgress: (progress: SubjectsProgress) => void;
}

function normalize(options: SubjectsOptions): Normalized {
  const bad = (message: string): never => {
    throw new JoinError('JOIN_BAD_OPTION', `${message}.`);
  };
  if (typeof options?.out !== 'string' || options.out === '') bad('out must name the output folder');
  const ids = new Set<string>();
  for (const id of options.candidates ?? []) {
    if (typeof id !== 'string' || !SAFE_ID.test(id))
      bad('a candidate id must be 1 to 128 letters, digits, "_" or "-" (it names a file)');
    ids.add(id);
  }
  if (ids.size === 0) bad('candidates must name at least one candidate id');
  for (const [name, value] of [
    ['threads', options.threads],
    ['maxRecordBytes', options.maxRecordBytes],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1))
      bad(`${name} must be a whole number >= 1, got ${value}`);
  }
  return {
    out: options.out,
    tmp: options.tmp ?? options.out,
    ids: [...ids].sort(compareIds),
    threads: options.threads,
    maxRecordBytes: options.maxRecordBytes,
    zip: options.zip ?? {},
    signal: options.signal ?? new AbortController().signal,
    onProgress: options.onProgress ?? (() => {}),
  };
}

/** One archive per candidate asked for; ids not in the candidates table are `unknown` and a problem. */
export async function bundleCandidates(ex: TalentExport, options: SubjectsOptions): Promise<SubjectsResult> {
  const o = normalize(options);
  if (!ex.tables.candidates) throw noCandidatesError(ex, "a candidate's bundle is built around it");
  const refused = refusedTableError(
    ex,
    "every bundle would lack the candidate's rows there, so none was written. Fix or download export.zip again, then ask for these ids again",
  );
  if (refused) throw refused;
  if (o.signal.aborted) throw abortedError();
  let made: string | undefined;
  try {
    made = await makeFolders(o.out);
    // The temps of archives a killed run (SIGKILL) was writing there, and only those.
    await removeDeadTemps(o.out);
  } catch (error) {
    throw tempError('create', o.out, error);
  }
  try {
    // A folder no archive can be written in is said now, not once every table has been read.
    await access(o.out, constants.W_OK);
  } catch (error) {
    await removeMadeFolders(o.out, made);
    throw tempError('write in', o.out, error);
  }
  try {
    const result = await bundleInto(ex, o);
    // No id asked for is in the export: a folder made for archives holds none, and is not left behind.
    if (result.bundles.length === 0) await removeMadeFolders(o.out, made);
    return result;
  } catch (error) {
    // A failed or stopped run leaves no empty folder behind it either; one with archives in it stays.
    await removeMadeFolders(o.out, made);
    throw error;
  }
}

async function bundleInto(ex: TalentExport, o: Normalized): Promise<SubjectsResult> {
  const temp = await TempDir.create(o.tmp);
  const run = new SubjectsRun(ex, o, temp);
  try {
    return await run.run();
  } catch (error) {
    throw o.signal.aborted ? abortedError() : error;
  } finally {
    await run.close();
    await temp.remove();
  }
}

class SubjectsRun {
  private readonly lookups: LookupTables;
  private readonly problems: Problem[] = [];
  /** The export's problems, as far as they concern the candidates asked for (see ProblemScope). */
  private readonly scope: ProblemScope;
  private readonly duplicates = new Duplicates();
  /** The ids asked for, as written. */
  private readonly exact: Set<string>;
  private readonly variants = new Variants();
  /** Ids asked for that get no archive, whose archive of an earlier run was removed. */
  private readonly removed: string[] = [];
  /** The archives in --out before this run wrote any: read once, as a list of ids may be long. */
  private earlierArchives: Promise<Set<string>> | undefined;
  /** Partition bounds: ranges of PER_PARTITION wanted ids. */
  private readonly bounds: string[] = [];
  private readonly docs: SpillFiles;
  private readonly csv: SpillFiles;
  private readonly docPaths: string[];
  private readonly csvPaths: string[];
  /** Rows kept per table: their position, for the documents' order (as the join's row numbers give it). */
  private readonly kept: Record<string, number> = {};
  /** part -> entry names of the wanted candidates' attachments. */
  private readonly wantedEntries = new Map<string, Set<string>>();
  private readonly archives: OpenParts = new Map();
  /** Parts that could not be read to the end, with the candidate range their names give (if any). */
  private unreadable: UnreadPart[] = [];
  /** Whether the parts that could be read hold only candidates of the range their names give. */
  private rangesHold = true;
  private writing: ZipWriter | undefined;
  /** Each table's CSV header as the export writes it, extra columns' as shown (see ShownHeaders). */
  private readonly headers = new Map<TableName, string>();
  /** Each table's byte order mark and line ends, which its CSV in a bundle keeps (see `sourceShape`). */
  private readonly shapes = new Map<TableName, TextShape>();
  private readonly shown = new ShownHeaders();
  /** Where a big candidate's rows are sorted, a run at a time (see big.ts). */
  private runBuffer: Buffer | undefined;
  /** Parts that are folders (an extracted export): name -> absolute path. */
  private readonly folders: Map<string, string>;

  constructor(
    private readonly ex: TalentExport,
    private readonly o: Normalized,
    private readonly temp: TempDir,
  ) {
    this.lookups = new LookupTables(temp);
    this.exact = new Set(o.ids);
    this.scope = new ProblemScope(this.exact, new Set(ex.parts.map((p) => p.file)));
    this.folders = new Map(ex.parts.filter((p) => p.kind === 'folder').map((p) => [p.file, p.path]));
    for (let k = PER_PARTITION; k < o.ids.length; k += PER_PARTITION) this.bounds.push(o.ids[k]!);
    while (this.bounds.length >= MAX_PARTITIONS) {
      // Fewer, bigger partitions: every other bound dropped.
      const half = this.bounds.filter((_, i) => i % 2 === 1);
      this.bounds.length = 0;
      this.bounds.push(...half);
    }
    const count = this.bounds.length + 1;
    this.docPaths = Array.from({ length: count }, (_, i) => temp.file(`${i}.part`));
    this.csvPaths = Array.from({ length: count }, (_, i) => temp.file(`${i}.csv`));
    this.docs = new SpillFiles(this.docPaths);
    this.csv = new SpillFiles(this.csvPaths);
  }

  async run(): Promise<SubjectsResult> {
    this.scope.addAll(this.ex.problems);
    await this.readLookups();
    await this.readRows();
    await this.indexAttachments();
    await this.docs.end();
    await this.csv.end();
    const { bundles, unknown, held } = await this.writeBundles();
    // candidate_id has PII class none: ids are named.
    if (unknown.length > 0)
      this.problems.push(problem('CANDIDATE_UNKNOWN', unknownMessage(unknown, held) + this.earlier(unknown)));
    // A lone export.zip (no parts, no export.csv to list them): every bundle would lack its files unsaid.
    if (bundles.length > 0 && this.ex.parts.length === 0 && this.ex.manifest === null)
      this.problems.push(
        problem(
          'BUNDLE_NO_PARTS',
          `${this.ex.root}: no attachment part (Attachment_*.zip) was found beside it, nor an export.csv listing them: the ${bundles.length} bundle(s) hold no attachments. Give the folder holding export.zip and its parts, and ask for these ids again`,
        ),
      );
    const repeated = this.duplicates.problem();
    if (repeated) this.problems.push(repeated);
    // About stages, modules and definitions that candidate.json embeds, never about a candidate: kept.
    this.problems.push(...this.lookups.repeatedProblems());
    const missing = new Set(unknown.map(looseId));
    const variants = this.variants.problem((id) => !missing.has(looseId(id)));
    if (variants) this.problems.push(variants);
    return { bundles, unknown, problems: [...this.scope.problems(), ...this.problems] };
  }

  async close(): Promise<void> {
    await this.writing?.abort();
    await this.docs.discard();
    await this.csv.discard();
    await this.lookups.close();
    for (const { archive } of this.archives.values()) await archive.close();
    this.archives.clear();
  }

  private readOptions() {
    const { o } = this;
    return {
      signal: o.signal,
      references: false,
      onProgress: (event: ProgressEvent) => o.onProgress({ phase: 'table', event }),
      ...(o.threads === undefined ? {} : { threads: o.threads }),
      ...(o.maxRecordBytes === undefined ? {} : { maxRecordBytes: o.maxRecordBytes }),
    };
  }

  /** A run's problems; the rejected rows of the candidates' tables are told by `ProblemScope.reject` instead. */
  private outcome(outcome: TablesOutcome, rejectsTold = false): void {
    for (const p of outcome.problems) if (!(rejectsTold && p.code === 'ROWS_REJECTED')) this.scope.add(p);
  }

  private async readLookups(): Promise<void> {
    const tables = LOOKUP_TABLES.filter((t) => this.ex.tables[t]);
    const run = readBatches(this.ex, tables, { ...this.readOptions(), threads: 1 });
    for await (const batch of run)
      if (batch.kind === 'records') for (const r of batch.records) this.lookups.add(batch.table, r);
    this.outcome(await run.outcome);
  }

  /**
   * The candidate tables, each row both as NDJSON (for the document) and as CSV in the export's own shape
   * (its header and column order, for the table's CSV), paired in order; the stage has dropped every other
   * candidate's row. Worker threads encode both; rows decoded here are encoded here alike.
   */
  private async readRows(): Promise<void> {
    const tables = ROW_TABLES.filter((t) => this.ex.tables[t]);
    // A bundle holds the candidate's rows whole: columns beyond the schema keep their values.
    const headers = new Map<TableName, string[]>();
    const extra = new Map<TableName, string[]>();
    for (const t of LOOKUP_TABLES.filter((l) => this.ex.tables[l]))
      this.shown.add(t, (await this.header(t)) ?? []);
    for (const t of tables) {
      const names = (await this.header(t)) ?? fieldNames(t);
      headers.set(t, names);
      const columns = exportColumns(names, SCHEMAS[t].fields);
      extra.set(
        t,
        columns.filter((c) => c.field === undefined).map((c) => c.header),
      );
      // Every column is written with its header: which extra ones keep values does not change the line.
      const shown = this.shown.add(t, names);
      const shape = await sourceShape(this.ex, t, this.o.signal);
      this.shapes.set(t, shape);
      this.headers.set(
        t,
        shapePrefix(shape) + exportHeaderLine(columns.map((c, i) => ({ ...c, header: shown[i]! }))),
      );
    }
    let table: RowTable | undefined;
    let lines = new LineSplitter();
    let rows = new CsvRowSplitter();
    let here: RowEncoder | undefined;
    let header: string[] = [];
    const json: Buffer[] = [];
    const csv: Buffer[] = [];
    const onLine = (buf: Buffer, start: number, end: number) => {
      json.push(Buffer.from(buf.subarray(start, end)));
    };
    const onRow = (bytes: Buffer) => {
      csv.push(bytes);
    };
    const take = (encoded: EncodedRows) => {
      for (const piece of encoded.ndjson ?? []) lines.push(piece, onLine);
      for (const piece of encoded.csv ?? []) rows.push(piece, onRow);
      while (json.length > 0 && csv.length > 0) this.keep(table!, json.shift()!, csv.shift()!);
      this.docs.ready();
    };
    const encoder = () =>
      new RowEncoder(table!, SCHEMAS[table!].fields, ['ndjson', 'csv'], {
        exportCsv: { header, keepExtra: extra.get(table!)! },
      });
    let pending = 0;
    const flushHere = () => {
      if (here && pending > 0) {
        take(here.finish());
        here = encoder();
        pending = 0;
      }
    };
    const outcome = await readTables(
      this.ex,
      tables,
      {
        open: (name) => {
          table = name as RowTable;
          header = headers.get(name)!;
          here = encoder();
        },
        record: (_name, record, source) => {
          here!.add(record, source);
          if (++pending >= 256) flushHere();
        },
        encoded: (_name, encoded) => {
          flushHere();
          take(encoded);
        },
        reject: (r) => this.scope.reject(r),
        close: () => {
          flushHere();
          lines.end(onLine);
          rows.end(onRow);
          take({ rows: 0, extraColumns: [] });
          if (json.length + csv.length > 0)
            throw new JoinError(
              'JOIN_INTERNAL',
              `${table}: ${json.length} NDJSON and ${csv.length} CSV rows left unpaired; this is a bug, please report it`,
            );
          lines = new LineSplitter();
          rows = new CsvRowSplitter();
        },
      },
      {
        ...this.readOptions(),
        formats: ['ndjson', 'csv'],
        exportCsv: { keepExtra: Object.fromEntries(extra) },
        decodeHere: true,
        stage: { module: STAGE_MODULE, options: { ids: this.o.ids } },
      },
    );
    this.outcome(outcome, true);
  }

  /** A table's header as written; undefined when the schema refuses it: reading it then fails alike. */
  private async header(table: TableName): Promise<string[] | undefined> {
    try {
      return await readTableHeader(this.ex, table, this.o.signal);
    } catch (error) {
      // The reading engine's error names the file and line (export.zip:Contract_1/Messages.csv line 1);
      // the header's alone names the table only.
      if (error instanceof SchemaError) return undefined;
      throw error;
    }
  }

  /** One row of a wanted candidate (or a project's custom field value): to the spills. */
  private keep(table: RowTable, json: Buffer, csv: Buffer): void {
    const row = (this.kept[table] = (this.kept[table] ?? 0) + 1);
    const token = (key: string) => {
      const t = tokenAt(json, 0, json.length, key);
      return t ? json.toString('utf8', t[0], t[1]) : 'null';
    };
    let candidate: string;
    let head: string;
    if (table === 'custom_field_values') {
      const entity = token('entity_id');
      if (isEntityType(tokenValue(token('entity_type')), 'project')) {
        const [time, field] = [tokenValue(token('created_time')), tokenValue(token('custom_field_id'))];
        this.lookups.addProjectValue(tokenValue(entity) ?? '', { json, row, time, field });
        return;
      }
      candidate = entity;
      head = rowHead('v', row, entity, token('created_time'), token('custom_field_id'));
    } else if (table === 'candidates') {
      candidate = token('candidate_id');
      head = rowHead('c', row, candidate, token('project_id'), token('hiring_state_id'));
    } else {
      candidate = token('candidate_id');
      head = rowHead(CODE_OF[table], row, candidate, token('project_id'), token(OWN_ID[table]!));
    }
    const id = tokenValue(candidate)!;
    if (!this.exact.has(id)) {
      // Kept by the stage for a wanted id written otherwise ("123 ", "0123"): counted, in no bundle.
      this.variants.add(table, id);
      return;
    }
    const p = rangeOf(this.bounds, id);
    this.docs.add(p, head, json, 0, json.length);
    this.csv.add(p, `${CODE_OF[table]}${csv.length}\t${candidate}\t`, csv, 0, csv.length);
  }

  private async indexAttachments(): Promise<void> {
    const loosely = wantedIds(this.o.ids);
    const index = this.ex.indexAttachmentBatches({ signal: this.o.signal });
    let files = 0;
    let step = await index.next();
    for (; !step.done; step = await index.next()) {
      for (const { candidate_id, kind, file_name, size, crc32, part, entry } of step.value) {
        files += 1;
        if (!this.exact.has(candidate_id)) {
          if (loosely(candidate_id)) this.variants.add('attachments', candidate_id);
          continue;
        }
        const json = Buffer.from(JSON.stringify({ kind, file_name, size, crc32, part, entry }));
        const head = rowHead('a', files, JSON.stringify(candidate_id), '', '');
        this.docs.add(rangeOf(this.bounds, candidate_id), head, json, 0, json.length);
        let names = this.wantedEntries.get(part);
        if (!names) this.wantedEntries.set(part, (names = new Set()));
        names.add(entry);
      }
      this.o.onProgress({ phase: 'attachments', files, done: false });
    }
    // What reading the parts found (a part cut short, refused entries, file counts that differ): the
    // documents would otherwise lack those attachments without a word.
    this.scope.addAll(step.value.problems);
    this.rangesHold = !step.value.problems.some((p) => p.code === 'PART_RANGE_MISMATCH');
    // A part export.csv lists that is not in the folder may hold a candidate's files as much as one cut short.
    // So may one cut short whose whole entries were read: its files after the cut are missing. A bundle of a
    // candidate in its range is held back as for a part not read.
    const cut = new Set(step.value.problems.filter((p) => p.code === 'PART_TRUNCATED').map((p) => p.file));
    this.unreadable = [
      ...step.value.parts.filter((p) => !p.readable).map((p) => ({ ...p, why: 'cannot be read' })),
      ...step.value.parts
        .filter((p) => p.readable && cut.has(p.file))
        .map((p) => ({ ...p, why: 'is cut short' })),
      ...missingParts(this.ex),
    ];
    this.o.onProgress({ phase: 'attachments', files, done: true });
  }

  /** The zip parts holding wanted attachments, open, with just those entries. */
  private async openParts(): Promise<void> {
    for (const part of this.ex.parts) {
      const names = this.wantedEntries.get(part.file);
      if (part.kind !== 'zip' || !names) continue;
      // An attachment's file name is personal data: errors name its folders, length and extension only.
      // An entry the reader refuses was left out of the index too (a problem says so): the others go on.
      const archive = await openZip(part.path, {
        ...attachmentPartZip({ ...this.o.zip, onRefused: 'skip' }),
        signal: this.o.signal,
      });
      const entries = new Map<string, ZipEntry>();
      this.archives.set(part.file, { archive, entries });
      for await (const entry of archive.entries()) if (names.has(entry.name)) entries.set(entry.name, entry);
    }
    this.wantedEntries.clear();
  }

  private attachment(a: { part: string; entry: string; size: number }) {
    return attachmentSource(this.archives, this.folders, a, this.o.signal);
  }

  private async writeBundles(): Promise<{
    bundles: SubjectBundle[];
    unknown: string[];
    held: Map<string, Code[]>;
  }> {
    await this.openParts();
    const resolved = await this.lookups.resolve();
    const bundles: SubjectBundle[] = [];
    const unknown: string[] = [];
    const held = new Map<string, Code[]>();
    const incomplete: string[] = [];
    const byPartition: string[][] = this.docPaths.map(() => []);
    for (const id of this.o.ids) byPartition[rangeOf(this.bounds, id)]!.push(id);
    for (let p = 0; p < this.docPaths.length; p++) {
      const pieces = new PartitionPieces(
        this.docPaths[p]!,
        this.docs.bytes[p]!,
        this.csvPaths[p]!,
        this.csv.bytes[p]!,
      );
      for (const id of byPartition[p]!) {
        if (this.o.signal.aborted) throw abortedError();
        if (pieces.big(id)) {
          // One buffer for every big candidate's runs: a big block freed makes glibc keep what is freed after.
          this.runBuffer ??= Buffer.allocUnsafe(BUNDLE_LIMITS.bytes);
          const runs = sortRuns(this.docPaths[p]!, id, this.runBuffer, (k) => this.temp.file(`big-${k}.run`));
          const codes: Code[] = [];
          if (runs.first === undefined) {
            await tellOrphans(runs, (o) => codes.push(CODE_OF[o.table]));
            unknown.push(id);
            await this.removeEarlier(id);
            if (codes.length > 0) held.set(id, codes);
          } else if (this.mayLackAttachments(id)) {
            removeRuns(runs.paths);
            incomplete.push(id);
            await this.removeEarlier(id);
          } else
            bundles.push(await this.writeBigBundle(id, runs, this.docPaths[p]!, this.csvPaths[p]!, resolved));
          this.o.onProgress({
            phase: 'bundles',
            done: bundles.length + unknown.length + incomplete.length,
            total: this.o.ids.length,
          });
          continue;
        }
        const { groups, csvRows } = pieces.of(id);
        const group = groups.get(id) ?? [];
        if (!group.some((row) => row.code === 'c')) {
          unknown.push(id);
          await this.removeEarlier(id);
          if (group.length > 0)
            held.set(
              id,
              group.map((row) => row.code),
            );
        } else if (this.mayLackAttachments(id)) {
          incomplete.push(id);
          await this.removeEarlier(id);
        } else bundles.push(await this.writeBundle(id, group, csvRows.get(id), resolved));
        this.o.onProgress({
          phase: 'bundles',
          done: bundles.length + unknown.length + incomplete.length,
          total: this.o.ids.length,
        });
      }
      await rm(this.docPaths[p]!, { force: true });
      await rm(this.csvPaths[p]!, { force: true });
    }
    if (incomplete.length > 0) {
      // candidate_id has PII class none: ids are named.
      const shown = incomplete.slice(0, 20).join(', ');
      const parts = this.unreadable.map((p) => `${p.file} (${p.why})`).join(', ');
      this.problems.push(
        problem(
          'BUNDLE_INCOMPLETE',
          `${incomplete.length} candidate(s) may have attachments in ${parts}: no bundle was written for them (it would lack those files without a word): ${shown}${incomplete.length > 20 ? ', ...' : ''}. Download the part again and ask for these ids again${this.earlier(incomplete)}`,
        ),
      );
    }
    return { bundles, unknown, held };
  }

  /** What the problem about `ids` adds when archives of an earlier run were removed for some of them. */
  private earlier(ids: readonly string[]): string {
    const asked = new Set(ids);
    const gone = this.removed.filter((id) => asked.has(id));
    if (gone.length === 0) return '';
    return `. The Candidate_<id>.zip an earlier run wrote into the folder was removed for ${gone.length} of them, as it is not this export's answer: ${askedIds(gone)}`;
  }

  /**
   * Removes the archive an earlier run left for a candidate this run writes none for: it would pass for
   * this run's answer (the candidate may since have left the export, or a part be missing now).
   */
  private async removeEarlier(id: string): Promise<void> {
    const name = `Candidate_${id}.zip`;
    // One look per id would be one system call each for 100,000 ids asked for, nearly all of them absent.
    this.earlierArchives ??= readdir(this.o.out).then(
      (names) => new Set(names.filter((n) => n.startsWith('Candidate_'))),
      () => new Set<string>(),
    );
    if (!(await this.earlierArchives).has(name)) return;
    const path = join(this.o.out, name);
    try {
      await rm(path);
      this.removed.push(id);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw tempError('remove', path, error);
    }
  }

  /**
   * Whether a candidate's attachments may be in a part that could not be read: its name's range holds the
   * id, or it has none. A name's range is taken at its word only while the parts that were read hold to
   * theirs (no PART_RANGE_MISMATCH) and it runs upwards: parts renamed, or named in another order than ids
   * sort, could hold any candidate.
   */
  private mayLackAttachments(id: string): boolean {
    return this.unreadable.some(
      (p) =>
        p.first === undefined ||
        p.last === undefined ||
        !this.rangesHold ||
        compareIds(p.first, p.last) > 0 ||
        (compareIds(id, p.first) >= 0 && compareIds(id, p.last) <= 0),
    );
  }

  /** A table's CSV text, written with LF, given the line ends of its source (one converter per file). */
  private shaped(table: TableName): (piece: Buffer) => Buffer {
    const eol = this.shapes.get(table)?.eol ?? 'lf';
    if (eol === 'lf') return (piece) => piece;
    const ends = new LineEnds(eol);
    return (piece) => ends.convert(piece);
  }

  private async writeBundle(
    id: string,
    group: Row[],
    csvRows: Map<Code, Buffer[]> | undefined,
    lookups: Lookups,
  ): Promise<SubjectBundle> {
    const path = join(this.o.out, `Candidate_${id}.zip`);
    const { rows: placed, files } = await this.placeAttachments(id, group);
    // Attachments are named after their file names, which may name a person: errors do not show them.
    const zip = (this.writing = createZip(path, {
      signal: this.o.signal,
      hideFileNames: true,
      sha256: false,
    }));
    const document = new TextSink();
    buildDocument(id, placed, lookups, document, () => {}, this.duplicates.add);
    const pretty = `${JSON.stringify(this.shown.document(JSON.parse(document.toString()) as Record<string, unknown>), null, 2)}\n`;
    await zip.add({ name: 'candidate.json', bytes: Buffer.from(pretty), method: 'deflate' });
    const rows = {} as Record<RowTable, number>;
    for (const table of ROW_TABLES) {
      const lines = csvRows?.get(CODE_OF[table]) ?? [];
      rows[table] = lines.length;
      const head =
        this.headers.get(table) ?? exportHeaderLine(exportColumns(fieldNames(table), SCHEMAS[table].fields));
      const bytes = this.shaped(table)(Buffer.concat([Buffer.from(head), ...lines]));
      await zip.add({ name: `${SCHEMAS[table].files[0]}.csv`, bytes, method: 'deflate' });
    }
    for (const { name, a } of files) await zip.add({ name, ...this.attachment(a) });
    const written = await zip.close();
    this.writing = undefined;
    return { candidate_id: id, path: written.path, rows, attachments: files.length, bytes: written.bytes };
  }

  /**
   * The bundle of a candidate whose rows are more than a bundle loads at once, sorted on disk (see big.ts):
   * candidate.json is written compact to a temporary file, then indented as it is added; each CSV is
   * streamed from the partition's CSV spill. Streamed entries carry their sizes after their data.
   */
  private async writeBigBundle(
    id: string,
    runs: SortedRuns,
    docPath: string,
    csvPath: string,
    lookups: Lookups,
  ): Promise<SubjectBundle> {
    const path = join(this.o.out, `Candidate_${id}.zip`);
    const json = this.temp.file('big.json');
    try {
      const own: Row[] = [];
      eachLine(docPath, (buf, start, end) => {
        if (buf[start] === 0x61 && candidateOf(buf, start, end) === id)
          own.push(parseRows(Buffer.from(buf.subarray(start, end)))[0]!);
      });
      const { rows: placed, files } = await this.placeAttachments(id, own);
      const byRow = new Map(placed.map((row) => [row.row, row]));
      const sink = new FileSink(json);
      try {
        await writeBigDocument(runs, {
          out: sink,
          orphan: () => {},
          lookups,
          duplicate: this.duplicates.add,
          ready: () => {
            if (this.o.signal.aborted) throw abortedError();
          },
          replace: (row) => (row.code === 'a' ? byRow.get(row.row)! : row),
          ...(this.shown.renames ? { member: this.shown.memberWriter(sink) } : {}),
        });
      } finally {
        sink.close();
      }
      const zip = (this.writing = createZip(path, {
        signal: this.o.signal,
        hideFileNames: true,
        sha256: false,
      }));
      await zip.add({
        name: 'candidate.json',
        stream: prettyJson(createReadStream(json)),
        method: 'deflate',
      });
      await rm(json, { force: true });
      const rows = {} as Record<RowTable, number>;
      for (const table of ROW_TABLES) {
        rows[table] = 0;
        const head =
          this.headers.get(table) ??
          exportHeaderLine(exportColumns(fieldNames(table), SCHEMAS[table].fields));
        const counted = () => {
          rows[table] += 1;
        };
        const shaped = this.shaped(table);
        const stream = (async function* () {
          yield shaped(Buffer.from(head));
          for await (const piece of csvRowsOf(csvPath, id, CODE_OF[table], counted)) yield shaped(piece);
        })();
        await zip.add({ name: `${SCHEMAS[table].files[0]}.csv`, stream, method: 'deflate' });
      }
      for (const { name, a } of files) await zip.add({ name, ...this.attachment(a) });
      const written = await zip.close();
      this.writing = undefined;
      return { candidate_id: id, path: written.path, rows, attachments: files.length, bytes: written.bytes };
    } finally {
      removeRuns(runs.paths);
      await rm(json, { force: true });
    }
  }

  /**
   * Each attachment's name in the bundle (or none: its bytes fail a check, a problem says so), and the rows
   * with each attachment's `part` and `entry` replaced by that `path`: the parts' names hold the id range
   * of other candidates, which a person's bundle must not name, and the path is what its reader can open.
   */
  private async placeAttachments(
    id: string,
    group: Row[],
  ): Promise<{ rows: Row[]; files: { name: string; a: AttachmentRow }[] }> {
    const files: { name: string; a: AttachmentRow }[] = [];
    // Names that one file system would take for one file get a suffix, as extract gives them.
    const used = new Set<string>();
    const taken = (name: string) => used.has(foldName(name));
    const suffixes = new SuffixCursor();
    const rows: Row[] = [];
    for (const row of group) {
      if (row.code !== 'a') {
        rows.push(row);
        continue;
      }
      const a = JSON.parse(row.buf.toString('utf8', row.start, row.end)) as AttachmentRow;
      const refused = await refusal(this.archives, a, `Candidate_${id}.zip`, this.o.signal);
      let name: string | null = null;
      if (refused) this.problems.push(refused);
      else {
        name = freeName(`attachments/${FOLDER[a.kind]}/`, zipFileName(a.file_name), suffixes, taken);
        used.add(foldName(name));
        files.push({ name, a });
        // Told as extract tells it: the bundle's reader should know the file's own name is another.
        const why = renamedWhy(a.file_name);
        if (why !== undefined) {
          const file = `Candidate_${id}.zip`;
          const shown = `attachments/${FOLDER[a.kind]}/${hiddenFileName(name.slice(name.lastIndexOf('/') + 1))}`;
          this.problems.push(
            problem(
              'NAME_UNSAFE_RENAMED',
              `${file}: ${shown} is an attachment written under a new name: ${why}; its own name is the file_name of its row in candidate.json`,
              {
                file,
                entry: shown,
              },
            ),
          );
        }
      }
      const { kind, file_name, size, crc32 } = a;
      const buf = Buffer.from(JSON.stringify({ kind, file_name, size, crc32, path: name }));
      rows.push({ ...row, buf, start: 0, end: buf.length });
    }
    return { rows, files };
  }
}
