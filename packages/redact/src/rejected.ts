// A rejected row's personal values. The row is not written, but the people in it are still named in other
// tables (a message to a candidate whose row had a stray comma): the scrubber and the leak scan need
// their names as much as anyone's, so the row is read by position as well as its text allows.
import { columnKey, SCHEMAS, type TableName, type TypedRecord } from '@talent-export/schema';

/** The cells of one CSV record (line breaks inside quotes included), read leniently: nothing is refused. */
export function rowCells(raw: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let start = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (raw[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      start = true;
      continue;
    } else if (c === '"' && start) quoted = true;
    else cell += c;
    start = false;
  }
  cells.push(cell);
  return cells;
}

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
