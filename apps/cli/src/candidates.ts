import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isatty } from 'node:tty';
import { listedIdFault, parseIdList } from '@talent-export/schema';
import { UsageError } from './exit.js';
import { formatBytes } from './progress.js';

/** A list of ids is small; anything far larger is not one. */
const MAX_IDS_FILE = 64 * 1024 * 1024;

/** Standard input, and a line for the user (nothing with --quiet). */
export interface IdsInput {
  stdin: NodeJS.ReadableStream;
  /** Whether standard input is a terminal: ids are then typed, and the run waits for them. */
  terminal: boolean;
  tell: (line: string) => void;
}

/** `--candidates 1,2` and the ids in `--candidates-file` (separated by commas, spaces or lines), together. */
export async function candidateIds(
  command: string,
  inline: string | boolean | undefined,
  file: string | boolean | undefined,
  input: Partial<IdsInput> = {},
): Promise<Set<string> | undefined> {
  if (inline === undefined && file === undefined) return undefined;
  const ids = new Set<string>();
  const add = (text: string, source: string) => {
    for (const listed of parseIdList(text)) {
      const fault = listedIdFault(listed);
      if (fault !== undefined)
        throw new UsageError(
          `${source}${listed.line > 1 || source !== '--candidates' ? ` line ${listed.line}` : ''}: ${fault}`,
          command,
        );
      ids.add(listed.id);
    }
  };
  if (typeof inline === 'string') add(inline, '--candidates');
  if (typeof file === 'string') {
    const textOf = (bytes: Buffer): string => {
      const workbook = workbookOf(bytes);
      if (workbook)
        throw new UsageError(
          `--candidates-file ${file}: is ${workbook}, not text; save the sheet as CSV (or Unicode text) and give that file`,
          command,
        );
      return decodeText(bytes);
    };
    const tooBig = (size: number) =>
      new UsageError(`--candidates-file ${file}: ${formatBytes(size)} is not a list of ids`, command);
    // `-`, `/dev/stdin` and `<(cut -d, -f1 ids.csv)` are pipes: read as they come, up to the same size.
    const info = file === '-' ? undefined : await stat(file).catch(() => undefined);
    if (file === '-' || info?.isFIFO() || info?.isCharacterDevice() || info?.isSocket()) {
      // Without a word, a run reading a terminal looks hung: nothing says it waits for ids to be typed.
      // isatty, not process.stdin.isTTY: making that stream turns standard input non-blocking for every reader.
      if (file === '-' && (input.terminal ?? isatty(0)))
        (input.tell ?? ((line) => process.stderr.write(`${line}\n`)))(
          `${command}: reading candidate ids from this terminal (--candidates-file -): type or paste them, then press Ctrl-D on an empty line (Ctrl-Z, Enter on Windows)`,
        );
      const stream = file === '-' ? (input.stdin ?? process.stdin) : createReadStream(file);
      add(textOf(await readCapped(stream, MAX_IDS_FILE, tooBig)), `--candidates-file ${file}`);
    } else {
      if (info === undefined || !info.isFile()) {
        const what = info?.isDirectory() ? 'is a folder; give the file of ids in it' : 'no such file';
        throw new UsageError(`--candidates-file ${file}: ${what}`, command);
      }
      if (info.size > MAX_IDS_FILE) throw tooBig(info.size);
      add(textOf(await readFile(file)), `--candidates-file ${file}`);
    }
  }
  if (ids.size === 0)
    throw new UsageError('--candidates / --candidates-file: no candidate ids given', command);
  return ids;
}

/** A stream's bytes, refused with `tooBig` once past `most`. */
async function readCapped(
  stream: NodeJS.ReadableStream,
  most: number,
  tooBig: (size: number) => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > most) {
      (stream as { destroy?: () => void }).destroy?.();
      throw tooBig(size);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** The kind of spreadsheet file `bytes` begin as, if one: its ids are in no text to read. */
function workbookOf(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')))
    return 'a zip (a spreadsheet workbook, .xlsx or .ods)';
  if (bytes.subarray(0, 8).equals(Buffer.from('d0cf11e0a1b11ae1', 'hex')))
    return 'a spreadsheet workbook (.xls)';
  return undefined;
}

/**
 * A list's text: UTF-8, or UTF-16 (a spreadsheet's "Unicode text"), with its BOM or without one, as
 * some tools write it: a list begins with an ASCII id or header, so a zero byte beside it tells the order.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return bigEndian(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return bytes.toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) return bigEndian(bytes);
  return bytes.toString('utf8');
}

const bigEndian = (bytes: Buffer): string =>
  Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)))
    .swap16()
    .toString('utf16le');
