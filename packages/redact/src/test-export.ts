// Test helper: a generated export with its ground truth, its dictionary, and runs of the stage over every
// table through the built reading engine (worker threads load the compiled stage).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { writeExport } from '@talent-export/sample/testing';
import { TABLE_NAMES, type TableName } from '@talent-export/schema';
import { afterAll } from 'vitest';

type Pipeline = typeof import('@talent-export/pipeline');
type Export = typeof import('@talent-export/export');
type Redact = typeof import('./index.js');
const require = createRequire(import.meta.url);
/** The built packages: worker threads import compiled code. */
export const redactDist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
export const stageDist = fileURLToPath(new URL('../dist/stage.js', import.meta.url));

export interface Fixture {
  dir: string;
  work: string;
  pii: string[];
  dictionary: string;
  pipeline: Pipeline;
  exp: Export;
  redact: Redact;
}

const made: string[] = [];
// Registered when a test file imports this module: each fixture's folder goes when the file ends, pass or fail.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export async function fixture(candidates = 400, messagesPerCandidate = 6): Promise<Fixture> {
  const work = mkdtempSync(join(tmpdir(), 'redact-'));
  made.push(work);
  const dir = join(work, 'export');
  await generateExport({
    dir,
    candidates,
    messagesPerCandidate,
    attachmentsMb: 1,
    edgeCases: true,
    truthRecords: true,
  });
  const pii = readFileSync(`${dir}.truth/pii.txt`, 'utf8').split('\n').filter(Boolean);
  return withDictionary(dir, work, pii);
}

/**
 * An export written by hand: `tables` by file name (`Candidate.csv`, `Messages.csv`...), header row first,
 * zipped by Python; the other tables are missing.
 */
export async function writtenExport(tables: Record<string, string[][]>): Promise<Fixture> {
  const work = mkdtempSync(join(tmpdir(), 'redact-'));
  made.push(work);
  const dir = join(work, 'export');
  writeExport(dir, tables);
  return withDictionary(dir, work, []);
}

async function withDictionary(dir: string, work: string, pii: string[]): Promise<Fixture> {
  const pipeline = (await import(require.resolve('@talent-export/pipeline'))) as Pipeline;
  const exp = (await import(require.resolve('@talent-export/export'))) as Export;
  const redact = (await import(redactDist)) as Redact;
  const builder = new redact.DictionaryBuilder();
  const ex = await exp.openExport(dir);
  try {
    const run = pipeline.readBatches(ex, ['candidates'], { threads: 1 });
    for await (const batch of run) {
      if (batch.kind === 'records') for (const record of batch.records) builder.add(batch.table, record);
    }
    await run.outcome;
  } finally {
    await ex.close();
  }
  const dictionary = join(work, 'dictionary.json');
  await builder.write(dictionary);
  return { dir, work, pii, dictionary, pipeline, exp, redact };
}

export function keyFile(work: string, name: string): { path: string; hex: string } {
  const hex = randomBytes(32).toString('hex');
  const path = join(work, name);
  writeFileSync(path, `${hex}\n`);
  return { path, hex };
}

/** Every table as NDJSON text after the stage, and the counts. */
export async function redactAll(
  f: Fixture,
  options: Record<string, unknown>,
  threads = 2,
  passThrough?: Partial<Record<TableName, string[]>>,
): Promise<{
  text: Record<TableName, string>;
  counters: SharedArrayBuffer;
  dropped: Record<string, number>;
}> {
  const counters = f.redact.createCounters();
  const ex = await f.exp.openExport(f.dir);
  try {
    const run = f.pipeline.readBatches(ex, TABLE_NAMES, {
      threads,
      formats: ['ndjson'],
      stage: {
        module: stageDist,
        options: { dictionary: f.dictionary, counters, ...options },
        ...(passThrough ? { passThrough } : {}),
      },
    });
    const pieces = Object.fromEntries(TABLE_NAMES.map((t) => [t, [] as Buffer[]])) as Record<
      TableName,
      Buffer[]
    >;
    for await (const batch of run) {
      if (batch.kind === 'encoded')
        for (const piece of batch.rows.ndjson ?? []) pieces[batch.table].push(Buffer.from(piece));
    }
    const outcome = await run.outcome;
    const text = Object.fromEntries(
      TABLE_NAMES.map((t) => [t, Buffer.concat(pieces[t]).toString()]),
    ) as Record<TableName, string>;
    const dropped = Object.fromEntries(TABLE_NAMES.map((t) => [t, outcome.tables[t]?.dropped ?? 0]));
    return { text, counters, dropped };
  } finally {
    await ex.close();
  }
}

export const lines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
