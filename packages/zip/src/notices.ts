// Oddities of an archive that established readers accept and that this package accepts too: values for
// the caller to report, never errors.

export type ZipNoticeCode =
  /** Bytes after the end record and its comment (padding, junk, a comment length that is too short). */
  | 'ZIP_TRAILING_BYTES'
  /** The end record's comment length runs past the end of the file. */
  | 'ZIP_COMMENT_CUT'
  /** Bytes before the first entry (a self-extractor stub, a prefix) whose offsets were not adjusted. */
  | 'ZIP_PREFIX_BYTES'
  /** Bytes between the central directory and the end record. */
  | 'ZIP_GAP_BEFORE_END'
  /** The zip64 end record puts the directory where there is none; the classic end record, right, was used. */
  | 'ZIP_END_RECORDS_DISAGREE'
  /** The end record numbers its disk (1, 0xFFFF) as a split archive's last piece does, yet the archive is whole. */
  | 'ZIP_DISK_NUMBERS'
  /** The end record's entry count differs from the records in the central directory. */
  | 'ZIP_ENTRY_COUNT'
  /** A folder entry listed again (the repeat is skipped; a file and a folder of one name are still refused). */
  | 'ZIP_REPEATED_FOLDER'
  /** A name without the UTF-8 flag that is not plausible CP437 text (it may be Shift-JIS, GBK, ...). */
  | 'ZIP_NAME_ENCODING'
  /** A name holding characters that show nothing or reorder the text around them (U+202E, U+200B, ...). */
  | 'ZIP_NAME_HIDDEN_CHARACTERS'
  /** A local header right after an entry that the central directory does not list (streaming readers find it). */
  | 'ZIP_UNLISTED_ENTRY'
  /** Empty files declared deflated with no deflate data at all, read as empty. */
  | 'ZIP_EMPTY_DEFLATED'
  /** A folder's custom icon macOS wrote (`Icon\r`), whose name holds a carriage return: skipped, not refused. */
  | 'ZIP_SYSTEM_FILE_SKIPPED';

export interface ZipNotice {
  code: ZipNoticeCode;
  /** What was found and how it was read, with the archive (and entry) named. */
  message: string;
  archive: string;
  entry?: string;
}

export interface NoticeDraft {
  code: ZipNoticeCode;
  detail: string;
}

/** Notices kept per archive; `noticeCount` counts them all (an archive may hold a million odd names). */
export const MAX_NOTICES_KEPT = 100;

export function notice(draft: NoticeDraft, archive: string, entry?: string): ZipNotice {
  const where = entry === undefined ? `in ${archive}` : `in ${archive}, entry "${entry}"`;
  const out: ZipNotice = { code: draft.code, message: `${draft.detail} ${where}.`, archive };
  if (entry !== undefined) out.entry = entry;
  return out;
}
