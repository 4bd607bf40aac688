/**
 * Small hand-made downloads for tests, zipped with Info-ZIP `zip` so the bytes are those of a real tool.
 * Each candidate gets the three kind folders; a kind without files gets empty.txt, as the guide says.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { guideFile, SCHEMAS, TABLE_NAMES } from '@talent-export/schema';
import { afterAll } from 'vitest';

export interface FixtureOptions {
  /** Candidate ids per attachment part. */
  parts: string[][];
  /** Put the tables in Contract_<id>/ (default) or at the root of export.zip. */
  contract?: boolean;
  /** Attachment files per candidate: kind folder -> file names. Default: a resume in Public. */
  files?: (id: string) => Partial<Record<'Public' | 'Private' | 'Miscellaneous', string[]>>;
  /** Leave these table files out of export.zip. */
  omitTables?: string[];
  /** Extra entries of export.zip: path -> text. */
  extraExportEntries?: Record<string, string>;
}

export interface Fixture {
  dir: string;
  /** The Statistics a correct export.csv holds. */
  totalFiles: number;
  files: number;
  markers: number;
  /** CSV text of each table file, by table name. */
  csv: Record<string, string>;
  cleanup(): void;
}

const made: string[] = [];
// Registered when a test file imports this module: every folder made for that file goes when it ends,
// pass or fail, even one a test meant to remove itself but did not reach.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'talent-export-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function write(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

/** zip -r of a folder's contents (entries relative to it). */
export function zipFolder(folder: string, out: string): void {
  execFileSync('zip', ['-q', '-r', '-X', out, '.'], { cwd: folder });
}

/** `dir/name` replaced by a zip of the same name holding it (a part or export.zip zipped once more). */
export function zipAgain(dir: string, name: string): void {
  const work = join(dir, '.again');
  mkdirSync(work);
  renameSync(join(dir, name), join(work, name));
  execFileSync('zip', ['-q', '-X', join(dir, name), name], { cwd: work });
  rmSync(work, { recursive: true });
}

export function makeDownload(options: FixtureOptions): Fixture {
  const dir = tempDir();
  const work = join(dir, '.work');
  const ids = options.parts.flat();
  const csv: Record<string, string> = {};
  const base = options.contract === false ? join(work, 'export') : join(work, 'export', 'Contract_123456');
  for (const table of TABLE_NAMES) {
    const schema = SCHEMAS[table];
    const header = schema.fields.map((f) => f.name).join(',');
    const rows =
      table === 'candidates'
        ? ids.map((id) => schema.fields.map((f) => (f.name === 'candidate_id' ? id : '')).join(','))
        : [];
    const text = `${[header, ...rows].join('\r\n')}\r\n`;
    const fileName = guideFile(table);
    csv[table] = text;
    if (!options.omitTables?.includes(fileName)) write(join(base, fileName), text);
  }
  for (const [name, text] of Object.entries(options.extraExportEntries ?? {}))
    write(join(work, 'export', name), text);
  zipFolder(join(work, 'export'), join(dir, 'export.zip'));
  let files = 0;
  let markers = 0;
  const manifest = ['Filename\tDownload Url', 'export.zip\thttps://example.invalid/export'];
  for (const partIds of options.parts) {
    const range = `${partIds[0]}-${partIds[partIds.length - 1]}`;
    const folder = join(work, `part-${range}`);
    for (const id of partIds) {
      const kinds = options.files?.(id) ?? { Public: [`resume_candidate${id}.pdf`] };
      for (const kind of ['Public', 'Private', 'Miscellaneous'] as const) {
        const names = kinds[kind] ?? [];
        const where = join(folder, `Attachments_${range}`, `Candidate_${id}`, kind);
        if (names.length === 0) {
          write(join(where, 'empty.txt'), '');
          markers++;
        }
        for (const name of names) {
          write(join(where, name), `%PDF-1.4 ${id} ${kind} ${name}\n`.repeat(3));
          files++;
        }
      }
    }
    zipFolder(folder, join(dir, `Attachment_${range}.zip`));
    manifest.push(`Attachment_${range}.zip\thttps://example.invalid/${range}`);
  }
  manifest.push('Statistics\t', `Total Files\t${files + markers}`, `Exported files\t${files + markers}`);
  write(join(dir, 'export.csv'), `${manifest.join('\n')}\n`);
  rmSync(work, { recursive: true });
  return {
    dir,
    totalFiles: files + markers,
    files,
    markers,
    csv,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
