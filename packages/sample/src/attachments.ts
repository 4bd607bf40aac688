import { type Cipher, createCipheriv } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { candidate, candidateId, type World } from './model.js';
import { hash32, Rng } from './rng.js';
import type { ZipWriter } from './zip-writer.js';

/** The three attachment folders of a candidate, in the order the export writes them. */
export const KINDS = ['Public', 'Private', 'Miscellaneous'] as const;
export type Kind = (typeof KINDS)[number];
export const MARKER = 'empty.txt';

export interface Folder {
  readonly id: string;
  /** Index into the candidates table; undefined for the folder of an unknown candidate. */
  readonly candidate: number | undefined;
}

export interface AttachmentFile {
  readonly kind: Kind;
  readonly name: string;
  readonly size: number;
  /** Distinguishes files of one folder, for their content. */
  readonly key: number;
}

/** Average files per folder, from the weights in {@link folderFiles}: 1.2 public + 0.2 private + 0.4 misc. */
const FILES_PER_FOLDER = 1.8;
const MIN_SIZE = 64;

/** Candidate folders in sorted id order: all candidates but one, plus one unknown to the candidates table. */
export function* folders(world: World): Iterable<Folder> {
  for (let i = 0; i < world.candidates; i++) {
    if (i !== world.withoutAttachments) yield { id: candidateId(world, i), candidate: i };
    if (i === world.extraFolderAfter) yield { id: world.extraFolderId, candidate: undefined };
  }
}

export function averageFileSize(world: World, attachmentBytes: number): number {
  return attachmentBytes / (world.candidates * FILES_PER_FOLDER);
}

/** A folder's files, kind by kind; within a kind, numeric suffixes come in random order as in real exports. */
export function folderFiles(world: World, folder: Folder, averageSize: number): AttachmentFile[] {
  const r = new Rng(world.seed, 'attachments', folder.id);
  const c = folder.candidate === undefined ? undefined : candidate(world, folder.candidate);
  const counts = [r.weighted([0.15, 0.6, 0.15, 0.1]), r.weighted([0.8, 0.2]), r.weighted([0.7, 0.2, 0.1])];
  const bases: readonly string[][] = [
    ['resume.pdf', 'resume.docx', 'CV.pdf', ...(c ? [`${c.first[0]}_${c.last[0]}_CV.pdf`] : [])],
    ['offer_letter.pdf', 'Offer Letter (signed).pdf'],
    ['referral_letter.docx', 'cover_letter.pdf', 'portfolio.pdf'],
  ];
  const files: AttachmentFile[] = [];
  let key = 0;
  KINDS.forEach((kind, k) => {
    const base = r.pick(bases[k]!);
    const dot = base.lastIndexOf('.');
    const names = Array.from({ length: counts[k]! }, (_, n) =>
      n === 0 ? base : `${base.slice(0, dot)}_${n}${base.slice(dot)}`,
    );
    for (const name of r.shuffle(names)) {
      const size = Math.max(MIN_SIZE, Math.round(averageSize * (0.5 + r.float())));
      files.push({ kind, name, size, key: key++ });
    }
  });
  return files;
}

const PDF_HEAD = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
const PDF_TAIL = Buffer.from('\n%%EOF\n', 'latin1');
const CHUNK = 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

/**
 * A .docx is a zip archive, and tools open it as one (verify-redaction searches inside it): it is written as
 * one, of a single stored entry holding the random bytes, so that it opens. One too small for that entry is
 * an archive of no entry whose comment is the bytes.
 */
const DOCX_ENTRY = Buffer.from('word/media/image1.png');
const DOCX_FRAME = 30 + 46 + 2 * DOCX_ENTRY.length + 22;
/** 2021-10-13 07:40, as the parts' own entries are dated. */
const DOS_TIME = (7 << 11) | (40 << 5);
const DOS_DATE = ((2021 - 1980) << 9) | (10 << 5) | 13;
/** Past this, a size needs Zip64 fields: such a .docx (4 GB, none is) starts as one, unframed, as before. */
const DOCX_HEAD = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
const DOCX_MAX = 0xffffffff;

