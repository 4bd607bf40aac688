/**
 * How the files of an export are recognised by name. Everything here is pure and liberal: case does not
 * matter, `Attachment_`/`Attachments_`/`Attachment ` are the same, and browser copies such as
 * `export (1).zip` are recognised as copies of `export.zip`.
 */

import { type TableName, tableForFile } from '@talent-export/schema';

const JUNK_FILES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini', '.localized']);

/** Files and folders that operating systems add (macOS resource forks, Finder and Explorer state). */
export function isJunk(path: string): boolean {
  return path.split('/').some(isJunkSegment);
}

/** One segment of a path that isJunk() takes for the system's. */
export const isJunkSegment = (segment: string): boolean =>
  segment === '__MACOSX' ||
  segment.startsWith('._') ||
  // No lowercase copy of every other name: JUNK_FILES' names are 9 to 11 characters long.
  (segment.length >= 9 && segment.length <= 11 && JUNK_FILES.has(segment.toLowerCase())) ||
  isZoneIdentifier(segment);

const ZONE = ':zone.identifier';
const COLON = 0x3a;

/**
 * `cv.pdf:Zone.Identifier`: the mark of the web Windows keeps in a stream of a downloaded file (and of each
 * file Explorer unzips from it), made a file of its own beside it when the file is copied into WSL. A part
 * unzipped there and zipped again holds one beside each of its files: each was counted as an attachment.
 * One look at the character where the colon would be: most names have none there.
 */
const isZoneIdentifier = (segment: string): boolean =>
  segment.length > ZONE.length &&
  segment.charCodeAt(segment.length - ZONE.length) === COLON &&
  segment.slice(-ZONE.length).toLowerCase() === ZONE;

/** The last segment of a '/'-separated path. */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

export type DownloadName =
  | { kind: 'manifest'; copy: number }
  | { kind: 'export-zip'; copy: number }
  | { kind: 'part'; copy: number; first?: string; last?: string; key: string }
  | { kind: 'other' };

// The word for "copy" the Finder and Windows Explorer put in a copy's name, in the languages they speak
// most: `export - Kopie.zip` on a German Windows, `export copie.zip` from a French Finder. Names written by
// the Finder come decomposed (`Co\u0301pia`), hence the accent's two forms.
const COPY_WORD = String.raw`(?:copy|kopie|copie|copia|c(?:\u00f3|o\u0301)pia|kopia|kopi|kopio|kopya|\u043a\u043e\u043f\u0438\u044f|\u30b3\u30d4\u30fc|\u526f\u672c)`;
// `export (1).zip` (Chrome, Edge) and `export(1).zip` (Firefox): copy 1; the original is copy 0. Safari
// numbers its copies `export-1.zip`, some download managers `export_1.zip`, the Finder `export 2.zip` or
// `export copy.zip`, Windows Explorer `export - Copy.zip` or `export - Copy (2).zip`: copies all the same.
// What the Finder and Windows add to the name of a file or folder made again beside the first.
const COPY_SUFFIX = String.raw`\s*\(\d+\)| \d+| ${COPY_WORD}(?: \d+)?| - ${COPY_WORD}(?: \(\d+\))?`;
const COPY = String.raw`(${COPY_SUFFIX}|[-_]\d+)?`;

/** The number of a copy from its suffix (`(2)`, `-2`, `_2`, ` 2`, ` copy 2`); ` copy` alone is copy 1. */
const copyNumber = (suffix: string | undefined): number =>
  suffix === undefined ? 0 : Number(/\d+/.exec(suffix)?.[0] ?? 1);
