// The part of a LinkedIn profile URL that says whose it is, searched for on its own: the same profile is
// written with other hosts and paths (`uk.linkedin.com/in/x`, `www.linkedin.com/comm/in/x`, Recruiter's
// `talent/hire/<project>/.../profile/<id>`), percent-encoded or not, and a bare `in/x` is no URL at all.

/** Path words after which a profile's own part follows. */
const MARKS = new Set(['in', 'pub', 'profile', 'lead', 'people']);

/**
 * The forms of a profile URL's own part (`sean-obrien-1a2b3c` of
 * `uk.linkedin.com/in/sean-obrien-1a2b3c/?trk=x`, or of its path alone, `/in/sean-obrien-1a2b3c`): as written, percent-decoded and percent-encoded; none
 * when it is too short to be told from a word (`in/jane`: every "Jane" would be a hit) or the URL is no
 * LinkedIn profile's.
 */
export function profileSlugs(url: string): string[] {
  const at = url.toLowerCase().indexOf('linkedin.com/');
  // A cell may hold the path alone, as people copy it from the address bar (`/in/pat-kim-9x8y7z/`).
  const hostless = /^\s*\/?(?:in|pub)\//i.exec(url);
  if (at === -1 && hostless === null) return [];
  const path = (at === -1 ? url.trim() : url.slice(at + 'linkedin.com/'.length))
    .split(/[?#,]/, 1)[0]!
    .split('/')
    .filter((part) => part !== '');
  let mark = -1;
  path.forEach((part, i) => {
    if (MARKS.has(part.toLowerCase())) mark = i;
  });
  const slug = mark === -1 ? '' : path.slice(mark + 1).join('/');
  if (slug.length < 6 && !/[^\p{L}\p{N}]/u.test(slug)) return [];
  const forms = new Set([slug]);
  try {
    forms.add(decodeURIComponent(slug));
  } catch {
    // Not valid percent-encoding: as written only.
  }
  forms.add(encodeURI(slug));
  return [...forms];
}

/**
 * An e-mail address's local part without its +tag (`jane.doe42` of `Jane.Doe42+jobs@example.com`), searched
 * for on its own: spelled out (`jane.doe42 at example dot com`) or alone (a chat handle) it still says
 * whose the address is. Undefined when it has fewer than 6 letters and digits (`jd`, `info`: words), is
 * made of the names fakes are drawn from only (every fake would be a hit), or is several words none with
 * a digit.
 */
export function emailLocal(email: string, isFakeName: (word: string) => boolean): string | undefined {
  const at = email.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = email.slice(0, at).split('+', 1)[0]!;
  const words = local.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.join('').length < 6 || words.every(isFakeName)) return undefined;
  // Words without digits (`al.okafor`) are a name's, searched for as the name: a hit of the name stays one.
  if (words.length > 1 && !words.some((word) => /\d/.test(word))) return undefined;
  return local;
}

/** An e-mail address inside other text: no space, bracket, quote, comma, colon or semicolon in it. */
const ADDRESS = /[^\s<>"'(),;:[\]]+@[^\s<>"'(),;:[\]]+/g;

/**
 * The addresses an e-mail cell holds: itself when it is one bare address (or holds no @), else each one
 * in it, as a cell pasted from a mail program or a link writes them (`Jane Doe <jane@example.com>`,
 * `mailto:jane@example.com`, `a@example.com, b@example.org`), without a full stop after.
 */
export function addressesIn(cell: string): string[] {
  const found = cell.match(ADDRESS);
  if (found === null) return [cell];
  return found.map((address) => address.replace(/\.+$/, ''));
}

/**
 * A LinkedIn link in text: a profile's path after LinkedIn's host (`linkedin.com/in/…`, `pub/`, its e-mails'
 * `comm/in/`, Recruiter's and Sales Navigator's), or a short link (`lnkd.in/…`, which may lead to anyone's
 * profile); up to its query or a backslash (an escape of the text: `\n`, `\"`), without the sentence's
 * punctuation after it. From the host on: a pattern with
 * the labels before it (`www.`) would try every word of a long text again at each of its letters.
 */
const LINK =
  /linkedin\.com\/(?:in|pub|comm\/in|mwlite\/in|talent\/profile|talent\/hire|recruiter|sales\/lead|sales\/people)\/[^\s<>"'()[\]{},;?#\\]+|(?<![\w.-])lnkd\.in\/[\w-]+/gi;
const HAS_LINK = /linkedin\.com\/|lnkd\.in\//i;

/**
 * The LinkedIn links a free text holds (see `LINK`): values of the source the scrubber takes out as `[URL]`,
 * whoever they are of, which no column names.
 */
export function profileLinksIn(written: string): string[] {
  // JSON's escaped slashes (`https:\/\/www.linkedin.com\/in\/…`) read as the scrubber reads them.
  const text = written.includes('\\/') ? written.replaceAll('\\/', '/') : written;
  if (!HAS_LINK.test(text)) return [];
  return [...text.matchAll(LINK)].map((m) => m[0].replace(/[.!:]+$/, ''));
}
