// The pieces of a candidate's bundle that need no run state: the CSV spill's format, an attachment's
// bytes, a document as text.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { RawData } from '@talent-export/bundle';
import { hiddenFileName, kindOf } from '@talent-export/errors';
import {
  classifyDownloadName,
  fitName,
  type Problem,
  portableName,
  problem,
  type SuffixCursor,
  type TalentExport,
  unturnedName,
} from '@talent-export/export';
import { SCHEMAS, type TableName } from '@talent-export/schema';
import type { ZipArchive, ZipEntry } from '@talent-export/zip';
import type { DocumentSink } from './documents.js';
import { JoinError } from './errors.js';
import { tokenValue } from './lines.js';
import type { Code } from './rows.js';

export const FOLDER = { public: 'Public', private: 'Private', miscellaneous: 'Miscellaneous' } as const;

export type OpenParts = Map<string, { archive: ZipArchive; entries: Map<string, ZipEntry> }>;

export const fieldNames = (table: TableName) => SCHEMAS[table].fields.map((field) => field.name);

/** The longest file name ext4, APFS, NTFS and most other file systems take (extract keeps to it too). */
const MAX_NAME_BYTES = 255;

/**
 * `folder + name`, or when taken its first free suffixed form, always within MAX_NAME_BYTES: a longer name
 * is cut to fit (no common file system could unzip it; `file_name` keeps it whole), and a suffix cuts the
 * end of the stem rather than take a name that fits past the limit.
 */
export function freeName(
  folder: string,
  name: string,
  suffixes: SuffixCursor,
  taken: (path: string) => boolean,
): string {
  const short = fitted(name);
  const free = suffixes.free(folder + short, taken);
  if (Buffer.byteLength(free) - Buffer.byteLength(folder) <= MAX_NAME_BYTES) return free;
  for (let n = 1; ; n++) {
    const fit = folder + fitName(short, n, MAX_NAME_BYTES);
    if (!taken(fit)) return fit;
  }
}

/** An extension longer than this is the tail of a name with a dot in it, not one to keep. */
const MAX_EXTENSION_BYTES = 16;

