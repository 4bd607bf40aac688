// export.csv of a redacted export in its source's shape: the same encoding and byte order mark, a `sep=`
// line above the header if it had one, its delimiter, quoting, line ends and labels as written, so that what
// opened the source's opens the copy the same way. What changes: the files listed (the parts written, with
// no Download Url: the source's are live links to the whole export) and the Statistics rows' numbers.
import { formatManifest } from '@talent-export/export';
import { indexHeader } from '@talent-export/export/internal';

export interface ManifestCounts {
  files: readonly string[];
  totalFiles: number;
  exportedFiles: number;
  failedFiles: number;
}

const STATISTICS: Record<string, keyof Omit<ManifestCounts, 'files'>> = {
  'total files': 'totalFiles',
  'exported files': 'exportedFiles',
  'failed files': 'failedFiles',
};

/**
 * The redacted export.csv: `source` (the bytes of the source's, if it had one beside the zips) with its
 * file rows and Statistics numbers made the output's. Rows that are neither (a row typed in, a foreign
 * part's link) are left out: they may hold anything. Without a source, export.csv as the guide shows it.
 */
export function redactedManifest(source: Uint8Array | undefined, counts: ManifestCounts): Buffer {
  const plain = () =>
    Buffer.from(
      formatManifest({
        files: counts.files.map((name) => ({ name, url: '' })),
        totalFiles: counts.totalFiles,
        exportedFiles: counts.exportedFiles,
        failedFiles: counts.failedFiles,
      }),
    );
  if (source === undefined || source.length === 0) return plain();
  const encoding = encodingOf(source);
  let text = decode(source, encoding);
  const bom = text.startsWith('\ufeff');
  if (bom) text = text.slice(1);
  const lines = text.split(/\r\n|\n|\r/);
  const eol = /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
  // The last line break ends the file: `split` gives an empty last line then.
  const ended = lines.length > 1 && lines.at(-1) === '';
  if (ended) lines.pop();
  const sep = /^sep=(.)$/i.exec(lines[0] ?? '');
  const delimiter = sep ? sep[1]! : delimiterOf(lines[0] ?? '');
  const quoted = (lines[sep ? 1 : 0] ?? '').startsWith('"');
  const cell = (value: string) =>
    quoted || value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  // pandas' row numbers in a first column (see `indexHeader`): the rows are read after it, and numbered again.
  const indexed = lines.some((line) => indexHeader(firstCells(line, delimiter)));
  let rowNumber = 0;
  const out: string[] = [];
  const row = (text: string) => out.push(indexed ? `${cell(String(rowNumber++))}${delimiter}${text}` : text);
  let listed = false;
  let statistics = false;
  const list = () => {
    if (listed) return;
    listed = true;
    for (const name of counts.files) row(`${cell(name)}${delimiter}${quoted ? '""' : ''}`);
  };
  let known = 0;
  lines.forEach((whole, index) => {
    if (index === 0 && sep) {
      out.push(whole);
      return;
    }
    const line = indexed ? whole.slice(Math.min(firstCell(whole, delimiter)[1] + 1, whole.length)) : whole;
    const [first, firstEnd] = firstCell(line, delimiter);
    const label = first.trim().toLowerCase().replace(/\s+/g, ' ');
    if (whole.trim() === '') out.push(whole);
    else if (label === 'filename' || label === 'file name') {
      known++;
      // The header's own first cell (blank, or `Unnamed: 0`) as written.
      out.push(whole);
    } else if (label === 'statistics') {
      known++;
      list();
      statistics = true;
      row(line);
    } else if (STATISTICS[label] !== undefined) {
      known++;
      list();
      row(withNumber(line, firstEnd, delimiter, counts[STATISTICS[label]]));
    } else if (!statistics && /\.zip$/i.test(first.trim())) {
      known++;
      list();
    }
  });
  // Not export.csv as Talent Hub writes it: the guide's shape instead.
  if (known === 0) return plain();
  list();
  const body = out.join(eol) + (ended ? eol : '');
  return encode((bom ? '\ufeff' : '') + body, encoding);
}

type Encoding = 'utf8' | 'utf16le' | 'utf16be';

function encodingOf(bytes: Uint8Array): Encoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf16be';
  return 'utf8';
}

function decode(bytes: Uint8Array, encoding: Encoding): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (encoding === 'utf8') return buffer.toString('utf8');
  const le = encoding === 'utf16le' ? buffer : Buffer.from(buffer.subarray(0, buffer.length & ~1)).swap16();
  return le.toString('utf16le');
}

function encode(text: string, encoding: Encoding): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  const le = Buffer.from(text, 'utf16le');
  return encoding === 'utf16le' ? le : le.swap16();
}

/** Tab (as LinkedIn writes it), comma, or semicolon (spreadsheets in some locales), as export.csv is read. */
function delimiterOf(header: string): string {
  if (header.includes('\t')) return '\t';
  if (!header.includes(',') && header.includes(';')) return ';';
  return ',';
}

/** A line's first cell (unquoted) and where it ends (at its delimiter, or the line's end). */
function firstCell(line: string, delimiter: string): [string, number] {
  const start = line.length - line.trimStart().length;
  if (line[start] === '"') {
    let i = start + 1;
    let value = '';
    while (i < line.length) {
      const q = line.indexOf('"', i);
      if (q === -1) return [value + line.slice(i), line.length];
      value += line.slice(i, q);
      if (line[q + 1] === '"') {
        value += '"';
        i = q + 2;
      } else {
        const end = line.indexOf(delimiter, q + 1);
        return [value, end === -1 ? line.length : end];
      }
    }
    return [value, line.length];
  }
  const end = line.indexOf(delimiter);
  return end === -1 ? [line, line.length] : [line.slice(0, end), end];
}

/** A line's first two cells (unquoted). */
function firstCells(line: string, delimiter: string): [string, string] {
  const [first, end] = firstCell(line, delimiter);
  return [first, end < line.length ? firstCell(line.slice(end + 1), delimiter)[0] : ''];
}

/** A Statistics row with its number made `value`: its label and any cells after the number as written. */
function withNumber(line: string, firstEnd: number, delimiter: string, value: number): string {
  if (firstEnd >= line.length) return `${line}${delimiter}${value}`;
  const rest = line.slice(firstEnd + 1);
  const [, numberEnd] = firstCell(rest, delimiter);
  const old = rest.slice(0, numberEnd);
  const quote = old.trim().startsWith('"');
  const padding = old.match(/^\s*/)![0];
  return `${line.slice(0, firstEnd + 1)}${padding}${quote ? `"${value}"` : value}${rest.slice(numberEnd)}`;
}
