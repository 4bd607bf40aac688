// A mail header's encoded words (RFC 2047), as a message body pasted with its headers holds them:
// `From: =?UTF-8?B?Wm/DqyBOZ3V54buFbg==?= <zoe@example.com>` is Zoë Nguyễn in base64. The Q form's escapes
// are read where they stand (see `unescapeMapped`); the B form is read here, for the scrubber and the leak
// scan alike.
import { MappedBuilder } from './mapped.js';
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
    const text = new TextDecoder(charset.toLowerCase(), { fatal: true }).decode(
      Buffer.from(base64, 'base64'),
    );
    return text;
  } catch {
    return undefined;
  }
}

/** Each B-encoded word of `text`: where it stands (the space before it dropped after another) and its text. */
function wordsIn(text: string): { start: number; end: number; text: string }[] {
  const found: { start: number; end: number; text: string }[] = [];
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
export function decodedWords(text: string): string | undefined {
  if (!mayHold(text)) return undefined;
  const words = wordsIn(text);
  if (words.length === 0) return undefined;
  let out = '';
  let copied = 0;
  for (const word of words) {
    out += text.slice(copied, word.start) + word.text;
    copied = word.end;
  }
  return out + text.slice(copied);
}

/**
 * UTF-8 bytes with their B-encoded words as the text they are, where each byte came from (`at`: a decoded
 * byte from its word's start) and where what it came from ends (`after`: a decoded byte's at its word's
 * end), so that a hit in a word is told as the whole word; undefined when they hold none.
 */
export function decodedWordBytes(b: Uint8Array): MappedBytes | undefined {
  const buffer = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  // Most files hold none: a byte search before a string is made of them.
  if (buffer.indexOf('?=') === -1) return undefined;
  const written = buffer.toString('latin1');
  if (!mayHold(written)) return undefined;
  const words = wordsIn(written);
  if (words.length === 0) return undefined;
  const view = new MappedBuilder(b);
  for (const word of words) view.put(word.start, word.end, Buffer.from(word.text));
  return view.finish();
}
