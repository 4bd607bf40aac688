import { parse } from 'csv-parse/sync';
import { examples, type Problem, problem } from './errors.js';
import { downloadKey, joinVolumes } from './names.js';

/** One `Filename, Download Url` row of export.csv. */
export interface ManifestFile {
  name: string;
  url: string;
  /** 1-based line in export.csv. */
  line: number;
}

/** export.csv: the files of the download and the export's own file counts (null when a row is absent). */
export interface Manifest {
  file: string;
  files: ManifestFile[];
  totalFiles: number | null;
  exportedFiles: number | null;
  failedFiles: number | null;
}

type Statistic = 'totalFiles' | 'exportedFiles' | 'failedFiles';

const STATISTICS: Record<string, Statistic> = {
  'total files': 'totalFiles',
  'exported files': 'exportedFiles',
  'failed files': 'failedFiles',
};

/**
 * export.csv's bytes as text: UTF-16 when it starts with a UTF-16 byte order mark (what a spreadsheet's
 * "Unicode text" writes, tab-separated, when export.csv was opened and saved there), else UTF-8.
 */
export function decodeManifest(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(0, bytes.length & ~1)).swap16();
    return new TextDecoder('utf-16le').decode(swapped);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
}

const SHOWN = 80;

/** A cell or row as a message shows it: control characters (binary junk) as "?", at most SHOWN characters. */
function shown(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
  return clean.length > SHOWN ? `${clean.slice(0, SHOWN)}...` : clean;
}

/**
 * Tab (as LinkedIn writes it), comma, or semicolon (spreadsheets in some locales), from the first line with
 * anything on it: a copy saved again may start with blank lines, which name no separator.
 */
function delimiterOf(text: string): string {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.find((line) => line.trim() !== '' || line.includes('\t')) ?? '';
  if (first.includes('\t')) return '\t';
  if (!first.includes(',') && first.includes(';')) return ';';
  return ',';
}

/**
 * A header with an unnamed first column before `Filename` (`,Filename,Download Url`; `Unnamed: 0` once read
 * and written again): pandas' `to_csv` writes its row numbers there unless told `index=False`. The file
 * list and Statistics are in the columns after it.
 */
export function indexHeader(record: readonly string[]): boolean {
  const [first = '', second = ''] = record;
  const label = second.trim().toLowerCase().replace(/\s+/g, ' ');
  return /^(?:unnamed: ?0)?$/i.test(first.trim()) && (label === 'filename' || label === 'file name');
}

/** Parses export.csv text (BOM, CRLF, tab or comma separated). Never throws: bad rows become problems. */
export function parseManifest(
  text: string,
  file = 'export.csv',
): { manifest: Manifest; problems: Problem[] } {
  const manifest: Manifest = { file, files: [], totalFiles: null, exportedFiles: null, failedFiles: null };
  const problems: Problem[] = [];
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      delimiter: delimiterOf(text),
      bom: true,
      info: true,
      trim: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    problems.push(
      problem('MANIFEST_UNREADABLE', `${file} is not readable as CSV (${reason}); download it again`, {
        file,
      }),
    );
    return { manifest, problems };
  }
  let inStatistics = false;
  // Rows LinkedIn writes (the header, files, Statistics): none at all is no manifest.
  let known = 0;
  const indexed = rows.some(({ record }) => indexHeader(record));
  for (const { record: cells, info } of rows) {
    const record = indexed ? cells.slice(1) : cells;
    const [first = '', second = ''] = record;
    const label = first.toLowerCase().replace(/\s+/g, ' ');
    if (label === '' && second === '') continue;
    // Excel's first line naming the separator (`sep=,`), kept when the file was opened and saved there.
    if (info.lines === 1 && /^sep=.?$/.test(label) && record.length <= 2) continue;
    // Windows PowerShell's Export-Csv line above the header (`#TYPE System.Management.Automation.PSCustomObject`),
    // unless told -NoTypeInformation: no row of the export, as the tables' decoder reads past it too.
    if (info.lines === 1 && /^#type \S+$/.test(label) && record.length === 1) continue;
    if (label === 'filename' || label === 'file name') {
      known += 1;
      // The file list's header after the Statistics rows (moved above it by a sort or a paste) starts the list again.
      inStatistics = false;
      continue;
    }
    if (label === 'statistics') {
      known += 1;
      inStatistics = true;
      continue;
    }
    const statistic = STATISTICS[label];
    if (statistic !== undefined) {
      known += 1;
      const value = count(second);
      if (value === undefined) {
        problems.push(
          problem(
            'MANIFEST_BAD_VALUE',
            `${file} line ${info.lines}: "${shown(first)}" should be a whole number but is "${shown(second)}"; the file counts of this export cannot be checked`,
            { file },
          ),
        );
      } else {
        manifest[statistic] = value;
      }
      continue;
    }
    if (!inStatistics && downloadKey(first) !== undefined) {
      known += 1;
      manifest.files.push({ name: first, url: second, line: info.lines });
      continue;
    }
    problems.push(
      problem(
        'MANIFEST_UNKNOWN_ROW',
        // Not its text: a row may hold a Download Url (a live link to the whole export) or anything typed in.
        `${file} line ${info.lines}: a row of ${record.length} cell(s) is neither a file with its Download Url nor a Statistics row, and was skipped`,
        {
          file,
        },
      ),
    );
  }
  if (known === 0) {
    // An empty file, or a page saved in its place (an expired link's): its rows, each a notice, are noise.
    const unreadable = problem(
      'MANIFEST_UNREADABLE',
      `${file} holds no file list and no Statistics rows: it is not the export.csv Talent Hub writes (an empty file, or a web page saved in its place); download it again`,
      { file },
    );
    return { manifest, problems: [...problems.filter((p) => p.code !== 'MANIFEST_UNKNOWN_ROW'), unreadable] };
  }
  const noStatistics =
    manifest.totalFiles === null && manifest.exportedFiles === null && manifest.failedFiles === null;
  // LinkedIn ends export.csv with its Statistics rows: with none, a last line cut mid-way is a file cut short
  // (a download or a copy that stopped), and the rows after it, parts perhaps among them, are not known.
  if (noStatistics && text.trim() !== '' && !/[\r\n]$/.test(text)) {
    problems.push(
      problem(
        'MANIFEST_TRUNCATED',
        `${file} ends in the middle of line ${rows.at(-1)?.info.lines ?? 1}, with no Statistics rows: it looks cut short, and files listed after that line are not known; download it again`,
        { file },
      ),
    );
  } else if (noStatistics) {
    problems.push(
      problem(
        'MANIFEST_NO_STATISTICS',
        `${file} has no Statistics rows (Total Files, Exported files); file counts are not checked`,
        {
          file,
        },
      ),
    );
  }
  return { manifest, problems };
}

