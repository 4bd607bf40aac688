// Entry names: decoding the stored bytes and refusing anything that could escape an extraction folder.
import { isUtf8 } from 'node:buffer';
import { crc32 } from 'node:zlib';
import { type Problem, problem } from './errors.js';
import { UTF8_FLAG } from './format.js';

export const UNICODE_PATH_FIELD = 0x7075;

// Code page 437, bytes 0x80-0xff: the encoding the zip format assumes when the UTF-8 flag is clear.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  return isUtf8(bytes)
    ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')
    : undefined;
}

function cp437(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
  return out;
}

export type Decoded =
  | { ok: true; name: string; odd?: string }
  | { ok: false; problem: Problem; shown: string };

const BACKSLASH = 0x5c;

/**
 * Why an unflagged name read as CP437 is not plausible CP437 text, or undefined when it is. Names in the
 * wild are Latin letters with accents (0x80-0xAF, ß, µ, °); box drawing, Greek and math signs come from
 * another code page, and a `\` right after a non-ASCII byte is the second byte of a Shift-JIS or GBK
 * character far more often than a folder separator after an accented letter.
 */
export function implausibleCp437(raw: Uint8Array): string | undefined {
  for (let i = 0; i < raw.length; i += 1) {
    const byte = raw[i]!;
    if (byte < 0x80) continue;
    if (raw[i + 1] === BACKSLASH)
      return 'a "\\" follows a non-ASCII byte, as in a Shift-JIS or GBK character';
    if (byte > 0xaf && byte !== 0xe1 && byte !== 0xe6 && byte !== 0xf8) {
      return 'it holds box-drawing, Greek or math characters, likely bytes of another code page';
    }
  }
  return undefined;
}

/**
 * Decodes a stored name: UTF-8 when the language-encoding flag says so, else the Info-ZIP Unicode Path
 * field when its CRC matches, else UTF-8 when the bytes are valid UTF-8 (macOS, Java and 7-Zip write UTF-8
 * without the flag), else CP437.
 */
export function decodeName(raw: Uint8Array, flags: number, unicodePath?: Buffer): Decoded {
  if ((flags & UTF8_FLAG) !== 0) {
    const name = utf8OrUndefined(raw);
    if (name !== undefined) return { ok: true, name };
    return {
      ok: false,
      shown: Buffer.from(raw).toString('utf8'),
      problem: problem(
        'ZIP_UNSAFE_NAME',
        'Entry name is flagged UTF-8 but is not valid UTF-8',
        'The archive was written by a faulty tool; re-create it.',
      ),
    };
  }
  if (unicodePath !== undefined && unicodePath.length >= 6 && unicodePath[0] === 1) {
    if (unicodePath.readUInt32LE(1) === crc32(raw)) {
      const name = utf8OrUndefined(unicodePath.subarray(5));
      if (name !== undefined) return namesAgree(raw, name) ? { ok: true, name } : otherName(name);
    }
  }
  if (raw.every((byte) => byte < 0x80)) return { ok: true, name: cp437(raw) };
  const utf8 = utf8OrUndefined(raw);
  if (utf8 !== undefined) return { ok: true, name: utf8 };
  const odd = implausibleCp437(raw);
  return odd === undefined ? { ok: true, name: cp437(raw) } : { ok: true, name: cp437(raw), odd };
}

/**
 * Whether `name`, from a Unicode Path field, can be what the stored bytes `raw` say in some code page: the
 * ASCII characters of both are the same, in the same order, but for the bytes a code page writes for the
 * others (a byte of 0x80 or more; a byte of 0x40 or more right after one, the second byte of a Shift-JIS,
 * GBK or Big5 character; and, one for each character of the field's name that is not ASCII, a `?`, `_` or
 * look-alike letter or sign written for one the code page lacks, as Windows writes `Łukasz` as `Lukasz` and
 * `John’s` as `John's`). A field that names another file is how one archive lists different files in
 * different readers: Info-ZIP unzip takes the field (so do 7-Zip and bsdtar), CPython, Java and Go read
 * the stored bytes. A digit, '.', '/' or '\\' never stands for another character, so the folders, the
 * candidate ids in them and the extension must agree exactly.
 */
