// The forms a phone number of the export is written in elsewhere. A column holds `+48 601 234 567`; a
// recruiter's note says `601 234 567`, as people write numbers of their own country: with no country code,
// often behind a trunk 0 (`020 7946 0958` for `+44 20 7946 0958`). Short national forms have no shape of
// a phone number, so only knowing them finds them.

/** Country codes of two digits (E.164); 1 and 7 have one, all others three. */
const TWO_DIGIT_CODES = new Set([
  20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60,
  61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
]);

/** The length of the country code that `digits` (after `+` or `00`) start with. */
export function countryCodeLength(digits: string): number {
  if (digits.startsWith('1') || digits.startsWith('7')) return 1;
  return TWO_DIGIT_CODES.has(Number(digits.slice(0, 2))) ? 2 : 3;
}

/** National forms shorter than this are not kept: a 6-digit run is too often something else. */
const MIN_NATIONAL = 7;
const MIN_DIGITS = 6;
const MAX_DIGITS = 15;

const YYYYMMDD = /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

/** Digits as the dictionary and the leak scan key them: behind a 1, so a leading 0 survives. */
const keyOf = (digits: string) => Number(`1${digits}`);

/**
 * The keys (see `phoneKeyIn`) of a phone number as written and as it may be written elsewhere: without its
 * extension (`ext. 42`, `x42`), and, when written with a country code (`+` or `00` first), without it, alone
 * and behind a trunk 0. Distinct, each of 6 to 15 digits (national forms of 7 or more).
 */
export function phoneKeys(value: string): number[] {
  const numbers = value.split(SEVERAL);
  if (numbers.length === 1) return numberKeys(value);
  const keys = new Set<number>();
  for (const number of numbers) for (const key of numberKeys(number)) keys.add(key);
  return [...keys];
}

/**
 * What parts the numbers of a cell that holds several joined otherwise than by ";" (the list separator the
 * reader cuts at), as people type them: a comma, or a slash or "or" between spaces (`030 1234567 / 0171
 * 7654321`); a slash inside a number (`030/1234567`) parts nothing.
 */
const SEVERAL = /\s*[,;]\s*|\s+(?:\/|or)\s+/i;

function numberKeys(value: string): number[] {
  const keys = new Set<number>();
  const add = (digits: string, min: number) => {
    if (digits.length >= min && digits.length <= MAX_DIGITS) keys.add(keyOf(digits));
  };
  // A national form that reads as a date would be found in every timestamp of that day.
  const addNational = (digits: string) => {
    if (!YYYYMMDD.test(digits)) add(digits, MIN_NATIONAL);
  };
  const firstDigit = value.search(/\d/);
  if (firstDigit === -1) return [];
  // An extension starts at the first letter after the number's first digit.
  const letter = value.slice(firstDigit).search(/\p{L}/u);
  const forms = letter === -1 ? [value] : [value, value.slice(0, firstDigit + letter)];
  for (const form of forms) {
    const digits = form.replace(/\D+/g, '');
    add(digits, MIN_DIGITS);
    // A + before the first digit, behind a label or scheme or not (`tel:+1 ...`, `Mobile: +44 ...`).
    const plus = /\+[\s(]*$/.test(form.slice(0, firstDigit));
    if (!plus && !digits.startsWith('00')) continue;
    const international = plus ? digits : digits.slice(2);
    const code = countryCodeLength(international);
    const national = international.slice(code).replace(/^0+/, '');
    addNational(national);
    addNational(`0${national}`);
    // Written with its trunk 0 (`+44 (0)20 ...`): also as dialled from abroad, `+442079460958`.
    add(international.slice(0, code) + national, MIN_DIGITS);
  }
  return [...keys];
}
