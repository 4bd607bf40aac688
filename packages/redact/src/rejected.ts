// A rejected row's personal values. The row is not written, but the people in it are still named in other
// tables (a message to a candidate whose row had a stray comma): the scrubber and the leak scan need
// their names as much as anyone's, so the row is read by position as well as its text allows.
import { columnKey, SCHEMAS, type TableName, type TypedRecord } from '@talent-export/schema';
import { csvCells } from '@talent-export/schema/internal';

/** The cells of one CSV record (line breaks inside quotes included), read leniently: nothing is refused. */
export const rowCells = (raw: string): string[] => csvCells(raw);

/**
 * The schema columns of a rejected row of `table`, by their places in `header` (the table's header row as
 * written): texts trimmed, lists cut at ";", empty cells left out. A row with more cells than the header
 * has its first ones read; one with fewer, those it has.
 */
export function rejectedRecord(table: TableName, header: readonly string[], raw: string): TypedRecord {
  const cells = rowCells(raw);
  const places = new Map<string, number>();
  header.forEach((cell, index) => {
    const key = columnKey(cell);
    if (!places.has(key)) places.set(key, index);
  });
  const record: TypedRecord = {};
  for (const field of SCHEMAS[table].fields) {
    const index = places.get(columnKey(field.name));
    const cell = index === undefined ? '' : (cells[index]?.trim() ?? '');
    if (cell === '') continue;
    record[field.name] =
      field.type === 'list'
        ? cell
            .split(';')
            .map((item) => item.trim())
            .filter((item) => item !== '')
        : cell;
  }
  return record;
}
