// HMAC-SHA-256 for many short messages under one key. `createHmac` costs a few microseconds a call, most
// of it making the object and hashing the key's two pad blocks again; here both pad blocks are hashed once
// (the midstates kept) and a message of up to 55 bytes then costs two compressions in all. The bytes are
// those of `createHmac('sha256', key).update(domain).update('\0').update(value).digest()` (tested so).
import { createHash } from 'node:crypto';

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/**
 * One SHA-256 compression of W[0..15] (already filled) into `state`. The schedule first, then the rounds
 * eight at a time with the working variables renamed instead of moved (an id's pseudonym takes ~20 of
 * these): ~10% less time than one round a turn with the schedule in the same loop.
 */
function compress(state: Int32Array, w: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!;
    const y = w[t - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let t = 0; t < 64; t += 8) {
    h =
      (h +
        (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        (g ^ (e & (f ^ g))) +
        K[t]! +
        w[t]!) |
      0;
    d = (d + h) | 0;
    h =
      (h +
        (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) | (c & (a | b)))) |
      0;
    g =
      (g +
        (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) +
        (f ^ (d & (e ^ f))) +
        K[t + 1]! +
        w[t + 1]!) |
      0;
    c = (c + g) | 0;
    g =
      (g +
        (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) +
        ((h & a) | (b & (h | a)))) |
      0;
    f =
      (f +
        (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) +
        (e ^ (c & (d ^ e))) +
        K[t + 2]! +
        w[t + 2]!) |
      0;
    b = (b + f) | 0;
    f =
      (f +
        (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) +
        ((g & h) | (a & (g | h)))) |
      0;
    e =
      (e +
        (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) +
        (d ^ (b & (c ^ d))) +
        K[t + 3]! +
        w[t + 3]!) |
      0;
    a = (a + e) | 0;
    e =
      (e +
        (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
        ((f & g) | (h & (f | g)))) |
      0;
    d =
      (d +
        (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) +
        (c ^ (a & (b ^ c))) +
        K[t + 4]! +
        w[t + 4]!) |
      0;
    h = (h + d) | 0;
    d =
      (d +
        (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) +
        ((e & f) | (g & (e | f)))) |
      0;
    c =
      (c +
        (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) +
        (b ^ (h & (a ^ b))) +
        K[t + 5]! +
        w[t + 5]!) |
      0;
    g = (g + c) | 0;
    c =
      (c +
        (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) +
        ((d & e) | (f & (d | e)))) |
      0;
    b =
      (b +
        (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) +
        (a ^ (g & (h ^ a))) +
        K[t + 6]! +
        w[t + 6]!) |
      0;
    f = (f + b) | 0;
    b =
      (b +
        (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) +
        ((c & d) | (e & (c | d)))) |
      0;
    a =
      (a +
        (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) +
        (h ^ (f & (g ^ h))) +
        K[t + 7]! +
        w[t + 7]!) |
      0;
    e = (e + a) | 0;
    a =
      (a +
        (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) +
        ((b & c) | (d & (b | c)))) |
      0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** Loads 64 bytes from `bytes` at `at` into W[0..15], big-endian. */
function load(w: Int32Array, bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) {
    w[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  }
}

const encoder = new TextEncoder();

export class Hmac256 {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);
  readonly #state = new Int32Array(8);
  readonly #w = new Int32Array(64);
  #bytes = new Uint8Array(256);

  constructor(key: Uint8Array) {
    // A key longer than a block is hashed first, as HMAC says.
    const short = key.length > 64 ? createHash('sha256').update(key).digest() : key;
    const pad = new Uint8Array(64);
    for (const [state, fill] of [
      [this.#inner, 0x36],
      [this.#outer, 0x5c],
    ] as const) {
      pad.fill(fill);
      for (let i = 0; i < short.length; i++) pad[i]! ^= short[i]!;
      state.set(INITIAL);
      load(this.#w, pad, 0);
      compress(state, this.#w);
    }
  }

  /** The MAC of `domain`, a 0 byte and `value` (both UTF-8), as 8 big-endian words in a reused array. */
  words(domain: string, value: string): Int32Array {
    const length = this.#encode(domain, value);
    const bytes = this.#bytes;
    const w = this.#w;
    const state = this.#state;
    // Padding: 0x80, zeros, then the bit length of pad block and message, in the last 8 bytes of a block.
    const total = (length + 9 + 63) & ~63;
    bytes.fill(0, length, total);
    bytes[length] = 0x80;
    const bits = (64 + length) * 8;
    bytes[total - 4] = bits >>> 24;
    bytes[total - 3] = bits >>> 16;
    bytes[total - 2] = bits >>> 8;
    bytes[total - 1] = bits;
    bytes[total - 5] = Math.floor(bits / 2 ** 32);
    state.set(this.#inner);
    for (let at = 0; at < total; at += 64) {
      load(w, bytes, at);
      compress(state, w);
    }
    return this.#outerOf(state);
  }

  /**
   * The message block of `domain` (ASCII), a 0 byte and `width` digits, as `digitWords` takes it: made once
   * for each domain and width, so that each MAC of a number then writes its digits and nothing else.
   */
  digitBlock(domain: string, width: number): Int32Array {
    const length = domain.length + 1 + width;
    const bytes = new Uint8Array(64);
    if (length > 55 || ascii(domain, bytes, 0) !== domain.length) {
      throw new RangeError('digitBlock takes an ASCII domain and digits that fit one block');
    }
    bytes[length] = 0x80;
    const bits = (64 + length) * 8;
    bytes[62] = bits >>> 8;
    bytes[63] = bits;
    const block = new Int32Array(17);
    load(block, bytes, 0);
    block[16] = domain.length + 1;
    return block;
  }

  /**
   * `words(domain, digits)` where the digits are `value` written with `width` of them (leading zeros), by
   * the block `digitBlock(domain, width)` made: no string, no encoding (the rounds of an id's pseudonym
   * take thousands of these).
   */
  digitWords(block: Int32Array, value: number, width: number): Int32Array {
    const w = this.#w;
    const state = this.#state;
    for (let i = 0; i < 16; i++) w[i] = block[i]!;
    const at = block[16]!;
    for (let k = width - 1; k >= 0; k--) {
      const digit = value % 10;
      value = (value - digit) / 10;
      const p = at + k;
      w[p >> 2]! |= (48 + digit) << ((3 - (p & 3)) << 3);
    }
    state.set(this.#inner);
    compress(state, w);
    return this.#outerOf(state);
  }

  /** The outer hash over the inner digest in `state`, into `state`. */
  #outerOf(state: Int32Array): Int32Array {
    const w = this.#w;
    for (let i = 0; i < 8; i++) w[i] = state[i]!;
    w[8] = 0x80000000;
    w.fill(0, 9, 15);
    w[15] = (64 + 32) * 8;
    state.set(this.#outer);
    compress(state, w);
    return state;
  }

  /** The MAC as 32 bytes. */
  digest(domain: string, value: string): Buffer {
    const words = this.words(domain, value);
    const out = Buffer.allocUnsafe(32);
    for (let i = 0; i < 8; i++) out.writeInt32BE(words[i]!, i * 4);
    return out;
  }

  /** Writes domain, 0 and value as UTF-8 at the start of the scratch bytes; their length. */
  #encode(domain: string, value: string): number {
    const length = domain.length + 1 + value.length;
    if (this.#bytes.length < length * 3 + 72) this.#bytes = new Uint8Array(length * 3 + 136);
    const bytes = this.#bytes;
    const head = ascii(domain, bytes, 0);
    if (head !== -1) {
      bytes[head] = 0;
      const end = ascii(value, bytes, head + 1);
      if (end !== -1) return end;
    }
    return encoder.encodeInto(`${domain}\0${value}`, bytes).written;
  }
}

/** Copies an ASCII text's code units to bytes at `at`: where it ended, or -1 at the first beyond ASCII. */
function ascii(text: string, bytes: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return -1;
    bytes[at++] = c;
  }
  return at;
}
