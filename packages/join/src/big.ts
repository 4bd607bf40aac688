// A candidate whose rows alone are more than a piece of a partition (a candidate with hundreds of MB of
// messages): loading them whole made the peak grow with that one candidate (400,000 messages, a 230 MB
// document: 917 MB). Its rows are sorted on disk instead, in runs of at most one buffer's size, and the runs
// merged into its document row by row.
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import {
  type DocumentSink,
  DocumentWriter,
  DuplicateWindow,
  documentOrder,
  type Lookups,
  type Orphan,
  orphanOrder,
  unknownCandidate,
} from './documents.js';
import { tempError } from './errors.js';
import { parseRows, type Row } from './rows.js';
import { candidateOf, eachLine } from './units.js';

/**
 * A bundle's partition over this many bytes is read a piece of at most this size at a time, and a candidate
 * with more is sorted on disk (the join's pieces are `partitionBytes` and half again). Tests set it lower.
 */
export const BUNDLE_LIMITS = { bytes: 16 * 1024 * 1024 };

/** Read from each run in blocks of this size while merging (one block per run at a time). */
const BLOCK = 64 * 1024;

/** One candidate's rows, sorted in runs on disk. */
export interface SortedRuns {
  id: string;
  paths: string[];
  /** The candidate's first candidates row (by row), its profile; undefined when it has none. */
  first: Row | undefined;
}

/**
 * The rows of candidate `id` in the partition file at `path`, sorted in runs of at most `into`'s size (a
 * row bigger than that is a run of its own), each run written to `runPath(k)`. Rows come in document order,
 * or, for a candidate with no candidates row (every row an orphan), in the order orphans are told.
 */
export function sortRuns(path: string, id: string, into: Buffer, runPath: (k: number) => string): SortedRuns {
  let runs = sortedRuns(path, id, into, runPath, documentOrder);
  let order = documentOrder;
  if (runs.first === undefined) {
    removeRuns(runs.paths);
    order = orphanOrder;
    runs = sortedRuns(path, id, into, runPath, order);
  }
  return { ...runs, paths: fewerRuns(runs.paths, order, runPath) };
}

/** The most runs merged at once: each is a file open and a block read ahead. */
export const FAN_IN = 64;

/**
 * Runs merged FAN_IN at a time into longer ones, their lines as they are, until at most FAN_IN are left:
 * merged at once, a candidate of many runs held a file open for each (EMFILE past ~1,000).
 */
function fewerRuns(
  paths: string[],
  order: (a: Row, b: Row) => number,
  runPath: (k: number) => string,
): string[] {
  let next = paths.length;
  let runs = paths;
  let longer: string[] = [];
  try {
    while (runs.length > FAN_IN) {
      longer = [];
      for (let i = 0; i < runs.length; i += FAN_IN) {
        const group = runs.slice(i, i + FAN_IN);
        if (group.length === 1) {
          longer.push(group[0]!);
          continue;
        }
        const file = runPath(next++);
        longer.push(file);
        const out = new FileOut(file);
        try {
          for (const reader of mergedReaders(group, order))
            out.write(reader.buf, reader.lineStart, reader.lineEnd);
        } finally {
          out.close();
        }
        removeRuns(group);
      }
      runs = longer;
    }
    return runs;
  } catch (error) {
    removeRuns([...runs, ...longer]);
    throw error;
  }
}

