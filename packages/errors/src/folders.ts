import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`: makes `dir` and the folders above it that are missing, and gives the first one it made (as
 * `mkdir(dir, { recursive: true })` does). Where a folder cannot be made (a read-only file system, no
 * permission), Node's recursive mkdir fails with ENOENT, "no such file or directory", for a folder whose
 * parent is right there; making that first missing folder alone gives the error that says what is wrong
 * (EROFS, EACCES...), which is thrown instead.
 */
export async function makeFolders(dir: string): Promise<string | undefined> {
  try {
    return await mkdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    let missing = resolve(dir);
    while (dirname(missing) !== missing && !(await isFolder(dirname(missing)))) missing = dirname(missing);
    // Throws the error that says why (or, if the folder could be made after all, carries on).
    await mkdir(missing);
    await mkdir(dir, { recursive: true });
    return missing;
  }
}

const isFolder = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
