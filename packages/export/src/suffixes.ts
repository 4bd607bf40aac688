// Free names for files that clash, found in time linear in the number of clashes: the n-th copy of a name
// starts its search where the copy before it stopped, not at 1 (which made n copies take n² tries).

/** `resume.pdf` -> `resume_2.pdf`: the numeric suffix Talent Hub gives several files of one kind. */
export function suffixedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}_${n}${name.slice(dot)}` : `${name}_${n}`;
}

/**
 * Names that are one file on macOS and Windows (case, Unicode form, and the dots and spaces Windows drops
 * from the end of a name: `cv.pdf.` and `cv.pdf ` are `cv.pdf` there) are one name here too.
 */
export const foldName = (name: string): string =>
  name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[. ]+(?=\/|$)/g, '');

/** Characters Windows does not take in a name: `<>:"|?*`, a backslash (its separator) and controls. */
const NOT_PORTABLE = /[<>:"|?*\\\u0000-\u001f]/g;
/** Device names Windows reserves, whatever the case and extension: `CON`, `nul.txt`, `COM1.tar.gz`. */
const DEVICE = /^(?:con|prn|aux|nul|com[1-9\u00b9\u00b2\u00b3]|lpt[1-9\u00b9\u00b2\u00b3])(?= *(?:\.|$))/i;

/**
 * One name (a file or folder, no `/`) as every file system takes it, Windows included, so that a folder
 * written on Linux copies anywhere: each character Windows refuses made `_`, the dots and spaces it would
 * drop from the end dropped (`cv.pdf.` -> `cv.pdf`), and a device name given a `_` (`CON.txt` ->
 * `CON_.txt`). Other names come back as they are; suffixes (`suffixedName`, `fitName`) keep them portable.
 */
export function portableName(name: string): string {
  const replaced = name.replace(NOT_PORTABLE, '_');
  let end = replaced.length;
  while (end > 0 && (replaced[end - 1] === '.' || replaced[end - 1] === ' ')) end -= 1;
  const portable = end === 0 ? '_' : replaced.slice(0, end);
  return portable.replace(DEVICE, '$&_');
}

/** Bidi overrides, embeddings and isolates: they turn the text after them around. */
const TURNING = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * A name with each character that turns the text around it made `_`: a file written as `cv\u202Efdp.exe`
 * shows as `cvexe.pdf` in every file manager, an executable passing for a PDF. Marks (U+200E, U+200F) and
 * zero-width characters are left: they are part of right-to-left and other scripts' names and turn nothing.
 */
export const unturnedName = (name: string): string => name.replace(TURNING, '_');

/**
 * `suffixedName(name, n)` with as many characters cut from the end of its stem as it takes to fit `most`
 * bytes (a file system's limit for a name, 255 on most): a long name that clashes still gets its suffix.
 */
export function fitName(name: string, n: number, most: number): string {
  const whole = suffixedName(name, n);
  const over = Buffer.byteLength(whole) - most;
  if (over <= 0) return whole;
  const dot = name.lastIndexOf('.');
  const stem = [...(dot > 0 ? name.slice(0, dot) : name)];
  let cut = 0;
  while (stem.length > 1 && cut < over) cut += Buffer.byteLength(stem.pop()!);
  return suffixedName(stem.join('') + (dot > 0 ? name.slice(dot) : ''), n);
}

/** `Public/resume.pdf` -> `Public/resume_2.pdf`: `suffixedName` of the path's last segment. */
export function suffixedPath(path: string, n: number): string {
  const slash = path.lastIndexOf('/') + 1;
  return path.slice(0, slash) + suffixedName(path.slice(slash), n);
}

/**
 * For each name, the first numeric suffix not yet known to be taken. It gives the suffixes a search from 1
 * would give, provided a name once taken stays taken.
 */
export class SuffixCursor {
  readonly #next = new Map<string, number>();

  /**
   * Keyed by the folded first suffixed form: names that fold alike fold alike with any suffix (the `_n` stops
   * case and Unicode context at both ends), so their suffixes are counted together.
   */
  #key(path: string): string {
    return foldName(suffixedPath(path, 1));
  }

  /** The first suffix of `path` that may be free (1 when none was tried). */
  start(path: string): number {
    return this.#next.get(this.#key(path)) ?? 1;
  }

  /** Suffixes of `path` below `n` are taken. */
  takenBelow(path: string, n: number): void {
    this.#next.set(this.#key(path), n);
  }

  /** `path` or, when `taken`, its first free suffixed form (`suffixedPath`). */
  free(path: string, taken: (path: string) => boolean): string {
    if (!taken(path)) return path;
    let n = this.start(path);
    while (taken(suffixedPath(path, n))) n += 1;
    this.takenBelow(path, n);
    return suffixedPath(path, n);
  }
}
