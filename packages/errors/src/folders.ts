import { mkdir, readlink, stat } from 'node:fs/promises';
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
    return await makeAll(dir);
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    throw code === 'EEXIST' && path !== undefined ? await danglingLink(path, error) : error;
  }
}

async function makeAll(dir: string): Promise<string | undefined> {
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

/**
 * mkdir fails with EEXIST, "file already exists", for a link to a folder that does not exist: the error
 * says so instead (keeping its code), or is `error` itself for anything else that is there.
 */
async function danglingLink(dir: string, error: unknown): Promise<unknown> {
  const target = await readlink(dir).catch(() => undefined);
  const missing = await stat(dir).then(
    () => false,
    () => true,
  );
  if (target === undefined || !missing) return error;
  return Object.assign(
    new Error(
      `EEXIST: ${dir} is a symbolic link to ${target}, which does not exist; make that folder, or give another one`,
    ),
    { code: 'EEXIST' },
  );
}
