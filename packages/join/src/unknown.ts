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
  return text;
}

/** Rows (and attachment files) whose candidate id is one asked for only once spaces or leading zeros go. */
export class Variants {
  private readonly counts = new Map<string, number>();

  add(table: string): void {
    this.counts.set(table, (this.counts.get(table) ?? 0) + 1);
  }

  /** CANDIDATE_ID_VARIANT, if any: ids are matched exactly, so these rows are in no bundle. */
  problem(): Problem | undefined {
    if (this.counts.size === 0) return undefined;
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    const list = [...this.counts].map(([table, n]) => `${table}: ${n}`).join(', ');
    return problem(
      'CANDIDATE_ID_VARIANT',
      `${total} row(s) or attachment file(s) name a candidate asked for with the id written otherwise (spaces around it, other leading zeros, or a spreadsheet's .0 after it): ${list}; ids are matched exactly, so they are in no bundle. Ask for the id as the export writes it, or correct the export`,
    );
  }
}
