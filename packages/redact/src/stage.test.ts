// The stage over a whole generated export, through the reading engine's worker threads, checked against
// the generator's ground truth: no known PII left, joins intact, deterministic, keyed, key never written.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE_NAMES } from '@talent-export/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, fixture, keyFile, lines, redactAll } from './test-export.js';

let f: Fixture;
let key: { path: string; hex: string };
let first: Awaited<ReturnType<typeof redactAll>>;

beforeAll(async () => {
  f = await fixture();
  key = keyFile(f.work, 'key');
  first = await redactAll(f, { policy: 'default', keyFile: key.path });
});

const all = (r: { text: Record<string, string> }) => TABLE_NAMES.map((t) => r.text[t]).join('');

describe('the default policy over a generated export', () => {
  it('leaves no value of the ground truth’s pii.txt in any table (case-insensitive)', () => {
    const out = all(first).toLowerCase();
    const left = f.pii.filter((value) => out.includes(value.toLowerCase()));
    expect(f.pii.length).toBeGreaterThan(500);
    expect(left).toEqual([]);
  });

  it('keeps every join: candidate ids of other tables map to candidate ids of candidates', () => {
    const truth = (table: string) =>
      lines(readFileSync(join(`${f.dir}.truth`, 'records', `${table}.ndjson`), 'utf8'));
    const ids = new Set(lines(first.text.candidates).map((r) => r.candidate_id));
    const truthIds = new Set(truth('candidates').map((r) => r.candidate_id));
    expect(ids.size).toBe(truthIds.size);
    for (const id of ids) expect(String(id)).toMatch(/^[1-9]\d{9}$/);
    expect([...ids].filter((id) => truthIds.has(id))).toEqual([]);
    for (const table of ['messages', 'notes', 'feedbacks', 'scorecards']) {
      const before = truth(table);
      const after = lines(first.text[table as 'messages']);
      expect(after).toHaveLength(before.length);
      const joinedBefore = before.filter((r) => truthIds.has(r.candidate_id)).length;
      const joinedAfter = after.filter((r) => ids.has(r.candidate_id)).length;
      expect(joinedAfter).toBe(joinedBefore);
    }
    const projects = new Set(lines(first.text.projects).map((r) => r.project_id));
    const values = lines(first.text.custom_field_values);
    const joined = values.filter((r) => (r.entity_type === 'candidate' ? ids : projects).has(r.entity_id));
    const valuesBefore = truth('custom_field_values');
    const projectsBefore = new Set(truth('projects').map((r) => r.project_id));
    const joinedBefore = valuesBefore.filter((r) =>
      (r.entity_type === 'candidate' ? truthIds : projectsBefore).has(r.entity_id),
    );
    expect(joined.length).toBe(joinedBefore.length);
  });

  it('keeps >= 95% of the words that are not personal data (measured on the ground truth)', () => {
    const piiWords = new Set(f.pii.flatMap((v) => v.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter(Boolean));
    let total = 0;
    let kept = 0;
    for (const [table, column] of [
      ['messages', 'body'],
      ['messages', 'subject'],
      ['notes', 'content'],
      ['feedbacks', 'message'],
      ['feedbacks', 'feedback_response'],
      ['projects', 'project_description'],
      ['interview_modules', 'description'],
    ] as const) {
      const before = lines(readFileSync(join(`${f.dir}.truth`, 'records', `${table}.ndjson`), 'utf8'));
      const after = lines(first.text[table]);
      before.forEach((row, i) => {
        const words =
          String(row[column] ?? '')
            .toLowerCase()
            .match(/[\p{L}\p{N}]+/gu) ?? [];
        const out = new Set(
          String(after[i]![column] ?? '')
            .toLowerCase()
            .match(/[\p{L}\p{N}]+/gu) ?? [],
        );
        for (const w of words) {
          if (piiWords.has(w) || /\d/.test(w)) continue;
          total++;
          if (out.has(w)) kept++;
        }
      });
    }
    const share = kept / total;
    console.log(`non-PII words kept: ${(share * 100).toFixed(2)}% of ${total}`);
    expect(share).toBeGreaterThanOrEqual(0.95);
  });

  it('gives byte-identical output for the same key, whatever the threads; another key shares no pseudonym', async () => {
    const again = await redactAll(f, { policy: 'default', keyFile: key.path }, 1);
    expect(all(again)).toBe(all(first));
    const other = keyFile(f.work, 'other');
    const third = await redactAll(f, { policy: 'default', keyFile: other.path });
    const a = new Set(lines(first.text.candidates).map((r) => r.candidate_id));
    const b = lines(third.text.candidates).map((r) => r.candidate_id);
    expect(b.filter((id) => a.has(id))).toEqual([]);
    const mails = (r: typeof first) =>
      lines(r.text.candidates).flatMap((x) => (x.emails as string[] | null) ?? []);
    const m1 = new Set(mails(first));
    expect(mails(third).filter((m) => m1.has(m))).toEqual([]);
  });

  it('reads a dictionary given as shared memory in every thread: the same bytes as from its file', async () => {
    const memory = f.redact.loadDictionary(f.dictionary).memory;
    expect(memory).toBeInstanceOf(SharedArrayBuffer);
    const shared = await redactAll(f, { policy: 'default', keyFile: key.path, dictionary: memory }, 3);
    expect(all(shared)).toBe(all(first));
    // Without the dictionary the names stay: the memory was read, not ignored.
    const none = await redactAll(f, { policy: 'default', keyFile: key.path, dictionary: undefined });
    expect(all(none)).not.toBe(all(first));
  });

  it('never writes the key: not in hex, not in base64, not in any table', async () => {
    const out = all(first);
    const bytes = Buffer.from(key.hex, 'hex');
    for (const form of [
      key.hex,
      key.hex.toUpperCase(),
      bytes.toString('base64'),
      bytes.toString('base64url'),
    ]) {
      expect(out.includes(form)).toBe(false);
    }
    const given = await redactAll(f, { policy: 'default', keyHex: key.hex });
    expect(all(given)).toBe(all(first));
  });

  it('counts in shared memory: values changed per column, detector hits, known names', () => {
    const report = f.redact.readReport(first.counters, f.redact.loadPolicy('default'), 'file');
    const candidates = lines(first.text.candidates).length;
    expect(report.tables.candidates.columns.candidate_id).toEqual({
      operator: 'pseudonym',
      changed: candidates,
    });
    expect(report.tables.candidates.columns.tags!.changed).toBe(0);
    expect(report.tables.messages.columns.body!.changed).toBeGreaterThan(0);
    expect(report.detectors.email).toBeGreaterThan(0);
    expect(report.detectors.linkedin_url).toBeGreaterThan(0);
    expect(report.known.candidate_name).toBeGreaterThan(0);
    expect(report.known.known_phone).toBeGreaterThan(0);
    expect(report.notices).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(key.hex);
    expect(f.redact.readReport(first.counters, f.redact.loadPolicy('default'), 'random').notices[0]).toMatch(
      /random key/,
    );
  });

  it('reads a list of candidates to drop as a spreadsheet saves one: BOM, header line, quoted ids, decimals, CRLF', () => {
    const list = join(f.work, 'saved.csv');
    writeFileSync(list, '\ufeffCandidate ID\r\n"1000000002"\r\n1000000003.0\r\n\r\n# note\r\n');
    expect([...f.redact.readCandidateList(list)].sort()).toEqual(['1000000002', '1000000003']);
    // Several columns, as a sheet of erasure requests is saved: the candidate id column only.
    writeFileSync(list, 'Name;Candidate ID;E-mail\r\n"Lopez; Ana";="1000000004";ana@example.org\r\n');
    expect([...f.redact.readCandidateList(list)]).toEqual(['1000000004']);
  });

  it('drops candidates entirely (--drop-candidates) and counts the rows per table', async () => {
    const records = lines(readFileSync(join(`${f.dir}.truth`, 'records', 'candidates.ndjson'), 'utf8'));
    const gone = [...new Set(records.map((r) => String(r.candidate_id)))].slice(0, 25);
    const list = join(f.work, 'erase.txt');
    writeFileSync(list, `# erasure requests\n${gone.join('\n')}\n`);
    const run = await redactAll(f, { policy: 'default', keyFile: key.path, dropCandidates: list });
    const report = f.redact.readReport(run.counters, f.redact.loadPolicy('default'), 'file');
    const expected = records.filter((r) => gone.includes(String(r.candidate_id))).length;
    expect(report.tables.candidates.rowsDropped).toBe(expected);
    expect(run.dropped.candidates).toBe(expected);
    expect(report.tables.messages.rowsDropped).toBeGreaterThan(0);
    expect(lines(run.text.candidates)).toHaveLength(records.length - expected);
    // The key and the list in shared memory (read once by the caller, no file for the threads): the same.
    const shared = await redactAll(
      f,
      {
        policy: 'default',
        key: f.redact.shareKey(f.redact.readKeyFile(key.path)),
        dropCandidates: f.redact.shareCandidateList(f.redact.readCandidateList(list)),
      },
      3,
    );
    expect(all(shared)).toBe(all(run));
    expect(shared.dropped).toEqual(run.dropped);
  });
});
