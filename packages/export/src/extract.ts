// extractExport: the tables and every attachment of every part, written into one folder in the "extracted"
// layout (the guide's tip: all candidate folders in one place). Everything is written into a hidden
// staging folder that gets the final name only when the run succeeds; a failed or interrupted run
// removes it, so no partial file ever appears under a final name. The jobs are in files of their own:
// options (extract-options), the staging folder (extract-staging), which entries are written and their
// checked bytes (extract-items), folders, names and writes (extract-files).
import { constants as fsConstants } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import { TABLE_NAMES } from '@talent-export/schema';
import { hiddenFileName, isZipError, openZip, type ZipArchive } from '@talent-export/zip';
import { askedIds, ExportError, entryProblem, type Problem, problem } from './errors.js';
import type { TalentExport } from './export.js';
import { FileWriter, KindFolder, PathTooLong } from './extract-files.js';
import { type Item, Items, MAX_LISTED } from './extract-items.js';
import { type ExtractOptions, type ExtractResult, type Normalized, normalize } from './extract-options.js';
import { checkOutOutside, prepare } from './extract-staging.js';
import type { PartInfo } from './find.js';
import { reason } from './io.js';
import { type AttachmentKind, baseName } from './names.js';
import { partAdvice } from './parts.js';
import { portableName, unturnedName } from './suffixes.js';
import { isSystemError, pathlessReason } from './verify-reason.js';

export { MAX_LISTED } from './extract-items.js';
export type { ExtractOptions, ExtractProgress, ExtractRename, ExtractResult } from './extract-options.js';

const KIND_FOLDER: Record<AttachmentKind, string> = {
  public: 'Public',
  private: 'Private',
  miscellaneous: 'Miscellaneous',
};
/** Why a name is written otherwise (NAME_UNSAFE_RENAMED). */
const WINDOWS =
  'its name holds what Windows cannot create (a device name such as CON, one of <>:"|?* or a control character, or a dot or space at its end)';
const TURNED =
  'its name holds characters that turn the text around them (U+202E and other bidi overrides or isolates), so it would show as another name, another extension even; each was written as "_"';

const MAX_CORRUPT_PER_PART = 20;
/** The longest a part's entries are written without letting other work (a signal's handler) run. */
const TURN_MS = 10;
/** The longest file or folder name ext4, APFS, NTFS (in UTF-16 units, fewer bytes) and most others accept. */
const MAX_NAME_BYTES = 255;

/**
 * Writes every table as `<out>/<Table>.csv` and every attachment as
 * `<out>/Candidate_<id>/<Public|Private|Miscellaneous>/<file>`, each byte checked (CRC, sizes, caps) by
 * `@talent-export/zip`. An entry the reader refuses or that fails a check is not written and becomes a
 * problem; a name already written to the folder (by an earlier part, or in another letter case) gets a
 * numeric suffix (`resume_1.pdf`, as Talent Hub names several files of one kind) and a notice. Throws for an output folder that is not empty or cannot be
 * written, and when cancelled; then nothing is left behind.
 */
export async function extractExport(ex: TalentExport, options: ExtractOptions): Promise<ExtractResult> {
  const opts = normalize(options);
  opts.signal?.throwIfAborted();
  await checkOutOutside(
    opts.out,
    ex.parts.filter((part) => part.kind === 'folder').map((part) => part.path),
  );
  const staging = await prepare(opts.out);
  const run = new Extraction(ex, opts, staging.path);
  try {
    await run.tables();
    await run.manifest();
    for (const part of ex.parts) {
      opts.signal?.throwIfAborted();
      await run.part(part);
    }
    await run.finish();
    opts.signal?.throwIfAborted();
    await staging.publish();
  } catch (error) {
    await rm(staging.path, { recursive: true, force: true });
    throw error;
  }
  return run.result;
}

