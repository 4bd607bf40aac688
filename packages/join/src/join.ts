// The adapter: reads the export through the pipeline, spills candidate-keyed rows by id range, then
// writes documents one partition at a time through the writers (atomic, with manifest.json).
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Problem, problem, readTableHeader, type TalentExport } from '@talent-export/export';
import { type ProgressEvent, readBatches, type TablesOutcome } from '@talent-export/pipeline';
import {
  IDS_NOT_SHOWN,
  IdSet,
  isEntityType,
  type Reject,
  SchemaError,
  showableId,
  TABLE_NAMES,
  type TableName,
} from '@talent-export/schema';
import { type Output, type OutputManifest, openOutput, type TableWriter } from '@talent-export/writers';
import { sortRuns, writeBigDocument } from './big.js';
import { moveClashing } from './clash.js';
import { buildDocument, groupByCandidate, type Lookups, type Orphan } from './documents.js';
import { Duplicates } from './duplicates.js';
import { abortedError, noCandidatesError, refusedTableError } from './errors.js';
import {
  DOCUMENT_FIELDS,
  documentSchema,
  ORPHAN_FIELDS,
  PROJECT_FIELDS,
  projectSchema,
  REJECT_FIELDS,
} from './fields.js';
import { compareIds, Ranges, rangeOf } from './ids.js';
import { leftOut } from './left-out.js';
import { LineSplitter, tokenAt, tokenId, tokenInto, tokenValue } from './lines.js';
import { LOOKUP_TABLES, LookupTables } from './lookups.js';
import { type JoinOptions, MAX_PARTITIONS, type Normalized, normalizeOptions } from './options.js';
import { DocumentBytes } from './output.js';
import { CODE_OF, CODES, type KeyedTable, OWN_ID, parseRows, type Row, rowHead } from './rows.js';
import { ShownHeaders } from './shown-headers.js';
import { readWhole, SpillFiles, slabMemory, TempDir } from './spill.js';
import { TextSink } from './subject-parts.js';
import { readUnit, unitsOf } from './units.js';

const KEYED_TABLES: readonly TableName[] = [
  'custom_field_values',
  'feedbacks',
  'messages',
  'notes',
  'scorecards',
];
/**
 * Candidate ids kept to choose the partitions' ranges: 64 per partition at the most partitions. With 16,384,
 * 512 partitions had 32 ids each and the biggest was 1.6x the median (x1: 1.35x), and a partition is loaded
 * whole. ~3 MB of strings whatever the export's size.
 */
const SAMPLE = 65_536;
/**
 * A partition over this many times the planned size is built in pieces (see `unitsOf`): ranges come from a
 * sample, so sizes vary, and the more partitions, the bigger the biggest (x1: 1.3x the mean).
 */
const SPREAD = 1.5;
/** No bytes: an attachment's spilled line is all text (see indexAttachments). */
const NOTHING = Buffer.alloc(0);
/** NDJSON of a table is about this much bigger than its CSV (keys repeated on every line). */
const NDJSON_GROWTH = 1.3;

/**
 * Rows of one table: decoded = in documents + in project documents + orphaned (not in any document) + left
 * out (custom field values of a project no candidates row names, without `byProject`: no document holds it).
 */
export interface TableAccount {
  rows: number;
  rejected: number;
  inDocuments: number;
  inProjects: number;
  orphaned: number;
  leftOut: number;
}

export interface JoinResult {
  documents: number;
  projects: number | undefined;
  partitions: number;
  tables: Record<KeyedTable, TableAccount>;
  /** Rows of the small tables, embedded wherever they are referenced. */
  lookups: Record<string, { rows: number; rejected: number }>;
  orphans: { rows: number; references: number; byReference: Record<string, number> };
  problems: Problem[];
  manifest: OutputManifest;
}

