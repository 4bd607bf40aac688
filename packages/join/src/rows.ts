// The spilled row format: `<table code><row>\t<candidate>\t<key 1>\t<key 2>\t<JSON line>\n`, where the
// candidate and keys are raw JSON tokens (`"123"`, `null` or empty). Tokens hold no raw tab: JSON escapes it.
import { tokenValue } from './lines.js';

/** The candidate-keyed tables, and the attachment index, by the one-letter code rows are spilled under. */
export const CODES = {
  c: 'candidates',
  v: 'custom_field_values',
  s: 'scorecards',
  f: 'feedbacks',
  n: 'notes',
  m: 'messages',
  a: 'attachments',
} as const;
export type Code = keyof typeof CODES;
export type KeyedTable = (typeof CODES)[Code];
export const CODE_OF = Object.fromEntries(Object.entries(CODES).map(([c, t]) => [t, c])) as Record<
  KeyedTable,
  Code
>;

/** Own-id column of the tables whose rows are kept in id order. */
export const OWN_ID: Partial<Record<string, string>> = {
  feedbacks: 'feedback_id',
  messages: 'message_id',
  notes: 'note_id',
  scorecards: 'scorecard_id',
};

/** One spilled row, its JSON left in the partition's bytes. */
export interface Row {
  code: Code;
  /** 1-based position among the table's decoded rows (attachments: in index order). */
  row: number;
  candidate: string | null;
  /** candidates: project_id; custom_field_values: created_time; feedbacks, messages, notes, scorecards: project_id. */
  k1: string | null;
  /** candidates: hiring_state_id; custom_field_values: custom_field_id; others: the row's own id. */
  k2: string | null;
  buf: Buffer;
  start: number;
  end: number;
}

export const rowHead = (code: Code, row: number, candidate: string, k1: string, k2: string): string =>
  `${code}${row}\t${candidate}\t${k1}\t${k2}\t`;

/** Every row of a partition's bytes. */
export function parseRows(buf: Buffer): Row[] {
  const rows: Row[] = [];
  let start = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? buf.length : nl;
    const t1 = buf.indexOf(0x09, start);
    const t2 = buf.indexOf(0x09, t1 + 1);
    const t3 = buf.indexOf(0x09, t2 + 1);
    const t4 = buf.indexOf(0x09, t3 + 1);
    rows.push({
      code: String.fromCharCode(buf[start]!) as Code,
      row: Number(buf.toString('latin1', start + 1, t1)),
      candidate: tokenValue(buf.toString('utf8', t1 + 1, t2)),
      k1: tokenValue(buf.toString('utf8', t2 + 1, t3)),
      k2: tokenValue(buf.toString('utf8', t3 + 1, t4)),
      buf,
      start: t4 + 1,
      end,
    });
    start = end + 1;
  }
  return rows;
}
