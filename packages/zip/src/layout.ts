// Overlapping entries: a zip whose entries "quote" each other's local headers (David Fifield's overlap
// construction) keeps every entry small and well-compressed while each inflates the data of all that follow
// it, so no per-entry cap applies: 86 KB reached 1 GB. Entries that never share bytes cannot do this, so
// their byte ranges are checked to be disjoint before any data is read (CPython refuses these archives as
// "Overlapped entries" the same way).
import { DirectoryCursor, type DirectoryReader, parseRecord, u16, u32 } from './central.js';
import { type Problem, problem } from './errors.js';
import { LOCAL_SIZE, MAX32 } from './format.js';

export interface Layout {
  /**
   * For the record at each index, the first byte its local header, data and descriptor may not reach: the
   * next entry's local header, else the central directory (else the end of the file, for an entry that
   * starts past the directory and is refused when opened). Undefined when the directory lists the entries
   * in file order (the rule): each record's limit is then the next record's offset, known as the walk
   * reaches it, and nothing is kept per entry (for a part of 1.4 million entries, 33 MB).
   */
  limits: Float64Array | undefined;
  /** Records in the directory. */
  records: number;
  /** Where the first entry in the file starts (Infinity when there is none). */
  first: number;
}

/** A record's limit when the entry after it in the file starts at `next` (undefined: none does). */
export function limitOf(
  offset: number,
  next: number | undefined,
  directoryStart: number,
  fileSize: number,
): number {
  if (next === undefined) return offset < directoryStart ? directoryStart : fileSize;
  // An entry before the directory whose successor lies past it is bounded by the directory.
  return offset < directoryStart && next > directoryStart ? directoryStart : next;
}

export type LayoutResult = { ok: true; layout: Layout } | { ok: false; problem: Problem };

const overlap = (a: number, b: number, at: number, reach: number): Problem =>
  problem(
    'ZIP_OVERLAP',
    `Entries ${a + 1} and ${b + 1} of the central directory share bytes (entry ${b + 1} starts at byte ${at}, inside entry ${a + 1}, which reaches byte ${reach}), the mark of an overlap zip bomb`,
    'Do not extract this archive with any tool; ask its sender for a plain zip.',
  );

/** Reads the directory for where each entry lies; refuses entries that share bytes. */
/** `whole`: the directory's bytes when read already (see readWhole). */
export async function checkLayout(
  file: LayoutFile,
  directory: DirectorySpan,
  whole?: Buffer,
): Promise<LayoutResult> {
  return (await checkInOrder(file, directory, whole)) ?? checkAnyOrder(file, directory, whole);
}

type LayoutFile = DirectoryReader & { size: number };
interface DirectorySpan {
  start: number;
  size: number;
  count: number;
  shift: number;
}

/** Where each record's entry starts and the least it reaches, in directory order. */
async function eachRecord(
  file: LayoutFile,
  directory: DirectorySpan,
  // false: stop reading.
  visit: (offset: number, end: number) => boolean,
  whole: Buffer | undefined,
): Promise<void> {
  const cursor = new DirectoryCursor(file, directory.start, directory.size, whole);
  for (;;) {
    let more = cursor.next();
    if (typeof more !== 'boolean') more = await more;
    if (!more) return;
    const { piece, at } = cursor;
    let offset = u32(piece, at + 42) + directory.shift;
    let compressed = u32(piece, at + 20);
    if (compressed === MAX32 || offset - directory.shift === MAX32 || u32(piece, at + 24) === MAX32) {
      const record = parseRecord(piece, at, cursor.index, directory.shift);
      offset = record.localHeaderOffset;
      compressed = record.compressedSize;
    }
    // The local name must equal the central one (checked when the entry is opened); its extra field is
    // not known yet, so this is the least the entry can reach.
    if (!visit(offset, offset + LOCAL_SIZE + u16(piece, at + 28) + compressed)) return;
  }
}

/**
 * The check for a directory in file order, keeping nothing per entry; undefined when a record starts
 * before the one listed ahead of it, which takes the general check.
 */
async function checkInOrder(
  file: LayoutFile,
  directory: DirectorySpan,
  whole: Buffer | undefined,
): Promise<LayoutResult | undefined> {
  let n = 0;
  let before = -1;
  let reach = 0;
  let first = Number.POSITIVE_INFINITY;
  let found: Problem | 'unordered' | undefined;
  await eachRecord(
    file,
    directory,
    (offset, end) => {
      if (offset <= before) found = 'unordered';
      // A whole local header inside another entry is quoting; a size a few bytes too long is damage to
      // that one entry, refused when it is opened.
      else if (n > 0 && reach >= offset + LOCAL_SIZE) found = overlap(n - 1, n, offset, reach);
      if (found !== undefined) return false;
      if (n === 0) first = offset;
      before = offset;
      reach = end;
      n += 1;
      return true;
    },
    whole,
  );
  if (found === 'unordered') return undefined;
  return found === undefined
    ? { ok: true, layout: { limits: undefined, records: n, first } }
    : { ok: false, problem: found };
}

/** The general check: every record's range kept, sorted by offset. */
async function checkAnyOrder(
  file: LayoutFile,
  directory: DirectorySpan,
  whole: Buffer | undefined,
): Promise<LayoutResult> {
  let capacity = Math.max(16, Math.min(directory.count, Math.floor(directory.size / 46)));
  let offsets: Float64Array = new Float64Array(capacity);
  let ends: Float64Array = new Float64Array(capacity);
  let n = 0;
  await eachRecord(
    file,
    directory,
    (offset, end) => {
      if (n === capacity) {
        capacity *= 2;
        offsets = grow(offsets, capacity);
        ends = grow(ends, capacity);
      }
      offsets[n] = offset;
      ends[n] = end;
      n += 1;
      return true;
    },
    whole,
  );
  const order = sortedOrder(offsets, n);
  const limits = new Float64Array(n);
  for (let k = 0; k < n; k += 1) {
    const i = order === undefined ? k : order[k]!;
    const next = k + 1 < n ? (order === undefined ? k + 1 : order[k + 1]!) : -1;
    if (next >= 0 && (ends[i]! >= offsets[next]! + LOCAL_SIZE || offsets[i] === offsets[next])) {
      return { ok: false, problem: overlap(i, next, offsets[next]!, ends[i]!) };
    }
    limits[i] = limitOf(offsets[i]!, next >= 0 ? offsets[next] : undefined, directory.start, file.size);
  }
  const first = n === 0 ? Number.POSITIVE_INFINITY : offsets[order === undefined ? 0 : order[0]!]!;
  return { ok: true, layout: { limits, records: n, first } };
}

function grow(array: Float64Array, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  out.set(array);
  return out;
}

/** Record indexes by local header offset; undefined when the directory is in file order already (the rule). */
function sortedOrder(offsets: Float64Array, n: number): Uint32Array | undefined {
  let sorted = true;
  for (let i = 1; i < n && sorted; i += 1) sorted = offsets[i - 1]! < offsets[i]!;
  if (sorted) return undefined;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  order.sort((a, b) => offsets[a]! - offsets[b]! || a - b);
  return order;
}
