// Splitting typed CSV (as the writers encode it: RFC 4180, quotes doubled) into records, a line feed
// inside quotes being part of the record.

/** Calls `row(bytes)` for every complete record (line feed included) of pieces read in order. */
export class CsvRowSplitter {
  private carry: Buffer[] = [];
  private quoted = false;

  push(piece: Uint8Array, row: (bytes: Buffer) => void): void {
    const buf = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === 0x22) this.quoted = !this.quoted;
      else if (b === 0x0a && !this.quoted) {
        const part = buf.subarray(start, i + 1);
        row(this.carry.length > 0 ? Buffer.concat([...this.carry, part]) : Buffer.from(part));
        this.carry = [];
        start = i + 1;
      }
    }
    // Copied: the piece goes back to be filled again.
    if (start < buf.length) this.carry.push(Buffer.from(buf.subarray(start)));
  }

  /** Whatever is left (a last record without a line feed), ended with one. */
  end(row: (bytes: Buffer) => void): void {
    if (this.carry.length > 0) row(Buffer.concat([...this.carry, Buffer.from('\n')]));
    this.carry = [];
    this.quoted = false;
  }
}
