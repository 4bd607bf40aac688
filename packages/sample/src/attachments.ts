import { createCipheriv } from 'node:crypto';
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
const DOCX_HEAD = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
const CHUNK = 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

/**
 * Writes a fake document: a real-looking header, then incompressible bytes from AES-128-CTR keyed by
 * (seed, folder, file), which is fast and needs no state beyond the cipher.
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
  const head = pdf ? PDF_HEAD : DOCX_HEAD;
  const tail = pdf ? PDF_TAIL : Buffer.alloc(0);
  const key = Buffer.alloc(16);
  for (let w = 0; w < 4; w++) key.writeUInt32LE(hash32(world.seed, 'content', folder.id, file.key, w), w * 4);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  await zip.addStored(path, file.size, async (emit) => {
    const send = async (chunk: Buffer) => {
      await emit(chunk);
      onBytes(chunk.length);
    };
    const headBytes = Math.min(head.length, file.size);
    await send(head.subarray(0, headBytes));
    const tailBytes = Math.min(tail.length, file.size - headBytes);
    let left = file.size - headBytes - tailBytes;
    while (left > 0) {
      const n = Math.min(CHUNK, left);
      await send(cipher.update(ZEROS.subarray(0, n)));
      left -= n;
    }
    await send(tail.subarray(0, tailBytes));
  });
}
