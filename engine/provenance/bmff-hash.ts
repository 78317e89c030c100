/**
 * The C2PA BMFF hash (c2pa.hash.bmff.v3) of a non-fragmented MP4, computed
 * natively: for every top-level box that is not excluded, its offset as a
 * 64-bit big-endian number, then its bytes, into one sha256. The exclusions
 * are those c2pa-rs writes: the C2PA `uuid` box, `ftyp`, `mfra`, `free`, `skip`.
 */
import { createHash, type Hash } from 'node:crypto';
import { boxHeader, C2PA_UUID, type BmffBox } from './bmff.js';

const EXCLUDED = new Set(['ftyp', 'mfra', 'free', 'skip']);

export interface LayoutBox {
  type: string;
  offset: number;
  size: number;
  uuid?: string;
}

export function excludedFromHash(box: LayoutBox): boolean {
  return EXCLUDED.has(box.type) || (box.type === 'uuid' && box.uuid === C2PA_UUID);
}

/** Adds one box (its offset, then its bytes through `feed`) to the hash, unless it is excluded. */
export async function hashBox(h: Hash, box: LayoutBox, feed: (h: Hash) => void | Promise<void>): Promise<void> {
  if (excludedFromHash(box)) return;
  const off = Buffer.alloc(8);
  off.writeBigUInt64BE(BigInt(box.offset));
  h.update(off);
  await feed(h);
}

/** Top-level boxes of bytes held in memory. */
export function boxesOf(bytes: Uint8Array): BmffBox[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: BmffBox[] = [];
  for (let o = 0; o + 8 <= b.length;) {
    const box = boxHeader(b.subarray(o, o + 32), Math.min(32, b.length - o), o, b.length);
    if (!box) break;
    out.push(box);
    o += box.size;
  }
  return out;
}

/** The BMFF hash of an MP4 held in memory. */
export async function bmffHashOfBytes(bytes: Uint8Array): Promise<Buffer> {
  const h = createHash('sha256');
  for (const box of boxesOf(bytes)) await hashBox(h, box, (x) => void x.update(bytes.subarray(box.offset, box.offset + box.size)));
  return h.digest();
}
