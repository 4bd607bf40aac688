// createBundle: entries into size-limited parts, a group never split; createZip: one archive.
import { basename, dirname, join } from 'node:path';
import { ArchiveFile, type FinishedArchive } from './archive.js';
import { type BundleEntry, type PreparedEntry, prepareEntry } from './entry.js';
import { abortedError, BundleError } from './errors.js';
import { type BundleOptions, checkPartName, type NormalizedOptions, normalizeOptions } from './options.js';
import { publish, syncDir } from './sink.js';

export interface PartWritten {
  /** Final path of the archive. */
  path: string;
  /** Keys of its first and last group; undefined when it holds only entries added without a group. */
  first: string | undefined;
  last: string | undefined;
  entries: number;
  bytes: number;
  /** Of the whole archive, hex; absent with `sha256: false`. */
  sha256?: string;
}

export interface Bundle {
  /**
   * Adds one entry. Entries with the same `group` one after another stay together in one part; an entry
   * without a group is a group of its own. Calls may overlap: they are written in call order.
   */
  add(entry: BundleEntry, group?: string): Promise<void>;
  /** Completes every part and moves them all under their final names. */
  close(): Promise<PartWritten[]>;
  /** Stops and removes every temporary file; nothing appears under a final name. */
  abort(): Promise<void>;
}

type Finished = FinishedArchive & { name: string; first: string | undefined; last: string | undefined };

class PartedBundle implements Bundle {
  private part: ArchiveFile | undefined;
  private readonly finished: Finished[] = [];
  private readonly usedNames = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private state: 'open' | 'closed' | 'failed' = 'open';
  private failure: BundleError | undefined;
  private inGroup = false;
  /** Groups under 64 MiB (or an eighth of a part) never need a re-read of the part when they move. */
  private get checkpointFrom(): number {
    const max = this.options.maxPartBytes;
    return max - Math.min(64 * 1024 * 1024, max / 8);
  }

