// The staging folder of an extraction: everything is written there, and it gets the final name only when
// the run succeeds, so no partial file ever appears under a final name.
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { leftByDeadRun, makeFolders, untouchedFor } from '@talent-export/errors';
import { ExportError, examples } from './errors.js';
import { reason } from './io.js';

export interface Staging {
  path: string;
  publish(): Promise<void>;
}

/**
 * Whether an output folder `out` is there (an empty folder) or not (missing); anything else is refused, so
 * that nothing there is overwritten or mixed in: a file, a folder with entries, one that cannot be read.
 * The staging folders a killed run left for `out` are removed first (see `removeDeadStaging`).
 */
export async function checkOutFolder(out: string): Promise<'missing' | 'empty'> {
  await removeDeadStaging(out);
  const info = await stat(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw outError(out, error);
  });
  if (info === undefined) {
    // Refused now, not after the whole run when the staging folder cannot take the link's name.
    const target = await readlink(out).catch(() => undefined);
    if (target === undefined) return 'missing';
    throw new ExportError(
      'EXPORT_OUT_UNWRITABLE',
      `${out} is a symbolic link to ${target}, which does not exist; make that folder, or give another one`,
      { file: out },
    );
  }
  if (!info.isDirectory()) {
    throw new ExportError('EXPORT_OUT_UNWRITABLE', `${out} exists and is not a folder; give a new folder`, {
      file: out,
    });
  }
  const present = await readdir(out).catch((error) => {
    throw outError(out, error);
  });
  if (present.length > 0) {
    throw new ExportError(
      'EXPORT_OUT_NOT_EMPTY',
      `${out} is not empty (${examples(present.sort(), present.length, 3)}); give a new or empty folder, so nothing there is overwritten or mixed in`,
      { file: out },
    );
  }
  return 'empty';
}

/**
 * The staging folder: beside `out` when `out` is missing (one rename at the end), else inside it (an empty
 * folder may be a mount point, which can be neither removed nor replaced, on a disk of its own). `kind`
 * names the command that writes it.
 */
export async function prepare(out: string, kind: 'extract' | 'redact' = 'extract'): Promise<Staging> {
  // Loaded when needed: a program that only lists an export does not pay for loading it.
  const { randomBytes } = await import('node:crypto');
  const tag = `${process.pid}-${randomBytes(6).toString('hex')}`;
  made.add(tag);
  if ((await checkOutFolder(out)) === 'missing') {
    const path = join(dirname(out), `${stagingPrefix(out)}${kind}-${tag}.tmp`);
    await makeFolders(dirname(out)).catch((error) => {
      throw outError(out, error);
    });
    await mkdir(path).catch((error) => {
      throw outError(out, error);
    });
    return {
      path,
      publish: () =>
        rename(path, out).catch((error) => {
          throw outError(out, error);
        }),
    };
  }
  const path = join(out, `.${kind}-${tag}.tmp`);
  await mkdir(path).catch((error) => {
    throw outError(out, error);
  });
  return {
    path,
    publish: async () => {
      const moved: string[] = [];
      try {
        const names = await readdir(path);
        // What is about to move, for a later run to take back out of `out` if this one is killed midway.
        await writeFile(join(path, MOVING), JSON.stringify(names));
        for (const name of names) {
          // A rename replaces a file of the same name: one written there meanwhile is not overwritten.
          if (await exists(join(out, name))) {
            throw Object.assign(new Error(`${name} was written to the folder by something else`), {
              code: 'ENOTEMPTY',
            });
          }
          await rename(join(path, name), join(out, name));
          moved.push(name);
        }
        await rm(join(path, MOVING));
        await rmdir(path);
      } catch (error) {
        // What was moved goes back, so that nothing of a failed run is left under a final name.
        for (const name of moved) await rename(join(out, name), join(path, name)).catch(() => undefined);
        throw outError(out, error);
      }
    },
  };
}

/**
 * Refuses an `out` inside a candidate folder of a folder being extracted (an extracted part): its files
 * would be listed as they are written, and extracted again beside themselves. Paths are compared as they
 * really are (links resolved), `out` by its nearest folder that exists.
 */
export async function checkOutOutside(out: string, folders: readonly string[]): Promise<void> {
  let there = out;
  let rest = '';
  for (;;) {
    const real = await realpath(there).catch(() => undefined);
    if (real !== undefined) {
      there = join(real, rest);
      break;
    }
    const parent = dirname(there);
    if (parent === there) return;
    rest = join(basename(there), rest);
    there = parent;
  }
  for (const folder of folders) {
    const real = await realpath(folder).catch(() => undefined);
    if (real === undefined) continue;
    const inside = relative(real, there);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) continue;
    const top = inside.split(sep)[0]!;
    if (!/^candidates?_/i.test(top)) continue;
    throw new ExportError(
      'EXPORT_OUT_UNWRITABLE',
      `${out} is inside ${top}, a candidate folder being extracted: what is written there would be read again; give a folder outside the candidate folders`,
      { file: out },
    );
  }
}

const exists = (path: string): Promise<boolean> =>
  lstat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)),
  );

