import type { TableWriter } from '@talent-export/writers';
import type { DocumentSink } from './documents.js';

/** Under the sinks' copy threshold (256 KiB), so the buffer may be filled again once handed over. */
const PIECE = 128 * 1024;

/** Documents' bytes gathered into one reused buffer and handed to the writer; big raw rows go as they are. */
export class DocumentBytes implements DocumentSink {
  private buffer = Buffer.allocUnsafeSlow(PIECE);
  private length = 0;
  private pieces: Uint8Array[] = [];
  private documents = 0;

  constructor(private readonly writer: TableWriter) {}

  text(text: string): void {
    if (text.length * 3 > PIECE - this.length) {
      if (text.length * 3 > PIECE) {
        this.seal();
        this.pieces.push(Buffer.from(text));
        return;
      }
      this.seal();
    }
    this.length += this.buffer.write(text, this.length);
  }

  bytes(buf: Buffer, start: number, end: number): void {
    const size = end - start;
    if (size > PIECE - this.length) {
      this.seal();
      // Copied: the partition's buffer is read into again (a row this big is rare).
      if (size > PIECE) {
        this.pieces.push(Buffer.from(buf.subarray(start, end)));
        return;
      }
    }
    this.length += buf.copy(this.buffer, this.length, start, end);
  }

  endDocument(): void {
    this.documents += 1;
  }

  /** Hands over what is gathered once a piece is full, and says when the disk is behind. */
  ready(): void | Promise<void> {
    if (this.pieces.length > 0 || this.length > PIECE / 2) return this.flush();
  }

  async flush(): Promise<void> {
    const pieces = this.pieces;
    this.pieces = [];
    // Not copied: the sink copies a piece this small before writeEncoded returns.
    if (this.length > 0) pieces.push(this.buffer.subarray(0, this.length));
    this.length = 0;
    if (pieces.length === 0 && this.documents === 0) return;
    const rows = this.documents;
    this.documents = 0;
    const wait = this.writer.writeEncoded({ rows, ndjson: pieces, extraColumns: [] });
    if (wait) await wait;
  }

  /** The gathered bytes become a piece of their own (copied: the buffer is filled again before the flush). */
  private seal(): void {
    if (this.length === 0) return;
    this.pieces.push(Buffer.from(this.buffer.subarray(0, this.length)));
    this.length = 0;
  }
}
