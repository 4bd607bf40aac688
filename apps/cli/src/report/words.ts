// Problems and notices in plain words. Only messages of the codes in `SHOWN` reach the page; others can hold candidate ids or file
// names of attachments, so the page shows only these words and counts for them.
import type { ProblemCode } from '@talent-export/export';

export const PLAIN: Record<ProblemCode, string> = {
  MANIFEST_MISSING: 'There is no export.csv, so the download cannot be checked against its list of files.',
  MANIFEST_UNREADABLE: 'export.csv could not be read.',
  MANIFEST_BAD_VALUE: 'export.csv holds a value that is not what LinkedIn writes.',
  MANIFEST_UNKNOWN_ROW: 'export.csv holds a row this tool does not know.',
  MANIFEST_MISSING_FILE: 'A file listed in export.csv is missing from the download.',
  MANIFEST_UNLISTED_FILE: 'A file of the download is not listed in export.csv.',
  MANIFEST_NO_STATISTICS: 'export.csv has no file counts to check.',
  MANIFEST_TRUNCATED: 'export.csv is cut short: files it would list after that point are not known.',
  MANIFEST_STATISTICS_INCONSISTENT: "export.csv's own file counts do not add up.",
  MANIFEST_TOTAL_FILES_DIFFER: 'The attachment parts hold another number of files than export.csv says.',
  MANIFEST_EXPORTED_FILES_DIFFER: 'The number of exported files differs from what export.csv says.',
  MANIFEST_FAILED_FILES: 'export.csv says some files failed to export.',
  EXPORT_ZIP_MISSING: 'export.zip, which holds the tables, is missing.',
  EXPORT_ZIP_UNZIPPED: 'export.zip was unzipped and is gone: its tables were read from the unzipped files.',
  EXPORT_ZIP_UNREADABLE: 'export.zip could not be read.',
  EXPORT_ZIP_ENTRY_CORRUPT: 'A file in export.zip besides the tables is damaged (wrong checksum or size).',
  EXPORT_ZIP_TRUNCATED:
    'export.zip was cut short (its download stopped): the tables whole before the cut were read, the one it cuts up to its last whole row, the tables after it are missing. Download export.zip again.',
  TABLE_MISSING: 'A table is missing from the export.',
  TABLE_DUPLICATE: 'A table is there twice and the copies differ: only one of them is read.',
  TABLE_COPY_DIFFERS:
    'A table unzipped beside export.zip differs from the one in it: the one in export.zip is read.',
  TABLE_COPIES_IDENTICAL:
    'Tables are there more than once, the copies alike byte for byte: each is read once.',
  TABLE_COPIES_UNITED:
    'A table is in several folders (two contracts): the rows of every copy are read, as one table (a column a copy lacks, empty in its rows).',
  ENTRY_REFUSED: 'An entry of a zip was refused as unsafe.',
  ZIP_NOTICE:
    'A zip part has an oddity that common readers accept (bytes around it, an odd name encoding); it was read whole.',
  TABLE_UNREADABLE: 'A table could not be read to the end.',
  TABLE_CHANGED:
    'A table file changed while it was being read (still being copied, downloaded or synced): its rows may be incomplete or mixed.',
  ROWS_REJECTED: 'Some rows could not be read as their table says and were set aside.',
  ORPHAN_REFERENCES:
    'Some rows refer to a candidate, project, stage or module that the export does not hold.',
  ORPHAN_ROWS: 'Some rows belong to no candidate document.',
  ROWS_DUPLICATE:
    "Some rows are in the export twice, exactly alike; they are in their candidate's document twice.",
  REFERENCES_NOT_CHECKED: 'References between tables were not checked.',
  QUOTES_LENIENT: 'Some rows had a stray quote and were read leniently.',
  THREADS_REDUCED:
    'A worker thread could not start or stopped: the export was read on fewer threads, with the same results.',
  IDS_DECIMAL: 'Some ids are written with decimals (12.0), as pandas writes them: they match no other table.',
  IDS_ROUNDED:
    'Some ids were rounded by a spreadsheet (6.91912E+18): their digits are lost, and their rows cannot be told apart or joined.',
  PART_UNREADABLE: 'An attachment part could not be read.',
  PART_TRUNCATED:
    'An attachment part was cut short (its download stopped): the files before the cut were read, the rest are missing.',
  PART_RANGE_MISMATCH: 'An attachment part holds candidates outside the range in its name.',
  PART_OF_ANOTHER_EXPORT: 'An attachment part of another export is in the folder: it was not read.',
  PARTS_IN_ONE_FOLDER:
    'The candidate folders of the parts were moved into one folder: it was read as holding every part.',
  ATTACHMENT_CORRUPT: 'Some attachment files are damaged (wrong checksum or size).',
  ATTACHMENTS_UNREADABLE: 'The attachments could not all be read.',
  ATTACHMENT_CANDIDATE_UNKNOWN:
    'Some attachment folders belong to candidates missing from the candidates table.',
  CANDIDATE_NO_ATTACHMENTS: 'Some candidates have no attachment folder at all.',
  CANDIDATE_FOLDER_COPY: "Some candidates' folders are there twice, a copy beside the original.",
  CANDIDATE_IN_SEVERAL_PARTS: "Some candidates' attachments are spread over several parts.",
  MARKER_WITH_FILES: 'Some folders say they are empty but hold files.',
  MARKER_NOT_EMPTY: 'Some empty.txt files hold bytes; they are counted as attachments, not as markers.',
  MARKER_COPY: 'A part was unzipped twice into one folder: copies of empty.txt were left out of the counts.',
  ATTACHMENT_COPY: 'Some attachments are there twice, a copy beside the file (a part unzipped twice).',
  KEY_REPEATED: 'A stage, module or custom field id is on more than one row; the first row is used.',
  DUPLICATE_DOWNLOAD: 'A file was downloaded twice (a browser copy such as "(1)"); one was used.',
  DOWNLOAD_COPIES_DIFFER:
    'A file is in the folder twice (a browser copy such as "(1)") and the copies differ; one was used.',
  DOWNLOAD_INCOMPLETE: 'A file of the download was not finished downloading and could not be read.',
  SIBLING_FILES_IGNORED: 'Files next to the export were left out.',
  PART_FOLDER_READ: 'One attachment part was given; the whole export in its folder was read.',
  PART_RENAMED:
    'A zip given as the export holds candidate folders and no table: it was read as an attachment part under another name.',
  SYMLINK_IGNORED: 'A symbolic link was not followed.',
  NAME_CLASH_RENAMED: 'A file name was used twice for a candidate; the later file was renamed.',
  NAME_UNSAFE_RENAMED: 'A file name Windows cannot create was written under a name it can.',
  MARKER_DUPLICATE: 'A folder had its empty.txt marker twice.',
  CANDIDATE_NOT_FOUND: 'A candidate asked for has no folder in the attachments.',
  CANDIDATE_UNKNOWN: 'A candidate asked for is not in the candidates table; no bundle was made for them.',
  CANDIDATE_ID_VARIANT:
    'Some rows name a candidate asked for with the id written otherwise (spaces, leading zeros); they are in no bundle.',
  NAMES_UNKNOWN:
    'Candidates rows could not be read: the names in them are unknown to redaction, and may remain in free text.',
  BUNDLE_INCOMPLETE:
    'A candidate asked for may have attachments in a part that cannot be read; no bundle was made for them.',
  MANIFEST_LEFT_OUT: 'export.csv was left out because files were left out.',
  PROBLEMS_ELSEWHERE:
    "Problems that concern other candidates' rows or files were counted, not shown, in a candidate's bundle.",
  UNKNOWN_FILE: 'A file this tool does not know was found and left out.',
  FOLDER_UNREADABLE: 'A folder next to the export could not be looked in (its permissions): it was left out.',
  ATTACHMENT_LEFT_OUT:
    "A file in a candidate's folder is in no Public, Private or Miscellaneous folder; it is in no document or bundle.",
  BUNDLE_NO_PARTS:
    'Bundles were made from export.zip alone, without the attachment parts: they hold no attachments.',
  PROJECT_VALUES_LEFT_OUT:
    'Custom field values of projects without candidates are in no candidate document; join --by project writes them.',
  EXTRA_COLUMNS_NDJSON_ONLY:
    "A table has columns beyond LinkedIn's guide: they are in its NDJSON only; its typed CSV and Parquet hold the guide's columns.",
  EXTRA_COLUMNS_DROPPED:
    "A table has columns beyond LinkedIn's guide with values, written nowhere: typed CSV and Parquet hold the guide's columns; NDJSON keeps them.",
  TIMES_CUT:
    'Some times have digits past the microsecond (.NET, Java): they were cut there, as Parquet and DuckDB hold times.',
  NUMBERS_ROUNDED:
    'Some numbers hold more digits than a number keeps (or are too small for one): each was read as the nearest.',
  PHONES_ROUNDED: 'Some phone numbers were rounded by a spreadsheet (4.15555E+09): their digits are lost.',
  TIMES_EPOCH: 'Some times are on 1970-01-01 (epoch 0), most likely a placeholder for an unknown time.',
  NAMES_LOST:
    'Some names are only question marks: a save in an encoding without their letters replaced them.',
  NAMES_GARBLED: 'Some names were read in the wrong encoding and saved so (JosÃ© for José) by a spreadsheet.',
  NAMES_CONTROL:
    'Some names hold a control character (such as NUL) that shows nothing: a broken encoding or program wrote it.',
  TABLE_AT_ROW_LIMIT:
    'A table has exactly as many rows as a spreadsheet holds: it was most likely cut there by one, and rows past it are lost.',
  CELLS_AT_LIMIT:
    "Some cells hold exactly the most characters a spreadsheet's cell holds (32,767): their text was most likely cut there.",
  TABLE_NOT_UTF8:
    'A table was saved by a spreadsheet in its own encoding, not UTF-8: its rows with accented letters were set aside.',
  TIMES_PLACEHOLDER:
    'Some times are on a day tools write for no date (0001-01-01, 1899-12-30, 1900-01-01), not a real one.',
  TIMES_SPREADSHEET:
    'Some times were re-written by a spreadsheet as it shows them (10/13/2021 7:40, 45123): their rows were set aside.',
  CELLS_SPREADSHEET_ERROR:
    "Some cells hold a spreadsheet's error value (#NAME?) or # signs: a spreadsheet read them as formulas, and their values are lost.",
};

