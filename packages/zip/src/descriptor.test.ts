import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DescriptorSearch } from './descriptor.js';

/** A data descriptor of `data`: its signature, CRC-32 and 32-bit sizes. */
function descriptorOf(data: Buffer, crc = crc32(data)): Buffer {
  const out = Buffer.alloc(16);
  out.writeUInt32LE(0x08074b50, 0);
  out.writeUInt32LE(crc, 4);
  out.writeUInt32LE(data.length, 8);
  out.writeUInt32LE(data.length, 12);
  return out;
}

/** Pushes `data` in pieces ending at `cuts`: where the search found a descriptor, and the CRC-32 it gave. */
function search(data: Buffer, cuts: number[]): { found: number; crc: number } {
  const found = new DescriptorSearch();
  let crc = 0;
  let at = 0;
  for (const cut of [...cuts, data.length]) {
    crc = found.push(new Uint8Array(data.buffer, data.byteOffset + at, cut - at), crc);
    at = cut;
  }
  return { found: found.found, crc };
}

/** Every way of cutting `data` into two or three pieces (some of them empty). */
function* cuttings(length: number): Generator<number[]> {
  for (let a = 0; a <= length; a += 1) for (let b = a; b <= length; b += 1) yield [a, b];
}

describe('DescriptorSearch', () => {
  const hidden = Buffer.from('evil=1\n');
  const rest = Buffer.from('candidate_id,first_name\n1,Ada\n');

  it('finds a data descriptor of the bytes before it, wherever the data is cut into pieces', () => {
    const data = Buffer.concat([hidden, descriptorOf(hidden), rest]);
    for (const cuts of cuttings(data.length)) {
      expect(search(data, cuts)).toEqual({ found: hidden.length, crc: crc32(data) });
    }
  });

  it('finds one at the very start (the CRC-32 of no bytes is 0)', () => {
    const data = Buffer.concat([descriptorOf(Buffer.alloc(0)), rest]);
    for (const cuts of cuttings(data.length)) expect(search(data, cuts).found).toBe(0);
  });

  it('finds none where the CRC-32 after a signature is not that of the bytes before it', () => {
    // An attachment that is itself a zip with data descriptors holds their signatures, for its own entries.
    const data = Buffer.concat([
      hidden,
      descriptorOf(hidden, crc32(hidden) ^ 1),
      descriptorOf(rest),
      rest,
      descriptorOf(rest).subarray(0, 6),
    ]);
    for (const cuts of cuttings(data.length)) {
      expect(search(data, cuts)).toEqual({ found: -1, crc: crc32(data) });
    }
  });

  it('gives the CRC-32 of data made of nothing but signatures, or none, in pieces of any size', () => {
    const marks = Buffer.alloc(64 * 1024, Buffer.from([0x50, 0x4b, 0x07, 0x08]));
    const random = randomBytes(64 * 1024);
    for (const data of [marks, random]) {
      for (const size of [1, 3, 7, 8, 9, 4096, 65_536]) {
        const cuts: number[] = [];
        for (let at = size; at < data.length; at += size) cuts.push(at);
        expect(search(data, cuts)).toEqual({ found: -1, crc: crc32(data) });
      }
    }
  });
});
