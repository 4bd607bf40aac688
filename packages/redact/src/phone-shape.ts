// Whether a phone-shaped run of digits the dictionary does not know is a phone number: by its shape, and
// by what is not one though it has the digits of one (dates, ranges of amounts, IP addresses, numbers
// of orders or books). Only runs that have the shape come here, so these checks cost nothing per text.

const isDigit = (c: number) => c >= 48 && c <= 57;
const isCapital = (c: number) => c >= 65 && c <= 90;
export const MAX_PHONE_DIGITS = 15;

/**
 * A phone number by shape: a + or parentheses and 7+ digits, or 10 to 15 digits (the letters of a vanity
 * number count as digits: `415-555-JANE`); never a date (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/, or `yyyymmdd`
 * and a separator first: `20240301.1542`), a range of round amounts, an IP address or a number labelled as
 * an order's, a book's, a build's... Reads text[start, end).
 */
export function looksLikePhone(text: string, start: number, end: number): boolean {
  if (isDate(text, start, end)) return false;
  let n = 0;
  let paren = false;
  // What parts the digits: the checks below that need a dash, a slash or only dots run only then.
  let dots = 0;
  let parts = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c) || isCapital(c)) n++;
    else if (c === 40) paren = true;
    else if (c === 46) dots++;
    else if (c === 45 || c === 47 || (c >= 0x2010 && c <= 0x2015)) parts++;
  }
  if (n > MAX_PHONE_DIGITS) return false;
  const first = text.charCodeAt(start);
  if (!(first === 43 || paren ? n >= 7 : n >= 10)) return false;
  if (parts > 0 && isRange(text, start, end)) return false;
  if (n === 13 && end - start === 13 && EPOCH_MS.test(text.slice(start, end))) return false;
  if (dots === 3 && end - start === n + 3 && isIpAddress(text, start, end)) return false;
  return !startsWithCompactDate(text, start, end) && !isLabelled(text, start);
}

/** A run that starts with a date written `yyyymmdd` and a separator (`20240301.1542`, a build or batch). */
function startsWithCompactDate(text: string, start: number, end: number): boolean {
  if (end - start < 10) return false;
  for (let i = start; i < start + 8; i++) if (!isDigit(text.charCodeAt(i))) return false;
  if (isDigit(text.charCodeAt(start + 8))) return false;
  const year = Number(text.slice(start, start + 4));
  const month = Number(text.slice(start + 4, start + 6));
  const day = Number(text.slice(start + 6, start + 8));
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

export function isDate(text: string, start: number, end: number): boolean {
  const digit = (at: number) => at < end && isDigit(text.charCodeAt(at));
  const sep = (at: number) => {
    if (at >= end) return false;
    const c = text.charCodeAt(at);
    return c === 45 || c === 47 || c === 46;
  };
  if (!digit(start) || !digit(start + 1) || !digit(start + 2) || !digit(start + 3) || !sep(start + 4)) {
    return false;
  }
  if (!digit(start + 5)) return false;
  const at = sep(start + 6) ? start + 7 : digit(start + 6) && sep(start + 7) ? start + 8 : -1;
  if (at === -1 || !digit(at)) return false;
  // A year of the last millennia and a month: 0049-30-1234567 and 0033-6-12-34-56-78 are phone numbers.
  const year = text.charCodeAt(start);
  const m = text.charCodeAt(start + 5) - 48;
  const month = at === start + 7 ? m : m * 10 + text.charCodeAt(start + 6) - 48;
  return (year === 49 || year === 50) && month >= 1 && month <= 12;
}

/** Two amounts and a dash between: `120000-140000`, `85.000 – 95.000`, `45 000 - 55 000` (both round). */
const RANGE = /^(\d[\d., \u00a0\u202f]*?000)\s*[-\u2010-\u2015]\s*(\d[\d., \u00a0\u202f]*?000)$/;

/** Years and seasons (`2023/24 - 2024/25`, `2015 – 2019 / 2019 – 2023`). */
const YEARS = /^(?:19|20)\d\d(?:\/\d\d)?(?:\s*[-\u2010-\u2015/]\s*(?:19|20)\d\d(?:\/\d\d)?)+$/;
/** Epoch milliseconds (13 digits from 1): no phone number has 13 digits after a 1 without a +. */
const EPOCH_MS = /^1\d{12}$/;

/** A range of round amounts (salaries, budgets), each a thousand or more, the second larger; or of years. */
function isRange(text: string, start: number, end: number): boolean {
  const run = text.slice(start, end);
  if (YEARS.test(run)) return true;
  const m = RANGE.exec(run);
  if (m === null) return false;
  const [low, high] = [m[1]!, m[2]!].map((side) => Number(side.replace(/\D/g, '')));
  return high! > low!;
}

/** An IPv4 address: four numbers up to 255 parted by dots (`192.168.100.200`). */
function isIpAddress(text: string, start: number, end: number): boolean {
  const parts = text.slice(start, end).split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** A label before a number that says whose it is: an order's, an invoice's, a book's... (not a phone's). */
const LABEL =
  /\b(?:order|invoice|inv|isbn|issn|ticket|case|ref|reference|req|requisition|po|sku|tracking|serial|build|id)\b\.?\s*(?:no\.?|nr\.?|number|#)?\s*[:#]?\s*$/i;

/** Whether the 32 characters before `start` end with such a label. */
function isLabelled(text: string, start: number): boolean {
  return LABEL.test(text.slice(Math.max(0, start - 32), start));
}

/** Capitals after a dash that end a vanity number: `415-555-JANE`, `1-800-555-SHOP`. */
const VANITY = /-[A-Z]{2,7}(?![\p{L}\p{N}])/uy;

/** Where a phone-shaped run ending at `end` with `digits` digits ends once the letters of a vanity number are taken. */
export function vanityEnd(text: string, end: number, digits: number): number {
  if (digits < 6 || digits > 9 || text.charCodeAt(end) !== 45) return end;
  VANITY.lastIndex = end;
  if (!VANITY.test(text)) return end;
  const letters = VANITY.lastIndex - end - 1;
  return digits + letters >= 10 && digits + letters <= 11 ? VANITY.lastIndex : end;
}

/** An extension after a number: `ext. 42`, `x123`, `extension 7`. */
const EXTENSION = /,?\s*(?:ext\.?|extension|x)\s*\d{1,6}(?![\p{L}\p{N}])/iuy;

/** Where a phone number ending at `end` ends with its extension, if one follows. */
export function extensionEnd(text: string, end: number): number {
  EXTENSION.lastIndex = end;
  return EXTENSION.test(text) ? EXTENSION.lastIndex : end;
}

/**
 * Whether the slash at `at` parts two numbers: 7 digits or more since `from`, and groups of 3 digits or more
 * on both sides (`0958/07700`; not `01/15/2024`).
 */
export function numbersApart(text: string, from: number, at: number): boolean {
  let before = at;
  while (before > from && isDigit(text.charCodeAt(before - 1))) before--;
  let after = at + 1;
  while (after < text.length && isDigit(text.charCodeAt(after))) after++;
  return at - before >= 3 && after - at - 1 >= 3 && digitsIn(text, from, at) >= 7;
}

export function digitsIn(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (isDigit(text.charCodeAt(i))) n++;
  return n;
}
