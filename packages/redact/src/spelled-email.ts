// E-mail addresses written so that a machine should not read them: "jane.doe at example dot com",
// "jdoe [at] example [dot] org", "jane(dot)doe(at)example(dot)com", "jane [@] example.com",
// "jane @ example.com", "jane＠example．com". The @ scan finds none of them.

/**
 * What stands for the @: a spaced or full-width @, `[at]` `(at)` `{at}` `<at>` `[@]` `(@)`, ` -at- `, or the
 * word "at" between spaces.
 */
const AT = String.raw`(?:\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*|\s+-at-\s+|\s*[＠﹫]\s*|\s+@\s*|\s*@\s+|(\s+at\s+))`;
/** A dot spelled out: `[dot]` `(dot)` `{dot}` `<dot>`, ` -dot- `, the word "dot" or a dot between spaces. */
const SPELLED_DOTS = String.raw`\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+-dot-\s+|\s+dot\s+|\s+\.\s+`;
/**
 * What stands for a dot: one spelled out, a dot, a full-width dot or an ideographic full stop (Chinese and
 * Japanese text types `163。com` for `163.com`), the last two before an ASCII label only (`。谢谢` ends a
 * sentence).
 */
const DOT = `(?:${SPELLED_DOTS}|\\.|[．。｡](?=[A-Za-z0-9]))`;
const LABEL = String.raw`[\p{L}\p{N}-]+`;
const LOCAL = String.raw`[\p{L}\p{N}._%+'-]+`;
// At most 8 dots spelled in the local part and 8 in the host: no address has more, and without a bound a
// long chain of them with no address after it (`a [dot] a [dot] …`) was read again from each of its words.
const SPELLED = new RegExp(
  String.raw`(?<![\p{L}\p{N}._%+'-])(${LOCAL}(?:(?:${SPELLED_DOTS})${LOCAL}){0,8})${AT}(${LABEL}(?:${DOT}${LABEL}){0,8}${DOT}\p{L}{2,24})(?![\p{L}\p{N}])`,
  'giu',
);
/**
 * Cheap test before the expression: one of the ways of writing an @ above, the word "at" only when a host
 * name's first label and dot follow it (the word alone is in most sentences, and the expression is slow).
 * Those that start with a space are one branch: a tenth faster than a branch each, on every text scrubbed.
 */
const HINT =
  /\s(?:-at-\s|@|at\s+[\p{L}\p{N}-]+(?:[.．。｡]|\s+dot\s|\s*[[({<]\s*dot|\s-dot-\s))|@\s|[＠﹫]|[[({<]\s*(?:at|@)\s*[\])}>]/iu;
const SPELLED_DOT = /\sdot\s|[[({<]\s*dot\s*[\])}>]|\s-dot-\s/i;
/** A local part that is no word of a sentence: with a dot, underscore, plus, percent, dash or digit. */
const MARKED = /[._%+\-\d]/;
/** Mail providers' hosts without their top-level domain, for the expressions that look for them. */
export const MAIL_PROVIDERS =
  'gmail|googlemail|yahoo|hotmail|outlook|live|icloud|aol|protonmail|proton|gmx|yandex|zoho';
/** A mail provider's host: "mary at gmail.com" is an address, as "it at amazon.com" is not. */
const MAIL_HOST = new RegExp(`^(?:${MAIL_PROVIDERS})\\.`, 'i');
/** A version number (`3.11 at python.org`) is no local part. */
const LETTER = /\p{L}/u;

/**
 * Calls `found` with the start and end of every spelled-out e-mail address in `text`. With the plain word
 * "at" (as in "Buy it at amazon.com"), only where the dots are spelled too ("dot"), the host is a mail
 * provider's (`gmail.com`) or the local part has a dot, underscore, dash, plus or digit that no word of a
 * sentence has, and a letter.
 */
export function spelledEmails(text: string, found: (start: number, end: number) => void): void {
  if (!HINT.test(text)) return;
  SPELLED.lastIndex = 0;
  for (let m = SPELLED.exec(text); m !== null; m = SPELLED.exec(text)) {
    const wordAt = m[2] !== undefined;
    const spelled = SPELLED_DOT.test(m[3]!) || SPELLED_DOT.test(m[1]!) || MAIL_HOST.test(m[3]!);
    if (wordAt && !spelled && !(MARKED.test(m[1]!) && LETTER.test(m[1]!))) {
      // What it took for a host name may be the local part of one ("it at jane.doe at example dot com").
      SPELLED.lastIndex = m.index + m[1]!.length;
      continue;
    }
    found(m.index, m.index + m[0].length);
  }
}