export async function joinExport(ex: TalentExport, options: JoinOptions): Promise<JoinResult> {
  const o = normalizeOptions(options);
  if (!ex.tables.candidates)
    throw noCandidatesError(ex, 'documents are built around it, so nothing can be joined');
  const refused = refusedTableError(
    ex,
    'the documents would lack its rows, so nothing was joined. Fix or download export.zip again, then join again',
  );
  if (refused) throw refused;
  if (o.signal.aborted) throw abortedError();
  const temp = await TempDir.create(o.tmp);
  let output: Output | undefined;
  let spill: SpillFiles | undefined;
  let run: JoinRun | undefined;
  try {
    output = await openOutput({
      dir: o.out,
      formats: ['ndjson'],
      source: o.source ?? basename(ex.root),
      signal: o.signal,
      handleSignals: o.handleSignals,
      lock: o.lock,
    });
    run = new JoinRun(ex, o, output, temp);
    const result = await run.run((files) => {
      spill = files;
    });
    return result;
  } catch (error) {
    await spill?.discard();
    await output?.abort();
    throw o.signal.aborted ? abortedError() : error;
  } finally {
    await run?.close();
    await temp.remove();
  }
}

class JoinRun {
  private readonly lookups: LookupTables;
  private resolved: Lookups | undefined;
  private readonly account = {} as Record<KeyedTable, TableAccount>;
  private readonly orphans: TableWriter;
  private rejects: TableWriter | undefined;
  private readonly byReference: Record<string, number> = {};
  /** References of rows in documents into a table the export does not hold: not checked, not orphans. */
  private readonly unchecked: Record<string, number> = {};
  private orphanRows = 0;
  /**
   * The candidates table's ids. A row of another candidate is an orphan where it is read: spilled, the rows
   * of candidates the table lacks (all of them, when it has a header only) gathered in a partition no sample
   * of the table's ids had sized, which was then built in ever more pieces, each a pass over its file.
   */
  private readonly known = new IdSet();
  /** The last promise the orphans' writer gave (see `orphan`). */
  private orphansWait: Promise<void> | undefined;
  /** The orphans' writer is behind the disk until this settles (see `orphan`). */
  private orphansBehind: Promise<void> | undefined;
  private readonly duplicates = new Duplicates();
  private orphanReferences = 0;
  private readonly problems: Problem[] = [];
  /** project_id -> hiring_state_id (or '' for none) -> candidate rows. */
  private readonly stages = new Map<string, Map<string, number>>();
  private readonly shown = new ShownHeaders();
  /** Projects whose custom field values are left out (see `TableAccount.leftOut`); at most the projects table. */
  private readonly unnamedProjects = new Set<string>();

  constructor(
    private readonly ex: TalentExport,
    private readonly o: Normalized,
    private readonly output: Output,
    private readonly temp: TempDir,
  ) {
    this.lookups = new LookupTables(temp);
    for (const code of Object.keys(CODE_OF) as KeyedTable[])
      this.account[code] = { rows: 0, rejected: 0, inDocuments: 0, inProjects: 0, orphaned: 0, leftOut: 0 };
    this.orphans = output.table('orphans', ORPHAN_FIELDS);
  }

  async run(onSpill: (files: SpillFiles) => void): Promise<JoinResult> {
    const { ex, o } = this;
    this.problems.push(...ex.problems);
    await this.readLookups();
    await this.readHeaders();
    const { sample, bytes } = await this.readCandidates();
    const present = KEYED_TABLES.filter((t) => ex.tables[t]);
    // The candidates' own bytes are those of their spill file.
    const total = present.reduce((s, t) => s + (ex.tables[t]?.bytes ?? 0), 0);
    const count =
      sample.length === 0
        ? 1
        : Math.max(
            1,
            Math.min(MAX_PARTITIONS, Math.ceil((total * NDJSON_GROWTH + bytes) / o.partitionBytes)),
          );
    sample.sort(compareIds);
    const bounds: string[] = [];
    for (let k = 1; k < count; k++) bounds.push(sample[Math.floor((k * sample.length) / count)]!);
    const paths = Array.from({ length: count }, (_, i) => this.temp.file(`${i}.part`));
    const spill = new SpillFiles(paths);
    onSpill(spill);
    await this.redistribute(spill, bounds, bytes);
    await this.readKeyed(present, spill, bounds);
    await this.indexAttachments(spill, bounds);
    await spill.end();
    const documents = await this.writeDocuments(paths, spill.bytes);
    const projects = o.byProject ? await this.writeProjects() : undefined;
    await this.orphans.close();
    await this.rejects?.close();
    return this.finish(documents, projects, count);
  }

