// What a bundle of some candidates says of the export's problems. A bundle answers one person's request:
// its report must not name anyone else, so a problem about another candidate's rows or files (or one that
// lists candidate ids) is counted, not shown, and a rejected row is named only when it holds an id asked for.
import { type Problem, type ProblemCode, problem } from '@talent-export/export';
import { looseId, type Reject } from '@talent-export/schema';
import { folderOf, leftOut } from './left-out.js';

/** Codes whose messages list candidate ids as examples, any of which may be another candidate's. */
const LISTS_IDS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'ATTACHMENT_CANDIDATE_UNKNOWN',
  'CANDIDATE_NO_ATTACHMENTS',
  'CANDIDATE_IN_SEVERAL_PARTS',
  'MARKER_WITH_FILES',
  'MARKER_NOT_EMPTY',
  'MARKER_COPY',
  'ATTACHMENT_COPY',
  'CANDIDATE_FOLDER_COPY',
  'PART_RANGE_MISMATCH',
  'KEY_REPEATED',
  'ORPHAN_REFERENCES',
  'ORPHAN_ROWS',
  'CANDIDATE_NOT_FOUND',
]);

/** Codes about files of an attachment part that no candidate's folder holds: they are in no bundle. */
const OUTSIDE_FOLDERS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'UNKNOWN_FILE',
  'ZIP_NOTICE',
  'SYMLINK_IGNORED',
]);

/** A rejected row's text split into the words an id could be. */
const WORDS = /[^A-Za-z0-9_-]+/;

interface RejectedRow {
  id: string;
  line: number;
  code: string;
}

export class ProblemScope {
  private readonly kept: Problem[] = [];
  private readonly hidden = new Map<ProblemCode, number>();
  /** Rejected rows that hold no id asked for: other candidates' rows. */
  private othersRejected = 0;
  private readonly loose: Map<string, string>;
  private readonly mine = new Map<string, RejectedRow[]>();

  /**
   * @param wanted the ids asked for, as written
   * @param parts the file names of the attachment parts (zips or folders)
   */
  constructor(
    private readonly wanted: ReadonlySet<string>,
    private readonly parts: ReadonlySet<string>,
  ) {
    this.loose = new Map([...wanted].map((id) => [looseId(id), id]));
  }

  /** Kept when about the export as a whole or a candidate asked for; counted otherwise. */
  add(p: Problem): void {
    if (this.concernsOthers(p)) this.count(p.code);
    else this.kept.push(leftOut(p, 'bundle'));
  }

  addAll(problems: Iterable<Problem>): void {
    for (const p of problems) this.add(p);
  }

  /** A rejected row of a candidate's table: named (table, line, id) only when it holds an id asked for. */
  reject(r: Reject): void {
    const id = this.wantedIn(r.raw);
    if (id === undefined) {
      this.othersRejected += 1;
      return;
    }
    const list = this.mine.get(r.table) ?? [];
    list.push({ id, line: r.line, code: r.code });
    this.mine.set(r.table, list);
  }

  /** The problems to report: those kept, the rejected rows that may be a wanted candidate's, one count of the rest. */
  problems(): Problem[] {
    const out = [...this.kept];
    for (const [table, rows] of this.mine) {
      // candidate_id has PII class none, and these are ids asked for: they are named.
      const listed = rows.slice(0, 5).map((r) => `${r.id} at line ${r.line} (${r.code})`);
      const shown = `${listed.join(', ')}${rows.length > 5 ? ` and ${rows.length - 5} more` : ''}`;
      out.push(
        problem(
          'ROWS_REJECTED',
          `${table}: ${rows.length} rejected row(s) hold a candidate id asked for, so they may be that candidate's and are in no bundle: ${shown}. Correct the rows in the export and run again`,
        ),
      );
    }
    const counts = [...this.hidden].map(([code, n]) => `${code}: ${n}`);
    if (this.othersRejected > 0) counts.push(`rejected rows holding no id asked for: ${this.othersRejected}`);
    if (counts.length > 0) {
      out.push(
        problem(
          'PROBLEMS_ELSEWHERE',
          `not shown, as they concern other candidates' rows or files (or files in no candidate's folder), or list candidate ids among which others' may be, and a bundle names no one else: ${counts.join(', ')}. They change no bundle; run validate on the export to see them`,
        ),
      );
    }
    return out;
  }

  private count(code: ProblemCode): void {
    this.hidden.set(code, (this.hidden.get(code) ?? 0) + 1);
  }

  private concernsOthers(p: Problem): boolean {
    if (LISTS_IDS.has(p.code)) return true;
    const folder = folderOf(p);
    if (folder !== undefined) return !this.wanted.has(folder);
    // A part's file outside every candidate's folder (a stray file, an oddity of its name).
    return (
      p.file !== undefined && this.parts.has(p.file) && (p.entry !== undefined || OUTSIDE_FOLDERS.has(p.code))
    );
  }

  /** The id asked for that a row's text holds as a word (as written, or with other leading zeros). */
  private wantedIn(raw: string): string | undefined {
    for (const word of raw.split(WORDS)) {
      if (word === '') continue;
      if (this.wanted.has(word)) return word;
      const loose = this.loose.get(looseId(word));
      if (loose !== undefined) return loose;
    }
    return undefined;
  }
}