/**
 * Files listed in export.csv that are not in the download folder, and parts there that it does not list.
 * `pieces`: download key -> the first 7-Zip volume of a file there only split into volumes (`x.zip.001`);
 * `renamed`: download key -> a zip of another name that is that file (`download.zip`).
 */
export function checkManifestFiles(
  manifest: Manifest,
  present: ReadonlyMap<string, string>,
  pieces?: ReadonlyMap<string, string>,
  zipped?: ReadonlyMap<string, string>,
  byUrl?: ReadonlyMap<string, string>,
  renamed?: ReadonlyMap<string, string>,
): Problem[] {
  const problems: Problem[] = [];
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    const key = downloadKey(entry.name);
    if (key === undefined) continue;
    listed.add(key);
    if (!present.has(key)) {
      const piece = pieces?.get(key);
      const zip = zipped?.get(key);
      const saved = byUrl?.get(key);
      const named = renamed?.get(key);
      // Told to download a part whose pieces are there, one would fetch gigabytes again to no end.
      const todo =
        piece !== undefined
          ? `is in the folder only split into volumes (${piece}, ...), which are not read; join them into ${entry.name} (${joinVolumes(entry.name)}) and run again`
          : saved !== undefined
            ? `is in the folder only under a name made of its Download Url (${saved}, as wget names a download), which is not read; rename it ${entry.name} and run again`
            : named !== undefined
              ? `is in the folder only under another name, ${named}, which is not read; rename it ${entry.name} and run again`
              : zip !== undefined
                ? `is in the folder only inside ${zip}, which is not read; unzip ${zip} beside ${manifest.file} and run again`
                : `is not in the folder; download it from its Download Url and put it beside ${manifest.file}`;
      problems.push(
        problem(
          'MANIFEST_MISSING_FILE',
          `${entry.name} is listed in ${manifest.file} (line ${entry.line}) but ${todo}`,
          {
            file: entry.name,
          },
        ),
      );
    }
  }
  for (const [key, name] of present) {
    if (!listed.has(key) && key.startsWith('part:')) {
      problems.push(
        problem(
          'MANIFEST_UNLISTED_FILE',
          `${name} is not listed in ${manifest.file}; it may belong to another export (it is read anyway)`,
          { file: name },
        ),
      );
    }
  }
  return problems;
}

/** What the attachment parts really hold, to reconcile with the Statistics rows. */
export interface FileCounts {
  files: number;
  markers: number;
  /** Other files of the parts, outside the candidate folders (not indexed, but there all the same). */
  unknown?: number;
  /** Parts (by file name) that could not be read or are missing: their files are not counted. */
  unread: readonly string[];
  /** Entries of the parts read that were refused (ENTRY_REFUSED): there, but not counted. */
  refused?: number;
  /** Attachment files that are copies beside a file of theirs (ATTACHMENT_COPY): among `files`, not the export's. */
  copies?: number;
}

