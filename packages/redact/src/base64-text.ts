// A mail body pasted as it was sent with `Content-Transfer-Encoding: base64` (`RGVhciBTYXJhaC...`): text in
// base64, lines of 76 characters. The scrubber and the leak scan read such a run as the text it is; a run
// that is no UTF-8 text (an image, a key, a token) is left as written.
import { bytesReadAs, type ReadAs, textReadAs } from './mapped.js';
import type { MappedBytes } from './references.js';

/** Base64 of 30 bytes or more, its lines (as MIME wraps them) joined, padding at its end. */
const RUN =
  /(?<![A-Za-z0-9+/=])(?:[A-Za-z0-9+/]{4}){10,}(?:\r?\n(?:[A-Za-z0-9+/]{4})+)*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/=])/g;
/** A quick test first: most texts hold no 40 base64 characters in a row. */
const LONG = /[A-Za-z0-9+/]{40}/;
/** What text holds besides letters, marks and the like: no control character but tab and line breaks. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The text a base64 run is, or undefined when it is no UTF-8 text of words. */
function runText(run: string): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(run.replace(/\s+/g, ''), 'base64'));
  } catch {
    return undefined;
  }
  return !CONTROL.test(text) && /\p{L}{2,}[\s,.;:!?]+\p{L}/u.test(text) ? text : undefined;
}

/** Each base64 run of `text` that is text: where it stands and what it reads. */
function runsIn(text: string): ReadAs[] {
  const found: ReadAs[] = [];
  if (!LONG.test(text)) return found;
  for (const m of text.matchAll(RUN)) {
    const decoded = runText(m[0]);
    if (decoded !== undefined) found.push({ start: m.index, end: m.index + m[0].length, text: decoded });
  }
  return found;
}

/** `text` with its base64 runs of text as the text they are; undefined when it holds none. */
export const decodedBase64 = (text: string): string | undefined => textReadAs(text, runsIn(text));

/** Whether b[i] is a base64 character (no padding). */
const base64Byte = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;

/** Whether bytes hold 40 base64 characters in a row (`LONG`), told without a string made of them. */
function holdsLongRun(b: Uint8Array): boolean {
  let run = 0;
  for (let i = 0; i < b.length; i++) {
    run = base64Byte(b[i]!) ? run + 1 : 0;
    if (run === 40) return true;
  }
  return false;
}

/**
 * UTF-8 bytes with their base64 runs of text as the text they are (see `MappedBuilder`). Every file and
 * chunk the leak scan reads passes here: a string is made of them only when they may hold a run.
 */
export const base64Bytes = (b: Uint8Array): MappedBytes | undefined =>
  holdsLongRun(b)
    ? bytesReadAs(b, runsIn(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1')))
    : undefined;
