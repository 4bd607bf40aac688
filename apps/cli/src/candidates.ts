import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isatty } from 'node:tty';
import { columnKey, wholeId } from '@talent-export/schema';
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
    for (const { id, line, place } of candidateTokens(text)) {
      if (LOSSY_SCIENTIFIC.test(id))
        throw new UsageError(
          `${source}${line > 1 || source !== '--candidates' ? ` line ${line}` : ''}: value ${place} (${id}) is a number a spreadsheet shortened to scientific notation, which lost the id's last digits; format the column as text (or as a number with no decimals) and save the list again`,
          command,
        );
      // Refused here, where its place is known; the id itself may be a name pasted by mistake: not shown.
      if (!SAFE_ID.test(id))
        throw new UsageError(
          `${source}${line > 1 || source !== '--candidates' ? ` line ${line}` : ''}: value ${place} is not a candidate id (1 to 128 letters, digits, "_" or "-"; not shown, as it may be personal data)`,
          command,
        );
      ids.add(id);
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

/** What bundleCandidates accepts as an id (it names a file). */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

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

/**
 * A whole number in scientific notation (`1.000000003E+09`, how a spreadsheet shows a long number) whose
 * digits are all there: the id they spell. With fewer digits than the number has (`1.00E+09`) the rest
 * were rounded away: see LOSSY_SCIENTIFIC.
 */
function fromScientific(token: string): string {
  const m = /^(\d)\.(\d+)E\+(\d{1,2})$/i.exec(token);
  if (!m || m[1] === '0' || m[2]!.length !== Number(m[3])) return token;
  return m[1]! + m[2]!;
}

/** A number in scientific notation with fewer digits than it has: the id cannot be told from it. */
const LOSSY_SCIENTIFIC = /^\d(?:\.\d*)?E\+\d{1,2}$/i;

/**
 * The ids of a list separated by commas, semicolons, spaces or lines, as people save one from a
 * spreadsheet too: a header line (`candidate_id`, `Candidate ID`) is skipped (with other columns beside
 * it, only the id column is read: see `idColumn`) and quotes around an id are
 * not part of it (`"123"` is 123), nor are decimals a spreadsheet adds (`123.0` is 123, see `wholeId`),
 * nor the `Candidate_` of a folder's name (`Candidate_123` is 123), else such ids would be asked for and
 * found nowhere.
 */
export function parseCandidateIds(text: string): string[] {
  return candidateTokens(text).map((t) => t.id);
}

/**
 * The id a token names: a folder's or a bundle's name copied for it (`Candidate_123`, `Candidate_123.zip`)
 * names 123, as every name the export and the bundles give a candidate's files has that form.
 */
function asked(token: string): string {
  // A spreadsheet's text formula keeping an id as text: `="1000000126"`, `"=""1000000126"""` in its CSV.
  const formula = /^"?=("{1,2})([^"]*)\1"?$/.exec(token);
  const id = formula ? formula[2]! : token;
  const named = /^Candidate_(\d+(?:\.0+)?)(?:\.zip)?$/i.exec(id);
  return wholeId(fromScientific(withoutGrouping(named ? named[1]! : id)));
}

/**
 * A number a spreadsheet wrote with its digits grouped (`1,000,000,003`, `1.000.000.003`, `1 000 000 003`):
 * its digits. Only with two separators or more, alike: `1.000` may be one with decimals.
 */
function withoutGrouping(token: string): string {
  return /^\d{1,3}([,.\u00a0\u202f' ])\d{3}(?:\1\d{3})+(?:\.0+)?$/.test(token)
    ? token.replace(/[,\u00a0\u202f' ]|\.(?=\d{3})/g, '')
    : token;
}

/** Each id of a list with its line (1-based) and its place on that line. */
function candidateTokens(text: string): { id: string; line: number; place: number }[] {
  const ids: { id: string; line: number; place: number }[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  const column = idColumn(lines);
  if (column !== undefined) {
    for (let n = column.header + 1; n < lines.length; n++) {
      const cell = cellsOf(lines[n]!, column.separator)[column.at] ?? '';
      const id = asked(cell.replace(/^[\s\u200b-\u200d\u2060]+|[\s\u200b-\u200d\u2060]+$/g, ''));
      if (id !== '') ids.push({ id, line: n + 1, place: column.at + 1 });
    }
    return ids;
  }
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    if (columnKey(raw.replaceAll('"', '')) === 'candidateid') continue;
    let place = 0;
    // A quoted id holds its grouping commas (`"1,000,000,003"`), which must not split it.
    const line = raw.replace(/"(\d{1,3}(?:,\d{3}){2,}(?:\.0+)?)"/g, (_, id: string) =>
      id.replaceAll(',', ''),
    );
    // Zero-width spaces come with ids copied from a web page or a chat, unseen: they separate too.
    for (const token of line.split(/[\s,;\u200b-\u200d\u2060]+/)) {
      const id = asked(token.replace(/^"(.*)"$/, '$1'));
      if (id !== '' && columnKey(id) !== 'candidateid') ids.push({ id, line: n + 1, place: ++place });
    }
  }
  return ids;
}

/**
 * The candidate id column of a table saved from a spreadsheet (`"Candidate ID","Name"` above its rows):
 * only that column is read, as the others hold names, e-mails and notes, and a quoted cell may hold a
 * separator (`"Lopez, Ana"`). Undefined for a plain list, whose header, if any, is its only cell.
 */
function idColumn(lines: string[]): { header: number; at: number; separator: string } | undefined {
  const header = lines.findIndex((line) => line.trim() !== '');
  if (header === -1) return undefined;
  const line = lines[header]!;
  const separator = [',', ';', '\t'].find((s) => line.includes(s));
  if (separator === undefined) return undefined;
  const cells = cellsOf(line, separator);
  const at = cells.findIndex((cell) => columnKey(cell) === 'candidateid');
  // A header of the id alone beside empty cells (`candidate_id,`), or beside ids (`candidate_id,1,2`), is a
  // list's, read as one.
  const others = cells.filter((cell, i) => i !== at && cell.trim() !== '');
  if (at === -1 || others.length === 0 || others.some((cell) => /^\d+$/.test(asked(cell.trim()))))
    return undefined;
  return { header, at, separator };
}

/** The cells of one line of a CSV: quotes around a cell are not part of it, `""` in one is a quote. */
function cellsOf(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (line[i + 1] === '"') cell += line[++i];
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}