  async close(): Promise<void> {
    await this.lookups.close();
  }

  private progress = (event: ProgressEvent) => this.o.onProgress({ phase: 'table', event });

  private readOptions() {
    const { o } = this;
    return {
      signal: o.signal,
      onProgress: this.progress,
      references: false,
      ...(o.threads === undefined ? {} : { threads: o.threads }),
      ...(o.maxRecordBytes === undefined ? {} : { maxRecordBytes: o.maxRecordBytes }),
    };
  }

  /** Every table's header, for the extra columns a document must name by their place (see ShownHeaders). */
  private async readHeaders(): Promise<void> {
    for (const table of TABLE_NAMES.filter((t) => this.ex.tables[t])) {
      try {
        this.shown.add(table, (await readTableHeader(this.ex, table, this.o.signal)) ?? []);
      } catch (error) {
        // A header the schema refuses fails the reading of its table, which says so.
        if (!(error instanceof SchemaError)) throw error;
      }
    }
  }

  private async readLookups(): Promise<void> {
    const tables = LOOKUP_TABLES.filter((t) => this.ex.tables[t]);
    const run = readBatches(this.ex, tables, { ...this.readOptions(), threads: 1 });
    for await (const batch of run) {
      if (batch.kind === 'records') for (const r of batch.records) this.lookups.add(batch.table, r);
      else if (batch.kind === 'rejects') await this.reject(batch.rejects);
    }
    this.outcome(await run.outcome);
  }

  /** The candidates table to one file, and a sample of its ids, from which the partitions' ranges are chosen. */
  private async readCandidates(): Promise<{ sample: string[]; bytes: number }> {
    const file = new SpillFiles([this.temp.file('candidates.rows')]);
    const sample: string[] = [];
    let seen = 0;
    let random = 0x9e3779b9;
    const account = this.account.candidates;
    const lines = new LineSplitter();
    const line = (buf: Buffer, start: number, end: number) => {
      const row = ++account.rows;
      const [cand, project, state] = ['candidate_id', 'project_id', 'hiring_state_id'].map((key) => {
        const t = tokenAt(buf, start, end, key);
        return t ? buf.toString('utf8', t[0], t[1]) : 'null';
      }) as [string, string, string];
      const id = tokenValue(cand);
      if (id === null) return this.orphan(unplaced('candidates', row, 'candidate_id', null, null));
      this.known.add(id);
      this.lookups.nameProject(tokenValue(project));
      // Only projects.ndjson shows them: a map per project is memory that grows with the export.
      if (this.o.byProject) this.countStage(tokenValue(project), tokenValue(state));
      file.add(0, rowHead('c', row, cand, project, state), buf, start, end);
      // A reservoir sample: every id has the same chance; the fixed seed keeps runs alike.
      seen += 1;
      if (sample.length < SAMPLE) sample.push(id);
      else {
        random = (Math.imul(random, 1664525) + 1013904223) >>> 0;
        const at = random % seen;
        if (at < SAMPLE) sample[at] = id;
      }
    };
    try {
      const run = readBatches(this.ex, ['candidates'], {
        ...this.readOptions(),
        formats: ['ndjson'],
        decodeHere: true,
      });
      for await (const batch of run) {
        if (batch.kind === 'encoded') for (const piece of batch.rows.ndjson ?? []) lines.push(piece, line);
        else if (batch.kind === 'rejects') await this.reject(batch.rejects);
        await file.ready();
        await this.orphansReady();
      }
      lines.end(line);
      this.outcome(await run.outcome);
      await file.end();
    } catch (error) {
      await file.discard();
      throw error;
    }
    return { sample, bytes: file.bytes[0]! };
  }

