// A mail header's encoded words (RFC 2047), as a message body pasted with its headers holds them:
// `From: =?UTF-8?B?Wm/DqyBOZ3V54buFbg==?= <zoe@example.com>` is Zoë Nguyễn in base64. The Q form's escapes
// are read where they stand (see `unescapeMapped`); the B form is read here, for the scrubber and the leak
// scan alike.
import { bytesReadAs, type ReadAs, textReadAs } from './mapped.js';
import type { MappedBytes } from './references.js';

/** One B-encoded word: its charset and base64 text. */
const WORD = /=\?([A-Za-z0-9_.:-]+)(?:\*[A-Za-z-]+)?\?[Bb]\?([A-Za-z0-9+/]*={0,2})\?=/g;
/** The space between two encoded words, which RFC 2047 drops (a name may be cut between two). */
const BETWEEN = /^[ \t\r\n]+$/;

/** Whether `text` (or bytes as latin1) may hold a B-encoded word: a fast test first. */
const mayHold = (text: string) => text.includes('?=') && /\?[Bb]\?/.test(text);

/** The text of a B-encoded word in its charset; undefined for one not known or not decodable. */
function wordText(charset: string, base64: string): string | undefined {
  try {
    return new TextDecoder(charset.toLowerCase(), { fatal: true }).decode(Buffer.from(base64, 'base64'));
  } catch {
    return undefined;
  }
}

/** Each B-encoded word of `text`: where it stands (the space before it dropped after another) and its text. */
function wordsIn(text: string): ReadAs[] {
  const found: ReadAs[] = [];
  if (!mayHold(text)) return found;
  for (const m of text.matchAll(WORD)) {
    const decoded = wordText(m[1]!, m[2]!);
    if (decoded === undefined) continue;
    let start = m.index;
    const last = found.at(-1);
    if (last !== undefined && BETWEEN.test(text.slice(last.end, start))) start = last.end;
    found.push({ start, end: m.index + m[0].length, text: decoded });
  }
  return found;
}

/** `text` with its B-encoded words as the text they are; undefined when it holds none. */
export const decodedWords = (text: string): string | undefined => textReadAs(text, wordsIn(text));

/**
 * UTF-8 bytes with their B-encoded words as the text they are (a hit in a word is told as the whole word,
 * see `MappedBuilder`); undefined when they hold none.
 */
export function decodedWordBytes(b: Uint8Array): MappedBytes | undefined {
  const buffer = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  // Most files hold none: a byte search before a string is made of them.
  if (buffer.indexOf('?=') === -1) return undefined;
  return bytesReadAs(b, wordsIn(buffer.toString('latin1')));
}
