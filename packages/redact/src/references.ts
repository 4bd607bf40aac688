import { isUtf8 } from 'node:buffer';
import { windows1252 } from '@talent-export/schema';

// HTML character references, as HTML mail, notes and job posts write text (`O&#39;Brien`,
// `jane&#64;example.com`, `Se&aacute;n`): one table for the scrubber, which reads strings, and the leak
// scan, which reads bytes, so that both see the same text behind them.
// The leak scan also reads behind the escapes other writers put in text files: JSON's `\u00e1` (Python's
// and .NET's encoders write every letter beyond ASCII so) and RTF's `\'e1` and `\u322?` (a résumé saved as
// .rtf), and bytes that are no UTF-8 as Windows-1252 (a .txt or a CSV saved on Windows or by Excel).

/**
 * The named references text uses, and those of the letters names are spelled with, as HTML mail writes
 * them (`Se&aacute;n O&rsquo;Brien`): Latin-1's letters (U+00C0 to U+00FF, in order) and a few more.
 */
const LATIN1_NAMES =
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
/** Letters of Latin Extended-A that names of Central Europe and Turkey are spelled with, as `name:hex`. */
const EXTENDED_NAMES =
  'Amacr:100 amacr:101 Abreve:102 abreve:103 Aogon:104 aogon:105 Cacute:106 cacute:107 Ccaron:10c ccaron:10d Dcaron:10e dcaron:10f Dstrok:110 dstrok:111 Emacr:112 emacr:113 Edot:116 edot:117 Eogon:118 eogon:119 Ecaron:11a ecaron:11b Gbreve:11e gbreve:11f Imacr:12a imacr:12b Idot:130 imath:131 Lacute:139 lacute:13a Lcaron:13d lcaron:13e Lstrok:141 lstrok:142 Nacute:143 nacute:144 Ncaron:147 ncaron:148 Omacr:14c omacr:14d Odblac:150 odblac:151 Racute:154 racute:155 Rcaron:158 rcaron:159 Sacute:15a sacute:15b Scedil:15e scedil:15f Tcedil:162 tcedil:163 Tcaron:164 tcaron:165 Umacr:16a umacr:16b Uring:16e uring:16f Udblac:170 udblac:171 Zacute:179 zacute:17a Zdot:17b zdot:17c Zcaron:17d zcaron:17e';
/** Punctuation of e-mails, links, phones and quotes, which HTML5 named too (`jane&period;doe&commat;`). */
const PUNCTUATION_NAMES =
  'commat:40 period:2e lowbar:5f hyphen:2010 dash:2010 plus:2b sol:2f colon:3a num:23 comma:2c excl:21 quest:3f equals:3d percnt:25 grave:60 acute:b4 middot:b7 ldquo:201c rdquo:201d sbquo:201a bull:2022 hellip:2026 ensp:2002 emsp:2003 thinsp:2009 zwj:200d zwnj:200c';

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  OElig: '\u0152',
  oelig: '\u0153',
  Scaron: '\u0160',
  scaron: '\u0161',
  Yuml: '\u0178',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ndash: '\u2013',
  mdash: '\u2014',
  shy: '\u00ad',
  ...Object.fromEntries(LATIN1_NAMES.split(' ').map((name, i) => [name, String.fromCharCode(0xc0 + i)])),
  ...Object.fromEntries(
    `${EXTENDED_NAMES} ${PUNCTUATION_NAMES}`.split(' ').map((pair) => {
      const [name, hex] = pair.split(':');
      return [name!, String.fromCharCode(Number.parseInt(hex!, 16))];
    }),
  ),
};
/** Named references read in any case where HTML has one spelling for both (`&AMP;`, `&NBSP;`). */
const ANY_CASE = new Set(['amp', 'lt', 'gt', 'quot', 'apos', 'nbsp']);

/** The text of a named reference (without `&` and `;`), or undefined for a name this table does not know. */
export function namedReference(name: string): string | undefined {
  if (Object.hasOwn(NAMED, name)) return NAMED[name];
  const lower = name.toLowerCase();
  return ANY_CASE.has(lower) ? NAMED[lower] : undefined;
}

/** A numeric reference's code point, or -1 where it names none (0, a surrogate, past Unicode). */
export const referencedCode = (code: number): number =>
  code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? -1 : code;

/** A numeric or named reference, as written. */
export const REFERENCE = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z][a-z0-9]{1,7}));/gi;

