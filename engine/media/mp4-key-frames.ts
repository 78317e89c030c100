/**
 * The presentation times of an MP4/MOV's video key frames, read from its
 * sample tables (moov/trak/mdia/minf/stbl: stts, ctts, stss; edts/elst), not
 * by decoding: where a reader of single frames can decode one key frame
 * instead of seeking through the frames before it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { boxesIn, topLevelBoxes } from './bmff-box.js';

/** The biggest `moov` read (a 2-hour film's tables are a few MB). */
const MAX_MOOV = 64 * 2 ** 20;
/** More samples than this (a week of 60 fps video) and the tables are not believed. */
const MAX_SAMPLES = 40_000_000;

/** A box's payload (after its header) within the bytes read. */
interface Box {
  type: string;
  start: number;
  end: number;
}

function children(b: Buffer, start: number, end: number): Box[] {
  return boxesIn(b, start, end).map((x) => ({ type: x.type, start: x.offset + x.headerSize, end: x.offset + x.size }));
}

function child(b: Buffer, parent: Box, type: string): Box | undefined {
  return children(b, parent.start, parent.end).find((c) => c.type === type);
}

/** The `moov` box's payload, wherever it sits in the file; undefined when the file has none (not BMFF). */
function readMoov(file: string): Buffer | undefined {
  const moov = topLevelBoxes(file).find((x) => x.type === 'moov');
  if (!moov || moov.size > MAX_MOOV) return undefined;
  const bytes = Buffer.alloc(moov.size - moov.headerSize);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, bytes, 0, bytes.length, moov.offset + moov.headerSize) === bytes.length ? bytes : undefined;
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
  for (const trak of children(moov, 0, moov.length)) {
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