// `export.csv.txt` and `export.txt`: what Windows (extensions hidden) or a spreadsheet's "Save as text" names
// export.csv once opened and saved again; decodeManifest reads the UTF-16 such a save may write.
const MANIFEST = new RegExp(String.raw`^export${COPY}(?:\.csv|\.csv\.txt|\.txt)$`, 'i');
// `export.zip.zip`: renamed by hand where extensions are hidden (Windows), or zipped again (macOS names a
// zip of `x.zip` so); read as the zip it is named after, a zip of one is told as such when read.
const ZIP = String.raw`\.zip(?:\.zip)?`;
const EXPORT_ZIP = new RegExp(`^export${COPY}${ZIP}$`, 'i');
// The range after a separator or a digit: with neither, `attachments-final.zip` read as candidates "s" to
// "final" (the `s` taken for the first id), and was told to hold candidates outside that range.
const PART = new RegExp(
  String.raw`^attachments?(?:(?:[\s_-]+|(?=\d))([^\s_()-][^\s()-]*)\s*-\s*([^\s()-]+?))?${COPY}${ZIP}$`,
  'i',
);

/** What a file at the top of a download folder is, from its name alone. */
export function classifyDownloadName(name: string): DownloadName {
  let m = MANIFEST.exec(name);
  if (m) return { kind: 'manifest', copy: copyNumber(m[1]) };
  m = EXPORT_ZIP.exec(name);
  if (m) return { kind: 'export-zip', copy: copyNumber(m[1]) };
  m = PART.exec(name);
  if (m) {
    const copy = copyNumber(m[3]);
    if (m[1] === undefined || m[2] === undefined) {
      // Talent Hub names every part with its range: `Attachment 2.zip` or `Attachment-2.zip` was numbered by
      // hand, one part of several, not a second copy of one.
      if (m[3] !== undefined && !m[3].endsWith(')')) return { kind: 'other' };
      return { kind: 'part', copy, key: 'part:' };
    }
    return { kind: 'part', copy, first: m[1], last: m[2], key: `part:${m[1]}-${m[2]}` };
  }
  return { kind: 'other' };
}

/**
 * Whether a path names one of the export's own files: one of the ten tables, export.csv or export.zip (not
 * a browser's copy of them). A zip of the whole export unpacked holds them beside the candidate folders.
 */
export function isExportFile(path: string): boolean {
  if (tableForFile(path) !== undefined) return true;
  const name = classifyDownloadName(baseName(path));
  return (name.kind === 'manifest' || name.kind === 'export-zip') && name.copy === 0;
}

/** Whether an entry of a part is named like export.zip or a part: a part zipped again holds one. */
export function isDownloadZip(path: string): boolean {
  const kind = classifyDownloadName(baseName(path)).kind;
  return kind === 'part' || kind === 'export-zip';
}

/**
 * A part holding no candidate folder, no attachment and no empty.txt (an empty zip of 22 bytes, a folder
 * emptied): Talent Hub writes a part only for candidates that have folders, so it is not that part, and its
 * candidates' files are missing, not absent. `emptyFolders`: it holds candidate folders, empty (every file
 * deleted, empty.txt too, and zipped again): told "no candidate folder at all", one looked and saw them.
 */
export function emptyPart(
  file: string,
  range: { first?: string; last?: string },
  emptyFolders = false,
): string {
  const named = range.first === undefined ? '' : ` (candidates ${range.first} to ${range.last})`;
  if (emptyFolders) {
    return `${file} holds candidate folders but no file in them, not even the empty.txt markers Talent Hub writes where a candidate has no file: it is not the part Talent Hub wrote${named} but one emptied, or zipped again without its files; download it again`;
  }
  return `${file} holds no candidate folder at all, no attachment and no empty.txt marker: it is not the part Talent Hub wrote${named}; download it again`;
}

/** Whether a folder entry's path holds a `Candidate_<id>` folder, not in a folder the system added. */
export const holdsCandidateFolder = (path: string): boolean =>
  !isJunk(path) && path.split('/').some((segment) => candidateFolderId(segment) !== undefined);

/** Why a part holding such zips and no candidate folder cannot be read, and what to do. */
export function zippedAgain(file: string, zips: number): string {
  return zippedMessage(file, `${zips} zip file(s) named like a part or export.zip`, 'part');
}

// Google Drive downloads a folder as `<folder>-<UTC time>-001.zip`, `-002.zip`, ... of about 2 GB each.
const DRIVE_PIECE = /^(.+-\d{8}T\d{6}Z)-\d{3}\.zip$/i;