function sortedRuns(
  path: string,
  id: string,
  into: Buffer,
  runPath: (k: number) => string,
  order: (a: Row, b: Row) => number,
): SortedRuns {
  const paths: string[] = [];
  let first: Row | undefined;
  let length = 0;
  const flush = (bytes: Buffer) => {
    if (bytes.length === 0) return;
    const file = runPath(paths.length);
    paths.push(file);
    writeRun(file, bytes, order);
  };
  try {
    eachLine(path, (buf, start, end) => {
      if (candidateOf(buf, start, end) !== id) return;
      if (buf[start] === 0x63 && (first === undefined || rowNumber(buf, start) < first.row))
        first = parseRows(Buffer.from(buf.subarray(start, end)))[0];
      const size = end - start + 1;
      if (length + size > into.length) {
        flush(into.subarray(0, length));
        length = 0;
      }
      if (size > into.length) {
        flush(Buffer.concat([buf.subarray(start, end), NEWLINE]));
        return;
      }
      buf.copy(into, length, start, end);
      into[length + size - 1] = 0x0a;
      length += size;
    });
    flush(into.subarray(0, length));
  } catch (error) {
    removeRuns(paths);
    throw error;
  }
  return { id, paths, first };
}

const NEWLINE = Buffer.from('\n');

/** The row number of a spilled line (`<code><row>\t...`). */
function rowNumber(buf: Buffer, start: number): number {
  return Number(buf.toString('latin1', start + 1, buf.indexOf(0x09, start)));
}

/** The lines of `bytes` sorted by `order`, to a new file (each line's bytes as they are). */
function writeRun(file: string, bytes: Buffer, order: (a: Row, b: Row) => number): void {
  const rows = parseRows(bytes);
  const starts = rows.map((_, i) => (i === 0 ? 0 : rows[i - 1]!.end + 1));
  const sorted = rows.map((_, i) => i).sort((a, b) => order(rows[a]!, rows[b]!));
  const out = new FileOut(file);
  try {
    for (const i of sorted) out.write(bytes, starts[i]!, rows[i]!.end + 1);
  } finally {
    out.close();
  }
}

/** Synchronous writes through a small buffer. */
export class FileOut {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(BLOCK);
  private length = 0;

  constructor(private readonly path: string) {
    try {
      this.fd = openSync(path, 'w', 0o600);
    } catch (error) {
      throw tempError('write', path, error);
    }
  }

  write(buf: Buffer, start: number, end: number): void {
    if (this.length + end - start > this.buffer.length) this.flush();
    if (end - start > this.buffer.length) this.send(buf.subarray(start, end));
    else this.length += buf.copy(this.buffer, this.length, start, end);
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private flush(): void {
    if (this.length > 0) this.send(this.buffer.subarray(0, this.length));
    this.length = 0;
  }

  private send(bytes: Buffer): void {
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at, bytes.length - at);
    } catch (error) {
      throw tempError('write', this.path, error);
    }
  }
}

/** The rows of a run file, one at a time. A row's bytes stay valid after the next: blocks are not reused. */
class RunReader {
  private readonly fd: number;
  buf = Buffer.alloc(0);
  /** The current row's line in `buf`, its line feed included. */
  lineStart = 0;
  lineEnd = 0;
  private at = 0;
  private position = 0;
  private done = false;
  row: Row | undefined;

  constructor(private readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch (error) {
      throw tempError('read', path, error);
    }
    try {
      this.next();
    } catch (error) {
      // Not among the readers yet, so no one else closes it.
      closeSync(this.fd);
      throw error;
    }
  }

