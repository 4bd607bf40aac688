// The text of XML and HTML as a reader sees it: a Word document keeps a word in as many runs as it was typed
// or formatted in (`<w:t>Ngo</w:t></w:r><w:r><w:t>zi</w:t>`), and a bold last name sits apart from the first
// name by a tag or more (`Mary</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t> Ann`): read as bytes, neither is
// the name. Read as text, tags inside a paragraph join what they part, block tags part it as a line end.
// What tags and comments hold (a tracked change's `w:author="Jane Doe"`) is found in the bytes as written.
import type { DecodedBytes } from './references.js';

/**
 * Tags that part text as a line end (local names, lower case): paragraphs, line breaks, tabs, table cells and
 * rows, list items, headings (Word's `w:p`, `w:br`, `w:tc`; Excel's shared string `si` and cell `c`;
 * PowerPoint's `a:p`; OpenDocument's `text:p`, `table:table-cell`; HTML's blocks). Any other tag joins.
 */
const BLOCKS = new Set(
  'p br tab cr tc tr si c v row cell table-cell table-row line-break h list-item div td th li ul ol table tbody thead tfoot hr h1 h2 h3 h4 h5 h6 title body head html section article header footer blockquote pre address'.split(
    ' ',
  ),
);

/** Whether a file or zip entry of this name is XML or HTML, to read as `markupText` reads it. */
export const isMarkupName = (name: string): boolean => /\.(?:xml|x?html?|rels|vml)$/i.test(name);

/**
 * The text of XML or HTML bytes: outside tags as written (character references stay, `decodeReferences`
 * reads them), a block tag as a line end, any other tag (with its attributes) as nothing, comments as nothing,
 * CDATA as its text. Undefined when the bytes hold no tag. Never longer than the bytes, with `at[k]` the
 * offset in the bytes of text byte k. A `<` that opens no tag closed in the bytes is text.
 */
export function markupText(b: Uint8Array): DecodedBytes | undefined {
  let i = b.indexOf(60);
  if (i === -1) return undefined;
  const n = b.length;
  const out = Buffer.allocUnsafe(n);
  const at = new Int32Array(n + 1);
  let o = 0;
  const copy = (from: number, to: number) => {
    for (let k = from; k < to; k++) {
      out[o] = b[k]!;
      at[o++] = k;
    }
  };
  let copied = 0;
  for (; i !== -1; i = b.indexOf(60, i)) {
    copy(copied, i);
    copied = i;
    if (startsWith(b, i, '<!--')) {
      const end = indexOfText(b, '-->', i + 4);
      if (end !== -1) {
        i = copied = end + 3;
        continue;
      }
    } else if (startsWith(b, i, '<![CDATA[')) {
      const end = indexOfText(b, ']]>', i + 9);
      if (end !== -1) {
        copy(i + 9, end);
        i = copied = end + 3;
        continue;
      }
    }
    const end = tagEnd(b, i + 1);
    // No tag (`a < b`, or one cut at the end of the bytes): text.
    if (end === -1) {
      i++;
      continue;
    }
    let name = i + 1;
    if (b[name] === 47) name++;
    let nameEnd = name;
    while (nameEnd < end && !isSpace(b[nameEnd]!) && b[nameEnd] !== 47 && b[nameEnd] !== 62) nameEnd++;
    const local = Buffer.from(b.buffer, b.byteOffset + name, nameEnd - name).toString('latin1');
    if (BLOCKS.has(local.slice(local.indexOf(':') + 1).toLowerCase())) {
      out[o] = 10;
      at[o++] = i;
    }
    i = copied = end + 1;
  }
  copy(copied, n);
  at[o] = n;
  return { bytes: out.subarray(0, o), at: at.subarray(0, o + 1) };
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Where the tag whose name starts at `from` ends (its `>`, not one inside a quoted value), or -1. */
function tagEnd(b: Uint8Array, from: number): number {
  for (let k = from; k < b.length; k++) {
    const c = b[k]!;
    if (c === 62) return k;
    if (c === 60) return -1;
    if (c === 34 || c === 39) {
      const close = b.indexOf(c, k + 1);
      if (close === -1) return -1;
      k = close;
    }
  }
  return -1;
}

function startsWith(b: Uint8Array, at: number, text: string): boolean {
  for (let k = 0; k < text.length; k++) if (b[at + k] !== text.charCodeAt(k)) return false;
  return true;
}

function indexOfText(b: Uint8Array, text: string, from: number): number {
  return Buffer.from(b.buffer, b.byteOffset, b.length).indexOf(text, from, 'latin1');
}
