// The LinkedIn URLs that stand as whole fields in a CSV table's bytes (a message's `sender_profile_url`), found
// without decoding the table: learning the messages' senders this way costs a scan of bytes where decoding
// every row of the largest table again made `convert --policy` a sixth slower.

const NEEDLE = 'linkedin.com/';
/** How many bytes a URL may span across two chunks: a field longer than this is no URL worth learning. */
const SPAN = 2048;

/** A byte that may be part of a URL as a field holds it: no space, control, quote or separator. */
const inUrl = (c: number) => c > 0x20 && c !== 0x22 && c !== 0x2c && c !== 0x3b;
/** A byte that starts or ends a field: a separator (`,`, `;`, a tab) or a line's end. */
const edge = (c: number) => c === 0x2c || c === 0x3b || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Feed it a table's bytes in order (`push`, then `end`); `found` is called with each URL of linkedin.com that
 * is a field of its own, quoted or not, a URL repeated on the next rows once. A URL inside a text (a message
 * body naming a profile) is not a field and is left out.
 */
export class UrlFields {
  #carry: Buffer | undefined;
  /** Whether the bytes scanned next begin the table (a field there starts a line). */
  #first = true;
  /** The last URL found, as its bytes read one to a character (a slice of the text of one chunk at most). */
  #last = '';

  constructor(private readonly found: (url: string) => void) {}

  push(chunk: Uint8Array): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.#carry ? Buffer.concat([this.#carry, bytes]) : bytes;
    let from = this.#scan(buf, Math.max(0, buf.length - SPAN), false);
    // The next scan begins where a field might: not inside a URL whose start it would then not see.
    const at = from;
    while (from > 0 && from > at - SPAN && inUrl(buf[from - 1]!)) from--;
    this.#carry = Buffer.from(buf.subarray(from));
    this.#first &&= from === 0;
  }

  end(): void {
    if (this.#carry) this.#scan(this.#carry, this.#carry.length, true);
    this.#carry = undefined;
  }

  /**
   * Finds the URLs of `buf` whose needle starts before `until`; returns where the bytes not looked at begin.
   * `final`: the table ends with `buf`. The bytes are read as a string of one character a byte (latin1, a
   * copy made at memory speed): a string's indexOf and charCodeAt cost a fraction of a Buffer's indexOf
   * and indexing, called for every URL of the table (a sender's on each row, more in the bodies).
   */
  #scan(buf: Buffer, until: number, final: boolean): number {
    const text = buf.toString('latin1');
    let at = 0;
    for (;;) {
      const i = text.indexOf(NEEDLE, at);
      if (i < 0 || i >= until) return Math.max(at, until);
      let start = i;
      while (start > at && inUrl(text.charCodeAt(start - 1))) start--;
      let end = i + NEEDLE.length;
      while (end < text.length && inUrl(text.charCodeAt(end))) end++;
      at = end;
      const before = start > 0 ? text.charCodeAt(start - 1) : this.#first ? 0x0a : 0x20;
      const opens =
        edge(before) || (before === 0x22 && (start > 1 ? edge(text.charCodeAt(start - 2)) : this.#first));
      const after = end < text.length ? text.charCodeAt(end) : final ? 0x0a : 0x20;
      if (!opens || !(edge(after) || after === 0x22)) continue;
      const last = this.#last;
      if (end - start === last.length && text.startsWith(last, start)) continue;
      this.#last = text.slice(start, end);
      this.found(buf.toString('utf8', start, end));
    }
  }
}

/**
 * Gives `builder.addProfile` every profile URL that is a field of a table's bytes (the messages' senders):
 * call it once the candidates are added.
 */
export async function addProfilesIn(
  bytes: AsyncIterable<Uint8Array>,
  builder: { addProfile(url: string): void },
): Promise<void> {
  for (const url of await profileFieldsIn(bytes)) builder.addProfile(url);
}

/**
 * The profile URLs that are fields of a table's bytes, each once, in the order first found: for a scan
 * that runs while the candidates are read (it takes the main thread, their decoding mostly the workers),
 * its URLs given to `addProfile` once the candidates are in.
 */
export async function profileFieldsIn(bytes: AsyncIterable<Uint8Array>): Promise<string[]> {
  const urls = new Set<string>();
  const fields = new UrlFields((url) => urls.add(url));
  for await (const chunk of bytes) fields.push(chunk);
  fields.end();
  return [...urls];
}
