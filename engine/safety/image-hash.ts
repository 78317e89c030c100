/**
 * A 64-bit difference hash (dHash) of an image: the picture shrunk to 9×8
 * grey pixels, one bit per horizontal neighbour pair (left brighter than
 * right). Re-encoding, resizing and small colour changes keep it within a few
 * bits; opt-out reference images are matched by it (and by sha256 exactly).
 */
import { readFileSync } from 'node:fs';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { inputError } from '../common/errors.js';

export async function imageDhash(file: string): Promise<string> {
  let img;
  try {
    img = await loadImage(readFileSync(file));
  } catch (e) {
    throw inputError('IMAGE_UNREADABLE', `${file}: cannot read the image: ${(e as Error).message}`, {
      file,
      hint: 'Give a PNG, JPEG or WebP file.',
    });
  }
  const canvas = createCanvas(9, 8);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0, 9, 8);
  const px = ctx.getImageData(0, 0, 9, 8).data;
  const grey = (x: number, y: number) => {
    const i = (y * 9 + x) * 4;
    return 0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!;
  };
  let bits = 0n;
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) bits = (bits << 1n) | (grey(x, y) > grey(x + 1, y) ? 1n : 0n);
  return bits.toString(16).padStart(16, '0');
}

/** Bits that differ between two dHashes (0…64). */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  while (x) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}
