// JSON documents as the CLI prints them.

/** Characters that show nothing or reorder the text around them, C1 controls, and line separators. */
const HIDDEN = /[\u0080-\u009f\u2028\u2029\p{Cf}]/gu;

/** Each UTF-16 unit of `char` as a JSON escape (a character past U+FFFF takes two). */
function escaped(char: string): string {
  let out = '';
  for (let i = 0; i < char.length; i += 1) {
    out += `\\u${char.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/**
 * `value` as indented JSON with the characters that show nothing or reorder text written as `\u202E`
 * escapes: a file named `cv\u202Efdp.exe` read `cvexe.pdf` in a terminal or an editor showing the document.
 * The escapes parse to the same strings, so a program reading the document gets every value as it was.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(HIDDEN, escaped);
}