/** Whether a zip is named as Google Drive names the pieces of a folder it downloads. */
export const isDrivePiece = (name: string): boolean => DRIVE_PIECE.test(name);

/**
 * A zip holding a download's zips (`held` says which), not what they hold, told alike for every case: a
 * part or export.zip zipped again in the download folder (to be put back unzipped), or the whole download
 * zipped (`download`: to be unzipped and its folder given). Their names are Talent Hub's, no one's.
 */
export function zippedMessage(file: string, held: string, as: 'part' | 'export-zip' | 'download'): string {
  const instead = as === 'part' ? 'Candidate_<id> folders' : 'the ten tables';
  const drive = as === 'download' ? DRIVE_PIECE.exec(baseName(file)) : null;
  const todo = drive
    ? `it is one of the zips Google Drive splits a downloaded folder into (${drive[1]}-001.zip, ${drive[1]}-002.zip, ...), each holding some of the download's files. Unzip every one of them into one folder, then give the folder that holds export.csv, export.zip and the parts`
    : as === 'download'
      ? 'it is a zip of the download. Unzip it, then give the folder that holds export.csv, export.zip and the parts'
      : `it was zipped again. Unzip it and put ${as === 'part' ? 'the part it holds in its place' : "the export.zip it holds (and any parts) in the export's folder"}`;
  return `${file} holds ${held}, not ${instead}: ${todo}`;
}

// Archives of other kinds a download is packed into to be moved or sent: `tar czf`, 7-Zip, WinRAR.
const OTHER_ARCHIVE = /\.(?:(tar)(?:\.(?:gz|bz2|xz|zst))?|(tgz|tbz2?|txz)|(7z)|(rar))$/i;

/**
 * What a file named like an archive of another kind than zip is and how to unpack it, or undefined: the
 * download (or export.zip's tables) packed so cannot be read as it is, only what it holds.
 */
export function otherArchive(name: string): { what: string; unpack: string } | undefined {
  const m = OTHER_ARCHIVE.exec(name);
  if (m === null) return undefined;
  if (m[1] !== undefined || m[2] !== undefined)
    return { what: 'a tar archive', unpack: `\`tar -xf ${shellWord(name)}\`, or 7-Zip` };
  return {
    what: m[3] !== undefined ? 'a 7-Zip archive' : 'a RAR archive',
    unpack: `7-Zip (\`7z x ${shellWord(name)}\`)`,
  };
}

/** Why a file packed another way (see otherArchive) is no export, and what to do. */
export function otherArchiveMessage(file: string, other: { what: string; unpack: string }): string {
  return `${file} is ${other.what}, not a zip: unpack it with ${other.unpack}, then give the folder that holds export.csv, export.zip and the Attachment_*.zip parts (or the folder it makes)`;
}

/** The key two names of the same download share (`Attachment_1-2.zip` = `attachments 1-2 (1).zip`). */
export function downloadKey(name: string): string | undefined {
  const c = classifyDownloadName(name);
  if (c.kind === 'other') return undefined;
  return c.kind === 'part' ? c.key : c.kind;
}

// As PART's range: after a separator or a digit (`attachments-final` is no range of candidates "s" to "final").
const PART_FOLDER = /^attachments?(?:[\s_-]+|(?=\d))([^\s_()-][^\s()-]*)\s*-\s*([^\s()-]+)$/i;
// What the Finder (`x 2`, `x copy`) and Windows (`x (1)`, `x - Copy`) add to a folder made again beside the first.
const FOLDER_COPY = new RegExp(`^(.+?)(?:${COPY_SUFFIX})$`, 'i');

/**
 * A folder that an attachment part was extracted to, e.g. `Attachments_1-2`: its candidate range. A folder
 * of the zip's own name (`Attachment_1-2.zip/`, as ChromeOS and some unzip tools name it) has the range
 * before `.zip`, not a last id of `2.zip`.
 */
