// Turns failures raised by the file system or by yauzl-promise into coded problems.
import { open } from 'node:fs/promises';
import { type Problem, problem } from './errors.js';

const again = 'Download or create the archive again.';

/** Why a file could not be opened as a zip; sniffs its first bytes when the zip end record is missing. */
export async function classifyOpenError(path: string, error: unknown): Promise<Problem> {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT')
    return problem('ZIP_NOT_FOUND', 'File not found', 'Check the path and that the part was downloaded.');
  // System errors (EACCES, EISDIR, EIO, ...) carry a syscall; anything else is about the bytes.
  if (typeof code === 'string' && (error as { syscall?: unknown }).syscall !== undefined) {
    return problem(
      'ZIP_UNREADABLE',
      `File cannot be read (${code})`,
      'Check that it is a readable file, not a folder, and its permissions.',
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('End of Central Directory Record not found')) return sniff(path);
  return classifyStructure(message);
}

async function sniff(path: string): Promise<Problem> {
  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(1024);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return problem('ZIP_UNREADABLE', `File cannot be read (${String(code)})`, 'Check its permissions.');
  }
  if (head.length === 0) return problem('ZIP_NOT_A_ZIP', 'File is empty, not a zip archive', again);
  const text = head.toString('latin1').trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || /<(html|head|body)[\s>]/.test(text)) {
    return problem(
      'ZIP_NOT_A_ZIP',
      'File looks like an HTML page, not a zip archive',
      'The download link had probably expired (links last 24 hours); download it again from Talent Hub.',
    );
  }
  if (head.readUInt32LE(0) === 0x04034b50) {
    return problem(
      'ZIP_TRUNCATED',
      'Zip archive is cut short: it starts like a zip but its end record is missing',
      'The download did not finish; download it again.',
    );
  }
  return problem('ZIP_NOT_A_ZIP', 'File is not a zip archive (no zip end record found)', again);
}

/** Problems yauzl-promise reports while reading the central directory or opening entry data. */
export function classifyStructure(message: string): Problem {
  if (message.includes('Strong encryption')) {
    return problem(
      'ZIP_ENCRYPTED',
      'Entry uses strong encryption',
      'Decrypt the archive (re-create it without a password) and try again.',
    );
  }
  if (message.includes('Multi-disk')) {
    return problem(
      'ZIP_CORRUPT',
      'Archive is split over several disks, which is not supported',
      'Join the pieces first (e.g. `zip -s 0 in.zip --out whole.zip`).',
    );
  }
  if (message.includes('Unexpected end of file')) {
    return problem(
      'ZIP_TRUNCATED',
      'Zip archive ends before the data it points to',
      'The download did not finish; download it again.',
    );
  }
  return problem('ZIP_CORRUPT', `Zip structure is damaged (${message})`, again);
}
