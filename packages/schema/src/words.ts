// Four bytes at a time: a little-endian word read from a buffer (DataView.getInt32) is tested for bytes of
// interest with bit tricks, so that a run of bytes none of which matters is passed over (or copied) a word
// at a time. Each test sets the top bit (0x80) of a byte of the word where the byte may be one; it can be
// wrong only in the bytes past one that really is (a borrow), which the caller then reads one at a time.

/** A word with `byte` in each of its four bytes (0x2c -> 0x2c2c2c2c). */
export const everyByte = (byte: number): number => byte * 0x01010101;

/** Top bits where the word may hold the byte `repeated` repeats ("has a zero byte" on the word xor it). */
export const hasByte = (w: number, repeated: number): number => {
  const x = w ^ repeated;
  return (x - 0x01010101) & ~x;
};

/** Top bits where the word may hold a byte below the one `repeated` repeats (bytes of 0x80 or more never). */
export const hasBelow = (w: number, repeated: number): number => (w - repeated) & ~w;

/** The top bit of each byte of a word. */
export const TOP_BITS = 0x80808080;
