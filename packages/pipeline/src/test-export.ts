// Test helper: a generated export whose Messages.csv (~12 MB) is big enough to be cut into slices.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { afterAll } from 'vitest';

/** The built package: worker threads run the compiled worker, so tests that use threads import it. */
export const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
export const exportDist = createRequire(import.meta.url).resolve('@talent-export/export');

export type Pipeline = typeof import('./index.js');
export type Export = typeof import('@talent-export/export');

/** The built packages, imported as a user of them imports them. */
export const loadBuilt = async (): Promise<{ pipeline: Pipeline; exp: Export }> => ({
  pipeline: (await import(dist)) as Pipeline,
  exp: (await import(exportDist)) as Export,
});

const made: string[] = [];
// Registered when a test file imports this module: every folder made for that file goes when it ends,
// pass or fail.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function bigExport(): Promise<string> {
  const work = tempDir('pipeline-');
  const dir = join(work, 'export');
  await generateExport({ dir, candidates: 1500, messagesPerCandidate: 30, attachmentsMb: 1 });
  return dir;
}

/** Rows of Messages.csv and how many are replies, as Python's csv module reads them. */
export function messagesByPython(dir: string): {
  rows: number;
  replies: number;
  /** rows per first character of `type` ('' for an empty cell) */
  initials: Record<string, number>;
  /** rows per candidate_id */
  perCandidate: Record<string, number>;
} {
  const script = `
import collections, csv, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
name = next(n for n in z.namelist() if n.lower().endswith('messages.csv'))
rows = list(csv.DictReader(io.TextIOWrapper(z.open(name), encoding='utf-8-sig', newline='')))
initials = collections.Counter(r['type'][:1] for r in rows)
perCandidate = collections.Counter(r['candidate_id'] for r in rows)
print(json.dumps({'rows': len(rows), 'replies': sum(1 for r in rows if r['type'] == 'reply'), 'initials': initials, 'perCandidate': perCandidate}))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, join(dir, 'export.zip')], { encoding: 'utf8' }));
}

/** Writes a stage module into `dir` and gives its path. */
export function writeStage(dir: string, name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}