  constructor(
    private readonly options: NormalizedOptions,
    /** createZip writes one archive even without entries. */
    private readonly alwaysOne: boolean,
    /** Temporary files are named `.<tempBase>.<hex>.tmp`: a part's final name is known only when it ends. */
    private readonly tempBase: string,
  ) {
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = (): void => {
    void this.serial(() => this.fail(abortedError(this.label))).catch(() => undefined);
  };

  private get label(): string {
    return `the archive in ${this.options.dir}`;
  }

  add(entry: BundleEntry, group?: string): Promise<void> {
    return this.serial(async () => {
      this.assertOpen();
      if (group !== undefined && typeof group !== 'string') {
        throw new BundleError('BUNDLE_BAD_OPTION', 'group must be a string (e.g. a candidate id).');
      }
      const prepared = prepareEntry(entry, this.options);
      try {
        await this.place(prepared, group);
      } catch (error) {
        if (error instanceof BundleError && error.code === 'BUNDLE_DUPLICATE_ENTRY') throw error;
        await this.fail(error);
        throw this.failure;
      }
    });
  }

  private newPart(): Promise<ArchiveFile> {
    const { dir, sha256 } = this.options;
    return ArchiveFile.create(join(dir, this.tempBase), this.checkpointFrom, sha256);
  }

  private async place(entry: PreparedEntry, group: string | undefined): Promise<void> {
    const { maxPartBytes } = this.options;
    let part = (this.part ??= await this.newPart());
    if (!this.inGroup || group === undefined || group !== part.currentGroup) {
      await part.commitGroup();
      part.startGroup(group);
    }
    this.inGroup = group !== undefined;
    if (part.has(entry.key)) {
      throw new BundleError(
        'BUNDLE_DUPLICATE_ENTRY',
        `Entry "${this.options.shown(entry.name)}" is already in this archive (names are compared ignoring case and Unicode form). Give each entry its own name.`,
        { entry: this.options.shown(entry.name) },
      );
    }
    const known = ArchiveFile.knownBytes(entry);
    if (known !== undefined && part.projected(known) > maxPartBytes) part = await this.nextPart(entry, group);
    const { level, signal, shown, hideFileNames } = this.options;
    const context = { level, signal, label: this.label, shown, hideFileNames };
    await part.write(entry, context);
    if (part.projected(0) > maxPartBytes) part = await this.nextPart(entry, group);
  }

  /** Moves the current group into a new part; fails when the group alone is over the limit. */
  private async nextPart(entry: PreparedEntry, group: string | undefined): Promise<ArchiveFile> {
    const part = this.part as ArchiveFile;
    if (!part.hasCommitted) {
      const name = this.options.shown(entry.name);
      const what = group === undefined ? `Entry "${name}"` : `Group "${group}" (at entry "${name}")`;
      throw new BundleError(
        'BUNDLE_GROUP_TOO_LARGE',
        `${what} does not fit in one part of at most ${this.options.maxPartBytes} bytes. Raise maxPartBytes or split the group.`,
        { entry: name },
      );
    }
    const next = await this.newPart();
    try {
      await part.moveGroupTo(next);
    } catch (error) {
      await next.discard();
      throw error;
    }
    this.part = next;
    await this.finishPart(part);
    return next;
  }

  private async finishPart(part: ArchiveFile): Promise<void> {
    const number = this.finished.length + 1;
    const done = await part.finish().catch(async (error) => {
      await part.discard();
      throw error;
    });
    // Kept until the name is checked: a failure from here on must still find the file to remove it.
    this.finished.push({ ...done, name: '', first: part.first, last: part.last });
    let given: unknown;
    try {
      given = this.options.name(part.first, part.last, number);
    } catch (error) {
      throw new BundleError(
        'BUNDLE_BAD_OPTION',
        `name() threw for part ${number}: ${String(error)}. Fix the callback.`,
        {
          cause: error,
        },
      );
    }
    const name = checkPartName(given, number);
    if (this.usedNames.has(name)) {
      throw new BundleError(
        'BUNDLE_BAD_OPTION',
        `name() returned "${name}" for two parts. Make names differ (use first, last or the part number).`,
      );
    }
    this.usedNames.add(name);
    (this.finished.at(-1) as Finished).name = name;
  }

  close(): Promise<PartWritten[]> {
    return this.serial(async () => {
      this.assertOpen();
      try {
        if (this.part === undefined && this.alwaysOne) {
          this.part = await this.newPart();
        }
        if (this.part !== undefined) {
          const last = this.part;
          this.part = undefined;
          await this.finishPart(last).catch(async (error) => {
            await last.discard();
            throw error;
          });
        }
        if (this.options.signal?.aborted) throw abortedError(this.label);
        for (const part of this.finished) await publish(part.temp, join(this.options.dir, part.name));
        await syncDir(this.options.dir);
      } catch (error) {
        await this.fail(error);
        throw this.failure;
      }
      this.state = 'closed';
      this.options.signal?.removeEventListener('abort', this.onAbort);
      return this.finished.map((part) => ({
        path: join(this.options.dir, part.name),
        first: part.first,
        last: part.last,
        entries: part.entries,
        bytes: part.bytes,
        ...(part.sha256 === undefined ? {} : { sha256: part.sha256 }),
      }));
    });
  }

  abort(): Promise<void> {
    return this.serial(async () => {
      if (this.state === 'open') await this.fail(abortedError(this.label));
    });
  }

  /** Runs `task` after every earlier call has settled, so entries are written in call order. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.state === 'failed') throw this.failure;
    if (this.state === 'closed') {
      throw new BundleError('BUNDLE_CLOSED', 'The bundle is closed. Create a new one to write more.');
    }
    if (this.options.signal?.aborted) throw abortedError(this.label);
  }

  /** Removes every temporary file; the first error is the one every later call reports. */
  private async fail(error: unknown): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.failure =
      error instanceof BundleError
        ? error
        : new BundleError('BUNDLE_IO', `Writing ${this.label} failed: ${String(error)}.`, { cause: error });
    this.options.signal?.removeEventListener('abort', this.onAbort);
    await this.part?.discard();
    this.part = undefined;
    for (const part of this.finished) await ArchiveFile.removeTemp(part.temp);
  }
}

/** Writes entries into parts of at most `maxPartBytes`, named by `name(first, last, part)`. */
export function createBundle(options: BundleOptions): Bundle {
  return new PartedBundle(normalizeOptions(options), false, 'part');
}

export interface ZipWriter {
  add(entry: BundleEntry): Promise<void>;
  /** Completes the archive and moves it under its final name. */
  close(): Promise<PartWritten>;
  abort(): Promise<void>;
}

export type ZipOptions = Omit<BundleOptions, 'dir' | 'name' | 'maxPartBytes'>;

/** Writes one archive at `path` (its folder must exist), of any size. */
export function createZip(path: string, options: ZipOptions = {}): ZipWriter {
  if (typeof path !== 'string' || path === '') {
    throw new BundleError('BUNDLE_BAD_OPTION', 'path must be the file path of the archive to write.');
  }
  const file = checkPartName(basename(path), 1);
  const bundle = new PartedBundle(
    normalizeOptions({ ...options, dir: dirname(path), name: () => file, maxPartBytes: Infinity }),
    true,
    file,
  );
  return {
    add: (entry) => bundle.add(entry),
    close: async () => (await bundle.close())[0] as PartWritten,
    abort: () => bundle.abort(),
  };
}
