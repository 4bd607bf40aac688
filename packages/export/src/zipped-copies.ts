// A zip of the whole export unpacked twice and zipped again (`export/` beside `export (1)/`, or a part's
// folder beside its copy, `Attachments_1-2 (1)/`): its folders of candidate folders are summed as the zip is
// walked for its tables, and a copy alike in its attachments is left out of the parts' reading, as a part's
// folder copied beside the download is (see `withoutFolderCopies`). Read, every attachment in it was counted,
// extracted and bundled twice, and the counts differed from export.csv's by as much.
import { type Problem, problem } from './errors.js';
import { folderCopyOf, partFolderRange } from './names.js';

/** The attachments below one folder of candidate folders, summed in an order-free way. */
interface Held {
  files: number;
  bytes: number;
  /** The sum of their CRC-32s, modulo 2^32. */
  crcs: number;
}

/** A folder named as a copy of another beside it, both holding candidate folders. */
interface Copy {
  root: string;
  original: string;
  alike: boolean;
}

/**
 * Folders of candidate folders kept at most: an export has one a part, a copy of it as many again. A zip of
 * a million such folders (one candidate folder in each) would keep a million, and compare each copy with all.
 */
const MAX_FOLDERS = 1000;

export class ZippedCopies {
  /** Folder of candidate folders (the path through its '/', '' for the zip's top) -> its attachments. */
  readonly #held = new Map<string, Held>();
  /** More folders than MAX_FOLDERS: no copy is looked for. */
  #many = false;
  #last: string | undefined;
  #lastHeld: Held | undefined;

  /**
   * An entry read as an attachment or marker (`parseAttachmentPath`). The folder is looked up only when it
   * is not the last entry's: a folder's entries come one after another.
   */
  add(name: string, size: number, crc32: number): void {
    const kindAt = name.lastIndexOf('/', name.lastIndexOf('/') - 1);
    const end = kindAt > 0 ? name.lastIndexOf('/', kindAt - 1) + 1 : 0;
    let held = this.#lastHeld;
    const last = this.#last;
    if (held === undefined || last === undefined || last.length !== end || !name.startsWith(last)) {
      const folder = name.slice(0, end);
      held = this.#held.get(folder);
      if (held === undefined) {
        if (this.#held.size >= MAX_FOLDERS) {
          this.#many = true;
          return;
        }
        this.#held.set(folder, (held = { files: 0, bytes: 0, crcs: 0 }));
      }
      this.#last = folder;
      this.#lastHeld = held;
    }
    held.files += 1;
    held.bytes += size;
    held.crcs = (held.crcs + crc32) % 0x100000000;
  }

  /**
   * The copies to leave out (folders through their '/': `export (1)/`) and what is told of every copy:
   * one alike in all the folders of candidate folders it holds is left out; one that is not is read too.
   */
  copies(file: string): { roots: string[]; problems: Problem[] } {
    const found = new Map<string, Copy>();
    if (this.#many) return { roots: [], problems: [] };
    for (const folder of this.#held.keys()) {
      const copy = this.#copyOf(folder);
      if (copy !== undefined && !found.has(copy.root)) found.set(copy.root, copy);
    }
    const roots: string[] = [];
    const problems: Problem[] = [];
    for (const copy of found.values()) {
      copy.alike = this.#alike(copy.root, copy.original);
      if (copy.alike) roots.push(copy.root);
      problems.push(problem('CANDIDATE_FOLDER_COPY', copyMessage(file, copy), { file }));
    }
    return { roots, problems };
  }

  /**
   * The one part folder (`Attachments_3-4`) the candidate folders are in, and its range, when they are all in
   * folders of one range (a copy's too); undefined when they are at the top or in folders of several ranges.
   */
  partFolder(): { folder: string; first: string; last: string } | undefined {
    if (this.#many) return undefined;
    let found: { folder: string; first: string; last: string } | undefined;
    for (const holder of this.#held.keys()) {
      const folder = holder.slice(holder.lastIndexOf('/', holder.length - 2) + 1, -1);
      const range = partFolderRange(folder);
      if (range === undefined) return undefined;
      if (found === undefined) found = { folder: folder, ...range };
      else if (found.first !== range.first || found.last !== range.last) return undefined;
    }
    return found;
  }

  /** The outermost folder of `folder`'s path named as a copy of a folder beside it that holds the same. */
  #copyOf(folder: string): Copy | undefined {
    for (
      let start = 0, end = folder.indexOf('/');
      end > 0;
      start = end + 1, end = folder.indexOf('/', start)
    ) {
      const original = folderCopyOf(folder.slice(start, end));
      if (original === undefined) continue;
      const originalRoot = `${folder.slice(0, start)}${original}/`;
      if (this.#held.has(originalRoot + folder.slice(end + 1))) {
        return { root: folder.slice(0, end + 1), original: originalRoot, alike: false };
      }
    }
    return undefined;
  }

  /** Whether the folders of candidate folders below `root` and `original` match one for one, alike. */
  #alike(root: string, original: string): boolean {
    let below = 0;
    for (const [folder, held] of this.#held) {
      if (folder.startsWith(original)) below += 1;
      if (!folder.startsWith(root)) continue;
      const other = this.#held.get(original + folder.slice(root.length));
      if (other === undefined || other.files !== held.files || other.bytes !== held.bytes) return false;
      if (other.crcs !== held.crcs) return false;
      below -= 1;
    }
    return below === 0;
  }
}

function copyMessage(file: string, { root, original, alike }: Copy): string {
  return alike
    ? `${file} holds ${original} and a copy of it, ${root}, their attachments alike in number, sizes and checksums (an export unzipped twice, then zipped again): the copy is not read; delete ${root} from the zip to read it without this notice`
    : `${file} holds ${original} and a copy of it, ${root}, their attachments not alike (an export unzipped twice, then changed and zipped again?): both are read, so a file in both is counted, extracted and bundled twice; delete the one not wanted from the zip and run again`;
}

/** Whether `name` is below one of `roots` (few: one a copy). */
export function inCopy(name: string, roots: readonly string[]): boolean {
  for (const root of roots) if (name.startsWith(root)) return true;
  return false;
}
