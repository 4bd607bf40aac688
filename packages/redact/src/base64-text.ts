// A mail body pasted as it was sent with `Content-Transfer-Encoding: base64` (`RGVhciBTYXJhaC...`): text in
// base64, lines of 76 characters. The scrubber and the leak scan read such a run as the text it is; a run
// that is no UTF-8 text (an image, a key, a token) is left as written.
import { bytesReadAs, type ReadAs, textReadAs } from './mapped.js';
import type { MappedBytes } from './references.js';

/** Base64 of 30 bytes or more, its lines (as MIME wraps them) joined, padding at its end. */
const RUN =
  /(?<![A-Za-z0-9+/=])(?:[A-Za-z0-9+/]{4}){10,}(?:\r?\n(?:[A-Za-z0-9+/]{4})+)*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/=])/g;
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
  // A quick test first: most texts hold no 40 base64 characters in a row.
  if (!holdsLongRun(text)) return found;
  for (const m of text.matchAll(RUN)) {
    const decoded = runText(m[0]);
    if (decoded !== undefined) found.push({ start: m.index, end: m.index + m[0].length, text: decoded });
  }
  return found;
}

/** `text` with its base64 runs of text as the text they are; undefined when it holds none. */
export const decodedBase64 = (text: string): string | undefined => textReadAs(text, runsIn(text));

/** Whether c is a base64 character (no padding). */
const base64Byte = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;

/** Base64 characters in a row that `RUN` takes at least (30 bytes). */
const LONG = 40;

/**
 * Whether text or bytes hold LONG base64 characters in a row (bytes read without a string made of them).
 * Every text scrubbed passes here, so it skips: a character that is none rules out every run through it,
 * and the next one to look at is LONG further on; in text of words most characters are never read.
 */
export function holdsLongRun(t: string | Uint8Array): boolean {
  const text = typeof t === 'string';
  const at = (i: number) => base64Byte(text ? t.charCodeAt(i) : t[i]!);
  const n = t.length;
  /** Characters before `from` are ruled out: no run of LONG starts there. */
  let from = 0;
  let i = LONG - 1;
  while (i < n) {
    if (!at(i)) {
      from = i + 1;
      i += LONG;
      continue;
    }
    // The run through i starts at s; it is long enough when it goes on to s + LONG.
    let s = i;
    while (s > from && at(s - 1)) s--;
    let e = i + 1;
    while (e < n && e < s + LONG && at(e)) e++;
    if (e === s + LONG) return true;
    from = e + 1;
    i = e + LONG;
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