  /** The candidates' rows, from their one file to the partitions. */
  private async redistribute(spill: SpillFiles, bounds: string[], bytes: number): Promise<void> {
    const path = this.temp.file('candidates.rows');
    // A candidates table without rows: its file was never written.
    if (bytes === 0) return;
    const lines = new LineSplitter();
    const line = (buf: Buffer, start: number, end: number) => {
      const t1 = buf.indexOf(0x09, start);
      const t2 = buf.indexOf(0x09, t1 + 1);
      const id = tokenValue(buf.toString('utf8', t1 + 1, t2))!;
      spill.add(rangeOf(bounds, id), '', buf, start, end);
    };
    try {
      for await (const chunk of createReadStream(path, {
        highWaterMark: 1024 * 1024,
        signal: this.o.signal,
      })) {
        lines.push(chunk as Buffer, line);
        await spill.ready();
      }
    } catch (error) {
      if (this.o.signal.aborted) throw abortedError();
      throw error;
    }
    lines.end(line);
    await rm(path, { force: true });
  }

  private async readKeyed(tables: readonly TableName[], spill: SpillFiles, bounds: string[]): Promise<void> {
    let table: TableName | undefined;
    const lines = new LineSplitter();
    const ranges = new Ranges(bounds);
    const tokens = new Int32Array(6);
    const line = (buf: Buffer, start: number, end: number) => {
      const name = table as KeyedTable;
      const row = ++this.account[name].rows;
      const token = (key: string) => {
        const t = tokenAt(buf, start, end, key);
        return t ? buf.toString('utf8', t[0], t[1]) : 'null';
      };
      if (name === 'custom_field_values') {
        const type = tokenValue(token('entity_type'));
        const [ofCandidate, ofProject] = [isEntityType(type, 'candidate'), isEntityType(type, 'project')];
        const entity = token('entity_id');
        const id = tokenValue(entity);
        if (ofCandidate && id !== null) {
          if (!this.known.has(id)) return this.orphan(unplaced(name, row, 'entity_id', id, 'candidates'));
          const head = rowHead('v', row, entity, token('created_time'), token('custom_field_id'));
          return spill.add(rangeOf(bounds, id), head, buf, start, end);
        }
        if (ofProject && id !== null) {
          // A project no candidates row names is in no candidate's document: only projects.ndjson holds it.
          if (!this.o.byProject && this.lookups.unnamed(id)) {
            this.account[name].leftOut += 1;
            this.unnamedProjects.add(id);
            return;
          }
          const json = buf.subarray(start, end);
          const [time, field] = [tokenValue(token('created_time')), tokenValue(token('custom_field_id'))];
          if (this.lookups.addProjectValue(id, { json, row, time, field })) {
            this.account[name].inProjects += 1;
            return;
          }
          return this.orphan(unplaced(name, row, 'entity_id', id, 'projects'));
        }
        const key = ofCandidate || ofProject ? 'entity_id' : 'entity_type';
        return this.orphan(unplaced(name, row, key, key === 'entity_id' ? id : type, null));
      }
      // The big tables: the row's tokens are copied as bytes, no string is made for them.
      tokenInto(buf, start, end, 'candidate_id', tokens, 0);
      const c0 = tokens[0]!;
      const c1 = tokens[1]!;
      if (c0 < 0 || buf[c0] !== 0x22) return this.orphan(unplaced(name, row, 'candidate_id', null, null));
      if (!this.known.has(tokenId(buf, c0, c1))) {
        const id = tokenValue(buf.toString('utf8', c0, c1));
        return this.orphan(unplaced(name, row, 'candidate_id', id, 'candidates'));
      }
      tokenInto(buf, start, end, 'project_id', tokens, 1);
      tokenInto(buf, start, end, OWN_ID[name]!, tokens, 2);
      const range = ranges.ofToken(buf, c0, c1, () => tokenValue(buf.toString('utf8', c0, c1))!);
      spill.addRow(range, CODE_OF[name], row, buf, tokens, start, end);
    };
    const run = readBatches(this.ex, tables, {
      ...this.readOptions(),
      formats: ['ndjson'],
      decodeHere: true,
    });
    for await (const batch of run) {
      if (batch.table !== table) {
        lines.end(line);
        table = batch.table;
      }
      if (batch.kind === 'encoded') for (const piece of batch.rows.ndjson ?? []) lines.push(piece, line);
      else if (batch.kind === 'rejects') await this.reject(batch.rejects);
      await spill.ready();
      await this.orphansReady();
    }
    lines.end(line);
    this.outcome(await run.outcome);
  }

