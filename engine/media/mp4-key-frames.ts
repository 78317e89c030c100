/**
 * The presentation times of an MP4/MOV's video key frames, read from its
 * sample tables (moov/trak/mdia/minf/stbl: stts, ctts, stss; edts/elst), not
 * by decoding: where a reader of single frames can decode one key frame
 * instead of seeking through the frames before it.
 */
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';

/** The biggest `moov` read (a 2-hour film's tables are a few MB). */
const MAX_MOOV = 64 * 2 ** 20;
/** More samples than this (a week of 60 fps video) and the tables are not believed. */
const MAX_SAMPLES = 40_000_000;

interface Box {
  type: string;
  /** Start and end of the payload (after the header). */
  start: number;
  end: number;
}

function* children(b: Buffer, start: number, end: number): Generator<Box> {
  for (let at = start; at + 8 <= end;) {
    let size = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return;
      size = Number(b.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) return;
    yield { type, start: at + header, end: at + size };
    at += size;
  }
}

function child(b: Buffer, parent: Box, type: string): Box | undefined {
  for (const c of children(b, parent.start, parent.end)) if (c.type === type) return c;
  return undefined;
}

/** The `moov` box's bytes, wherever it sits in the file; undefined when the file has none (not BMFF). */
function readMoov(file: string): Buffer | undefined {
  const fd = openSync(file, 'r');
  try {
    const total = fstatSync(fd).size;
    const head = Buffer.alloc(16);
    for (let at = 0; at + 8 <= total;) {
      if (readSync(fd, head, 0, 16, at) < 8) return undefined;
      let size = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      if (!/^[\x20-\x7e]{4}$/.test(type)) return undefined;
      if (size === 1) size = Number(head.readBigUInt64BE(8));
      else if (size === 0) size = total - at;
      if (size < 8 || at + size > total) return undefined;
      if (type === 'moov') {
        if (size > MAX_MOOV) return undefined;
        const moov = Buffer.alloc(size);
        return readSync(fd, moov, 0, size, at) === size ? moov : undefined;
      }
      at += size;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Key frame times (seconds, ascending) of the first video track; undefined when the file is not an MP4/MOV, has no
 * video track, marks every frame as a key frame (no `stss`: intra-only video), or has tables this does not follow
 * (an edit list with more than one media edit, or an empty edit that delays the start).
 */
export function mp4KeyFrameTimes(file: string): number[] | undefined {
  let moov: Buffer | undefined;
  try {
    moov = readMoov(file);
  } catch {
    return undefined;
  }
  if (!moov) return undefined;
  const root = { type: 'moov', start: 8, end: moov.length };
  for (const trak of children(moov, root.start, root.end)) {
    if (trak.type !== 'trak') continue;
    const mdia = child(moov, trak, 'mdia');
    const hdlr = mdia && child(moov, mdia, 'hdlr');
    if (!mdia || !hdlr || moov.toString('latin1', hdlr.start + 8, hdlr.start + 12) !== 'vide') continue;
    try {
      return videoKeyFrames(moov, trak, mdia);
    } catch {
      // a table that ends early or says more than it holds: not followed (the frames are sought instead)
      return undefined;
    }
  }
  return undefined;
}

function videoKeyFrames(b: Buffer, trak: Box, mdia: Box): number[] | undefined {
  const mdhd = child(b, mdia, 'mdhd');
  const minf = child(b, mdia, 'minf');
  const stbl = minf && child(b, minf, 'stbl');
  if (!mdhd || !stbl) return undefined;
  const timescale = b.readUInt8(mdhd.start) === 1 ? b.readUInt32BE(mdhd.start + 20) : b.readUInt32BE(mdhd.start + 12);
  const stts = child(b, stbl, 'stts');
  const stss = child(b, stbl, 'stss');
  if (!timescale || !stts || !stss) return undefined;
  const shift = mediaStart(b, trak);
  if (shift === undefined) return undefined;
  // decode times from stts, composition offsets from ctts, for each sync sample (1-based numbers, ascending)
  const syncCount = b.readUInt32BE(stss.start + 4);
  if (stss.start + 8 + 4 * syncCount > stss.end) return undefined;
  const sync = new Set<number>();
  for (let i = 0; i < syncCount; i++) sync.add(b.readUInt32BE(stss.start + 8 + 4 * i));
  const ctts = child(b, stbl, 'ctts');
  const offsets = ctts ? runs(b, ctts, b.readUInt8(ctts.start) === 1) : undefined;
  const times: number[] = [];
  let sample = 1;
  let dts = 0;
  const decode = runs(b, stts, false);
  if (decode.reduce((n, [count]) => n + count, 0) > MAX_SAMPLES) return undefined;
  for (const [count, delta] of decode) {
    for (let k = 0; k < count; k++, sample++, dts += delta)
      if (sync.has(sample)) times.push((dts + (offsets ? offsetAt(offsets, sample) : 0) - shift) / timescale);
  }
  return times.sort((x, y) => x - y);
}

/** (count, value) runs of an stts/ctts table. */
function runs(b: Buffer, box: Box, signed: boolean): Array<[number, number]> {
  const n = b.readUInt32BE(box.start + 4);
  const out: Array<[number, number]> = [];
  for (let i = 0, at = box.start + 8; i < n && at + 8 <= box.end; i++, at += 8)
    out.push([b.readUInt32BE(at), signed ? b.readInt32BE(at + 4) : b.readUInt32BE(at + 4)]);
  return out;
}

function offsetAt(table: Array<[number, number]>, sample: number): number {
  let first = 1;
  for (const [count, value] of table) {
    if (sample < first + count) return value;
    first += count;
  }
  return 0;
}

/** The media time the track's presentation starts at (its one edit's media_time), 0 without an edit list. */
function mediaStart(b: Buffer, trak: Box): number | undefined {
  const edts = child(b, trak, 'edts');
  const elst = edts && child(b, edts, 'elst');
  if (!elst) return 0;
  const v1 = b.readUInt8(elst.start) === 1;
  const n = b.readUInt32BE(elst.start + 4);
  const size = v1 ? 20 : 12;
  const media: number[] = [];
  for (let i = 0, at = elst.start + 8; i < n && at + size <= elst.end; i++, at += size) {
    const time = v1 ? Number(b.readBigInt64BE(at + 8)) : b.readInt32BE(at + 4);
    // an empty edit (-1) delays the start: not followed here
    if (time < 0) return undefined;
    media.push(time);
  }
  return media.length <= 1 ? (media[0] ?? 0) : undefined;
}
