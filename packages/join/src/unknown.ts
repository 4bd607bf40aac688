// What a bundle says of ids asked for that the candidates table does not hold, or holds written otherwise.
import { askedIds, type Problem, problem } from '@talent-export/export';
import { CODES, type Code } from './rows.js';

/**
 * The CANDIDATE_UNKNOWN message. `held` has the table codes of each unknown id's rows of the other tables and its attachments:
 * a candidate whose row was removed from Candidate.csv still has messages or files about them, and an
 * answer to their request that said only "not in the candidates table" would leave those out unsaid.
 */
export function unknownMessage(unknown: string[], held: ReadonlyMap<string, Code[]>): string {
  let text = `${unknown.length} candidate id(s) asked for are not in the candidates table: ${askedIds(unknown)}; no bundle was written for them. Check the ids against Candidate.csv`;
  const withRows = unknown.filter((id) => (held.get(id)?.length ?? 0) > 0);
  if (withRows.length === 0) return text;
  const counts = new Map<string, number>();
  for (const id of withRows)
    for (const code of held.get(id)!) counts.set(CODES[code], (counts.get(CODES[code]) ?? 0) + 1);
  const tables = [...counts].map(([table, n]) => `${table}: ${n}`).join(', ');
  text += `. ${withRows.length} of them do have rows in other tables or attachment files, which no bundle holds (${tables}): ${askedIds(withRows)}`;
  // Their files are theirs all the same: the answer to their request can still hold them.
  if (counts.has(CODES.a)) text += '; `extract --candidates` with these ids copies their attachment folders';
  return text;
}

/**
 * Rows (and attachment files) whose candidate id is one asked for only once spaces or leading zeros go.
 * Counted per id: an id that the candidates table holds too (`007` beside `7`) is a candidate of its own,
 * whose rows are in its own document, not a variant of one asked for.
 */
export class Variants {
  private readonly counts = new Map<string, Map<string, number>>();

  add(table: string, id: string): void {
    let tables = this.counts.get(id);
    if (!tables) this.counts.set(id, (tables = new Map()));
    tables.set(table, (tables.get(table) ?? 0) + 1);
  }

  /**
   * CANDIDATE_ID_VARIANT, if any: ids are matched exactly, so these rows are in no bundle. `known` tells
   * whether every id asked for that `id` varies is in the candidates table: a variant that is there too is
   * then another candidate.
   */
  problem(known: (id: string) => boolean): Problem | undefined {
    const counts = new Map<string, number>();
    for (const [id, tables] of this.counts) {
      if (tables.has('candidates') && known(id)) continue;
      for (const [table, n] of tables) counts.set(table, (counts.get(table) ?? 0) + n);
    }
    if (counts.size === 0) return undefined;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const list = Object.values(CODES)
      .filter((t) => counts.has(t))
      .map((table) => `${table}: ${counts.get(table)}`)
      .join(', ');
    return problem(
      'CANDIDATE_ID_VARIANT',
      `${total} row(s) or attachment file(s) name a candidate asked for with the id written otherwise (spaces around it, other leading zeros, a spreadsheet's .0 after it, or a text formula ="..." around it): ${list}; ids are matched exactly, so they are in no bundle. Ask for the id as the export writes it, or correct the export`,
    );
  }
}
