// A table found in several folders of one export (two contracts' `Contract_1/` and `Contract_1 2/`, as the
// guide shows an export.zip) read as one table: each copy's rows after the one before's, its header line
// checked against the first copy's and left out, a line break put between two copies where one ends
// without it.
import { ExportError } from './errors.js';

const LF = 0x0a;
const CR = 0x0d;
/** The longest header line looked for: a table's header is a few hundred bytes. */
const MAX_HEADER = 1024 * 1024;

export interface TableCopy {
  /** Its path, in export.zip or below the export's folder. */
  name: string;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** The copies' bytes as one table's: the first as it is, the others without their header line. */
export async function* united(copies: readonly TableCopy[]): AsyncGenerator<Uint8Array> {
  let first: Buffer | undefined;
  let last = LF;
  for (const [k, copy] of copies.entries()) {
    if (k > 0 && last !== LF && last !== CR) {
      last = LF;
      yield Buffer.of(LF);
    }
    // The header line's bytes, copied: a chunk's buffer may be filled again once handed on.
    const head: Buffer[] = [];
    let headBytes = 0;
    let headed = false;
    const check = () => {
      const line = headerLine(Buffer.concat(head));
      if (k === 0) first = line;
      else if (!line.equals(first!)) throw otherHeader(copy.name, copies[0]!.name);
    };
    for await (const chunk of await copy.open()) {
      let out: Uint8Array = chunk;
      if (!headed) {
        const lf = chunk.indexOf(LF);
        const end = lf < 0 ? chunk.length : lf + 1;
        head.push(Buffer.from(chunk.subarray(0, end)));
        headBytes += end;
        if (lf >= 0) {
          headed = true;
          check();
        } else if (headBytes > MAX_HEADER) {
          throw otherHeader(copy.name, copies[0]!.name);
        }
        if (k > 0) out = chunk.subarray(end);
      }
      if (out.length === 0) continue;
      last = out[out.length - 1]!;
      yield out;
    }
    // A copy of a header alone, without a line break after it.
    if (!headed && head.length > 0) check();
  }
}

/** A header line as compared: without a byte order mark and without its line break. */
export function headerLine(line: Buffer): Buffer {
  let start = line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf ? 3 : 0;
  let end = line.length;
  while (end > start && (line[end - 1] === LF || line[end - 1] === CR)) end -= 1;
  if (start > end) start = end;
  return line.subarray(start, end);
}

const otherHeader = (name: string, firstName: string) =>
  new ExportError(
    'EXPORT_TABLE_COPIES_DIFFER',
    `${name} has another header line than ${firstName}: its rows cannot be read as rows of the same table, so they are not read. Make the headers the same (the same columns in the same order), or keep one copy, and run again`,
    { file: name },
  );