/**
 * Codes whose messages name only tables, export files and counts: the page shows their messages. Any other
 * code (one that names entries, candidates or rows, or one added later) shows its plain words only, so a
 * new code cannot put a file name or an id on the page by accident.
 */
export const SHOWN: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'MANIFEST_MISSING',
  'MANIFEST_UNREADABLE',
  'MANIFEST_NO_STATISTICS',
  'MANIFEST_STATISTICS_INCONSISTENT',
  'MANIFEST_TOTAL_FILES_DIFFER',
  'MANIFEST_EXPORTED_FILES_DIFFER',
  'MANIFEST_FAILED_FILES',
  'EXPORT_ZIP_MISSING',
  'EXPORT_ZIP_UNZIPPED',
  // Names tables, their entries in export.zip (Contract_<id>/Notes.csv) and byte counts; no other file.
  'EXPORT_ZIP_TRUNCATED',
  'TABLE_MISSING',
  'TABLE_DUPLICATE',
  'TABLE_COPY_DIFFERS',
  'TABLE_COPIES_IDENTICAL',
  'TABLE_COPIES_UNITED',
  'TABLE_CHANGED',
  'ROWS_REJECTED',
  'ORPHAN_ROWS',
  'ROWS_DUPLICATE',
  'REFERENCES_NOT_CHECKED',
  'QUOTES_LENIENT',
  'DUPLICATE_DOWNLOAD',
  // The files of the download export.csv lists or would list: export.zip and the parts, named as the page names them.
  'MANIFEST_MISSING_FILE',
  'MANIFEST_UNLISTED_FILE',
  'EXTRA_COLUMNS_NDJSON_ONLY',
  'EXTRA_COLUMNS_DROPPED',
  'TIMES_CUT',
  'NUMBERS_ROUNDED',
  'PHONES_ROUNDED',
  'TIMES_EPOCH',
  'NAMES_LOST',
  'NAMES_GARBLED',
  'NAMES_CONTROL',
  'TABLE_AT_ROW_LIMIT',
  'CELLS_AT_LIMIT',
  'TABLE_NOT_UTF8',
  'TIMES_PLACEHOLDER',
  'TIMES_SPREADSHEET',
  'CELLS_SPREADSHEET_ERROR',
]);

/**
 * What a left-out message says to do (the CLI's hints, see `withHint` and `cliWords`): the page shows these
 * words where a message holds them.
 */
export const HINTS: readonly string[] = [
  'raise the cap with --max-ratio',
  'raise the limit with --max-record-mb',
];
