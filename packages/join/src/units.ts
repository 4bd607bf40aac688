// Partitions are id ranges chosen from a sample of candidate ids before their rows are known, so their sizes
// vary, and the more partitions an export has, the bigger its biggest one: building each whole made peak
// memory grow with the export. A partition much bigger than the others is built in pieces instead: ranges
// of its candidate ids of about the usual size each, a candidate's rows never split.
import { closeSync, openSync, readSync } from 'node:fs';
import { tempError } from './errors.js';
import { compareIds } from './ids.js';
import { LineSplitter, tokenValue } from './lines.js';

/** A piece of a partition: its candidates after `after` (all when undefined) up to `last` (all when undefined). */
export interface Unit {
  after: string | undefined;
  last: string | undefined;
  bytes: number;
  /** The one candidate of a piece over the most bytes a piece may hold: its rows are sorted on disk (big.ts). */
  candidate?: string;
}

/** Read in blocks of this size when a partition is built in pieces. */
const BLOCK = 1024 * 1024;

/** The candidate id of a spilled row (`<code><row>\t<candidate>\t...`). */
export function candidateOf(buf: Buffer, start: number, end: number): string {
  const t1 = buf.indexOf(0x09, start);
  const t2 = t1 < 0 || t1 >= end ? -1 : buf.indexOf(0x09, t1 + 1);
  return t2 < 0 || t2 > end ? '' : (tokenValue(buf.toString('utf8', t1 + 1, t2)) ?? '');
}

/** Every line of a file, read a block at a time. */
export function eachLine(path: string, line: (buf: Buffer, start: number, end: number) => void): void {
  const block = Buffer.allocUnsafe(BLOCK);
  const lines = new LineSplitter();
  try {
    const fd = openSync(path, 'r');
    try {
      for (let at = 0; ; ) {
        const n = readSync(fd, block, 0, BLOCK, at);
        if (n === 0) break;
        lines.push(block.subarray(0, n), line);
        at += n;
      }
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw tempError('read', path, error);
  }
  lines.end(line);
}

/**
 * The pieces to build a partition of `size` bytes in: itself when it holds at most `most` bytes, else
 * ranges of its candidates of at most `most` bytes each (a candidate with more is a piece of its own).
 */
export function unitsOf(path: string, size: number, most: number): Unit[] {
  if (size <= most) return [{ after: undefined, last: undefined, bytes: size }];
  const bytes = new Map<string, number>();
  eachLine(path, (buf, start, end) => {
    const id = candidateOf(buf, start, end);
    bytes.set(id, (bytes.get(id) ?? 0) + end - start + 1);
  });
  const units: Unit[] = [];
  let after: string | undefined;
  let last: string | undefined;
  let sum = 0;
  for (const id of [...bytes.keys()].sort(compareIds)) {
    const b = bytes.get(id)!;
    if (sum > 0 && sum + b > most) {
      units.push(sum > most ? { after, last, bytes: sum, candidate: last! } : { after, last, bytes: sum });
      after = last;
      sum = 0;
    }
    last = id;
    sum += b;
  }
  // A piece over `most` holds one candidate alone.
  units.push(
    sum > most
      ? { after, last: undefined, bytes: sum, candidate: last! }
      : { after, last: undefined, bytes: sum },
  );
  return units;
}

/** The rows of `unit` from the partition file at `path`, in file order, copied into `into`. */
export function readUnit(path: string, unit: Unit, into: Buffer): Buffer {
  let length = 0;
  const { after, last } = unit;
  eachLine(path, (buf, start, end) => {
    const id = candidateOf(buf, start, end);
    if (after !== undefined && compareIds(id, after) <= 0) return;
    if (last !== undefined && compareIds(id, last) > 0) return;
    buf.copy(into, length, start, end);
    into[length + end - start] = 0x0a;
    length += end - start + 1;
  });
  return into.subarray(0, length);
}