export function outError(out: string, error: unknown): ExportError {
  if (error instanceof ExportError) return error;
  // The folder was empty or missing when the run began: something else (another run) filled it meanwhile.
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const fix =
    code === 'ENOTEMPTY'
      ? 'something else wrote there while this run did (another run into the same folder?); give a new or empty folder'
      : code === 'ENAMETOOLONG'
        ? 'the paths of the files in it would be longer than this system allows; give a folder with a shorter path'
        : code === 'ENOTDIR'
          ? 'a part of that path is a file, not a folder; give a path made of folders'
          : code === 'ENOSPC' || code === 'EDQUOT'
            ? 'the disk is full; free space there or give a folder on another disk'
            : "check the folder's permissions and free space";
  return new ExportError('EXPORT_OUT_UNWRITABLE', `${out} cannot be written (${reason(error)}); ${fix}`, {
    file: out,
    cause: error,
  });
}

/**
 * Removes the staging folders of runs no longer alive (killed with SIGKILL, or the machine went down):
 * those of `out` (extract's and redact's, beside it or inside it), and those beside it of other output
 * folders in the same folder, left unchanged for an hour, which no later run would remove otherwise (a
 * copy of the export, hidden).
 * Their names hold the run's process id; a live run's, this one's included, is left alone (one of this
 * process's id that it did not make, or of a live id another process was given since, is an earlier
 * process's: see `leftByDeadRun`). A run killed
 * while moving its files into `out` (an empty folder given) has what it moved taken back out, so that
 * nothing of it is left under a final name. Nothing else is touched, and a folder that cannot be read is
 * left to the checks that follow.
 */
export async function removeDeadStaging(out: string): Promise<void> {
  const own = new RegExp(
    `^${escapeRegExp(stagingPrefix(out))}(?:extract|redact)-(\\d+)-[0-9A-Za-z]+(?:\\.tmp)?$`,
  );
  for (const dir of [dirname(out), out]) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const match = dir === out ? INSIDE.exec(name) : own.exec(name);
      const other = dir === out || match ? undefined : BESIDE.exec(name);
      const pid = Number((match ?? other)?.[1]);
      if (!pid || (await running(pid, name, join(dir, name)))) continue;
      // Another output's, of a process this one may not see (a run in another container, its own process
      // ids): only once it has long been left unchanged.
      if (other && !(await untouchedFor(join(dir, name)))) continue;
      // Kept, with its list, while what it moved cannot be taken back: the checks that follow refuse `out`.
      if (
        dir === out &&
        !(await takeBack(out, join(out, name)).then(
          () => true,
          () => false,
        ))
      )
        continue;
      await rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

/** The staging folder of another output folder, beside it: `.<name>.<extract|redact>-<pid>-<12 hex>.tmp`. */
const BESIDE = /^\..+\.(?:extract|redact)-(\d+)-[0-9a-f]{12}\.tmp$/;
/** The staging folder inside an empty output folder. */
const INSIDE = /^\.(?:extract|redact)-(\d+)-[0-9a-f]{12}\.tmp$/;
/** The tags (`<pid>-<hex>`) of the staging folders this process made. */
const made = new Set<string>();

/** Whether the run of a staging folder at `path` may be running (see `leftByDeadRun`). */
async function running(pid: number, name: string, path: string): Promise<boolean> {
  const tag = /-(\d+-[0-9A-Za-z]+)(?:\.tmp)?$/.exec(name)?.[1];
  return !(await leftByDeadRun(pid, path, tag !== undefined && made.has(tag)));
}

/** In a staging folder inside `out` while it is published: the names of its entries, as JSON. */
const MOVING = '.moving.json';

/**
 * Takes back out of `out` what the killed run of `staging` had moved there when it was killed: the names
 * of its list that its folder no longer holds. The run began with `out` empty and moved nothing over a
 * name there, so these are its own. When it had moved them all, the output is whole and stays.
 */
async function takeBack(out: string, staging: string): Promise<void> {
  const text = await readFile(join(staging, MOVING), 'utf8').catch(() => undefined);
  if (text === undefined) return;
  let names: unknown;
  try {
    names = JSON.parse(text);
  } catch {
    // Cut short while written: nothing was moved yet.
    return;
  }
  if (!Array.isArray(names)) return;
  const left = new Set(await readdir(staging));
  const moved = names.filter(
    (name): name is string =>
      typeof name === 'string' &&
      name === basename(name) &&
      !['', '.', '..'].includes(name) &&
      !left.has(name),
  );
  if (moved.length === names.length) return;
  for (const name of moved) await rm(join(out, name), { recursive: true, force: true });
}

/** The longest file name ext4, APFS, NTFS and most others accept, in bytes. */
const MAX_NAME_BYTES = 255;
/** What follows the prefix in a staging folder's name: `extract-<pid>-<12 hex>.tmp`, `redact-<pid>-XXXXXX`. */
const SUFFIX_BYTES = 40;

/**
 * `.<name of out>.`, the start of the name of a staging folder beside `out`; a long name is cut (at a
 * whole character) so that the staging folder's name fits where `out`'s own name does.
 */
export function stagingPrefix(out: string): string {
  const chars = [...basename(out)];
  while (Buffer.byteLength(chars.join('')) > MAX_NAME_BYTES - SUFFIX_BYTES - 2) chars.pop();
  return `.${chars.join('')}.`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