export function namesAgree(raw: Uint8Array, name: string): boolean {
  // macOS writes names decomposed (`e` and U+0301 for `é`): either side may be in either form. A form
  // the name is in already is not tried again.
  if (agreesAsIs(raw, name)) return true;
  const decomposed = name.normalize('NFD');
  if (decomposed !== name && agreesAsIs(raw, decomposed)) return true;
  const composed = name.normalize('NFC');
  return composed !== name && composed !== decomposed && agreesAsIs(raw, composed);
}

function agreesAsIs(raw: Uint8Array, name: string): boolean {
  // A name all ASCII needs no field: the bytes must say it as they are.
  if (PLAIN_ASCII.test(name))
    return raw.length === name.length && raw.every((b, i) => sameAscii(name.charCodeAt(i), b));
  const ascii = name.replace(/[^\u0000-\u007f]/g, '');
  // How many bytes may stand for a character the code page lacks: one for each that is not ASCII.
  const budget = [...name].length - ascii.length;
  const width = budget + 1;
  // A state: `ascii` matched so far (k), stand-ins used, and whether the last byte was 0x80 or more.
  const state = (k: number, used: number, high: boolean) => ((k * width + used) << 1) | (high ? 1 : 0);
  let states = new Set<number>([state(0, 0, false)]);
  // States carried, over all the bytes: up to 1,024 a byte, through 65,535 bytes, made an entry cost
  // seconds. A name read one way, or a few, carries a handful a byte.
  let work = WORK_PER_BYTE * raw.length + MAX_STATES;
  for (const byte of raw) {
    work -= states.size;
    if (work < 0) return false;
    const next = new Set<number>();
    for (const at of states) {
      const k = Math.floor((at >> 1) / width);
      const used = (at >> 1) % width;
      if (byte >= 0x80) {
        next.add(state(k, used, true));
        continue;
      }
      if (k < ascii.length && sameAscii(ascii.charCodeAt(k), byte)) next.add(state(k + 1, used, false));
      if ((at & 1) === 1 && byte >= 0x40) next.add(state(k, used, false));
      else if (used < budget && STAND_IN.test(String.fromCharCode(byte))) next.add(state(k, used + 1, false));
    }
    // Only bytes that both match and stand in for another character add states: a name that makes more
    // than this is made to, and is not taken as agreeing.
    if (next.size === 0 || next.size > MAX_STATES) return false;
    states = next;
  }
  for (const at of states) if (Math.floor((at >> 1) / width) === ascii.length) return true;
  return false;
}

/** Ways of reading the bytes so far that agreesAsIs keeps, at most, and carries through a byte on average. */
const MAX_STATES = 1024;
const WORK_PER_BYTE = 16;

/** What a code page may write for a character it lacks: anything ASCII but a digit, '.', '/' and '\\'. */
const STAND_IN = /^[^0-9./\\]$/;
const SLASH = 0x2f;

/** Equal, or one '/' and one '\\': both separate folders (a Windows tool may write either in either place). */
const sameAscii = (a: number, b: number): boolean =>
  a === b || (a === SLASH && b === BACKSLASH) || (a === BACKSLASH && b === SLASH);

const otherName = (shown: string): Decoded => ({
  ok: false,
  shown,
  problem: problem(
    'ZIP_CORRUPT',
    "The entry's Unicode Path field (0x7075) names another file than its stored name: Info-ZIP unzip, 7-Zip and bsdtar would extract it under the one, CPython, Java and Go under the other",
    'The archive is ambiguous; ask its sender to re-create it (e.g. with Info-ZIP `zip -r` or `7z a -tzip`).',
  ),
});

/**
 * The name a local header's Unicode Path field gives, when its CRC-32 is that of the local header's name
 * `raw`, else undefined. Readers of local headers (bsdtar, even with the central directory at hand) take
 * it; Info-ZIP unzip reports it as a mismatching local name when it differs from the central one.
 */
export function localUnicodePath(extra: Buffer, raw: Uint8Array): string | undefined {
  for (let at = 0; at + 4 <= extra.length; ) {
    const length = extra.readUInt16LE(at + 2);
    if (at + 4 + length > extra.length) return undefined;
    if (extra.readUInt16LE(at) === UNICODE_PATH_FIELD) {
      const field = extra.subarray(at + 4, at + 4 + length);
      if (field.length < 6 || field[0] !== 1 || field.readUInt32LE(1) !== crc32(raw)) return undefined;
      return utf8OrUndefined(field.subarray(5));
    }
    at += 4 + length;
  }
  return undefined;
}

