/**
 * HTTP Range for media (RFC 9110 §14): `bytes=a-b`, `bytes=a-`, `bytes=-n`.
 * One range per request, which is what <video> asks for. Shared by browser
 * mode and Electron's media:// protocol.
 */
import { openSync, readSync, closeSync } from 'node:fs';

export type RangeResult = { start: number; end: number } | 'unsatisfiable' | undefined;

/** undefined: no (or an ignorable) Range header → send the whole file. */
export function parseRange(header: string | undefined | null, size: number): RangeResult {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Content type of a stored media file (the store names files by hash only): sniffed from its first bytes. */
export function sniffContentType(path: string): string {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(16);
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.subarray(4, 8).toString('latin1') === 'ftyp') return 'video/mp4';
  if (head[0] === 0xff && head[1] === 0xd8) return 'image/jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WAVE') return 'audio/wav';
  if (head[0] === 0x7b || head[0] === 0x5b) return 'application/json';
  return 'application/octet-stream';
}
