/**
 * The C2PA BMFF hash (c2pa.hash.bmff.v3) of a non-fragmented MP4, computed
 * natively: for every top-level box that is not excluded, its offset as a
 * 64-bit big-endian number, then its bytes, into one sha256. The exclusions
 * are those c2pa-rs writes: the C2PA `uuid` box, `ftyp`, `mfra`, `free`, `skip`.
 */
import { createHash, type Hash } from 'node:crypto';
import { boxesIn } from '../media/bmff-box.js';
import { C2PA_UUID } from './bmff.js';

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

/** The BMFF hash of an MP4 held in memory. */
export async function bmffHashOfBytes(bytes: Uint8Array): Promise<Buffer> {
  const h = createHash('sha256');
  for (const box of boxesIn(bytes)) await hashBox(h, box, (x) => void x.update(bytes.subarray(box.offset, box.offset + box.size)));
  return h.digest();
}