/**
 * Whether a local header's name that differs in its bytes from the central one names the same file: one
 * way of reading the local bytes (UTF-8 when its flag says so; else CP437, or UTF-8) gives what one way of
 * reading the central bytes gives. CPython's zipfile, appending to an archive whose names are UTF-8
 * without the flag, writes its CP437 reading of them flagged UTF-8 to the central directory and leaves the
 * local headers as they were; Info-ZIP unzip and CPython read such entries. Every reading keeps the ASCII
 * bytes as they are, so the two names agree on every '/', '\\' and '.': neither leads anywhere the other
 * does not.
 */
export function sameFile(local: Uint8Array, localFlags: number, central: Uint8Array): boolean {
  const ofLocal = (localFlags & UTF8_FLAG) !== 0 ? [utf8OrUndefined(local)] : readings(local);
  const ofCentral = readings(central);
  return ofLocal.some((name) => name !== undefined && ofCentral.includes(name));
}

const readings = (bytes: Uint8Array): (string | undefined)[] => [cp437(bytes), utf8OrUndefined(bytes)];

const unsafe = (detail: string): Problem =>
  problem(
    'ZIP_UNSAFE_NAME',
    detail,
    'The entry could be written outside the extraction folder; do not extract this archive with other tools either.',
  );

/** A name no tool should write: it writes nowhere outside the folder, but would drive a terminal or a script. */
const controlled = (detail: string): Problem =>
  problem(
    'ZIP_UNSAFE_NAME',
    detail,
    'Such a name can drive the terminal that shows it and breaks scripts that read it: the entry is not read. Rename the file and zip the folder again.',
  );

/**
 * The file macOS keeps a folder's custom icon in, `Icon` and a carriage return (and its AppleDouble copy
 * `._Icon\r`, under `__MACOSX/` in a zip Finder made): a system file, never an attachment, and the one
 * control character in a name that comes from no mistake.
 */
export function isFolderIcon(name: string): boolean {
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last === 'Icon\r' || last === '._Icon\r';
}

export type Checked = { ok: true; name: string } | { ok: false; problem: Problem };

/**
 * Normalizes separators to '/', drops '.' segments (bsdtar writes every name as `./x`; a '.' cannot lead
 * out of the folder, and Info-ZIP and CPython drop them too) and refuses names that are empty, absolute,
 * carry a drive letter, contain '..' or empty segments, NUL or other control characters. A name of '.'
 * segments only is the extraction folder itself: '' (a name ending in a '.' segment names a folder, so it
 * ends with '/').
 */
export function checkName(decoded: string, plainAscii = false): Checked {
  if (decoded.length === 0) return { ok: false, problem: unsafe('Entry name is empty') };
  // Printable ASCII holds no NUL or control character.
  if (!plainAscii && decoded.includes('\u0000')) {
    return { ok: false, problem: controlled('Entry name contains a NUL byte') };
  }
  if (!plainAscii && CONTROL.test(decoded)) {
    return { ok: false, problem: controlled('Entry name contains a control character') };
  }
  const name = decoded.includes('\\') ? decoded.replaceAll('\\', '/') : decoded;
  if (name.startsWith('/')) return { ok: false, problem: unsafe('Entry name is an absolute path') };
  if (hasDrive(name)) return driveRefused();
  // Only a name with '//', a leading '.' or '/.' can hold an empty, '.' or '..' segment.
  const suspect = name.includes('//') || name.startsWith('.') || name.includes('/.');
  return suspect ? checkSegments(name) : { ok: true, name };
}

/** Refuses '..' and empty segments, and drops '.' ones. */
function checkSegments(name: string): Checked {
  // A directory name ends with '/', which leaves one empty last segment; that one is fine.
  const folder = name.endsWith('/');
  const segments = (folder ? name.slice(0, -1) : name).split('/');
  if (segments.includes('..')) return { ok: false, problem: unsafe('Entry name contains a ".." segment') };
  if (segments.includes('')) {
    return { ok: false, problem: unsafe('Entry name contains an empty segment ("//")') };
  }
  const kept = segments.filter((segment) => segment !== '.');
  if (kept.length === segments.length) return { ok: true, name };
  if (kept.length === 0) return { ok: true, name: '' };
  const named = kept.join('/');
  // `./C:/x` must not become a drive letter once its '.' is gone.
  if (hasDrive(named)) return driveRefused();
  return { ok: true, name: folder || segments.at(-1) === '.' ? `${named}/` : named };
}

