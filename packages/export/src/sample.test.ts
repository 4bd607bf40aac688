// Every layout of a generated export, compared with the generator's ground truth.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type GroundTruth, generateExport } from '@talent-export/sample';
import { TABLE_NAMES } from '@talent-export/schema';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './download.fixture.js';
import { type AttachmentRecord, type AttachmentSummary, openExport, type TalentExport } from './index.js';

const root = tempDir('talent-export-sample-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function generate(name: string, flat: boolean): Promise<{ dir: string; truth: GroundTruth }> {
  const dir = join(root, name);
  const truth = await generateExport({
    dir,
    seed: 11,
    candidates: 150,
    attachmentsMb: 1,
    partMb: 0.3,
    flat,
    edgeCases: true,
  });
  return { dir, truth };
}

async function candidateIds(ex: TalentExport): Promise<Set<string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of await ex.openTable('candidates')) chunks.push(chunk as Buffer);
  const rows = parse(Buffer.concat(chunks), { bom: true, columns: true }) as { candidate_id: string }[];
  return new Set(rows.map((r) => r.candidate_id));
}

async function indexAll(ex: TalentExport, ids?: Set<string>) {
  return drain(ex.indexAttachments(ids ? { candidateIds: ids } : {}));
}

/** The index a batch at a time gives what the index a record at a time gives, in batches of 256 at most. */
async function expectSameInBatches(
  ex: TalentExport,
  ids: Set<string>,
  one: { records: AttachmentRecord[]; summary: AttachmentSummary },
) {
  const it = ex.indexAttachmentBatches({ candidateIds: ids });
  const batches: AttachmentRecord[][] = [];
  let step = await it.next();
  for (; !step.done; step = await it.next()) batches.push(step.value);
  expect(batches.length).toBeGreaterThan(1);
  expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(256);
  expect(batches.flat()).toEqual(one.records);
  expect(step.value).toEqual(one.summary);
}

async function drain(it: AsyncGenerator<AttachmentRecord, AttachmentSummary>) {
  const records: AttachmentRecord[] = [];
  let step = await it.next();
  for (; !step.done; step = await it.next()) records.push(step.value);
  return { records, summary: step.value };
}

/** The summary and problems that a correct reading of the generated export gives. */
function expectTruth(
  ex: TalentExport,
  summary: AttachmentSummary,
  records: AttachmentRecord[],
  truth: GroundTruth,
) {
  const a = truth.attachments;
  expect(summary).toMatchObject({
    files: a.files,
    markers: a.markers,
    bytes: a.bytes,
    candidates: a.candidates,
    byKind: a.byKind,
  });
  expect(records).toHaveLength(a.files);
  expect(records.reduce((n, r) => n + r.size, 0)).toBe(a.bytes);
  expect(summary.candidatesUnknown).toEqual(truth.attachmentsWithoutCandidate);
  expect(summary.candidatesWithoutAttachments).toEqual(truth.candidatesWithoutAttachments);
  expect(
    summary.parts.map((p) => [p.first, p.last, p.entries, p.files, p.markers, p.bytes, p.candidates]),
  ).toEqual(a.parts.map((p) => [p.first, p.last, p.entries, p.files, p.markers, p.bytes, p.candidates]));
  // The generator plants one folder without a candidates row and one candidate without a folder; all else agrees.
  expect([...ex.problems, ...summary.problems].map((p) => p.code)).toEqual([
    'ATTACHMENT_CANDIDATE_UNKNOWN',
    'CANDIDATE_NO_ATTACHMENTS',
  ]);
}

describe.each([
  ['Contract_<id> folder', false],
  ['flat export.zip', true],
])('generated export, %s', (_name, flat) => {
  let dir: string;
  let truth: GroundTruth;
  beforeAll(async () => {
    ({ dir, truth } = await generate(flat ? 'flat' : 'contract', flat));
  });

  it('download layout: parts, manifest, tables and attachments match the ground truth', async () => {
    const ex = await openExport(dir);
    try {
      expect(ex.layout).toBe('download');
      expect(ex.parts.map((p) => p.file)).toEqual(truth.attachments.parts.map((p) => p.file));
      expect(ex.manifest).toMatchObject({
        totalFiles: truth.manifest.totalFiles,
        exportedFiles: truth.manifest.exportedFiles,
        failedFiles: truth.manifest.failedFiles,
      });
      expect(ex.manifest?.files.map((f) => f.name)).toEqual(truth.manifest.files);
      for (const table of TABLE_NAMES) expect(ex.tables[table]?.entry).toBe(truth.tables[table].entry);
      const ids = await candidateIds(ex);
      const { records, summary } = await indexAll(ex, ids);
      expect(records.every((r) => /^[0-9a-f]{8}$/.test(r.crc32 ?? ''))).toBe(true);
      expectTruth(ex, summary, records, truth);
      await expectSameInBatches(ex, ids, { records, summary });
    } finally {
      await ex.close();
    }
  });

  it('extracted layout (unzip of every zip into one folder): the same records, bar the CRCs', async () => {
    const out = join(root, `${flat ? 'flat' : 'contract'}-unzipped`);
    mkdirSync(out);
    for (const file of ['export.zip', ...truth.attachments.parts.map((p) => p.file)]) {
      execFileSync('unzip', ['-q', join(dir, file), '-d', out]);
    }
    execFileSync('cp', [join(dir, 'export.csv'), out]);
    const ex = await openExport(out);
    try {
      expect(ex.layout).toBe('extracted');
      expect(ex.parts.map((p) => p.file)).toEqual(
        truth.attachments.parts.map((p) => p.file.replace(/^Attachment_(.*)\.zip$/, 'Attachments_$1')),
      );
      const ids = await candidateIds(ex);
      const { records, summary } = await indexAll(ex, ids);
      expectTruth(ex, summary, records, truth);
      expect(records.every((r) => r.crc32 === null)).toBe(true);
      await expectSameInBatches(ex, ids, { records, summary });
    } finally {
      await ex.close();
    }
  });
});

describe('generated export, candidates moved into one folder and verified', () => {
  it('indexes one folder of all candidates, and verifies every byte of the download', async () => {
    const { dir, truth } = await generate('moved', false);
    const out = join(root, 'moved-unzipped');
    const parts = join(root, 'moved-parts');
    mkdirSync(join(out, 'Candidates'), { recursive: true });
    for (const p of truth.attachments.parts) execFileSync('unzip', ['-q', join(dir, p.file), '-d', parts]);
    // Every candidate folder moved into one folder, as the guide suggests.
    execFileSync('sh', ['-c', `mv */Candidate_* '${join(out, 'Candidates')}'`], { cwd: parts });
    execFileSync('unzip', ['-q', join(dir, 'export.zip'), '-d', out]);
    const ex = await openExport(out);
    const { summary } = await indexAll(ex, await candidateIds(ex));
    expect(ex.parts.map((p) => p.file)).toEqual(['Candidates']);
    expect([summary.files, summary.markers, summary.bytes]).toEqual([
      truth.attachments.files,
      truth.attachments.markers,
      truth.attachments.bytes,
    ]);
    await ex.close();

    const download = await openExport(dir);
    let last = 0;
    const { summary: verified } = await drain(
      download.verifyAttachments({ onProgress: (p) => (last = p.bytesDone) }),
    );
    expect(verified.parts.map((p) => p.verifiedBytes)).toEqual(truth.attachments.parts.map((p) => p.bytes));
    expect(last).toBe(truth.attachments.parts.at(-1)!.bytes);
    expect([...download.problems, ...verified.problems]).toEqual([]);
    await download.close();
  });
});
