// Why a file cannot be opened as a zip: file-system failures, and files without an end record.
import { type Problem, problem } from './errors.js';

const LOCAL_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** The spanning signature (APPNOTE 8.5.3), then the first local header: how a split archive's first piece starts. */
export const SPLIT_START = Buffer.from([0x50, 0x4b, 0x07, 0x08, 0x50, 0x4b, 0x03, 0x04]);
const again = 'Download or create the archive again.';

/** Why a file could not be opened (ENOENT, EACCES, EISDIR, EIO ...). */
export function classifyOpenError(error: unknown): Problem {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT')
    return problem('ZIP_NOT_FOUND', 'File not found', 'Check the path and that the part was downloaded.');
  return problem(
    'ZIP_UNREADABLE',
    `File cannot be read (${typeof code === 'string' ? code : String(error)})`,
    'Check that it is a readable file, not a folder, and its permissions.',
  );
}

/** Why a file has no end record: empty, an HTML page, a zip cut short, or something else entirely. */
export function sniff(head: Buffer): Problem {
  if (head.length === 0) return problem('ZIP_NOT_A_ZIP', 'File is empty, not a zip archive', again);
  const text = head.toString('latin1').trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || /<(html|head|body)[\s>]/.test(text)) {
    return problem(
      'ZIP_NOT_A_ZIP',
      'File looks like an HTML page, not a zip archive',
      'The download link had probably expired (links last 24 hours); download it again from Talent Hub.',
    );
  }
  const textual = textKind(head);
  if (textual !== undefined) {
    return problem(
      'ZIP_NOT_A_ZIP',
      `File is ${textual}, not a zip archive`,
      'It is not the archive as downloaded: an error message saved in its place (download links last 24 hours), or a text file renamed .zip. Download it again from Talent Hub.',
    );
  }
  // Info-ZIP and 7-Zip start the first piece of a split archive (`zip -s`, .z01) with this mark: its end
  // record is in the last piece, so the piece alone was taken for a download cut short.
  if (head.subarray(0, 8).equals(SPLIT_START)) {
    return problem(
      'ZIP_CORRUPT',
      'File is the first piece of a split (multi-part) zip archive, or such an archive cut short: it starts with the split mark and has no end record',
      'Put every piece (.z01, .z02, ... and the last, .zip) in one folder and join them (e.g. `zip -s 0 last.zip --out whole.zip`); if there were no other pieces, download it again.',
    );
  }
  const other = otherFormat(head);
  if (other !== undefined) {
    return problem(
      'ZIP_NOT_A_ZIP',
      `File is ${other}, not a zip archive (renamed .zip, or saved in the wrong format)`,
      'Extract it with a tool that reads it (7-Zip reads most of these) and zip what it holds with deflate (e.g. Info-ZIP `zip -r` or `7z a -tzip`), or download the archive again.',
    );
  }
  // A local header at the start, or after a prefix (a self-extractor stub): a zip whose end is missing.
  const local = head.indexOf(LOCAL_SIGNATURE);
  if (local === 0 || (local > 0 && head.length > local + 30)) {
    return problem(
      'ZIP_TRUNCATED',
      `Zip archive is cut short: it ${local === 0 ? 'starts' : `has ${local} bytes of prefix, then starts`} like a zip but has no end record`,
      'The download did not finish; download it again.',
    );
  }
  return problem(
    'ZIP_NOT_A_ZIP',
    'File is not a zip archive (no zip end record, no zip entry at its start)',
    again,
  );
}

/**
 * What a file of text is, by its first bytes (tabs, line ends and printable characters only, UTF-8 or a
 * single-byte code page): an XML or JSON error response (what a storage service answers an expired or
 * refused link with), or text; undefined for binary bytes. A zip starts with "PK\3\4", never text.
 */
function textKind(head: Buffer): string | undefined {
  for (const byte of head)
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return undefined;
  if (head.subarray(0, 2).toString('latin1') === 'PK' || head.length < 2) return undefined;
  const start = head
    .toString('latin1', 0, 64)
    .replace(/^\ufeff|^\xef\xbb\xbf/, '')
    .trimStart();
  if (start.startsWith('<?xml') || start.startsWith('<')) return 'an XML document (an error response?)';
  if (/^[{[]\s*["{[\]}]/.test(start)) return 'a JSON document (an error response?)';
  return 'text';
}

/** Leading bytes of formats a part is mistaken for or re-packed into, and what they are. */
const FORMATS: [magic: Buffer, at: number, what: string][] = [
  [Buffer.from('377abcaf271c', 'hex'), 0, 'a 7-Zip (.7z) archive'],
  [Buffer.from('Rar!\x1a\x07', 'latin1'), 0, 'a RAR archive'],
  [Buffer.from('1f8b', 'hex'), 0, 'a gzip (.gz) file'],
  [Buffer.from('fd377a585a00', 'hex'), 0, 'an xz (.xz) file'],
  [Buffer.from('28b52ffd', 'hex'), 0, 'a zstd (.zst) file'],
  [Buffer.from('ustar', 'latin1'), 257, 'a tar archive'],
  [Buffer.from('MSCF', 'latin1'), 0, 'a Windows cabinet (.cab) archive'],
];

/** What another format's file is, by its leading bytes; undefined when none is known. */
function otherFormat(head: Buffer): string | undefined {
  for (const [magic, at, what] of FORMATS) {
    if (head.subarray(at, at + magic.length).equals(magic)) return what;
  }
  // "BZh", the block size, and the first block's mark: text can start with "BZh" too.
  return /^BZh[1-9]1AY&SY/.test(head.toString('latin1', 0, 10)) ? 'a bzip2 (.bz2) file' : undefined;
}
