// A table written again (a redacted copy, a candidate's bundle) keeps its source's byte order mark and line
// ends (a Windows export's CRLF, the lone CR of an old Mac program's "CSV (Macintosh)"), so that what opened
// the export opens the copy the same way (Excel reads UTF-8 as such only after a byte order mark). Rows are
// encoded with LF; `LineEnds` turns the LF that ends a row into the source's, outside quoted fields: a line
// break inside one is part of the value, kept as it is.

import type { TableName } from '@talent-export/schema';
import type { TalentExport } from './export.js';

export interface TextShape {
  bom: boolean;
  /** How the header line ends: LF, CRLF, or a lone CR. */
  eol: 'lf' | 'crlf' | 'cr';
  /** A spreadsheet's separator line above the header (`sep=,`), as written, without its line end. */
  sep?: string;
}

/** Enough of a table's first bytes to hold its header line. */
const HEAD_BYTES = 64 * 1024;

/** Whether the table starts with a UTF-8 byte order mark, and how its header line ends. */
export async function sourceShape(
  ex: TalentExport,
  table: TableName,
  signal?: AbortSignal,
): Promise<TextShape> {
  const stream = await ex.openTable(table, signal ? { signal } : {});
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      chunks.push(Buffer.from(chunk));
      length += chunk.length;
      if (chunk.includes(0x0a) || length >= HEAD_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
  const head = Buffer.concat(chunks);
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  // The first line break: a CR not followed by LF ends every line (read up to 64 KiB, as no LF came).
  let end = bom ? 3 : 0;
  while (end < head.length && head[end] !== 0x0a && head[end] !== 0x0d) end++;
  const eol = head[end] !== 0x0d ? 'lf' : head[end + 1] === 0x0a ? 'crlf' : 'cr';
  // The reader reads past it; written again, Excel splits the copy at commas as it split the source.
  const first = head.toString('latin1', bom ? 3 : 0, end);
  const sep = /^sep=,$/i.test(first) ? first : undefined;
  return { bom, eol, ...(sep ? { sep } : {}) };
}

/** What a copy writes before its header line: the byte order mark and the separator line, as the source. */
export const shapePrefix = (shape: TextShape): string =>
  (shape.bom ? '\ufeff' : '') + (shape.sep ? `${shape.sep}\n` : '');

/**
 * CSV text with LF row ends, piece by piece, with CRLF or a lone CR ending rows instead; whether a piece
 * starts inside quotes is carried on.
 */
export class LineEnds {
  #quoted = false;
  readonly #cr: boolean;

  constructor(eol: 'crlf' | 'cr') {
    this.#cr = eol === 'cr';
  }

  convert(piece: Buffer): Buffer {
    const ends: number[] = [];
    let quoted = this.#quoted;
    for (let i = 0; i < piece.length; i++) {
      const c = piece[i];
      if (c === 0x22) quoted = !quoted;
      else if (c === 0x0a && !quoted) ends.push(i);
    }
    this.#quoted = quoted;
    if (ends.length === 0) return piece;
    if (this.#cr) {
      // The piece is the engine's (handed back once written): changed in a copy.
      const out = Buffer.from(piece);
      for (const end of ends) out[end] = 0x0d;
      return out;
    }
    const out = Buffer.allocUnsafe(piece.length + ends.length);
    let from = 0;
    let at = 0;
    for (const end of ends) {
      at += piece.copy(out, at, from, end);
      out[at++] = 0x0d;
      from = end;
    }
    piece.copy(out, at, from);
    return out;
  }
}
