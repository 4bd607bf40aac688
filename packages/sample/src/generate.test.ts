import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SCHEMAS, TABLE_NAMES } from '@talent-export/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SampleError } from './errors.js';
import { generateExport, TABLE_FILES } from './generate.js';
import type { SampleProgress } from './options.js';
import { digests, type Inspection, inspect, scratchDir, unzipList, unzipTest } from './testing/helpers.js';
import type { GroundTruth } from './truth.js';

const scratch = scratchDir();
afterAll(() => scratch.remove());
let runs = 0;
const fresh = () => join(scratch.root, `run-${++runs}`);

/** What a decoder must make of one CSV cell, written independently of the generator's own code. */
function decode(type: string, cell: string): unknown {
  if (cell === '') return null;
  if (type === 'number') return Number(cell);
  if (type === 'boolean') return cell === 'true';
  if (type === 'list') {
    return cell
      .split(';')
      .map((item) => item.trim())
      .filter(Boolean);
  }
  if (type === 'timestamp') {
    const date = /^\d+$/.test(cell) ? new Date(Number(cell)) : new Date(`${cell.replace(' ', 'T')}Z`);
    return date.toISOString();
  }
  return cell;
}

describe('a default-shaped export, read back by Python and Info-ZIP', () => {
  const dir = fresh();
  let truth: GroundTruth;
  let seen: Inspection;
  const progress: SampleProgress[] = [];

  beforeAll(async () => {
    truth = await generateExport({
      dir,
      candidates: 90,
      attachmentsMb: 0.6,
      truthRecords: true,
      onProgress: (p) => progress.push(p),
    });
    seen = inspect(dir, `${dir}.truth`);
  });

  it('holds only what the download holds; truth lives beside it', () => {
    expect(seen.files).toEqual(
      ['export.csv', 'export.zip', ...truth.attachments.parts.map((p) => p.file)].sort(),
    );
    expect(readdirSync(`${dir}.truth`).sort()).toEqual(['pii.txt', 'records', 'truth.json']);
    expect(JSON.parse(readFileSync(join(`${dir}.truth`, 'truth.json'), 'utf8'))).toEqual(truth);
    expect(seen.problems).toEqual([]);
  });

  it('passes unzip -t and lists the ten tables under Contract_<id>/', () => {
    for (const file of seen.files.filter((f) => f.endsWith('.zip'))) unzipTest(join(dir, file));
    const names = Object.values(TABLE_FILES);
    expect(unzipList(join(dir, 'export.zip'))).toEqual(names.map((n) => `Contract_${truth.contractId}/${n}`));
    expect(names).toEqual([
      'Candidate.csv',
      'CustomFieldDefinition.csv',
      'CustomFieldValues.csv',
      'Feedbacks.csv',
      'HiringStates.csv',
      'InterviewModule.csv',
      'Messages.csv',
      'Notes.csv',
      'Projects.csv',
      'Scorecards.csv',
    ]);
  });

  it('writes every field the guide lists, in schema order, and the row counts the truth claims', () => {
    for (const table of TABLE_NAMES) {
      const summary = seen.exportZip.tables[truth.tables[table].entry]!;
      expect(summary.header).toEqual(SCHEMAS[table].fields.map((f) => f.name));
      expect(summary.widths).toEqual([SCHEMAS[table].fields.length]);
      expect(summary.rows).toBe(truth.tables[table].rows);
      expect(summary.rows).toBeGreaterThan(0);
      expect(summary.bom).toBe(false);
      expect(summary.crlf).toBe(0);
    }
    expect(truth.tables.candidates.rows).toBeGreaterThan(90);
    expect(truth.tables.messages.rows).toBe(90 * 3 + 2);
  });

  it('writes truth records a decoder can be checked against, cell by cell', () => {
    for (const table of TABLE_NAMES) {
      const summary = seen.exportZip.tables[truth.tables[table].entry]!;
      const records = seen.records![table]!;
      expect(records).toHaveLength(summary.rows);
      const fields = SCHEMAS[table].fields;
      records.forEach((record, r) => {
        expect(Object.keys(record)).toEqual(fields.map((f) => f.name));
        fields.forEach((field, f) => {
          expect(record[field.name]).toEqual(decode(field.type, summary.data[r]![f]!));
        });
      });
    }
  });

  it('makes realistic ids: unsafe integers, leading zeros, repeated candidates and projects', () => {
    const t = (name: string) => seen.exportZip.tables[truth.tables[name as 'candidates'].entry]!.data;
    expect(t('messages').every((row) => BigInt(row[0]!) > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
    expect(t('projects').some((row) => row[0]!.startsWith('0'))).toBe(true);
    const candidateIds = t('candidates').map((row) => row[0]!);
    expect(new Set(candidateIds).size).toBe(90);
    expect(candidateIds.every((id) => /^\d{10}$/.test(id))).toBe(true);
    const projectIds = t('projects').map((row) => row[0]!);
    expect(new Set(projectIds).size).toBeLessThan(projectIds.length);
    const all = t('candidates').flat().join('\n');
    expect(all).toMatch(/O'Brien|D'Angelo/);
    expect(all).toMatch(/[\u4e00-\u9fff]/);
    expect(all).toMatch(/[éëöüñ]/);
    expect(t('interview_modules').some((row) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(row[4]!))).toBe(true);
    expect(t('projects').some((row) => /^\d{13}$/.test(row[11]!))).toBe(true);
  });

  it('injects exactly the orphans the truth lists', () => {
    const data = (name: string) => seen.exportZip.tables[truth.tables[name as 'candidates'].entry]!.data;
    const candidates = new Set(data('candidates').map((row) => row[0]));
    const states = new Set(data('hiring_states').map((row) => row[0]));
    const fields = new Set(data('custom_field_definitions').map((row) => row[0]));
    const count = (rows: string[][], missing: (row: string[]) => boolean) => rows.filter(missing).length;
    const ref = (set: Set<string | undefined>, value: string | undefined) => value !== '' && !set.has(value);
    expect(count(data('messages'), (r) => ref(candidates, r[2]))).toBe(
      truth.orphans['messages.candidate_id -> candidates.candidate_id'],
    );
    expect(count(data('notes'), (r) => ref(candidates, r[2]))).toBe(1);
    expect(count(data('candidates'), (r) => ref(states, r[9]))).toBe(1);
    expect(count(data('custom_field_values'), (r) => ref(fields, r[0]))).toBe(1);
    expect(count(data('scorecards'), (r) => ref(candidates, r[2]))).toBe(0);
    expect(Object.keys(truth.orphans)).toHaveLength(15);
    const folders = seen.parts.flatMap((p) => p.folders);
    expect(folders.filter((id) => !candidates.has(id))).toEqual(truth.attachmentsWithoutCandidate);
    expect([...candidates].filter((id) => !folders.includes(id!))).toEqual(
      truth.candidatesWithoutAttachments,
    );
  });

  it('lays out attachments as the guide shows, and export.csv counts every file in the parts', () => {
    expect(seen.parts).toHaveLength(1);
    const part = seen.parts[0]!;
    const claimed = truth.attachments.parts[0]!;
    expect(part).toMatchObject({
      file: claimed.file,
      entries: claimed.entries,
      files: claimed.files,
      markers: claimed.markers,
      bytes: claimed.bytes,
    });
    expect(part.folders).toHaveLength(claimed.candidates);
    expect(part.entries).toBe(
      part.folders.length * 3 + part.files - (part.folders.length * 3 - part.markers),
    );
    expect(part.suffixed).toBeGreaterThan(0);
    expect(seen.manifest.header).toEqual(['Filename', 'Download Url']);
    expect(seen.manifest.files).toEqual(['export.zip', part.file]);
    expect(
      seen.manifest.urls.every((u) => u.startsWith('https://www.linkedin-ei.com/ambry/?x-li-ambry-ep=')),
    ).toBe(true);
    expect(seen.manifest.stats).toEqual({
      'Total Files': part.entries,
      'Exported files': part.entries,
      'Failed files': 0,
    });
    // About the requested 0.6 MiB of attachments.
    expect(truth.attachments.bytes).toBeGreaterThan(0.45 * 1024 * 1024);
    expect(truth.attachments.bytes).toBeLessThan(0.75 * 1024 * 1024);
    const { public: pub, private: priv, miscellaneous } = truth.attachments.byKind;
    expect(pub + priv + miscellaneous).toBe(truth.attachments.files);
  });

  it('writes each .docx as the zip a .docx is: Python opens it and finds its entry whole', async () => {
    // The default sizes, and 64-byte files (no attachment MB): too small for an entry, an archive of none.
    const tiny = fresh();
    const small = await generateExport({ dir: tiny, candidates: 30, attachmentsMb: 0 });
    const script = `
import io, sys, zipfile
outer = zipfile.ZipFile(sys.argv[1])
for name in [n for n in outer.namelist() if n.endswith('.docx')]:
    inner = zipfile.ZipFile(io.BytesIO(outer.read(name)))
    assert inner.testzip() is None, name
    print(outer.getinfo(name).file_size, len(inner.namelist()))
`;
    for (const [folder, t] of [
      [dir, truth],
      [tiny, small],
    ] as const) {
      const part = join(folder, t.attachments.parts[0]!.file);
      const opened = execFileSync('python3', ['-c', script, part], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((line) => line.split(' ').map(Number));
      expect(opened.length).toBeGreaterThan(2);
      // One entry when the file has room for it (140 bytes of headers), else none.
      for (const [size, entries] of opened) expect(entries).toBe(size! >= 140 ? 1 : 0);
      if (folder === tiny) expect(opened.every(([size]) => size === 64)).toBe(true);
      else expect(opened.some(([size]) => size! > 140)).toBe(true);
    }
  });

  it('lists every personal string once in pii.txt', () => {
    const pii = readFileSync(join(`${dir}.truth`, 'pii.txt'), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(new Set(pii).size).toBe(pii.length);
    const set = new Set(pii);
    for (const row of seen.exportZip.tables[truth.tables.candidates.entry]!.data) {
      for (const value of [row[2], row[3], row[7], ...row[4]!.split(';'), ...row[5]!.split(';')]) {
        if (value) expect(set.has(value)).toBe(true);
      }
    }
    const bodies = seen.exportZip.tables[truth.tables.messages.entry]!.data.map((r) => r[5]).join('\n');
    expect(pii.some((value) => value.includes('@') && bodies.includes(value))).toBe(true);
    expect(pii.some((value) => value.startsWith('+') && bodies.includes(value))).toBe(true);
  });

  it('reports progress for each phase, done never above total', () => {
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['tables', 'attachments']));
    for (const p of progress) expect(p.done).toBeLessThanOrEqual(p.total);
    const last = progress.at(-1)!;
    expect(last).toEqual({
      phase: 'attachments',
      done: truth.attachments.bytes,
      total: truth.attachments.bytes,
      unit: 'bytes',
    });
  });
});

describe('determinism', () => {
  it('gives byte-identical files for the same seed and different ones for another seed', async () => {
    const [a, b, c] = [fresh(), fresh(), fresh()];
    const options = { candidates: 40, attachmentsMb: 0.3, edgeCases: true, truthRecords: true, partMb: 0.1 };
    await generateExport({ dir: a, ...options });
    await generateExport({ dir: b, ...options });
    await generateExport({ dir: c, ...options, seed: 2 });
    expect(digests(b)).toEqual(digests(a));
    expect(digests(`${b}.truth`)).toEqual(digests(`${a}.truth`));
    const other = digests(c);
    expect(other['export.zip']).not.toBe(digests(a)['export.zip']);
    expect(Object.keys(other)).not.toEqual(Object.keys(digests(a)));
  });
});

describe('runs at once', () => {
  const options = { candidates: 40, attachmentsMb: 0.3, truthRecords: true, partMb: 0.1 };

  it('two runs into two folders at once give what one run gives', async () => {
    const [a, b, one] = [fresh(), fresh(), fresh()];
    await Promise.all([generateExport({ dir: a, ...options }), generateExport({ dir: b, ...options })]);
    await generateExport({ dir: one, ...options });
    for (const dir of [a, b]) {
      expect(digests(dir)).toEqual(digests(one));
      expect(digests(`${dir}.truth`)).toEqual(digests(`${one}.truth`));
    }
  });

  it('two runs into one folder at once: the second is refused, the first is whole (in one process too)', async () => {
    const [dir, one] = [fresh(), fresh()];
    const results = await Promise.allSettled([
      generateExport({ dir, ...options }),
      generateExport({ dir, ...options, force: true }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const error = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult)
      .reason as SampleError;
    expect([error.code, error.kind]).toEqual(['SAMPLE_DIR_BUSY', 'output']);
    expect(error.message).toContain(`process ${process.pid}`);
    await generateExport({ dir: one, ...options });
    expect(digests(dir)).toEqual(digests(one));
    expect(digests(`${dir}.truth`)).toEqual(digests(`${one}.truth`));
    // Nothing of the lock is left once the run is over.
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(readdirSync(`${dir}.truth`).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it("refuses a folder another process is writing to; takes over a killed run's, its temporary files removed", async () => {
    const [busy, killed] = [fresh(), fresh()];
    const lock = (dir: string, pid: number) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, '.talent-export-sample.lock'), JSON.stringify({ pid, host: hostname() }));
    };
    // This test's parent process is running; a process that has ended is not (its pid is not reused this soon).
    lock(busy, process.ppid);
    const error = await generateExport({ dir: busy, ...options, force: true }).catch((e: unknown) => e);
    expect((error as SampleError).code).toBe('SAMPLE_DIR_BUSY');
    expect(readdirSync(busy)).toEqual(['.talent-export-sample.lock']);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    lock(killed, dead);
    writeFileSync(join(killed, '.export.zip.partial'), 'cut short');
    writeFileSync(join(killed, '.export.zip.partial.cd'), 'cut short');
    lock(`${killed}.truth`, dead);
    await generateExport({ dir: killed, ...options });
    expect(readdirSync(killed).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(readdirSync(`${killed}.truth`).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});

describe('a folder with files left in it', () => {
  const options = { candidates: 10, attachmentsMb: 0.1 };
  it("keeps a person's own hidden .partial file when no run's lock was there: the folder is not empty", async () => {
    const dir = fresh();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.notes.partial'), 'mine');
    const error = await generateExport({ dir, ...options }).catch((e: unknown) => e);
    expect((error as SampleError).code).toBe('SAMPLE_DIR_NOT_EMPTY');
    expect(readFileSync(join(dir, '.notes.partial'), 'utf8')).toBe('mine');
  });

  it('takes over a lock written on another host (a container gone) once it is an hour old', async () => {
    const [young, old] = [fresh(), fresh()];
    for (const dir of [young, old]) {
      mkdirSync(dir, { recursive: true });
      const lock = join(dir, '.talent-export-sample.lock');
      writeFileSync(lock, JSON.stringify({ pid: 1, host: 'container-3f2a9c1d0b7e', token: 'aa' }));
      if (dir === old) utimesSync(lock, new Date(Date.now() - 2 * 3600e3), new Date(Date.now() - 2 * 3600e3));
    }
    const error = await generateExport({ dir: young, ...options }).catch((e: unknown) => e);
    expect((error as SampleError).code).toBe('SAMPLE_DIR_BUSY');
    await generateExport({ dir: old, ...options });
    expect(readdirSync(old).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});

describe('options', () => {
  it('splits parts at partMb, with contiguous sorted candidate ranges', async () => {
    const dir = fresh();
    const truth = await generateExport({ dir, candidates: 60, attachmentsMb: 1, partMb: 0.25 });
    const seen = inspect(dir);
    expect(seen.problems).toEqual([]);
    expect(seen.parts.length).toBeGreaterThanOrEqual(4);
    expect(seen.parts.map((p) => p.file)).toEqual(truth.attachments.parts.map((p) => p.file).sort());
    const ordered = [...seen.parts].sort((x, y) => (x.first < y.first ? -1 : 1));
    for (let k = 1; k < ordered.length; k++) expect(ordered[k - 1]!.last < ordered[k]!.first).toBe(true);
    for (const part of seen.parts) {
      if (part.folders.length > 1) expect(part.size).toBeLessThanOrEqual(0.25 * 1024 * 1024);
      unzipTest(join(dir, part.file));
    }
    const total = seen.parts.reduce((n, p) => n + p.entries, 0);
    expect(seen.manifest.stats['Total Files']).toBe(total);
    expect(truth.manifest.totalFiles).toBe(total);
    expect(seen.parts.reduce((n, p) => n + p.folders.length, 0)).toBe(60);
  });

  it('puts the tables at the zip root with flat', async () => {
    const dir = fresh();
    const truth = await generateExport({ dir, candidates: 5, attachmentsMb: 0, flat: true });
    expect(unzipList(join(dir, 'export.zip'))).toEqual(Object.values(TABLE_FILES));
    expect(truth.tables.notes.entry).toBe('Notes.csv');
  });

  it('writes edge cases: BOM, CRLF, quoted LF and CRLF, emoji, a spaces-only field', async () => {
    const dir = fresh();
    const truth = await generateExport({
      dir,
      candidates: 120,
      attachmentsMb: 0.1,
      edgeCases: true,
      truthRecords: true,
    });
    const seen = inspect(dir, `${dir}.truth`);
    const tables = Object.values(seen.exportZip.tables);
    expect(tables.every((t) => t.bom && t.lf === 0 && t.crlf === t.rows + 1)).toBe(true);
    expect(seen.manifest.bom).toBe(true);
    const messages = seen.exportZip.tables[truth.tables.messages.entry]!;
    expect(messages.quotedLf).toBeGreaterThan(0);
    expect(messages.quotedCrlf).toBeGreaterThan(0);
    expect(messages.emoji).toBeGreaterThan(0);
    expect(seen.exportZip.tables[truth.tables.feedbacks.entry]!.spacesOnly).toBe(1);
    expect(seen.records!.feedbacks!.some((r) => r.feedback_response === '   ')).toBe(true);
    expect(seen.records!.candidates!.some((r) => Array.isArray(r.tags) && r.tags.length === 0)).toBe(true);
    expect(JSON.stringify(seen.records!.messages)).toContain('\\r\\n');
    const raw = readFileSync(join(dir, 'export.zip'));
    expect(raw.length).toBeGreaterThan(0);
  });

  it('refuses a non-empty folder unless force, and then replaces the earlier sample', async () => {
    const dir = fresh();
    await generateExport({ dir, candidates: 3, attachmentsMb: 0 });
    const error = await generateExport({ dir, candidates: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SampleError);
    expect((error as SampleError).code).toBe('SAMPLE_DIR_NOT_EMPTY');
    expect((error as SampleError).message).toContain(dir);
    expect((error as SampleError).message).toContain('(3 entries, e.g. "');
    writeFileSync(join(dir, 'notes-of-mine.txt'), 'keep me');
    const truth = await generateExport({ dir, candidates: 4, attachmentsMb: 0, force: true, seed: 3 });
    expect(readdirSync(dir).sort()).toEqual(
      ['export.csv', 'export.zip', truth.attachments.parts[0]!.file, 'notes-of-mine.txt'].sort(),
    );
  });

  it('rejects bad options with a coded error naming the option', async () => {
    for (const bad of [{ candidates: 0 }, { partMb: 0 }, { seed: -1 }, { colour: 'red' }, { truthDir: '' }]) {
      const error = await generateExport({ dir: fresh(), ...bad } as never).catch((e: unknown) => e);
      expect((error as SampleError).code).toBe('SAMPLE_BAD_OPTION');
      expect((error as SampleError).message).toContain(`"${Object.keys(bad)[0]}"`);
    }
    const dir = fresh();
    const inside = await generateExport({ dir, truthDir: join(dir, 'truth') }).catch((e: unknown) => e);
    expect((inside as SampleError).code).toBe('SAMPLE_BAD_OPTION');
  });

  it('names the one entry of a folder that holds one, not "1 entries"', async () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'x'), '');
    const error = await generateExport({ dir, candidates: 3 }).catch((e: unknown) => e);
    expect((error as SampleError).message).toContain(`Folder ${dir} is not empty (it holds "x");`);
  });

  it('says what to do when a part of the folder path is a file, not to check disk space', async () => {
    const file = join(fresh(), 'notes.txt');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, 'not a folder');
    const error = await generateExport({ dir: join(file, 'sample'), candidates: 3 }).catch((e: unknown) => e);
    expect((error as SampleError).code).toBe('SAMPLE_WRITE_FAILED');
    expect((error as SampleError).message).toContain(
      'a part of that path is a file, not a folder; give a path made of folders, then run again.',
    );
    expect((error as SampleError).message).not.toContain('disk space');
  });

  it('stops promptly on abort and leaves no files behind', async () => {
    const dir = fresh();
    const controller = new AbortController();
    const error = await generateExport({
      dir,
      candidates: 50,
      attachmentsMb: 40,
      signal: controller.signal,
      onProgress: (p) => {
        // As the attachments begin: later reports come at most every so often, and on a fast machine the
        // 40 MB were all written before the next one.
        if (p.phase === 'attachments') controller.abort();
      },
    }).catch((e: unknown) => e);
    expect((error as SampleError).code).toBe('SAMPLE_ABORTED');
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(`${dir}.truth`)).toBe(false);
  });
});