  next(): void {
    for (;;) {
      const nl = this.buf.indexOf(0x0a, this.at);
      if (nl >= 0) {
        this.row = parseRows(this.buf.subarray(this.at, nl))[0];
        this.lineStart = this.at;
        this.lineEnd = nl + 1;
        this.at = nl + 1;
        return;
      }
      if (this.done) {
        this.row = undefined;
        return;
      }
      this.fill();
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  /** What is left of the block, then as much of the file as fits in a new one. */
  private fill(): void {
    const rest = this.buf.subarray(this.at);
    const block = Buffer.allocUnsafe(Math.max(BLOCK, rest.length * 2));
    rest.copy(block);
    let n: number;
    try {
      n = readSync(this.fd, block, rest.length, block.length - rest.length, this.position);
    } catch (error) {
      throw tempError('read', this.path, error);
    }
    this.position += n;
    if (n === 0) this.done = true;
    this.buf = block.subarray(0, rest.length + n);
    this.at = 0;
  }
}

/** The rows of every run, merged in `order`. */
function* merged(paths: readonly string[], order: (a: Row, b: Row) => number): Generator<Row> {
  for (const reader of mergedReaders(paths, order)) yield reader.row!;
}

/** The run readers, each when its row is the next in `order` (a binary heap of the runs' next rows). */
function* mergedReaders(paths: readonly string[], order: (a: Row, b: Row) => number): Generator<RunReader> {
  const readers: RunReader[] = [];
  try {
    for (const path of paths) readers.push(new RunReader(path));
    const heap = readers.filter((r) => r.row !== undefined);
    const less = (i: number, j: number) => order(heap[i]!.row!, heap[j]!.row!) < 0;
    const down = (from: number) => {
      for (let i = from; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(l, m)) m = l;
        if (r < heap.length && less(r, m)) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    };
    for (let i = Math.floor(heap.length / 2) - 1; i >= 0; i--) down(i);
    while (heap.length > 0) {
      const top = heap[0]!;
      yield top;
      top.next();
      if (top.row === undefined) {
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
      }
      down(0);
    }
  } finally {
    for (const reader of readers) reader.close();
  }
}

export function removeRuns(paths: readonly string[]): void {
  for (const path of paths) rmSync(path, { force: true });
}

export interface BigDocument {
  lookups: Lookups;
  out: DocumentSink;
  orphan: (orphan: Orphan) => void;
  duplicate: (row: Row) => void;
  /** Waited for between rows: the sink's writer may be behind. */
  ready: () => void | Promise<void>;
  /** Each row written into the document (not called when there is none). */
  onRow?: (row: Row) => void;
  /** The row written in place of a row (a bundle's attachments name their path in the archive). */
  replace?: (row: Row) => Row;
  /** See `DocumentWriter`'s `member`. */
  member?: (list: string, write: (sink: DocumentSink) => void) => void;
}

/**
 * Writes the document of a candidate sorted in runs, as `buildDocument` writes it from the same rows, or,
 * when it has no candidates row, tells each row as an orphan. Returns whether a document was written. The
 * run files are removed.
 */
export async function writeBigDocument(runs: SortedRuns, d: BigDocument): Promise<boolean> {
  if (runs.first === undefined) {
    await tellOrphans(runs, d.orphan, d.ready);
    return false;
  }
  try {
    const document = new DocumentWriter(runs.id, runs.first, d.lookups, d.out, d.orphan, d.member);
    const duplicates = new DuplicateWindow(d.duplicate);
    for (const each of merged(runs.paths, documentOrder)) {
      const row = d.replace ? d.replace(each) : each;
      duplicates.add(row);
      document.add(row);
      d.onRow?.(row);
      const wait = d.ready();
      if (wait) await wait;
    }
    document.end();
    return true;
  } finally {
    removeRuns(runs.paths);
  }
}

/**
 * Each row of a candidate with no candidates row, as an orphan (see `buildDocument`), waiting on `ready`
 * between rows (the orphans' writer may be behind: told all at once, they were queued in memory); the runs
 * are removed.
 */
export async function tellOrphans(
  runs: SortedRuns,
  orphan: (orphan: Orphan) => void,
  ready?: () => void | Promise<void>,
): Promise<void> {
  try {
    for (const row of merged(runs.paths, orphanOrder)) {
      orphan(unknownCandidate(runs.id, row));
      const wait = ready?.();
      if (wait) await wait;
    }
  } finally {
    removeRuns(runs.paths);
  }
}

/** A document's bytes to a file. */
export class FileSink implements DocumentSink {
  private readonly file: FileOut;

  constructor(path: string) {
    this.file = new FileOut(path);
  }

  text(text: string): void {
    const bytes = Buffer.from(text);
    this.file.write(bytes, 0, bytes.length);
  }

  bytes(buf: Buffer, start: number, end: number): void {
    this.file.write(buf, start, end);
  }

  close(): void {
    this.file.close();
  }
}
