// What a table opened and saved again in a spreadsheet lost or changed, told once a table from its
// decoder's counts: the decoder counts such cells on its rare paths only, and names no value here.
import type { ProblemCode } from '@talent-export/export';
import {
  CELL_CHARS,
  SHEET_ROWS,
  type TableName,
  type TableStats,
  zeroTailRounded,
} from '@talent-export/schema';

export interface Told {
  code: ProblemCode;
  message: string;
}

const AGAIN = 'take the table from export.zip again';

/**
 * Problems and notices of a table a spreadsheet saved. `shown` names a column as messages show it (an extra
 * column's header may be a value); `whole`: the table was read to its end from one file, so its row count
 * is that of the file (not of several contracts' copies read as one).
 */
export function spreadsheetFindings(
  table: TableName,
  stats: TableStats,
  badUtf8: number,
  whole: boolean,
  shown: (column: string) => string,
): Told[] {
  const told: Told[] = [];
  const columns = (names: readonly string[]) => names.map(shown).join(', ');
  if (zeroTailRounded(stats)) {
    told.push({
      code: 'IDS_ROUNDED',
      message: `${table}: ${stats.zeroTailIds} id(s) of column(s) ${columns(stats.zeroTailIdColumns)} end in zeros past their 15th digit (e.g. ${stats.zeroTailIdExamples.join(', ')}): a spreadsheet, which holds 15 digits of a number, most likely re-wrote them when the table was saved there, and their last digits are lost, so those rows cannot be told apart or joined; ${AGAIN}, or import it into the spreadsheet with those columns as text before saving`,
    });
  }
  // Blank rows (`,,,`) are rows of the sheet too.
  const sheetRows = 1 + stats.rowsRead + stats.blankRows;
  if (whole && (SHEET_ROWS as readonly number[]).includes(sheetRows)) {
    told.push({
      code: 'TABLE_AT_ROW_LIMIT',
      message: `${table}: the table has exactly ${sheetRows.toLocaleString('en-US')} rows, its header included, the most a spreadsheet holds (${sheetRows === SHEET_ROWS[0] ? 'Excel since 2007' : 'Excel 97 to 2003'}): it was most likely opened in one, which left out the rows past that, and saved so; rows are most likely lost. ${AGAIN[0]!.toUpperCase()}${AGAIN.slice(1)}, or open it with a tool without that limit`,
    });
  }
  const cut = Object.entries(stats.cutCells);
  if (cut.length > 0) {
    const total = cut.reduce((sum, [, n]) => sum + n, 0);
    told.push({
      code: 'CELLS_AT_LIMIT',
      message: `${table}: ${total} cell(s) hold exactly the most characters a spreadsheet's cell holds (${CELL_CHARS.toLocaleString('en-US')}; 50,000 in Google Sheets), ${cut.map(([name, n]) => `${n} in ${shown(name)}`).join(', ')}: their text was most likely cut there when the table was opened and saved in one, and the rest is lost; they are kept as written; ${AGAIN}`,
    });
  }
  const errors = Object.entries(stats.errorCells);
  if (errors.length > 0) {
    const total = errors.reduce((sum, [, n]) => sum + n, 0);
    told.push({
      code: 'CELLS_SPREADSHEET_ERROR',
      message: `${table}: ${total} cell(s) hold a spreadsheet's error value (#NAME?, #VALUE!, ...) or only # signs (${errors.map(([name, n]) => `${n} in ${shown(name)}`).join(', ')}): a spreadsheet most likely read them as formulas (a phone number starting with +, a text starting with - or =) or wrote # signs for a value its column was too narrow to show, and their values are lost; they are kept as written; ${AGAIN}, or import it into the spreadsheet with its columns as text before saving`,
    });
  }
  if (badUtf8 > 0) {
    told.push({
      code: 'TABLE_NOT_UTF8',
      message: `${table}: ${badUtf8} of ${stats.rowsRead} row(s) are not UTF-8 and were set aside (ROW_BAD_UTF8; their text is kept in the rejected rows as Windows-1252 reads it)${badUtf8 < stats.rowsRead ? ', the others, without accented letters, were read' : ''}: a spreadsheet most likely saved the table as "CSV" in its own encoding (Windows-1252, or Mac Roman) rather than "CSV UTF-8"; ${AGAIN}, or open it there and save it as "CSV UTF-8"`,
    });
  }
  if (stats.placeholderTimes > 0) {
    told.push({
      code: 'TIMES_PLACEHOLDER',
      message: `${table}: ${stats.placeholderTimes} time(s) of column(s) ${columns(stats.placeholderTimeColumns)} are on a day tools write for no date (0001-01-01, 1899-12-30, 1900-01-01 and the like: a program's or a spreadsheet's day 0), not a real one; they are read as written: treat them as missing`,
    });
  }
  if (stats.sheetTimes > 0) {
    told.push({
      code: 'TIMES_SPREADSHEET',
      message: `${table}: ${stats.sheetTimes} time(s) of column(s) ${columns(stats.sheetTimeColumns)} are written as a spreadsheet shows times (its date format such as 10/13/2021 7:40, its serial day number such as 45123, or a rounded number such as 1.63411E+12), not as the export writes them, and their rows were set aside (ROW_BAD_TIMESTAMP): a spreadsheet most likely re-wrote the column when the table was saved there, dropping what it did not show; ${AGAIN}, or format the column as yyyy-mm-dd hh:mm:ss before saving`,
    });
  }
  return told;
}