/**
 * Reconciles the Statistics rows with the parts. Total Files counts every file in the parts, empty.txt
 * markers included (the guide's sample: 4 candidates x 3 folders = 12); Exported files are the ones there;
 * Failed files are the ones the export itself could not include.
 */
export function reconcileStatistics(manifest: Manifest, counts: FileCounts): Problem[] {
  const problems: Problem[] = [];
  const file = manifest.file;
  const { totalFiles: total, exportedFiles: exported, failedFiles: failed } = manifest;
  const unknown = counts.unknown ?? 0;
  // Copies a second unzip left beside their file are not the export's: counted, they made up for as many
  // files missing, and the counts agreed.
  const copies = counts.copies ?? 0;
  const own = counts.files - copies;
  const found = own + counts.markers + unknown;
  const others = unknown > 0 ? ` + ${unknown} other file(s)` : '';
  const refused = counts.refused ?? 0;
  const detail =
    `${found} (${own} attachments + ${counts.markers} empty.txt markers${others})` +
    (copies > 0
      ? `, not counting ${copies} cop(ies) a second unzip left beside their file (ATTACHMENT_COPY says where)`
      : '') +
    (counts.unread.length > 0 ? `; not counted: ${examples(counts.unread)} (missing or unreadable)` : '');
  if (failed !== null && failed > 0) {
    problems.push(
      problem(
        'MANIFEST_FAILED_FILES',
        `${file} says ${failed} attachment file(s) failed to export; they are not in this export`,
        {
          file,
        },
      ),
    );
  }
  if (total !== null && exported !== null && failed !== null && total !== exported + failed) {
    problems.push(
      problem(
        'MANIFEST_STATISTICS_INCONSISTENT',
        `${file} says Total Files ${total} but Exported files ${exported} + Failed files ${failed} = ${exported + failed}`,
        { file },
      ),
    );
  }
  // The guide counts "attachment files"; files outside candidate folders (an export.csv or tables copied
  // into a part, as the guide's own sample shows) may or may not be among them: either count fits.
  const fits = (listed: number, extra: number) =>
    listed === found + extra || (unknown > 0 && listed === own + counts.markers + extra);
  const expectedTotal = found + (failed ?? 0);
  if (total !== null && !fits(total, failed ?? 0)) {
    const plus = failed ? ` + ${failed} failed` : '';
    problems.push(
      problem(
        'MANIFEST_TOTAL_FILES_DIFFER',
        `${file} says Total Files ${total} but the parts hold ${detail}${plus}: ${difference(total - expectedTotal, refused)}`,
        { file },
      ),
    );
  }
  if (exported !== null && !fits(exported, 0)) {
    problems.push(
      problem(
        'MANIFEST_EXPORTED_FILES_DIFFER',
        `${file} says Exported files ${exported} but the parts hold ${detail}: ${difference(exported - found, refused)}`,
        { file },
      ),
    );
  }
  return problems;
}

/**
 * How many files the parts hold fewer or more than listed. Fewer are missing only beyond the entries
 * refused: a file there but refused (a method not read, a password) is not one to download again.
 */
function difference(fewer: number, refused: number): string {
  if (fewer <= 0) return `${-fewer} more than listed`;
  if (refused === 0) return `${fewer} missing`;
  const why = `${refused} entr(ies) were refused (ENTRY_REFUSED says why)`;
  if (fewer <= refused) return `${fewer} fewer, as ${why}, none missing beyond them`;
  return `${fewer} fewer: ${why}, ${fewer - refused} missing`;
}

/**
 * export.csv text as the guide shows it (comma-separated, as the sample generator and spreadsheets write it):
 * one `Filename, Download Url` row per file, then the Statistics rows. `parseManifest` reads it back.
 */
export function formatManifest(manifest: {
  files: readonly { name: string; url: string }[];
  totalFiles: number;
  exportedFiles: number;
  failedFiles: number;
}): string {
  const cell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = ['Filename,Download Url'];
  for (const file of manifest.files) lines.push(`${cell(file.name)},${cell(file.url)}`);
  lines.push(
    'Statistics,',
    `Total Files,${manifest.totalFiles}`,
    `Exported files,${manifest.exportedFiles}`,
    `Failed files,${manifest.failedFiles}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * A count of the Statistics rows: digits, or digits grouped by thousands as a spreadsheet shows them in
 * its language (`1,234`, `1.234`, `1 234`, `1'234`) once export.csv was opened and saved there. Only
 * groups of three: `1,5` is no count of files, where taking its comma out read it as 15.
 */
function count(cell: string): number | undefined {
  const text = cell.trim();
  if (!GROUPED_COUNT.test(text)) return undefined;
  return Number(text.replace(/\D/g, ''));
}
const GROUPED_COUNT = /^(?:\d+|\d{1,3}([,.' \u00a0\u202f])\d{3}(?:\1\d{3})*)$/;
