// A bundle's CSV spill (`<code><length>\t<candidate token>\t<length bytes of CSV>\n` per row, see
// `parseCsvSpill`) read a block at a time: a partition over the size a bundle loads whole is read for one
// piece of its candidates at a time, and a candidate with more rows than that streams its tables' rows.
import { closeSync, openSync, readSync } from 'node:fs';
import { tempError } from './errors.js';
import { tokenValue } from './lines.js';
import type { Code } from './rows.js';

/** Read in blocks of this size (or twice a row's size, for a row bigger than that). */
const BLOCK = 1024 * 1024;
/** A row's head (code, length, candidate token) is shorter than this: an id is at most 128 characters. */
const HEAD = 512;

export interface CsvRecord {
  code: Code;
  candidate: string;
  /** The row's CSV bytes, valid until the next record is read. */
  bytes: Buffer;
}

/** Every row of the CSV spill at `path`, in file order. */
export function* csvRecords(path: string): Generator<CsvRecord> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw tempError('read', path, error);
  }
  let buf = Buffer.alloc(0);
  let at = 0;
  let position = 0;
  /** At least `need` bytes from `at` when the file has them; the block is replaced, never reused. */
  const more = (need: number): void => {
    while (buf.length - at < need) {
      const rest = buf.subarray(at);
      const block = Buffer.allocUnsafe(Math.max(BLOCK, need * 2));
      rest.copy(block);
      let n: number;
      try {
        n = readSync(fd, block, rest.length, block.length - rest.length, position);
      } catch (error) {
        throw tempError('read', path, error);
      }
      position += n;
      buf = block.subarray(0, rest.length + n);
      at = 0;
      if (n === 0) return;
    }
  };
  try {
    for (;;) {
      more(HEAD);
      if (at >= buf.length) return;
      const t1 = buf.indexOf(0x09, at);
      const t2 = buf.indexOf(0x09, t1 + 1);
      const code = String.fromCharCode(buf[at]!) as Code;
      const length = Number(buf.toString('latin1', at + 1, t1));
      const candidate = tokenValue(buf.toString('utf8', t1 + 1, t2))!;
      const head = t2 + 1 - at;
      more(head + length + 1);
      const start = at + head;
      yield { code, candidate, bytes: buf.subarray(start, start + length) };
      at = start + length + 1;
    }
  } finally {
    closeSync(fd);
  }
}

/** The rows of the candidates `keep` takes, by candidate and table (as `parseCsvSpill` gives them), copied. */
export function readCsvSpill(
  path: string,
  keep: (candidate: string) => boolean,
): Map<string, Map<Code, Buffer[]>> {
  const out = new Map<string, Map<Code, Buffer[]>>();
  for (const { code, candidate, bytes } of csvRecords(path)) {
    if (!keep(candidate)) continue;
    let tables = out.get(candidate);
    if (!tables) out.set(candidate, (tables = new Map()));
    let list = tables.get(code);
    if (!list) tables.set(code, (list = []));
    list.push(Buffer.from(bytes));
  }
  return out;
}

/** The CSV rows of one candidate's table, in file order, gathered into pieces of about 64 KiB. */
export async function* csvRowsOf(
  path: string,
  candidate: string,
  code: Code,
  onRow: () => void,
): AsyncGenerator<Buffer> {
  let pieces: Buffer[] = [];
  let size = 0;
  for (const record of csvRecords(path)) {
    if (record.code !== code || record.candidate !== candidate) continue;
    pieces.push(Buffer.from(record.bytes));
    size += record.bytes.length;
    onRow();
    if (size >= 64 * 1024) {
      yield Buffer.concat(pieces);
      pieces = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pieces);
}