const CONTROL = /[\u0001-\u001f\u007f]/;
const COLON = 0x3a;
const DRIVE = /^[A-Za-z]:/;
const hasDrive = (name: string) => name.charCodeAt(1) === COLON && DRIVE.test(name);
const driveRefused = (): Checked => ({ ok: false, problem: unsafe('Entry name starts with a drive letter') });
/**
 * Characters that show nothing, or change how the text around them is shown: Unicode's format characters
 * (the bidi overrides, embeddings, isolates and marks U+202A-202E, U+2066-2069, U+200E-200F, U+061C; the
 * zero-width U+200B-200D, U+2060, U+FEFF; the soft hyphen), the C1 controls (U+0080-009F) and the line
 * and paragraph separators. `cv\u202Efdp.exe` shows as `cvexe.pdf`, and `re\u200Bsume.pdf` as
 * `resume.pdf`. Such names are legal on every file system and come from real uploads (a zero-width
 * non-joiner is part of Persian spelling, a mark part of a right-to-left name), so they are read, with a
 * notice (see hiddenCharacters), and shown escaped wherever this package names them. So are the C0 controls and DEL, which only
 * the name of a refused entry holds (an escape sequence in it would drive the terminal it is printed on).
 */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u;
const HIDDEN_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu;

const codePoint = (char: string): string =>
  `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * A name with each hidden character (see HIDDEN) written as `\u202E` (`\u{E0001}` past U+FFFF): a name
 * accepted holds no `\` (every one became `/`), so an escape cannot be taken for part of the name.
 */
export function visibleName(name: string): string {
  if (!HIDDEN.test(name)) return name;
  return name.replace(HIDDEN_ALL, (char) => {
    const hex = char.codePointAt(0)!.toString(16).toUpperCase();
    return hex.length > 4 ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
  });
}

/** The hidden characters of a name (see HIDDEN), as `U+202E, U+200B`, or undefined when it has none. */
export function hiddenCharacters(name: string): string | undefined {
  if (!HIDDEN.test(name)) return undefined;
  const found = new Set<string>();
  for (const match of name.matchAll(HIDDEN_ALL)) {
    if (!isSpelling(name, match.index, match[0])) found.add(match[0]);
  }
  if (found.size === 0) return undefined;
  const listed = [...found].slice(0, 4).map(codePoint).join(', ');
  return found.size > 4 ? `${listed}, ...` : listed;
}

const JOINERS = '\u200c\u200d';
const SCRIPT = /^(?:[\p{L}\p{M}\p{Extended_Pictographic}]|\p{Emoji_Modifier})$/u;

/**
 * A zero-width non-joiner or joiner between two characters of a script that spells with it (Persian
 * `می\u200Cخواهم`, Indic conjuncts, emoji sequences such as a family): part of the name, not hidden in it.
 * One next to ASCII (`re\u200Dsume.pdf`) or at an end is not.
 */
function isSpelling(name: string, at: number, char: string): boolean {
  if (!JOINERS.includes(char)) return false;
  const before = String.fromCodePoint(name.codePointAt(at - 1 - (isLowSurrogate(name, at - 1) ? 1 : 0)) ?? 0);
  const after = String.fromCodePoint(name.codePointAt(at + 1) ?? 0);
  return before > '\u007f' && after > '\u007f' && SCRIPT.test(before) && SCRIPT.test(after);
}

const isLowSurrogate = (text: string, at: number): boolean => {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff;
};

/** Printable ASCII: such a name reads the same in every encoding and needs no decoding. */
export const PLAIN_ASCII = /^[\u0020-\u007e]*$/;

/** The key under which two names count as the same file once extracted. */
export function duplicateKey(
  name: string,
  mode: 'exact' | 'case-insensitive',
  plainAscii = PLAIN_ASCII.test(name),
): string {
  const bare = name.endsWith('/') ? name.slice(0, -1) : name;
  if (mode === 'exact') return bare;
  // NFC leaves ASCII as it is.
  return plainAscii ? bare.toLowerCase() : bare.normalize('NFC').toLowerCase();
}
