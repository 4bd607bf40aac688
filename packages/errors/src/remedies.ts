/** What to do about a file-system failure whose cause its code tells, for the user to fix. */
const REMEDIES: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full; free space there or give a folder on another disk',
  EDQUOT: 'the disk quota is used up; free space there or give a folder on another disk',
  ENOTDIR: 'a part of that path is a file, not a folder; give a path made of folders',
  EACCES: 'that folder cannot be written by this user; give a folder that can',
  EPERM: 'that folder cannot be written by this user; give a folder that can',
  EROFS: 'that disk is read-only; give a folder on a writable one',
};

/**
 * The remedy for `error` by its code, or undefined when the code tells none: "check the free space" is no
 * help when a part of the path is a file, nor "check it is writable" on a full disk. `options`: the options
 * that give another folder (`--out, --tmp`), named after the remedies that give one.
 */
export function fileSystemRemedy(error: unknown, options?: string): string | undefined {
  const code = String((error as { code?: unknown } | undefined)?.code);
  const fix = Object.hasOwn(REMEDIES, code) ? REMEDIES[code] : undefined;
  return fix !== undefined && options !== undefined && code !== 'ENOTDIR' ? `${fix} (${options})` : fix;
}