/** `name` with as many characters cut from the end of its stem (its extension kept) as it takes to fit. */
function fitted(name: string): string {
  const bytes = Buffer.byteLength(name);
  if (bytes <= MAX_NAME_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const extension =
    dot > 0 && Buffer.byteLength(name.slice(dot)) <= MAX_EXTENSION_BYTES ? name.slice(dot) : '';
  const stem = [...name.slice(0, name.length - extension.length)];
  let over = bytes - MAX_NAME_BYTES;
  while (stem.length > 1 && over > 0) over -= Buffer.byteLength(stem.pop()!);
  // A cut may end the stem with a dot or a space, which Windows drops.
  return portableName(stem.join('') + extension);
}

/**
 * A file name as a zip entry can hold it and every system can unzip it (`portableName`): a file of an
 * extracted export may have a backslash or a control character in its name (Linux and macOS allow them),
 * which zip readers take for a folder or refuse, and one named `CON.pdf` or `cv?.pdf` cannot be unzipped
 * on Windows. Bidi overrides and isolates are made `_` too, as extract writes them (`unturnedName`):
 * `cv\u202Efdp.exe` would show as `cvexe.pdf` to the person opening the bundle.
 */
export const zipFileName = (name: string): string => unturnedName(portableName(name));

/** Why an attachment is in a bundle under another name than its own (NAME_UNSAFE_RENAMED), or undefined. */
export function renamedWhy(name: string): string | undefined {
  const portable = portableName(name);
  const why = [
    ...(portable !== name
      ? [
          'its name holds what Windows cannot create (a device name such as CON, one of <>:"|?* or a control character, or a dot or space at its end)',
        ]
      : []),
    ...(unturnedName(portable) !== portable
      ? [
          'its name holds characters that turn the text around them (U+202E and other bidi overrides or isolates), so it would show as another name, another extension even; each was written as "_"',
        ]
      : []),
  ];
  return why.length > 0 ? why.join('; and ') : undefined;
}

/** A part whose files cannot be had, with the candidate range its name gives (if any). */
export interface UnreadPart {
  file: string;
  first?: string;
  last?: string;
  why: string;
}

/** The parts export.csv lists that are not in the download folder. */
export function missingParts(ex: TalentExport): UnreadPart[] {
  if (ex.manifest === null || ex.layout !== 'download') return [];
  // Candidate folders moved into one folder of no part's name (the guide's tip): it stands for the parts
  // export.csv lists (PARTS_IN_ONE_FOLDER), as in an extracted export, where none is missing either.
  if (ex.parts.some((p) => p.kind === 'folder' && p.first === undefined)) return [];
  const keyOf = (name: string) => {
    const c = classifyDownloadName(name);
    return c.kind === 'part' ? c.key : undefined;
  };
  // A part unzipped beside export.zip (`Attachments_1-2/`) is that part: by its range, as a zip's name gives.
  const present = new Set(
    ex.parts.map((p) => (p.first === undefined ? keyOf(p.file) : `part:${p.first}-${p.last}`)),
  );
  const missing: UnreadPart[] = [];
  for (const { name } of ex.manifest.files) {
    const c = classifyDownloadName(name);
    if (c.kind !== 'part' || present.has(c.key)) continue;
    present.add(c.key);
    missing.push({
      file: name,
      ...(c.first === undefined ? {} : { first: c.first }),
      ...(c.last === undefined ? {} : { last: c.last }),
      why: 'not in the folder',
    });
  }
  return missing;
}

/** An attachment's bytes: a zip part's entry copied raw, or an extracted export's file, stored. */
export function attachmentSource(
  archives: OpenParts,
  folders: ReadonlyMap<string, string>,
  a: { part: string; entry: string; size: number },
  signal: AbortSignal,
): { raw: RawData } | { stream: Readable; size: number; method: 'store' } {
  // An extracted part's entry is relative to its folder, which is the export's root only when flat.
  const folder = folders.get(a.part);
  if (folder !== undefined)
    return { stream: createReadStream(join(folder, a.entry)), size: a.size, method: 'store' };
  const open = archives.get(a.part);
  const entry = open?.entries.get(a.entry);
  if (!open || !entry)
    throw new JoinError(
      'JOIN_ATTACHMENT_MISSING',
      `${a.part}: entry ${a.entry} was listed and is no longer there; was the part replaced during the run? Run again`,
    );
  const { archive } = open;
  return {
    raw: {
      method: entry.method,
      crc32: entry.crc32,
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
      // Copied raw, the bytes would reach the bundle unchecked: `refusal` checked them first.
      open: async () => archive.readRaw(entry, { signal }),
    },
  };
}

/**
 * Why a zip part's attachment cannot go into a bundle (CRC, sizes, bomb caps: what extract and validate
 * refuse), as a problem; undefined when it is intact or not in a zip part. The bundle goes on without it.
 */
export async function refusal(
  archives: OpenParts,
  a: { part: string; entry: string },
  bundle: string,
  signal: AbortSignal,
): Promise<Problem | undefined> {
  const open = archives.get(a.part);
  const entry = open?.entries.get(a.entry);
  if (!open || !entry) return undefined;
  try {
    await open.archive.verify(entry, { signal });
    return undefined;
  } catch (error) {
    if (signal.aborted || kindOf(error) !== 'input') throw error;
    const shown = hiddenFileName(a.entry);
    const why = error instanceof Error ? error.message : String(error);
    return problem('ATTACHMENT_CORRUPT', `${a.part}: ${shown} is left out of ${bundle}: ${why}`, {
      file: a.part,
      entry: shown,
    });
  }
}

/** A document's bytes as one string. */
export class TextSink implements DocumentSink {
  private readonly parts: Buffer[] = [];
  text(text: string): void {
    this.parts.push(Buffer.from(text));
  }
  bytes(buf: Buffer, start: number, end: number): void {
    this.parts.push(Buffer.from(buf.subarray(start, end)));
  }
  toString(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

/** The CSV spill: `<code><length>\t<candidate token>\t<length bytes of CSV>\n` per row. */
export function parseCsvSpill(buf: Buffer): Map<string, Map<Code, Buffer[]>> {
  const out = new Map<string, Map<Code, Buffer[]>>();
  let at = 0;
  while (at < buf.length) {
    const code = String.fromCharCode(buf[at]!) as Code;
    const t1 = buf.indexOf(0x09, at);
    const t2 = buf.indexOf(0x09, t1 + 1);
    const length = Number(buf.toString('latin1', at + 1, t1));
    const id = tokenValue(buf.toString('utf8', t1 + 1, t2))!;
    let tables = out.get(id);
    if (!tables) out.set(id, (tables = new Map()));
    let list = tables.get(code);
    if (!list) tables.set(code, (list = []));
    list.push(buf.subarray(t2 + 1, t2 + 1 + length));
    at = t2 + 1 + length + 1;
  }
  return out;
}
