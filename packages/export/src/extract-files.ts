// The writing side of an extraction: candidate and kind folders made once each, names kept apart as the
// file systems that will hold them compare names, and files written in large writes.
import { closeSync, futimesSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { outError } from './extract-staging.js';
import { fitName, foldName as fold, SuffixCursor } from './suffixes.js';

/** Small chunks are gathered into one write of this size; bigger ones are written as they come. */
const BATCH = 1024 * 1024;

/**
 * How many kind folders left are kept with their names. A part whose zip tool wrote the files of a few
 * candidates in turn (as one writing entries as parallel jobs finish does) moves between the same folders
 * at every entry: reading a folder's names again at each move made extraction quadratic in its files
 * (70,000 entries of two candidates: minutes for what took seconds). A few folders' names only: memory
 * stays bounded.
 */
const RECENT_FOLDERS = 16;

/** The kind folder being written to, and the (folded) names in it. */
export class KindFolder {
  path = '';
  #candidateFolder = '';
  #taken = new Set<string>();
  #suffixes = new SuffixCursor();
  /** Kind folders left lately, with their names, the latest last (see RECENT_FOLDERS). */
  readonly #recent = new Map<string, Set<string>>();

  /** `out`: the folder named by the user, for errors. */
  constructor(private readonly out: string) {}

  /**
   * Moves to a kind folder: made, or (revisited from an earlier part) its names read so none is
   * overwritten. True when the candidate folder was made by this call.
   */
  enter(folder: string, candidateFolder: string): boolean {
    // One mkdir each, parent first: a recursive mkdir tries the child first and fails once per candidate.
    let madeCandidate = false;
    if (candidateFolder !== this.#candidateFolder) {
      madeCandidate = this.#mkdir(candidateFolder);
      this.#candidateFolder = candidateFolder;
    }
    if (this.path !== '') this.#keep(this.path, this.#taken);
    const known = this.#recent.get(folder);
    this.#recent.delete(folder);
    // Only this run writes in the output folder: the names a folder had when left are its names still.
    const made = known === undefined && this.#mkdir(folder);
    this.path = folder;
    this.#taken = known ?? new Set(made ? [] : readdirSync(folder).map(fold));
    this.#suffixes = new SuffixCursor();
    return madeCandidate;
  }

  has(name: string): boolean {
    return this.#taken.has(fold(name));
  }

  /**
   * `name` or, when taken, the first free `suffixedName` of it that is at most `most` bytes long: a name
   * that fits gets a suffix that fits, its stem shortened for it (a suffix of ours must not cost the file).
   */
  free(name: string, most = Number.POSITIVE_INFINITY): string {
    const free = this.#suffixes.free(name, (path) => this.has(path));
    if (Buffer.byteLength(free) <= most) return free;
    for (let n = 1; ; n++) {
      const fitted = fitName(name, n, most);
      if (!this.has(fitted)) return fitted;
    }
  }

  take(name: string): void {
    this.#taken.add(fold(name));
  }

  /** Keeps a folder left with its names, forgetting the one left longest ago past RECENT_FOLDERS. */
  #keep(folder: string, names: Set<string>): void {
    this.#recent.set(folder, names);
    if (this.#recent.size > RECENT_FOLDERS) this.#recent.delete(this.#recent.keys().next().value!);
  }

  /** False when the folder was there already. */
  #mkdir(path: string): boolean {
    try {
      mkdirSync(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw outError(this.out, error);
    }
  }
}

/** A file whose whole path is longer than the system takes: it is left out, and the run goes on. */
export class PathTooLong extends Error {
  constructor(readonly bytes: number) {
    super(`a path of ${bytes} bytes is longer than the system takes`);
  }
}

/** Writes new files through one reused buffer. */
export class FileWriter {
  readonly #batch = Buffer.allocUnsafe(BATCH);

  /** `onBytes`: each chunk's length as it is read; `onFile`: a file written whole. */
  constructor(
    private readonly out: string,
    private readonly onBytes: (bytes: number) => void,
    private readonly onFile: () => void,
  ) {}

  /**
   * Streams bytes into a new file: small chunks gathered into large writes. A file that fails is removed
   * at once; the file system's errors become `EXPORT_OUT_UNWRITABLE`, the source's are passed on.
   * `modified()`, asked once the bytes are read, is given to the file as its time, as unzip keeps it.
   */
  async write(
    path: string,
    source: AsyncIterable<Buffer>,
    modified: () => Date | undefined = () => undefined,
  ): Promise<number> {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (error) {
      // The source may be an entry stream already opened: ended here, it cannot fail later with no reader.
      await source[Symbol.asyncIterator]().return?.();
      const { code, syscall } = error as NodeJS.ErrnoException;
      if (code === 'ENAMETOOLONG') throw new PathTooLong(Buffer.byteLength(path));
      // The system's message holds the path, and so an attachment's name (personal data): told without it.
      throw outError(
        this.out,
        Object.assign(new Error(`${code}: cannot create a file (${syscall})`), { code }),
      );
    }
    const batch = this.#batch;
    let used = 0;
    let bytes = 0;
    const put = (buffer: Uint8Array) => {
      try {
        for (let at = 0; at < buffer.length; ) at += writeSync(fd, buffer, at, buffer.length - at);
      } catch (error) {
        throw outError(this.out, error);
      }
    };
    try {
      for await (const chunk of source) {
        bytes += chunk.length;
        this.onBytes(chunk.length);
        if (used + chunk.length > BATCH) {
          put(batch.subarray(0, used));
          used = 0;
        }
        if (chunk.length >= BATCH / 4) put(chunk);
        else {
          batch.set(chunk, used);
          used += chunk.length;
        }
      }
      put(batch.subarray(0, used));
      const time = modified();
      // A time the file system refuses must not cost the file: it keeps the time it was written.
      if (time !== undefined && Number.isFinite(time.getTime())) {
        try {
          futimesSync(fd, time, time);
        } catch {}
      }
      closeSync(fd);
    } catch (error) {
      try {
        closeSync(fd);
      } catch {}
      await rm(path, { force: true });
      throw error;
    }
    this.onFile();
    return bytes;
  }
}