  private async indexAttachments(spill: SpillFiles, bounds: string[]): Promise<void> {
    const account = this.account.attachments;
    const index = this.ex.indexAttachmentBatches({ signal: this.o.signal });
    let step = await index.next();
    for (; !step.done; step = await index.next()) {
      for (const { candidate_id, kind, file_name, size, crc32, part, entry } of step.value) {
        const row = ++account.rows;
        if (!this.known.has(candidate_id)) {
          this.orphan(unplaced('attachments', row, 'candidate_id', candidate_id, 'candidates'));
          continue;
        }
        // The line as one string, encoded straight into the partition's buffer: no Buffer per entry (1.4M at x4).
        const head = rowHead('a', row, JSON.stringify(candidate_id), '', '');
        const json = JSON.stringify({ kind, file_name, size, crc32, part, entry });
        spill.add(rangeOf(bounds, candidate_id), head + json, NOTHING, 0, 0);
      }
      this.o.onProgress({ phase: 'attachments', files: account.rows, done: false });
      await spill.ready();
      await this.orphansReady();
    }
    // What reading the parts found (a part cut short, refused entries, file counts that differ): the
    // documents would otherwise lack those attachments without a word.
    this.problems.push(...step.value.problems.map((p) => leftOut(p, 'document')));
    this.o.onProgress({ phase: 'attachments', files: account.rows, done: true });
  }

  private async writeDocuments(paths: string[], sizes: number[]): Promise<number> {
    const lookups = (this.resolved = await this.lookups.resolve());
    const writer = this.output.table('candidates', DOCUMENT_FIELDS);
    const bytes = new DocumentBytes(writer);
    const orphan = (o: Orphan) => this.orphan(o);
    let documents = 0;
    // One buffer for every partition (or piece of one) in turn, of the biggest one's size: a fresh one each
    // time made the collector work for nothing, and one grown as bigger partitions came freed big malloc
    // blocks (after which glibc raises its thresholds and keeps what the process frees). A partition well
    // over the planned size is built in pieces, so the biggest partition does not set the peak.
    const most = Math.ceil(this.o.partitionBytes * SPREAD);
    const units = paths.map((path, p) => unitsOf(path, sizes[p]!, most));
    // A candidate with more rows than a piece holds is sorted on disk in runs of this buffer's size.
    const pieces = units.flat().map((unit) => (unit.candidate === undefined ? unit.bytes : most));
    const scratch = Buffer.from(slabMemory(Math.max(1, ...pieces)));
    for (let p = 0; p < paths.length; p++) {
      for (const unit of units[p]!) {
        if (this.o.signal.aborted) throw abortedError();
        if (unit.candidate !== undefined) {
          documents += (await this.writeBig(paths[p]!, unit.candidate, scratch, bytes, lookups)) ? 1 : 0;
          continue;
        }
        const whole = units[p]!.length === 1;
        const rows = parseRows(
          whole ? readWhole(paths[p]!, sizes[p]!, scratch) : readUnit(paths[p]!, unit, scratch),
        );
        for (const [id, group] of groupByCandidate(rows)) {
          // Only an export with such headers pays for a document parsed and written again.
          const sink = this.shown.renames ? new TextSink() : bytes;
          if (buildDocument(id, group, lookups, sink, orphan, this.duplicates.add)) {
            if (sink instanceof TextSink)
              bytes.text(`${JSON.stringify(this.shown.document(JSON.parse(sink.toString())))}\n`);
            documents += 1;
            bytes.endDocument();
            for (const row of group) this.account[CODES[row.code]].inDocuments += 1;
          }
          await bytes.ready();
          await this.orphansReady();
        }
      }
      await bytes.flush();
      await rm(paths[p]!, { force: true });
      this.o.onProgress({ phase: 'documents', partitions: p + 1, total: paths.length, documents });
    }
    await bytes.flush();
    await writer.close();
    return documents;
  }

