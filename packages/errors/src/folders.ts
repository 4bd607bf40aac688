import { mkdir, readlink, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`: makes `dir` and the folders above it that are missing, and gives the first one it made (as
 * `mkdir(dir, { recursive: true })` does). Each missing folder is made on its own, from the top: Node's
 * recursive mkdir fails with ENOENT, "no such file or directory", for a folder whose parent is right there
 * where a folder cannot be made (a read-only file system, no permission), and never returns at all under
 * /proc; made alone, a folder fails with the error that says what is wrong (EROFS, EACCES, ENOTDIR...).
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
  const target = resolve(dir);
  const missing: string[] = [];
  for (let at = target; dirname(at) !== at && !(await exists(at)); at = dirname(at)) missing.push(at);
  // There already: a file there fails as mkdir fails it (EEXIST).
  if (missing.length === 0 && !(await isFolder(target))) await mkdir(target);
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      // Made meanwhile by another run: fine. Refused with its parent right there: this file system makes
      // no folder there (/proc, /sys).
      if (code === 'EEXIST' && (await isFolder(folder))) continue;
      if (code === 'ENOENT' && (await isFolder(dirname(folder))))
        (error as Error).message += ` (${dirname(folder)} takes no new folder: give another place)`;
      throw error;
    }
  }
  return missing[0];
}

/** Whether anything is at `path` (a link to nothing is not). */
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

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