/** Bytes decoded, with `at[k]` the offset in the bytes as written of decoded byte k (`at[length]`: their end). */
export interface DecodedBytes {
  bytes: Buffer;
  at: Int32Array;
}

/** Decoded bytes that also say where what each came from ends (a decoded byte of a character written long). */
export interface MappedBytes extends DecodedBytes {
  after: Int32Array;
}

/** The code point of the reference at b[i] (an `&`) and where it ends, left here by `referenceAt`. */
let referenceEnd = 0;

/** The value of the `count` hex digits at b[from], or -1. */
function hexAt(b: Uint8Array, from: number, count: number): number {
  let value = 0;
  for (let j = from; j < from + count; j++) {
    const c = (b[j] ?? 0) | 0x20;
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * The code point of the escape that starts at b[i] (a backslash), or -1; its end is left in `referenceEnd`.
 * RTF's `\'e1` (a Windows-1252 byte) and `\u322?` or `\u322\'3f` (a code, its fallback character skipped);
 * JSON's `\u00e1` (a UTF-16 unit: a surrogate pair as one character, a lone surrogate as nothing).
 */
function escapeAt(b: Uint8Array, i: number): number {
  if (b[i + 1] === 39) {
    const byte = hexAt(b, i + 2, 2);
    if (byte < 0) return -1;
    referenceEnd = i + 4;
    return windows1252(byte).charCodeAt(0);
  }
  if (b[i + 1] !== 117) return -1;
  // RTF: a decimal code, negative past 32767, followed by its fallback for readers without Unicode.
  let j = i + 2;
  const negative = b[j] === 45;
  if (negative) j++;
  let code = 0;
  const from = j;
  for (; j < from + 5 && b[j]! >= 48 && b[j]! <= 57; j++) code = code * 10 + b[j]! - 48;
  // Never a leading zero (JSON's `\u0027` is hex).
  const decimal = j > from && (b[from] !== 48 || j === from + 1);
  if (decimal && (b[j] === 63 || (b[j] === 92 && b[j + 1] === 39 && hexAt(b, j + 2, 2) >= 0))) {
    referenceEnd = b[j] === 63 ? j + 1 : j + 4;
    return referencedCode(negative ? code + 65_536 : code);
  }
  const unit = hexAt(b, i + 2, 4);
  if (unit < 0) return -1;
  referenceEnd = i + 6;
  if (unit < 0xd800 || unit > 0xdfff) return unit;
  const low = b[i + 6] === 92 && b[i + 7] === 117 ? hexAt(b, i + 8, 4) : -1;
  if (unit > 0xdbff || low < 0xdc00 || low > 0xdfff) return -1;
  referenceEnd = i + 12;
  return 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
}

/** The Windows-1252 characters a lone byte may be: letters of names and apostrophes (`ˆ` of `=88` is none). */
const LETTER_OR_APOSTROPHE = /^[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ffŠšŒœŽžŸ\u2018\u2019\u00b4]$/;
const APOSTROPHES = '\u2018\u2019\u00b4';

/** An uppercase hex digit's value, or -1 (quoted-printable writes no other). */
const upperHex = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : -1);

/** The byte of an escape of `mark` and two digits of `hex` at b[i] (`=E9`, `%e9`), or -1; at least `least`. */
function escapedByte(
  b: Uint8Array,
  i: number,
  mark: number,
  hex: (c: number) => number,
  least: number,
): number {
  if (b[i] !== mark || i + 2 >= b.length) return -1;
  const high = hex(b[i + 1]!);
  const low = hex(b[i + 2]!);
  const byte = high >= 0 && low >= 0 ? high * 16 + low : -1;
  return byte >= least ? byte : -1;
}

/** The byte of quoted-printable's `=XX` at b[i] when it is beyond ASCII (`=E9`), else -1. */
const qpByte = (b: Uint8Array, i: number) => escapedByte(b, i, 61, upperHex, 0x80);

/**
 * The code point of quoted-printable's escapes at b[i] (`=C3=A9` of a mail's UTF-8 body, `=E9` of a
 * Latin-1 one, read as Windows-1252), or -1; their end is left in `referenceEnd`. Only bytes beyond
 * ASCII: `=20` or `=3D` are as often a query string's.
 */
function qpAt(b: Uint8Array, i: number): number {
  const code = escapedUtf8(b, i, qpByte);
  if (code >= 0) return code;
  const first = qpByte(b, i);
  if (first < 0) return -1;
  // A byte alone is a letter of a word (`Jos=E9`, `M=FCller`, `O=92Brien`), not a value after an
  // equals sign (`name=CARL`, whose `=CA` it is not): a small letter after it, or before a word's end.
  const after = b[i + 3] ?? 0;
  const before = i > 0 ? b[i - 1]! : 0;
  const lower = (c: number) => c >= 97 && c <= 122;
  const letter = (c: number) => lower(c | 0x20) || c >= 0x80;
  const word = (c: number) => letter(c) || (c >= 48 && c <= 57);
  // Letters and apostrophes between letters (`O=92Brien`) only: `width=80` holds no euro sign.
  const c = windows1252(first);
  if (!LETTER_OR_APOSTROPHE.test(c)) return -1;
  if (
    APOSTROPHES.includes(c)
      ? !letter(before) || !letter(after)
      : !lower(after) && (word(after) || !lower(before))
  )
    return -1;
  referenceEnd = i + 3;
  return c.charCodeAt(0);
}

/** A hex digit's value, either case, or -1. */
const anyHex = (c: number) => (c >= 97 && c <= 102 ? c - 87 : upperHex(c));

/** The byte of a percent escape `%XX` at b[i], either case, or -1. */
const percentByte = (b: Uint8Array, i: number) => escapedByte(b, i, 37, anyHex, 0);

/**
 * The code point of the percent escapes at b[i] when they are a character beyond ASCII in UTF-8
 * (`Zo%C3%AB`, as links and query strings write a name), or -1; their end is left in `referenceEnd`.
 * ASCII's (`%20`, `%40`) are read past where words are cut (see `percentStart`).
 */
function percentAt(b: Uint8Array, i: number): number {
  return escapedUtf8(b, i, percentByte);
}

/**
 * The code point of a character beyond ASCII whose UTF-8 bytes are escaped three characters a byte at b[i]
 * (`=C3=A9`, `%C3%A9`), as `byteAt` reads an escape's byte, or -1 (no lead byte of a sequence, a byte that
 * does not go on, an overlong form); its end is left in `referenceEnd`.
 */
function escapedUtf8(b: Uint8Array, i: number, byteAt: (b: Uint8Array, i: number) => number): number {
  const first = byteAt(b, i);
  const length = first >= 0xf5 ? 0 : first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc2 ? 2 : 0;
  if (length === 0) return -1;
  let code = length === 4 ? first & 7 : length === 3 ? first & 15 : first & 31;
  for (let k = 1; k < length; k++) {
    const next = byteAt(b, i + 3 * k);
    if (next < 0x80 || next > 0xbf) return -1;
    code = (code << 6) | (next & 63);
  }
  if ((length === 3 && code < 0x800) || (length === 4 && code < 0x10000)) return -1;
  referenceEnd = i + 3 * length;
  return code;
}

/** The code point of the reference that starts at b[i], or -1; its end is left in `referenceEnd`. */
function referenceAt(b: Uint8Array, i: number): number {
  const n = b.length;
  let j = i + 1;
  if (b[j] === 35) {
    j++;
    const hex = (b[j]! | 0x20) === 120;
    if (hex) j++;
    const from = j;
    let code = 0;
    for (; j < n && j - from < (hex ? 6 : 7); j++) {
      const c = b[j]!;
      const digit =
        c >= 48 && c <= 57 ? c - 48 : hex && (c | 0x20) >= 97 && (c | 0x20) <= 102 ? (c | 0x20) - 87 : -1;
      if (digit < 0) break;
      code = code * (hex ? 16 : 10) + digit;
    }
    if (j === from || b[j] !== 59) return -1;
    referenceEnd = j + 1;
    return referencedCode(code);
  }
  const from = j;
  for (; j < n && j - from < 8; j++) {
    const c = b[j]!;
    const letter = (c | 0x20) >= 97 && (c | 0x20) <= 122;
    if (!letter && !(j > from && c >= 48 && c <= 57)) break;
  }
  if (j - from < 2 || b[j] !== 59) return -1;
  const text = namedReference(Buffer.from(b.buffer, b.byteOffset + from, j - from).toString('latin1'));
  if (text === undefined) return -1;
  referenceEnd = j + 1;
  return text.codePointAt(0)!;
}

/**
 * The bytes with their HTML character references decoded (an `&amp;` before another reference too, as text
 * escaped twice writes it: `&amp;#64;`), the JSON and RTF escapes of `escapeAt`, quoted-printable's and
 * percent escapes of characters beyond ASCII, or undefined when they hold none. Never longer than the bytes.
 */
export function decodeReferences(b: Uint8Array): DecodedBytes | undefined {
  let out: Buffer | undefined;
  let at = new Int32Array(0);
  let o = 0;
  let copied = 0;
  let amp = b.indexOf(38);
  let slash = b.indexOf(92);
  let equals = b.indexOf(61);
  let percent = b.indexOf(37);
  const first = () => nearest(nearest(amp, slash), nearest(equals, percent));
  for (let i = first(); i !== -1; i = first()) {
    let code =
      b[i] === 38
        ? referenceAt(b, i)
        : b[i] === 92
          ? escapeAt(b, i)
          : b[i] === 61
            ? qpAt(b, i)
            : percentAt(b, i);
    const next = code < 0 ? i + 1 : referenceEnd;
    if (amp !== -1 && amp < next) amp = b.indexOf(38, next);
    if (slash !== -1 && slash < next) slash = b.indexOf(92, next);
    if (equals !== -1 && equals < next) equals = b.indexOf(61, next);
    if (percent !== -1 && percent < next) percent = b.indexOf(37, next);
    if (code < 0) continue;
    let end = referenceEnd;
    if (code === 38 && b[i] === 38 && end < b.length) {
      const inner = referenceAt(b, end - 1);
      if (inner >= 0) {
        code = inner;
        end = referenceEnd;
      }
    }
    if (out === undefined) {
      out = Buffer.allocUnsafe(b.length);
      at = new Int32Array(b.length + 1);
    }
    for (let k = copied; k < i; k++) {
      out[o] = b[k]!;
      at[o++] = k;
    }
    const written = out.write(String.fromCodePoint(code), o, 'utf8');
    for (let k = 0; k < written; k++) at[o + k] = i;
    o += written;
    copied = end;
    if (amp !== -1 && amp < end) amp = b.indexOf(38, end);
    if (slash !== -1 && slash < end) slash = b.indexOf(92, end);
    if (equals !== -1 && equals < end) equals = b.indexOf(61, end);
    if (percent !== -1 && percent < end) percent = b.indexOf(37, end);
  }
  if (out === undefined) return undefined;
  for (let k = copied; k < b.length; k++) {
    out[o] = b[k]!;
    at[o++] = k;
  }
  at[o] = b.length;
  return { bytes: out.subarray(0, o), at: at.subarray(0, o + 1) };
}

/** The smaller of two offsets where -1 is none. */
const nearest = (a: number, b: number): number => (a === -1 ? b : b === -1 ? a : Math.min(a, b));

/**
 * Bytes that are no UTF-8 read as Windows-1252, byte by byte (what Windows and Excel save text in; UTF-8
 * sequences among them are kept), or undefined when they are UTF-8 (but for a character cut at their end,
 * which the next piece of a stream holds). Up to three times as long as the bytes.
 */
export function decodeWindows1252(b: Uint8Array): DecodedBytes | undefined {
  const n = b.length;
  let cut = n;
  for (let k = n - 1; k >= 0 && k >= n - 3; k--) {
    if ((b[k]! & 0xc0) === 0x80) continue;
    if (k + sequenceLength(b[k]!) > n) cut = k;
    break;
  }
  if (isUtf8(b.subarray(0, cut))) return undefined;
  const out = Buffer.allocUnsafe(n * 3);
  const at = new Int32Array(n * 3 + 1);
  let o = 0;
  for (let i = 0; i < n; ) {
    const length = b[i]! < 0x80 ? 1 : utf8Length(b, i);
    if (length > 0) {
      for (let k = 0; k < length; k++) {
        out[o] = b[i + k]!;
        at[o++] = i;
      }
      i += length;
      continue;
    }
    const written = out.write(windows1252(b[i]!), o, 'utf8');
    for (let k = 0; k < written; k++) at[o + k] = i;
    o += written;
    i++;
  }
  at[o] = n;
  return { bytes: out.subarray(0, o), at: at.subarray(0, o + 1) };
}

/** How many bytes a UTF-8 sequence led by `lead` has (0: none). */
const sequenceLength = (lead: number): number =>
  lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;

/** The length of the well-formed UTF-8 sequence of 2 to 4 bytes at b[i], or 0. */
function utf8Length(b: Uint8Array, i: number): number {
  const lead = b[i]!;
  const length = sequenceLength(lead);
  if (length === 0 || i + length > b.length) return 0;
  const second = b[i + 1]!;
  const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
  const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  return length;
}

/** The first decoded byte that comes from at or after `offset` of the bytes as written. */
export function decodedOffset(at: Int32Array, offset: number): number {
  let low = 0;
  let high = at.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (at[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