export function partFolderRange(name: string): { first: string; last: string } | undefined {
  const bare = name.replace(/\.zip$/i, '');
  const m = PART_FOLDER.exec(bare) ?? PART_FOLDER.exec(FOLDER_COPY.exec(bare)?.[1] ?? '');
  return m ? { first: m[1]!, last: m[2]! } : undefined;
}

/** The folder a folder named as a copy was made of (`export (1)` -> `export`, `x 2` -> `x`), else undefined. */
export const folderCopyOf = (name: string): string | undefined => FOLDER_COPY.exec(name)?.[1];

/** Whether a part folder's name is that of a second copy (`Attachments_1-2 2`, a part unzipped twice). */
export function isFolderCopy(name: string): boolean {
  return PART_FOLDER.exec(name) === null && partFolderRange(name) !== undefined;
}

/**
 * The part folders the candidate folders of one zip are in: two of one range (`Attachments_1-2` and
 * `Attachments_1-2 2`, what the Finder names a part unzipped a second time) mean a part unzipped twice and
 * zipped again, every file of it read twice. `note` is given each candidate folder's part folder once.
 */
export class PartFolderCopies {
  /** Range (`1-2`) -> the first part folder of it. */
  readonly #first = new Map<string, string>();
  /** Pairs of folders of one range: [original, copy]. */
  readonly pairs: [string, string][] = [];
  /** The folder noted last: a zip's candidate folders come one part folder at a time. */
  #last: string | undefined;

