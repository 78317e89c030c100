/**
 * Top-level boxes of an ISO BMFF file (MP4/MOV), read from the file's box
 * headers only: enough to see whether a file already carries a C2PA manifest
 * (a `uuid` box with the C2PA uuid) without reading its media.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** The uuid of the box that holds a C2PA manifest store in BMFF (C2PA 2.x, 11.3.4). */
export const C2PA_UUID = 'd8fec3d61b0e483c92975828877ec481';

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

/** True when the file holds a C2PA manifest store box (signed by whoever made it). */
export function hasC2paBox(file: string): boolean {
  try {
    return topLevelBoxes(file).some((b) => b.type === 'uuid' && b.uuid === C2PA_UUID);
  } catch {
    return false;
  }
}
