// Text as it reads behind percent escapes, HTML character references and JSON's escapes
// (`?email=jane%40example.com`, `O&#39;Brien`, `linkedin.com\/in\/jane-doe`, `Se\u00e1n`), with where each character came from in the text as written: the scrubber reads the
// first and copies what it does not replace from the second, so that escaped HTML stays escaped (no tag is
// made of `&lt;script&gt;`) and a link keeps its escapes.
import { windows1252 } from '@talent-export/schema';
import { namedReference, REFERENCE, referencedCode } from './references.js';

/**
 * A percent escape, an HTML character reference, or JSON's escape of a slash or a character by its code
 * (`https:\/\/www.linkedin.com\/in\/…`, `Se\u00e1n O\u0027Brien`, as Python's and .NET's encoders write them).
 */
export const ESCAPE = /%[0-9a-f]{2}|&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,7});|\\(?:\/|u[0-9a-f]{4})/i;
/**
 * Quoted-printable's escape of a byte that starts a letter (`Ren=C3=A9e`, `M=FCller`, `=8A` for Š, `=92`
 * for an apostrophe), a mail's body pasted as it was sent; not `width=80` or `id=8842`.
 */
const QP_LETTER = /=(?:[C-F][0-9A-F]|[89][12ACEF]|B4)/;

/** Whether a text may hold an escape `unescapeMapped` reads: a fast test first, as most hold none. */
export function mayBeEscaped(text: string): boolean {
  return (
    ((text.includes('%') || text.includes('&') || text.includes('\\')) && ESCAPE.test(text)) ||
    (text.includes('=') && QP_LETTER.test(text))
  );
}
/** Quoted-printable's escapes of bytes beyond ASCII, in runs (`=C3=A9`; upper case, as it is written). */
const QP_RUN = /(?:=[89A-F][0-9A-F])+/g;
const PERCENT_RUN = /(?:%[0-9a-f]{2})+/gi;
const JSON_ESCAPE = /\\(?:\/|u([0-9a-f]{4}))/gi;
const SLASH = { text: '/', from: [0] };

/** Unescaped text, and `at[i]`: where its character i starts in the text as written (`at[length]`: its end). */
export interface Unescaped {
  text: string;
  at: Int32Array;
}

/**
 * Text as it reads behind percent escapes (runs that are whole UTF-8; others stay) and HTML character
 * references (numeric, and the named ones of `references.ts`), unescaped twice where it was escaped twice
 * (`%2540` for `@`, as links inside links are); undefined when nothing is unescaped.
 */
export function unescapeMapped(text: string): Unescaped | undefined {
  const once = unescapeOnce(text);
  if (once === undefined) return undefined;
  if (!ESCAPE.test(once.text)) return once;
  const twice = unescapeOnce(once.text);
  if (twice === undefined) return once;
  const at = twice.at.map((k) => once.at[k]!);
  return { text: twice.text, at };
}

/**
 * JSON's escapes of slashes and characters by code (a text that holds JSON as its encoders write it,
 * `https:\/\/…`, `O\u0027Brien`; each half of a surrogate pair is one code unit, so pairs come out whole),
 * then percent escapes, then character references (of what the others left), as `replace` would.
 */
function unescapeOnce(written: string): Unescaped | undefined {
  const json = written.includes('\\')
    ? replaced(written, JSON_ESCAPE, (_, hex?: string) =>
        hex === undefined ? SLASH : { text: String.fromCharCode(Number.parseInt(hex, 16)), from: [0] },
      )
    : undefined;
  const qp = then(json, written, (text) =>
    text.includes('=')
      ? replaced(text, QP_RUN, (run) => quotedPrintable(run, QP_RUN.lastIndex - run.length, text))
      : undefined,
  );
  return then(qp, written, unescapeEscapes);
}

/** `next` of what `first` left (or of `written` when it did nothing), its places mapped back to `written`. */
function then(
  first: Unescaped | undefined,
  written: string,
  next: (text: string) => Unescaped | undefined,
): Unescaped | undefined {
  const second = next(first?.text ?? written);
  if (first === undefined || second === undefined) return second ?? first;
  return { text: second.text, at: second.at.map((k) => first.at[k]!) };
}

const isLower = (c: number) => c >= 97 && c <= 122;
const isDigit = (c: number) => c >= 48 && c <= 57;
/** The Windows-1252 characters a lone byte may be: letters of names and apostrophes (`ˆ` of `=88` is none). */
const LETTER_OR_APOSTROPHE = /^[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ffŠšŒœŽžŸ\u2018\u2019\u00b4]$/;
const APOSTROPHES = '\u2018\u2019\u00b4';
const LETTER = /^\p{L}$/u;