  note(folder: string): void {
    if (folder === this.#last) return;
    this.#last = folder;
    const range = partFolderRange(folder);
    if (range === undefined) return;
    const key = `${range.first}-${range.last}`;
    const first = this.#first.get(key);
    if (first === undefined) this.#first.set(key, folder);
    else if (
      first !== folder &&
      !this.pairs.some(([a, b]) => (a === first && b === folder) || (a === folder && b === first))
    )
      // The copy is the one named as a copy, whichever came first in the zip.
      this.pairs.push(isFolderCopy(first) && !isFolderCopy(folder) ? [folder, first] : [first, folder]);
  }
}

/** What a zip holding a part folder and its copy (see PartFolderCopies) is told. */
export const partFolderCopy = (file: string, [original, copy]: [string, string]): string =>
  `${file} holds ${original}/ and a copy of it, ${copy}/ (a part unzipped twice, then zipped again): the candidate folders of both are read, so a file in both is counted, extracted and bundled twice; delete ${copy}/ from the zip (or unzip it, delete that folder and give the folder) and run again`;

/** The folder holding the candidate folder of an attachment's path (`Attachments_1-2`), or ''. */
export function partFolderOf(path: string): string {
  const fileAt = path.lastIndexOf('/');
  const kindAt = fileAt > 0 ? path.lastIndexOf('/', fileAt - 1) : -1;
  const candidateAt = kindAt > 0 ? path.lastIndexOf('/', kindAt - 1) : -1;
  return candidateAt > 0 ? path.slice(path.lastIndexOf('/', candidateAt - 1) + 1, candidateAt) : '';
}

const CANDIDATE = /^candidates?[\s_-]+(.+)$/i;

const SPACE = 32;
const DOT = 46;

/**
 * The candidate id of a `Candidate_<id>` folder name. Spaces and dots at its end are not the id's: the
 * Finder and zip tools keep `Candidate_1 ` as typed or renamed, Windows drops them, and both are candidate 1.
 * So are a kind folder's (`Public `).
 */
export function candidateFolderId(name: string): string | undefined {
  const id = CANDIDATE.exec(name)?.[1];
  if (id === undefined) return undefined;
  // Every copy's name has a space or a parenthesis: an id of digits alone is not looked at again.
  if (id.includes(' ') || id.includes('(')) {
    const copy = CANDIDATE_COPY.exec(id);
    if (copy !== null) return copy[1];
  }
  return withoutDotsAndSpaces(id) || undefined;
}

/** Whether a `Candidate_<id>` folder name is a copy's (`Candidate_1 2`, see CANDIDATE_COPY). */
export function isCandidateCopy(name: string): boolean {
  // Every copy's name has a space or a parenthesis (see candidateFolderId).
  if (!name.includes(' ') && !name.includes('(')) return false;
  const id = CANDIDATE.exec(name)?.[1];
  return id !== undefined && (id.includes(' ') || id.includes('(')) && CANDIDATE_COPY.test(id);
}

/**
 * Whether a file name in a kind folder is a copy of its empty.txt marker made beside it: `empty (2).txt`
 * (Windows Explorer keeping both when a part is unzipped twice into one folder), `empty_1.txt` (7-Zip's
 * auto-rename), `empty 2.txt` (the Finder), `empty - Copy.txt`. Talent Hub writes one marker a folder, never
 * suffixed. Asked only of files of no byte: one that holds bytes is a file, whatever its name.
 */
export const isMarkerCopy = (fileName: string): boolean => MARKER_COPY.test(fileName);
const MARKER_COPY = new RegExp(`^empty(?:${COPY_SUFFIX}|[-_]\\d+)\\.txt$`, 'i');

/**
 * The name of the file a second copy beside it was made of, when a second unzip into one folder named it
 * so (`cv (2).pdf` from Windows keeping both, `cv(1).pdf`, `cv 2.pdf` from the Finder) -> `cv.pdf`, else
 * undefined. Not `cv_2.pdf`: that is how Talent Hub names a second file of a kind.
 */
export function copiedName(fileName: string): string | undefined {
  // One look at the character before the extension first: most names end otherwise, and skip the pattern.
  const dot = fileName.lastIndexOf('.');
  const last = fileName.charCodeAt((dot > 0 ? dot : fileName.length) - 1);
  if (last !== CLOSE && (last < ZERO || last > NINE)) return undefined;
  const m = FILE_COPY.exec(fileName);
  return m === null ? undefined : m[1]! + (m[2] ?? '');
}
const FILE_COPY = /^(.+?)(?:\s*\(\d+\)| \d+)(\.[^.]*)?$/;
const CLOSE = 0x29;
const NINE = 0x39;

/**
 * An id of digits with a copy's suffix: a second folder of a candidate made beside the first, as when
 * candidate folders of several parts are moved into one and the Finder keeps both (`Candidate_1 2`), or
 * Windows pastes a copy (`Candidate_1 - Copy`). Ids are digits: such a folder holds that candidate's files.
 */
const CANDIDATE_COPY = new RegExp(`^(\\d+)(?:${COPY_SUFFIX})[. ]*$`, 'i');

/**
 * A folder name without the spaces and dots at its end, which Windows drops (`Public ` is `Public` there).
 * One look at the last character: a name that ends otherwise, as nearly all do, costs nothing more.
 */
function withoutDotsAndSpaces(name: string): string {
  const end = name.charCodeAt(name.length - 1);
  return end !== SPACE && end !== DOT ? name : name.replace(/[. ]+$/, '');
}

export type AttachmentKind = 'public' | 'private' | 'miscellaneous';
export const ATTACHMENT_KINDS: readonly AttachmentKind[] = ['public', 'private', 'miscellaneous'];

export type AttachmentPath =
  | { kind: 'file' | 'marker'; candidateId: string; attachmentKind: AttachmentKind; fileName: string }
  | { kind: 'unknown' };

/**
 * Reads `[Attachments_<first>-<last>/]Candidate_<id>/<Public|Private|Miscellaneous>/<file>` (any folders
 * may come before the candidate folder). `empty.txt` there is the export's "no files of this kind" marker.
 */
export function parseAttachmentPath(path: string): AttachmentPath {
  // The last three segments, found from the end: most paths of a part have the same few folders before them.
  const fileAt = path.lastIndexOf('/');
  const kindAt = fileAt > 0 ? path.lastIndexOf('/', fileAt - 1) : -1;
  if (kindAt < 0) return { kind: 'unknown' };
  const candidateAt = kindAt > 0 ? path.lastIndexOf('/', kindAt - 1) : -1;
  const fileName = path.slice(fileAt + 1);
  const kindFolder = withoutDotsAndSpaces(path.slice(kindAt + 1, fileAt).toLowerCase());
  const candidateId = candidateFolderId(path.slice(candidateAt + 1, kindAt));
  const attachmentKind = ATTACHMENT_KINDS.find((k) => k === kindFolder);
  if (candidateId === undefined || attachmentKind === undefined || fileName === '')
    return { kind: 'unknown' };
  const kind = fileName.length === 9 && fileName.toLowerCase() === 'empty.txt' ? 'marker' : 'file';
  return { kind, candidateId, attachmentKind, fileName };
}

/** A path with folders below a candidate's kind folder: `Candidate_1/Public/portfolio/page1.pdf`. */
const BELOW_KIND = /(?:^|\/)candidates?[\s_-]+[^/]+\/(?:public|private|miscellaneous)\/[^/]+\/./i;

/**
 * Why a file outside `Candidate_<id>/<kind>/` is not an attachment, for its UNKNOWN_FILE notice: one in a
 * folder inside a kind folder (a zip attachment unzipped where it was, by a double click or an unzip
 * tool that unzips nested zips) is told as such, as it is easily taken for one of the candidate's files.
 */
export function outsideKindFolders(path: string): string {
  return BELOW_KIND.test(path)
    ? "is in a folder inside a candidate's Public, Private or Miscellaneous folder (an attachment unzipped where it was?), where Talent Hub puts files only"
    : 'is not in a Candidate_<id>/<Public|Private|Miscellaneous>/ folder';
}

const DIGITS = /^\d+$/;
const ZERO = 48;

/** Orders candidate ids: as whole numbers when both are digits (ids can exceed 2^53), else by code unit. */
export function compareIds(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) {
    const x = a.charCodeAt(0) === ZERO ? a.replace(/^0+(?=\d)/, '') : a;
    const y = b.charCodeAt(0) === ZERO ? b.replace(/^0+(?=\d)/, '') : b;
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A table's file under another name: a copy's (`Notes (1).csv`, `Notes 2.csv`, `Notes copy.csv`,
 * `Notes - Copy.csv`, `Copy of Notes.csv`), or a spreadsheet's save in another format (`Notes.xlsx`, `Notes.txt`,
 * `Notes.csv.txt`). Not read as the table (which copy is right, or what a workbook holds, cannot be told),
 * but named where the table is missing: `name` is what to call it.
 */
export interface TableLookAlike {
  table: TableName;
  /** The file's own name (made of the table's name, so no one's). */
  file: string;
  /** The name the table is read under. */
  name: string;
  format: 'csv' | 'text' | 'workbook';
}

// A copy's name as Google Drive and Office give it in other languages too: `Kopie von Notes.csv`,
// `Copie de Notes.csv`, `Notes - Kopie.csv`.
// Spaces around the name (`Candidate .csv`, ` Candidate.csv`): typed when the file was renamed by hand.
const LOOK_ALIKE = new RegExp(
  String.raw`^\s*(?:copy of |kopie von |copie de |copia de |c(?:\u00f3|o\u0301)pia de |kopia av |kopi af |kopie van )?(.+?)${COPY}\s*(\.csv\.csv|\.csv\.xlsx|\.csv|\.csv\.txt|\.txt|\.tsv|\.xlsx|\.xlsm|\.xls|\.ods|\.numbers)\s*$`,
  'i',
);

/**
 * A table downloaded from Google Sheets (File > Download > CSV), named `<spreadsheet> - <sheet>.csv`: the
 * spreadsheet is the table opened there (`Notes`, or `Notes.csv` as Drive titles an upload), the sheet named
 * after it or as a new sheet is in the languages Sheets speaks most (`Sheet1`, `Tabellenblatt1`, `Feuille 1`,
 * `Hoja 1`, `Foglio1`, `Blad1`, `Página1`, `Arkusz1`, `Лист1`, `シート1`, `工作表1`). No other sheet name: the
 * file's name is shown, and one chosen by hand may name a person.
 */
const SHEETS_DOWNLOAD =
  /^\s*(.+?)(?:\.csv)? - (?:(?:sheet|tabellenblatt|feuille|hoja|foglio|blad|p\u00e1gina|pa\u0301gina|arkusz|\u043b\u0438\u0441\u0442|\u30b7\u30fc\u30c8|\u5de5\u4f5c\u8868) ?\d+|(.+?))(?:\.csv)?\.csv\s*$/i;

/** The table of a Google Sheets download's name (see `SHEETS_DOWNLOAD`), as `Notes.csv`, else undefined. */
function sheetsDownload(file: string): string | undefined {
  const m = SHEETS_DOWNLOAD.exec(file);
  if (!m) return undefined;
  const name = `${m[1]}.csv`;
  // A sheet named after the spreadsheet: the table's own name again.
  if (m[2] !== undefined && m[2].toLowerCase() !== m[1]!.toLowerCase()) return undefined;
  return tableForFile(name) === undefined ? undefined : name;
}

export function tableLookAlike(path: string): TableLookAlike | undefined {
  const file = baseName(path);
  const sheets = sheetsDownload(file);
  if (sheets !== undefined) return { table: tableForFile(sheets)!, file, name: sheets, format: 'csv' };
  const m = LOOK_ALIKE.exec(file);
  if (!m) return undefined;
  const name = `${m[1]}.csv`;
  const table = tableForFile(name);
  if (table === undefined || name === file) return undefined;
  const ext = m[3]!.toLowerCase();
  const format = /^\.csv(?:\.csv)?$/.test(ext)
    ? 'csv'
    : /^\.(?:csv\.txt|txt|tsv)$/.test(ext)
      ? 'text'
      : 'workbook';
  return { table, file, name, format };
}

/** What to do about a look-alike of a table that is missing (see `tableLookAlike`). */
export function lookAlikeHint({ file, name, format }: TableLookAlike): string {
  if (format === 'workbook') {
    return `; ${file} is named like it, but is a spreadsheet's own format, not CSV: open it and save it as "CSV UTF-8" named ${name}, and run again`;
  }
  if (format === 'text') {
    return `; ${file} is named like it: if it holds the table, name it ${name} (if a spreadsheet saved it as text, save it as "CSV UTF-8" instead), and run again`;
  }
  // A space typed before the extension or around the name when the file was renamed by hand: no copy.
  if (file.trim().replace(/\s+(?=\.csv$)/i, '') === name) {
    return `; ${file.trim() === file ? file : `"${file}"`} is named like it, with a space in its name where the table's has none: if it holds the table, name it ${name} and run again`;
  }
  if (sheetsDownload(file) !== undefined) {
    return `; ${file} is named like it, as Google Sheets names a download (<spreadsheet> - <sheet>.csv): if it holds the table, name it ${name} and run again`;
  }
  // `.csv` typed after a name whose extension the system hides: saved as `Notes.csv.csv`.
  if (/\.csv\.csv$/i.test(file)) {
    return `; ${file} is named like it, with .csv twice (typed where the system hides the extension): if it holds the table, name it ${name} and run again`;
  }
  return `; ${file} is named like it, as a copy is: if it holds the table, name it ${name} and run again`;
}

/** A file name as a shell takes it as one word: quoted when it holds a space, parentheses or the like. */
export function shellWord(name: string): string {
  return /^[\w.,+@%/-]+$/.test(name) ? name : `'${name.replaceAll("'", "'\\''")}'`;
}

/**
 * The command that joins 7-Zip's volumes of `archive` (`x.zip.001`, ...) into it: three digits each, in
 * order (`.0*` leaves out `.100` and after, which a 2 GB part in 10 MB volumes has).
 */
export function joinVolumes(archive: string): string {
  return `cat ${shellWord(`${archive}.`)}[0-9][0-9][0-9] > ${shellWord(archive)}`;
}