class Extraction {
  readonly result: ExtractResult;
  readonly #ex: TalentExport;
  readonly #opts: Normalized;
  readonly #root: string;
  readonly #found = new Set<string>();
  readonly #items: Items;
  readonly #folder: KindFolder;
  readonly #writer: FileWriter;
  #bytesDone = 0;
  #files = 0;
  #bytesTotal: number;
  #duplicateMarkers = 0;
  /** Entries in candidate folders not written: bytes that failed a check, names too long to write. */
  #notWritten = 0;
  /** Parts that could not be read to the end. */
  #cutShort = 0;

  constructor(ex: TalentExport, opts: Normalized, root: string) {
    this.#ex = ex;
    this.#opts = opts;
    this.#root = root;
    this.#bytesTotal =
      Object.values(ex.tables).reduce((n, t) => n + (t?.truncated ? 0 : (t?.bytes ?? 0)), 0) +
      ex.parts.reduce((n, p) => n + p.bytes, 0);
    this.#items = new Items(
      opts,
      (found) => this.#add(found),
      (bytes) => {
        this.#bytesTotal += bytes;
      },
    );
    this.#folder = new KindFolder(opts.out);
    this.#writer = new FileWriter(
      opts.out,
      (bytes) => this.#progress(bytes),
      () => {
        this.#files += 1;
        this.#progress(0);
      },
    );
    this.result = {
      out: opts.out,
      tables: [],
      manifest: false,
      files: 0,
      markers: 0,
      bytes: 0,
      candidates: 0,
      renamed: [],
      renamedCount: 0,
      problems: [],
    };
  }

  async tables(): Promise<void> {
    for (const table of TABLE_NAMES) {
      const source = this.#ex.tables[table];
      if (source === undefined) continue;
      const file = baseName(source.entry ?? source.file);
      if (source.truncated) {
        // Its rows before export.zip's cut, written as the table, would pass for it whole once extracted.
        this.#add(
          problem(
            'EXPORT_ZIP_TRUNCATED',
            `the ${table} table is cut short in ${source.file} and is not extracted: written, ${file} would pass for the whole table; download ${source.file} again`,
            { file: source.file, table },
          ),
        );
        continue;
      }
      const stream = await this.#ex.openTable(table, this.#opts.signal ? { signal: this.#opts.signal } : {});
      const bytes = await this.#writer.write(join(this.#root, file), stream);
      this.result.tables.push({ table, file, bytes });
    }
  }

  /** export.csv, as it came, when its counts still describe the folder. */
  async manifest(): Promise<void> {
    const manifest = this.#ex.manifest;
    if (manifest === null) return;
    // Copied, its counts would report as missing every file that is not extracted.
    const why =
      this.#ex.layout === 'export-zip'
        ? 'no attachment part is read from a lone export.zip'
        : !this.#opts.markers
          ? 'the empty.txt markers are left out'
          : this.#opts.candidates !== undefined
            ? 'only some candidates are extracted'
            : undefined;
    if (why !== undefined) {
      this.#add(
        problem(
          'MANIFEST_LEFT_OUT',
          `${manifest.file} is not copied: its file counts are of the whole export, and ${why}`,
          { file: manifest.file },
        ),
      );
      return;
    }
    const colon = manifest.file.indexOf(':');
    let stream: Readable;
    let archive: ZipArchive | undefined;
    if (colon < 0) {
      // Resolved, not joined: export.csv read from outside the folder (a link's target, a folder beside it) is
      // named by its whole path.
      const handle = await open(
        resolve(this.#ex.root, manifest.file),
        fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW,
      );
      stream = handle.createReadStream();
    } else {
      // Inside export.zip (the guide shows one there).
      const zipFile = manifest.file.slice(0, colon);
      const entryName = manifest.file.slice(colon + 1);
      archive = await openZip(
        this.#ex.layout === 'export-zip' ? this.#ex.root : join(this.#ex.root, zipFile),
        this.#opts.zip,
      );
      let found: Readable | undefined;
      for await (const entry of archive.entries()) {
        if (entry.name === entryName) found = await archive.openStream(entry);
        if (found) break;
      }
      if (found === undefined) {
        await archive.close();
        return;
      }
      stream = found;
    }
    try {
      await this.#writer.write(join(this.#root, 'export.csv'), stream);
      this.result.manifest = true;
    } finally {
      await archive?.close();
    }
  }

  async part(part: PartInfo): Promise<void> {
    const before = this.#bytesDone;
    const kept = () => this.result.files + this.result.markers;
    const keptBefore = kept();
    let corrupt = 0;
    try {
      let since = performance.now();
      for await (const item of part.kind === 'zip' ? this.#items.zip(part) : this.#items.folder(part)) {
        // Small entries come from a read-ahead window and are written synchronously: with no I/O to wait
        // for, thousands of them ran without a turn of the event loop, and Ctrl-C waited for the part's end.
        if (performance.now() - since > TURN_MS) {
          await turn();
          since = performance.now();
        }
        this.#opts.signal?.throwIfAborted();
        // Only damaged bytes say the part is damaged: names too long to write are the export's, not the download's.
        if ((await this.#item(item)) === 'corrupt' && ++corrupt >= MAX_CORRUPT_PER_PART) {
          throw new Error(`${corrupt} entries failed their checks; the rest of the part is not extracted`);
        }
      }
    } catch (error) {
      this.#opts.signal?.throwIfAborted();
      if (error instanceof ExportError) throw error;
      this.#cutShort += 1;
      // A part cut short has no central directory to read: none of it is extracted, and saying otherwise hid it.
      const what = kept() > keptBefore ? 'what was read intact is extracted' : 'nothing of it is extracted';
      // A folder's listing fails with the system's message, which names a file; a download is not at fault.
      const why = pathlessReason(error);
      const advice = isSystemError(error)
        ? ` Check that the ${part.kind === 'folder' ? 'folder' : 'file'} can be read, and extract again`
        : partAdvice(why);
      this.#add(
        problem('PART_UNREADABLE', `${part.file} cannot be read to the end (${why}); ${what}.${advice}`, {
          file: part.file,
        }),
      );
    }
    // The part's size on disk is its share of the total; what was written of it may differ a little.
    if (part.kind === 'zip') this.#progress(Math.max(0, before + part.bytes - this.#bytesDone));
  }

  async finish(): Promise<void> {
    const { result } = this;
    // The total was an estimate (sizes on disk, export.csv not counted): the end is the end.
    this.#bytesTotal = this.#bytesDone;
    this.#progress(0);
    const merged: string[] = [];
    if (this.#duplicateMarkers > 0) {
      this.#add(
        problem(
          'MARKER_DUPLICATE',
          `${this.#duplicateMarkers} empty.txt marker(s) were in a folder that already had one from an earlier part; one is kept`,
        ),
      );
      merged.push(`${this.#duplicateMarkers} duplicate empty.txt marker(s) are kept once`);
    }
    if (this.#items.markerCopies > 0) {
      // Left out, the copy's counts are closer to the export's, not further: no reason to drop its export.csv.
      this.#add(
        problem(
          'MARKER_COPY',
          `${this.#items.markerCopies} copies of empty.txt (\`empty (2).txt\`, \`empty_1.txt\`: what Windows and 7-Zip name the second of two files they keep when a part is unzipped twice into one folder) are left out; the files beside them may be there twice as well (\`resume (2).pdf\` beside \`resume.pdf\`): unzip the part once into an empty folder and extract again`,
        ),
      );
    }
    // Its Total Files counts every file of the parts: read back, it would report these as missing from the
    // folder, a problem the export as downloaded did not have.
    const { unknown, refused } = this.#items;
    if (unknown > 0)
      merged.push(`${unknown} file(s) outside Candidate_<id>/<kind>/ folders are left out (UNKNOWN_FILE)`);
    if (refused > 0) merged.push(`${refused} refused entr(ies) are left out (ENTRY_REFUSED)`);
    if (this.#notWritten > 0)
      merged.push(`${this.#notWritten} file(s) that could not be written whole are left out`);
    if (this.#cutShort > 0) merged.push(`${this.#cutShort} part(s) could not be read to the end`);
    if (merged.length > 0) await this.#dropManifest(merged.join(', and '));
    if (result.renamedCount > MAX_LISTED) {
      this.#add(
        problem(
          'NAME_CLASH_RENAMED',
          `${result.renamedCount - MAX_LISTED} more entries were renamed likewise`,
        ),
      );
    }
    if (this.#items.unknown > MAX_LISTED) {
      this.#add(
        problem(
          'UNKNOWN_FILE',
          `${this.#items.unknown - MAX_LISTED} more files outside candidate folders were left out`,
        ),
      );
    }
    const wanted = this.#opts.candidates;
    if (wanted !== undefined) {
      const missing = [...wanted].filter((id) => !this.#found.has(id)).sort();
      if (missing.length > 0) {
        const shown = askedIds(missing);
        this.#add(
          problem(
            'CANDIDATE_NOT_FOUND',
            `${missing.length} of the candidates asked for have no folder in any part: ${shown}${variantsOf(missing, this.#items.variants)}`,
          ),
        );
      }
    }
  }

  /**
   * Removes the copied export.csv once files its counts include are not in the folder: read back, its
   * counts would report files missing that were merged or left out on purpose, not lost.
   */
  async #dropManifest(why: string): Promise<void> {
    const manifest = this.#ex.manifest;
    if (!this.result.manifest || manifest === null) return;
    await rm(join(this.#root, 'export.csv'), { force: true });
    this.result.manifest = false;
    this.#add(
      problem(
        'MANIFEST_LEFT_OUT',
        `${manifest.file} is not copied: its file counts are of the parts as downloaded, and ${why}`,
        { file: manifest.file },
      ),
    );
  }

  /** Writes one attachment or marker; 'corrupt' when its bytes failed a check (a problem says which). */
  async #item(item: Item): Promise<'written' | 'left out' | 'corrupt'> {
    const portableFolder = portableName(`Candidate_${item.candidateId}`);
    // A candidate folder's name is read from the part as a file's is: written as safely.
    const candidateFolder = unturnedName(portableFolder);
    if (Buffer.byteLength(candidateFolder) > MAX_NAME_BYTES) return this.#tooLong(item, candidateFolder);
    const folder = join(this.#root, candidateFolder, KIND_FOLDER[item.kind]);
    const kinds = this.#folder;
    if (folder !== kinds.path && kinds.enter(folder, join(this.#root, candidateFolder))) {
      this.result.candidates += 1;
    }
    if (this.#opts.candidates !== undefined) this.#found.add(item.candidateId);
    // A name Windows cannot create is written as one it can, wherever this runs: the folder copies there.
    const portable = portableName(item.fileName);
    let name = unturnedName(portable);
    const turned = name !== portable || candidateFolder !== portableFolder;
    const unportable = portable !== item.fileName || portableFolder !== `Candidate_${item.candidateId}`;
    if (kinds.has(name)) {
      if (item.marker) {
        this.#duplicateMarkers += 1;
        return 'written';
      }
      if (Buffer.byteLength(name) > MAX_NAME_BYTES) return this.#tooLong(item, name);
      name = kinds.free(name, MAX_NAME_BYTES);
      if (Buffer.byteLength(name) > MAX_NAME_BYTES) return this.#tooLong(item, name);
      this.#renamed(item, `${candidateFolder}/${KIND_FOLDER[item.kind]}/${name}`, 'NAME_CLASH_RENAMED');
    } else if (unportable || turned) {
      const path = `${candidateFolder}/${KIND_FOLDER[item.kind]}/${name}`;
      // Both said when both apply: a name renamed for Windows may hide a bidi override too.
      const why = [...(unportable ? [WINDOWS] : []), ...(turned ? [TURNED] : [])].join('; and ');
      this.#renamed(item, path, 'NAME_UNSAFE_RENAMED', why);
    }
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) return this.#tooLong(item, name);
    const path = join(folder, name);
    // Names were checked by the zip reader (no separators, `..`, or control characters); this is the last word.
    if (!path.startsWith(this.#root + sep)) throw new Error(`unsafe path from ${hiddenFileName(item.entry)}`);
    let bytes: number;
    try {
      bytes = await this.#writer.write(path, await item.open(), item.modified);
    } catch (error) {
      if (error instanceof PathTooLong) {
        return this.#leftOut(
          item,
          `its path in ${this.#opts.out} would be about ${error.bytes - Buffer.byteLength(this.#root) + Buffer.byteLength(this.#opts.out)} bytes long, more than this system allows; extract into a folder with a shorter path`,
        );
      }
      if (this.#opts.signal?.aborted || error instanceof ExportError) throw error;
      // A file of an extracted folder that cannot be read (its permissions, a disk error) is that file's
      // problem, not the rest of the folder's; the system's message names its path, and so its file name.
      const why = isZipError(error)
        ? reason(error)
        : isSystemError(error)
          ? `it cannot be read (${pathlessReason(error)}); check that it can be read, and extract again`
          : undefined;
      if (why === undefined) throw error;
      this.#add(entryProblem('ATTACHMENT_CORRUPT', item.part, item.entry, `is not extracted: ${why}`));
      this.#notWritten += 1;
      return 'corrupt';
    }
    kinds.take(name);
    if (item.marker) this.result.markers += 1;
    else {
      this.result.files += 1;
      this.result.bytes += bytes;
    }
    return 'written';
  }

  /** An entry whose folder or file name no file system would take: left out (a refusal), the run goes on. */
  #tooLong(item: Item, name: string): 'left out' {
    return this.#leftOut(
      item,
      `a name in its path is ${Buffer.byteLength(name)} bytes long, more than the ${MAX_NAME_BYTES} file systems allow; extract it with a shorter name by hand`,
    );
  }

  #leftOut(item: Item, why: string): 'left out' {
    this.#notWritten += 1;
    this.#add(entryProblem('ENTRY_REFUSED', item.part, item.entry, `is not extracted: ${why}`));
    return 'left out';
  }

  #renamed(
    item: Item,
    path: string,
    code: 'NAME_CLASH_RENAMED' | 'NAME_UNSAFE_RENAMED',
    unsafe: string = WINDOWS,
  ): void {
    const { result } = this;
    result.renamedCount += 1;
    if (result.renamed.length >= MAX_LISTED) return;
    result.renamed.push({ part: item.part, entry: item.entry, path });
    const why =
      code === 'NAME_CLASH_RENAMED'
        ? "a file of that name (letter case and Unicode form aside) was already written to this candidate's folder"
        : unsafe;
    this.#add(
      entryProblem(
        code,
        item.part,
        item.entry,
        `is written under a new name, ${hiddenFileName(path)}: ${why}`,
      ),
    );
  }

  #progress(bytes: number): void {
    this.#bytesDone += bytes;
    this.#opts.onProgress?.({ bytesDone: this.#bytesDone, bytesTotal: this.#bytesTotal, files: this.#files });
  }

  #add(item: Problem): void {
    this.result.problems.push(item);
  }
}

/**
 * What the folders of ids asked for written otherwise are (`Candidate_1000000003` for `001000000003`), so
 * that the message says which id to ask for; '' when there are none.
 */
function variantsOf(missing: readonly string[], variants: ReadonlyMap<string, ReadonlySet<string>>): string {
  // As askedIds: an id not made of digits may be personal data, and is not shown.
  const shown = (id: string) => /^\d+(?:\.0+)?$/.test(id);
  const told = missing.filter(shown).flatMap((id) => {
    const folders = [...(variants.get(id) ?? [])].filter(shown).sort();
    return folders.length === 0 ? [] : [`${id}: ${folders.map((f) => `Candidate_${f}`).join(', ')}`];
  });
  if (told.length === 0) return '';
  const listed = told.slice(0, MAX_LISTED).join('; ');
  const more = told.length > MAX_LISTED ? `; and ${told.length - MAX_LISTED} more` : '';
  return `. Folders with the same id written otherwise are there (ids are matched exactly): ${listed}${more}; ask for the id as the folder writes it`;
}