/**
 * A run of quoted-printable escapes (`=C3=A9` of a mail's UTF-8 body) as the text it is; bytes that are no
 * UTF-8 (`=E9` of a Latin-1 one) as Windows-1252, only where they are a letter of a word (`Jos=E9`,
 * `M=FCller`): a small letter after the run, or before a word's end; `name=CARL` holds no `=CA`.
 */
function quotedPrintable(
  run: string,
  offset: number,
  text: string,
): { text: string; from: number[] } | undefined {
  const bytes = Buffer.from(run.replaceAll('=', ''), 'hex');
  const utf8 = bytes.toString('utf8');
  const from: number[] = [];
  if (!utf8.includes('\ufffd')) {
    let at = 0;
    for (const c of utf8) {
      for (let k = 0; k < c.length; k++) from.push(3 * at);
      at += Buffer.byteLength(c);
    }
    return { text: utf8, from };
  }
  const end = offset + run.length;
  const letter = (at: number) => LETTER.test(text.charAt(at));
  // Before a small letter, or ending a word after one (`Jos=E9`): not a value after an equals sign.
  const inWord =
    isLower(text.charCodeAt(end)) ||
    (!letter(end) && !isDigit(text.charCodeAt(end)) && isLower(text.charCodeAt(offset - 1)));
  let out = '';
  for (let k = 0; k < bytes.length; k++) {
    const c = windows1252(bytes[k]!);
    // Letters and apostrophes between letters (`O=92Brien`) only: `width=80` holds no euro sign.
    if (!LETTER_OR_APOSTROPHE.test(c)) return undefined;
    const apostrophe = APOSTROPHES.includes(c);
    if (apostrophe ? bytes.length > 1 || !letter(offset - 1) || !letter(end) : !inWord) return undefined;
    out += c;
    for (let j = 0; j < c.length; j++) from.push(3 * k);
  }
  return { text: out, from };
}

/** Percent escapes, then character references (of what the first left), as `replace` would. */
function unescapeEscapes(text: string): Unescaped | undefined {
  const percent = replaced(text, PERCENT_RUN, (run) => {
    const decoded = Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8');
    if (decoded.includes('\ufffd')) return undefined;
    // Each character from the escapes of its bytes: 3 characters a byte.
    const from: number[] = [];
    let bytes = 0;
    for (const c of decoded) {
      for (let k = 0; k < c.length; k++) from.push(3 * bytes);
      bytes += Buffer.byteLength(c);
    }
    return { text: decoded, from };
  });
  const base = percent ?? { text, at: identity(text.length) };
  const references = replaced(
    base.text,
    REFERENCE,
    (whole, decimal?: string, hex?: string, name?: string) => {
      let out: string | undefined;
      if (name !== undefined) out = namedReference(name);
      else {
        const code = referencedCode(decimal !== undefined ? Number(decimal) : Number.parseInt(hex!, 16));
        out = code < 0 ? undefined : String.fromCodePoint(code);
      }
      return out === undefined || out === whole ? undefined : { text: out, from: Array(out.length).fill(0) };
    },
  );
  if (references === undefined) return percent;
  return { text: references.text, at: references.at.map((k) => base.at[k]!) };
}

/**
 * `text` with each match of `re` (global) replaced by what `decode` gives (undefined: left as it is), with
 * where each character comes from; `from` gives each decoded character's offset within its match.
 */
function replaced(
  text: string,
  re: RegExp,
  decode: (...match: string[]) => { text: string; from: number[] } | undefined,
): Unescaped | undefined {
  let out = '';
  const at: number[] = [];
  let copied = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const decoded = decode(...(m as unknown as string[]));
    if (decoded === undefined) continue;
    for (let k = copied; k < m.index; k++) at.push(k);
    out += text.slice(copied, m.index) + decoded.text;
    for (const offset of decoded.from) at.push(m.index + offset);
    copied = m.index + m[0].length;
  }
  if (copied === 0) return undefined;
  for (let k = copied; k < text.length; k++) at.push(k);
  at.push(text.length);
  return { text: out + text.slice(copied), at: Int32Array.from(at) };
}

function identity(length: number): Int32Array {
  const at = new Int32Array(length + 1);
  for (let i = 0; i <= length; i++) at[i] = i;
  return at;
}
