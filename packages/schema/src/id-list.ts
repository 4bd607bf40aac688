// Lists of candidate ids people give a command (to bundle, extract, or erase), as they make them: typed,
// pasted from a chat, or saved from a spreadsheet. One reading for every command: a list that names a
// candidate for one must name them for all, or an erasure asked for would silently miss someone.
import { columnKey, csvCells } from './header.js';
import { wholeId } from './ids.js';

/** An id of a list, with its line (1-based) and its place on that line (or its column, in a table). */
export interface ListedId {
  id: string;
  line: number;
  place: number;
}

/**
 * The ids of a list separated by commas, semicolons, spaces or lines, as people save one from a
 * spreadsheet too: a header line (`candidate_id`, `Candidate ID`) is skipped (with other columns beside
 * it, only the id column is read: see `idColumn`), and so is a `#` comment line. Quotes around an id are
 * not part of it (`"123"` is 123), nor are decimals a spreadsheet adds (`123.0` is 123, see `wholeId`),
 * nor the `Candidate_` of a folder's name (`Candidate_123` is 123), else such ids would be asked for and
 * found nowhere. Each id comes with its line and place, for a message about it: see `listedIdFault`.
 */
export function parseIdList(text: string): ListedId[] {
  const ids: ListedId[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  const column = idColumn(lines);
  if (column !== undefined) {
    for (let n = column.header + 1; n < lines.length; n++) {
      if (isComment(lines[n]!)) continue;
      const cell = csvCells(lines[n]!, false, column.separator)[column.at] ?? '';
      const id = asked(cell.replace(/^[\s\u200b-\u200d\u2060]+|[\s\u200b-\u200d\u2060]+$/g, ''));
      if (id !== '') ids.push({ id, line: n + 1, place: column.at + 1 });
    }
    return ids;
  }
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    if (isComment(raw) || columnKey(raw.replaceAll('"', '')) === 'candidateid') continue;
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
 * What is wrong with an id of a list, if anything, worded to follow the name of its line
 * (`ids.txt line 3: value 2 is not a candidate id ...`). An id is what a candidate's files are named by
 * (1 to 128 letters, digits, `_` or `-`); anything else is a mistake (a name, an e-mail, a number a
 * spreadsheet rounded), refused where its place is known rather than matched with nothing.
 */
export function listedIdFault({ id, place }: ListedId): string | undefined {
  if (LOSSY_SCIENTIFIC.test(id))
    return `value ${place} (${id}) is a number a spreadsheet shortened to scientific notation, which lost the id's last digits; format the column as text (or as a number with no decimals) and save the list again`;
  // The value itself may be a name pasted by mistake: not shown.
  if (!SAFE_ID.test(id))
    return `value ${place} is not a candidate id (1 to 128 letters, digits, "_" or "-"; not shown, as it may be personal data)`;
  return undefined;
}

/** A candidate id as a list may give it (it names a candidate's files, too). */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A number in scientific notation with fewer digits than it has: the id cannot be told from it. */
const LOSSY_SCIENTIFIC = /^\d(?:\.\d*)?E\+\d{1,2}$/i;

/** A line that is a note to the reader (`# erasure requests of May`), blank space before it allowed. */
const isComment = (line: string): boolean => /^[\s\u200b-\u200d\u2060]*#/.test(line);

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

/**
 * The candidate id column of a table saved from a spreadsheet (`"Candidate ID","Name"` above its rows):
 * only that column is read, as the others hold names, e-mails and notes, and a quoted cell may hold a
 * separator (`"Lopez, Ana"`). Undefined for a plain list, whose header, if any, is its only cell.
 */
function idColumn(lines: string[]): { header: number; at: number; separator: string } | undefined {
  const header = lines.findIndex((line) => line.trim() !== '' && !isComment(line));
  if (header === -1) return undefined;
  const line = lines[header]!;
  const separator = [',', ';', '\t'].find((s) => line.includes(s));
  if (separator === undefined) return undefined;
  const cells = csvCells(line, false, separator);
  const at = cells.findIndex((cell) => columnKey(cell) === 'candidateid');
  // A header of the id alone beside empty cells (`candidate_id,`), or beside ids (`candidate_id,1,2`), is a
  // list's, read as one.
  const others = cells.filter((cell, i) => i !== at && cell.trim() !== '');
  if (at === -1 || others.length === 0 || others.some((cell) => /^\d+$/.test(asked(cell.trim()))))
    return undefined;
  return { header, at, separator };
}