  /**
   * The document of a candidate whose rows are more than a piece of a partition holds, its rows sorted on
   * disk and merged (see big.ts): the same bytes as `buildDocument` writes, in memory that does not grow
   * with the candidate.
   */
  private async writeBig(
    path: string,
    id: string,
    scratch: Buffer,
    bytes: DocumentBytes,
    lookups: Lookups,
  ): Promise<boolean> {
    const runs = sortRuns(path, id, scratch, (k) => this.temp.file(`big-${k}.run`));
    const inDocument = (row: Row) => {
      this.account[CODES[row.code]].inDocuments += 1;
    };
    const written = await writeBigDocument(runs, {
      lookups,
      out: bytes,
      orphan: (o) => this.orphan(o),
      duplicate: this.duplicates.add,
      ready: () => this.bigReady(bytes),
      onRow: inDocument,
      ...(this.shown.renames ? { member: this.shown.memberWriter(bytes) } : {}),
    });
    if (written) bytes.endDocument();
    await bytes.ready();
    await this.orphansReady();
    return written;
  }

  /** Waits for the documents' writer and the orphans' when either is behind; stops when aborted. */
  private bigReady(bytes: DocumentBytes): void | Promise<void> {
    if (this.o.signal.aborted) throw abortedError();
    const wait = bytes.ready();
    if (wait || this.orphansBehind) return Promise.resolve(wait).then(() => this.orphansReady());
  }

  private async writeProjects(): Promise<number> {
    const writer = this.output.table('projects', PROJECT_FIELDS);
    const ids = this.lookups.projectIds();
    const states = this.lookups.hiringStates;
    const resolved = this.resolved!.projects;
    for (const id of ids) {
      const project = moveClashing(
        this.shown.row(JSON.parse(resolved.get(id)!.toString('utf8')), 'projects') as Record<string, unknown>,
        ['stages', 'candidates_without_stage', 'candidates'],
      );
      const counts = this.stages.get(id) ?? new Map<string, number>();
      const pipeline = Array.isArray(project.candidate_hiring_state_ids)
        ? (project.candidate_hiring_state_ids as string[])
        : [];
      const stage = (sid: string, inPipeline: boolean) => ({
        candidate_hiringstate_id: sid,
        name: states.get(sid)?.name ?? null,
        type: states.get(sid)?.type ?? null,
        in_pipeline: inPipeline,
        candidates: counts.get(sid) ?? 0,
      });
      const others = [...counts.keys()].filter((s) => s !== '' && !pipeline.includes(s)).sort(compareIds);
      const line = JSON.stringify({
        ...project,
        stages: [...new Set(pipeline)].map((s) => stage(s, true)).concat(others.map((s) => stage(s, false))),
        candidates_without_stage: counts.get('') ?? 0,
        candidates: [...counts.values()].reduce((a, b) => a + b, 0),
      });
      const wait = writer.writeEncoded({ rows: 1, ndjson: [Buffer.from(`${line}\n`)], extraColumns: [] });
      if (wait) await wait;
    }
    await writer.close();
    return ids.length;
  }

