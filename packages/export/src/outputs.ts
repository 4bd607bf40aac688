// A folder an earlier run of this tool wrote into (`convert` or `join` with `--out` inside the export's folder)
// holds files named for the tables (`candidates.csv`): read as the export's, each was a copy of a table that
// differs from it, or was read in its place. Such a run's manifest.json lists what it wrote.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Problem, problem } from './errors.js';

const MANIFEST = 'manifest.json';
/** What such a run writes beside the files its manifest lists. */
const BESIDE = ['datapackage.json', 'report.json', 'candidates.schema.json'];
const MOST_BYTES = 64 * 1024 * 1024;
const NONE: ReadonlySet<string> = new Set();

/** The names among `names` (the files of `dir`) that a run of this tool wrote there; none without its manifest. */
export async function toolOutputs(dir: string, names: readonly string[]): Promise<ReadonlySet<string>> {
  if (!names.includes(MANIFEST)) return NONE;
  try {
    const path = join(dir, MANIFEST);
    if ((await stat(path)).size > MOST_BYTES) return NONE;
    const manifest = JSON.parse(await readFile(path, 'utf8')) as { schemaVersion?: unknown; files?: unknown };
    if (typeof manifest?.schemaVersion !== 'string' || !Array.isArray(manifest.files)) return NONE;
    const listed = (manifest.files as { path?: unknown; sha256?: unknown; format?: unknown }[])
      .filter(
        (f) => typeof f?.path === 'string' && typeof f.sha256 === 'string' && typeof f.format === 'string',
      )
      .map((f) => f.path as string);
    return listed.length === 0 ? NONE : new Set([MANIFEST, ...BESIDE, ...listed]);
  } catch {
    // Not JSON, or not a manifest of this tool's: the folder is read as any other.
    return NONE;
  }
}

export const outputsNotice = (folder: string, files: number): Problem =>
  problem(
    'UNKNOWN_FILE',
    `${folder}/ holds ${files} file(s) an earlier talent-export run wrote (its manifest.json says so): they are not read as the export's`,
    { file: folder },
  );
