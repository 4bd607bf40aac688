import { readdir, rm, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFolders } from '@talent-export/errors';
import { SampleError } from './errors.js';

/** Names a sample run writes into the export folder; `force` replaces only these. */
export function isExportFile(name: string): boolean {
  return (
    name === 'export.csv' ||
    name === 'export.zip' ||
    /^Attachment_.+\.zip$/.test(name) ||
    /^\..+\.partial(\.cd)?$/.test(name)
  );
}

/** Names a sample run writes into the truth folder. */
export function isTruthFile(name: string): boolean {
  return ['truth.json', 'pii.txt', 'records', 'stamp.json'].includes(name) || /^\..+\.partial$/.test(name);
}

/**
 * Creates `dir` if needed. A non-empty folder is refused, unless `force`: then earlier sample files are
 * removed and anything else is left alone. Returns whether the folder was created.
 */
export async function prepareDir(
  dir: string,
  force: boolean,
  ours: (name: string) => boolean,
): Promise<boolean> {
  let existing: string[];
  try {
    existing = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw writeFailed(dir, error);
    await makeFolders(dir).catch((cause: unknown) => {
      throw writeFailed(dir, cause);
    });
    return true;
  }
  if (existing.length === 0) return false;
  if (!force) {
    throw new SampleError(
      'SAMPLE_DIR_NOT_EMPTY',
      `Folder ${dir} is not empty (${existing.length} entries, e.g. "${existing[0]}"); choose an empty or new folder, or pass force (--force on the command line) to replace an earlier sample there.`,
      { path: dir },
    );
  }
  for (const name of existing) {
    if (ours(name)) await rm(join(dir, name), { recursive: true, force: true });
  }
  return false;
}

export function writeFailed(path: string, cause: unknown): SampleError {
  if (cause instanceof SampleError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new SampleError(
    'SAMPLE_WRITE_FAILED',
    `Could not write ${path}: ${reason}. Check free disk space and permissions, then run again.`,
    { path, cause },
  );
}

/** Undo a failed run: remove what it wrote, and the folders it created if they are empty again. */
export async function removeAll(paths: Iterable<string>, createdDirs: Iterable<string>): Promise<void> {
  for (const path of paths) await unlink(path).catch(() => undefined);
  for (const dir of createdDirs) await rmdir(dir).catch(() => undefined);
}