  private async finish(
    documents: number,
    projects: number | undefined,
    partitions: number,
  ): Promise<JoinResult> {
    if (this.orphanRows + this.orphanReferences > 0) {
      const list = Object.entries(this.byReference)
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ');
      this.problems.push(
        problem(
          'ORPHAN_ROWS',
          `${this.orphanRows} row(s) belong to no document and ${this.orphanReferences} reference(s) of rows in documents resolve nowhere (${list}); see orphans.ndjson`,
        ),
      );
    }
    const unchecked = Object.entries(this.unchecked);
    if (unchecked.length > 0) {
      const total = unchecked.reduce((n, [, count]) => n + count, 0);
      this.problems.push(
        problem(
          'REFERENCES_NOT_CHECKED',
          `${total} reference(s) of rows in documents point into tables the export does not hold, so were not checked: ${unchecked.map(([k, n]) => `${k}: ${n}`).join(', ')}`,
        ),
      );
    }
    const valuesLeftOut = this.account.custom_field_values.leftOut;
    if (valuesLeftOut > 0) {
      const examples = [...this.unnamedProjects].filter(showableId).sort(compareIds).slice(0, 5);
      const ids = examples.length > 0 ? `e.g. ${examples.join(', ')}` : IDS_NOT_SHOWN;
      this.problems.push(
        problem(
          'PROJECT_VALUES_LEFT_OUT',
          `custom_field_values: ${valuesLeftOut} value(s) of ${this.unnamedProjects.size} project(s) that no candidates row names (${ids}) are in no document, as a candidate's document holds only its own projects; join with byProject to have them, with their projects, in projects.ndjson`,
          { table: 'custom_field_values' },
        ),
      );
    }
    const repeated = this.duplicates.problem();
    if (repeated) this.problems.push(repeated);
    this.problems.push(...this.lookups.repeatedProblems());
    const lookups = Object.fromEntries(
      LOOKUP_TABLES.map((t) => [
        t,
        { rows: this.lookups.rows[t] ?? 0, rejected: this.lookupRejects[t] ?? 0 },
      ]),
    );
    const summary = {
      documents,
      projects,
      partitions,
      tables: this.account,
      lookups,
      orphans: { rows: this.orphanRows, references: this.orphanReferences, byReference: this.byReference },
      problems: this.problems,
    };
    // The schema is written with the documents: a failure on any file (a full disk) leaves none of them.
    const manifest = await this.output.finish({
      report: summary,
      json: {
        'candidates.schema.json': () => documentSchema(),
        ...(projects === undefined ? {} : { 'projects.schema.json': () => projectSchema() }),
      },
    });
    return { ...summary, manifest };
  }

  private readonly lookupRejects: Record<string, number> = {};

  private outcome(outcome: TablesOutcome): void {
    this.problems.push(...outcome.problems);
    for (const [table, result] of Object.entries(outcome.tables)) {
      if (table in this.account) this.account[table as KeyedTable].rejected = result.rejected;
      else this.lookupRejects[table] = result.rejected;
    }
  }

  private countStage(project: string | null, state: string | null): void {
    if (project === null) return;
    let counts = this.stages.get(project);
    if (!counts) this.stages.set(project, (counts = new Map()));
    counts.set(state ?? '', (counts.get(state ?? '') ?? 0) + 1);
  }

  private orphan(orphan: Orphan): void {
    const name = `${orphan.table}.${orphan.key}`;
    // A table missing from the export (a TABLE_MISSING problem says so) resolves no reference: its every
    // reference an orphan would bury the ones that are.
    if (orphan.in_document && orphan.references !== null && !this.ex.tables[orphan.references as TableName]) {
      const into = `${name} -> ${orphan.references}`;
      this.unchecked[into] = (this.unchecked[into] ?? 0) + 1;
      return;
    }
    this.byReference[name] = (this.byReference[name] ?? 0) + 1;
    if (orphan.in_document) this.orphanReferences += 1;
    else {
      this.orphanRows += 1;
      this.account[orphan.table].orphaned += 1;
    }
    // Waited for where the reading waits for the disk (orphansReady): an export whose rows mostly resolve
    // nowhere (messages of candidates no longer in the table) queued them all in memory, a promise each. A
    // failed write fails the table's close.
    const wait = this.orphans.write({ ...orphan });
    // The writer gives the same promise until its next batch goes to the disk: one made here for each
    // would be held as long.
    if (wait && wait !== this.orphansWait) {
      this.orphansWait = wait;
      this.orphansBehind = wait.catch(() => undefined);
    }
  }

  /** Resolves once the orphans' writes queued so far are within the writers' limit. */
  private async orphansReady(): Promise<void> {
    const behind = this.orphansBehind;
    this.orphansBehind = undefined;
    if (behind) await behind;
  }

  private async reject(rejects: Reject[]): Promise<void> {
    this.rejects ??= this.output.table('rejects', REJECT_FIELDS);
    for (const r of rejects) {
      const wait = this.rejects.write({ ...r, column: r.column ?? null, file: r.file ?? null });
      if (wait) await wait;
    }
  }
}

const unplaced = (
  table: KeyedTable,
  row: number,
  key: string,
  value: string | null,
  references: string | null,
): Orphan => ({
  table,
  row,
  key,
  value,
  references,
  in_document: false,
});
