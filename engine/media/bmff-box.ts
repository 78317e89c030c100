/**
 * ISO BMFF (MP4/MOV) boxes, read from their headers only: the top-level boxes
 * of a file, and the boxes inside bytes held in memory (a box's children).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface BmffBox {
  type: string;
  offset: number;
  size: number;
  headerSize: number;
  /** Extended type of a `uuid` box, hex. */
  uuid?: string;
}

/** The box whose header starts at `head[0]` (`n` bytes of it read), at `offset` of a file of `total` bytes; undefined when it does not fit. */
export function boxHeader(head: Buffer, n: number, offset: number, total: number): BmffBox | undefined {
  if (n < 8) return undefined;
  let size = head.readUInt32BE(0);
  const type = head.toString('latin1', 4, 8);
  let headerSize = 8;
  if (size === 1) {
    if (n < 16) return undefined;
    size = Number(head.readBigUInt64BE(8));
    headerSize = 16;
  } else if (size === 0) size = total - offset;
  if (size < headerSize || offset + size > total) return undefined;
  const box: BmffBox = { type, offset, size, headerSize };
  if (type === 'uuid' && n >= headerSize + 16) {
    box.uuid = head.toString('hex', headerSize, headerSize + 16);
    box.headerSize += 16;
  }
  return box;
}

/** Top-level boxes, in file order; stops at the first header that does not fit the file. */
export function topLevelBoxes(file: string): BmffBox[] {
  const fd = openSync(file, 'r');
  try {
    const total = statSync(file).size;
    const head = Buffer.alloc(32);
    const boxes: BmffBox[] = [];
    for (let offset = 0; offset + 8 <= total;) {
      const box = boxHeader(head, readSync(fd, head, 0, 32, offset), offset, total);
      if (!box) break;
      boxes.push(box);
      offset += box.size;
    }
    return boxes;
  } finally {
    closeSync(fd);
  }
}

/** The boxes that lie one after another in `bytes` from `start` to `end` (offsets in `bytes`); stops at a header that does not fit. */
export function boxesIn(bytes: Uint8Array, start = 0, end = bytes.length): BmffBox[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: BmffBox[] = [];
  for (let o = start; o + 8 <= end;) {
    const box = boxHeader(b.subarray(o, o + 32), Math.min(32, end - o), o, end);
    if (!box) break;
    out.push(box);
    o += box.size;
  }
  return out;
}