/** The bytes before and after a .docx's random bytes, `crc` being theirs. */
function docxFrame(size: number, crc: number): { head: Buffer; tail: Buffer } {
  const end = (entries: number, cdSize: number, cdOffset: number, comment: number) => {
    const record = Buffer.alloc(22);
    record.writeUInt32LE(0x06054b50, 0);
    record.writeUInt16LE(entries, 8);
    record.writeUInt16LE(entries, 10);
    record.writeUInt32LE(cdSize, 12);
    record.writeUInt32LE(cdOffset, 16);
    record.writeUInt16LE(comment, 20);
    return record;
  };
  if (size < DOCX_FRAME) return { head: end(0, 0, 0, size - 22), tail: Buffer.alloc(0) };
  const data = size - DOCX_FRAME;
  const header = (signature: number, length: number, at: number) => {
    const h = Buffer.alloc(length + DOCX_ENTRY.length);
    h.writeUInt32LE(signature, 0);
    const fields = signature === 0x02014b50 ? 6 : 4;
    if (fields === 6) h.writeUInt16LE(20, 4);
    h.writeUInt16LE(20, fields);
    h.writeUInt16LE(DOS_TIME, fields + 6);
    h.writeUInt16LE(DOS_DATE, fields + 8);
    h.writeUInt32LE(crc >>> 0, fields + 10);
    h.writeUInt32LE(data, fields + 14);
    h.writeUInt32LE(data, fields + 18);
    h.writeUInt16LE(DOCX_ENTRY.length, fields + 22);
    if (fields === 6) h.writeUInt32LE(at, 42);
    DOCX_ENTRY.copy(h, length);
    return h;
  };
  const central = header(0x02014b50, 46, 0);
  return {
    head: header(0x04034b50, 30, 0),
    tail: Buffer.concat([central, end(1, central.length, 30 + DOCX_ENTRY.length + data, 0)]),
  };
}

/**
 * Writes a fake document: a real-looking header (a .docx is a zip, see `docxFrame`), then incompressible
 * bytes from AES-128-CTR keyed by (seed, folder, file), which is fast and needs no state beyond the cipher.
 */
export async function writeFile(
  world: World,
  zip: ZipWriter,
  path: string,
  folder: Folder,
  file: AttachmentFile,
  onBytes: (n: number) => void,
) {
  const pdf = file.name.toLowerCase().endsWith('.pdf');
  const key = Buffer.alloc(16);
  for (let w = 0; w < 4; w++) key.writeUInt32LE(hash32(world.seed, 'content', folder.id, file.key, w), w * 4);
  const random = () => createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  // A .docx's entry holds the bytes a first pass of the cipher checks: its CRC comes before them.
  const docxData = file.size < DOCX_FRAME ? file.size - 22 : file.size - DOCX_FRAME;
  const { head, tail } = pdf
    ? { head: PDF_HEAD.subarray(0, Math.min(PDF_HEAD.length, file.size)), tail: PDF_TAIL }
    : file.size > DOCX_MAX
      ? { head: DOCX_HEAD, tail: Buffer.alloc(0) }
      : docxFrame(file.size, file.size < DOCX_FRAME ? 0 : crcOf(random(), docxData));
  const cipher = random();
  await zip.addStored(path, file.size, async (emit) => {
    const send = async (chunk: Buffer) => {
      await emit(chunk);
      onBytes(chunk.length);
    };
    await send(head);
    const tailBytes = Math.min(tail.length, file.size - head.length);
    let left = file.size - head.length - tailBytes;
    while (left > 0) {
      const n = Math.min(CHUNK, left);
      await send(cipher.update(ZEROS.subarray(0, n)));
      left -= n;
    }
    await send(tail.subarray(0, tailBytes));
  });
}

/** The CRC-32 of the next `size` bytes of a cipher's stream. */
function crcOf(cipher: Cipher, size: number): number {
  let crc = 0;
  for (let left = size; left > 0; left -= CHUNK)
    crc = crc32(cipher.update(ZEROS.subarray(0, Math.min(CHUNK, left))), crc);
  return crc;
}
