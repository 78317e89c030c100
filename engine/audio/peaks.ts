/**
 * Waveform peaks: min/max per block of samples at several zoom levels,
 * computed by streaming the decoded audio from ffmpeg (constant memory, never
 * the whole file), and cached on disk by the media's content hash in the data
 * folder. The renderer draws from these (wavesurfer.js `peaks`) and never
 * decodes a file itself.
 *
 * Cache file: one JSON header line, then Int16 little-endian data: for each
 * level, for each channel, `count` pairs (min, max).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KlappeError } from '../common/errors.js';
import { runFfmpeg } from '../media/run.js';
import { audioStream, probe } from '../media/probe.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { sha256File } from '../util/hash.js';
import { dataDir } from '../util/paths.js';
import type { PeaksView } from '../common/edited-peaks.js';

export const PEAK_LEVELS = [256, 1024, 4096, 16384] as const;
const FORMAT_VERSION = 1;

export interface PeakLevel {
  /** Samples (48 kHz, per channel) summarised by one min/max pair. */
  samplesPerPeak: number;
  count: number;
  /** Per channel: interleaved min, max (Int16 scale, −32768..32767), 2 × count values. */
  data: Int16Array[];
}

export interface Peaks {
  sampleRate: 48000;
  channels: number;
  /** Samples per channel. */
  length: number;
  levels: PeakLevel[];
}

export interface PeaksOptions {
  /** Content hash of the file if known (takes and imported media carry one); computed otherwise. */
  sha256?: string;
  /** Cache folder (default: DATA/peaks). */
  cacheDir?: string;
  signal?: AbortSignal;
}

export function peaksCacheDir(): string {
  return join(dataDir(), 'peaks');
}

/** Peaks of a file from the cache, computing and storing them the first time. */
export async function getPeaks(file: string, opts: PeaksOptions = {}): Promise<Peaks> {
  const hash = opts.sha256 ?? (await sha256File(file));
  const dir = join(opts.cacheDir ?? peaksCacheDir(), hash.slice(0, 2));
  const cacheFile = join(dir, `${hash}.peaks`);
  if (existsSync(cacheFile)) {
    const cached = readPeaksFile(cacheFile);
    if (cached) return cached;
  }
  const peaks = await computePeaks(file, opts);
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(cacheFile, encodePeaks(peaks));
  return peaks;
}

/** Decodes the file (48 kHz, its own channels up to 2) in a stream and computes every level. */
export async function computePeaks(file: string, opts: { signal?: AbortSignal } = {}): Promise<Peaks> {
  const p = await probe(file, { signal: opts.signal });
  const a = audioStream(p);
  if (!a) throw new KlappeError({ code: 'NO_AUDIO', kind: 'input', message: `${file} has no audio stream`, file });
  const channels = Math.min(2, Math.max(1, a.channels ?? 1));
  const finest = PEAK_LEVELS[0];
  // growing per-channel min/max at the finest level; coarser levels are folded from it
  let capacity = 1 << 12;
  let mins = Array.from({ length: channels }, () => new Int16Array(capacity));
  let maxs = Array.from({ length: channels }, () => new Int16Array(capacity));
  let count = 0;
  let inBlock = 0;
  // running min/max of the block being filled, per channel (locals: this loop sees every sample of the file)
  let lo0 = 32767,
    hi0 = -32768,
    lo1 = 32767,
    hi1 = -32768;
  let length = 0;
  let carry: Buffer | undefined;
  const frameBytes = 2 * channels;

  const flushBlock = () => {
    if (count === capacity) {
      capacity *= 2;
      mins = mins.map((m) => {
        const n = new Int16Array(capacity);
        n.set(m);
        return n;
      });
      maxs = maxs.map((m) => {
        const n = new Int16Array(capacity);
        n.set(m);
        return n;
      });
    }
    mins[0]![count] = lo0;
    maxs[0]![count] = hi0;
    if (channels === 2) {
      mins[1]![count] = lo1;
      maxs[1]![count] = hi1;
    }
    lo0 = lo1 = 32767;
    hi0 = hi1 = -32768;
    count++;
    inBlock = 0;
  };

  await runFfmpeg(['-v', 'error', '-i', file, '-vn', '-ac', String(channels), '-ar', '48000', '-f', 's16le', 'pipe:1'], {
    signal: opts.signal,
    what: `computing the waveform of ${file}`,
    onStdout: (chunk) => {
      let buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      const usable = buf.length - (buf.length % frameBytes);
      carry = usable < buf.length ? Buffer.from(buf.subarray(usable)) : undefined;
      buf = buf.subarray(0, usable);
      const n = usable >> 1;
      const x = (buf.byteOffset & 1) === 0 ? new Int16Array(buf.buffer, buf.byteOffset, n) : new Int16Array(Uint8Array.from(buf).buffer);
      let i = 0;
      while (i < n) {
        // the rest of the current block, or of the chunk
        const frames = Math.min(finest - inBlock, (n - i) / channels);
        const end = i + frames * channels;
        if (channels === 2) {
          for (; i < end; i += 2) {
            const a = x[i]!;
            const b = x[i + 1]!;
            if (a < lo0) lo0 = a;
            if (a > hi0) hi0 = a;
            if (b < lo1) lo1 = b;
            if (b > hi1) hi1 = b;
          }
        } else {
          for (; i < end; i++) {
            const a = x[i]!;
            if (a < lo0) lo0 = a;
            if (a > hi0) hi0 = a;
          }
        }
        inBlock += frames;
        length += frames;
        if (inBlock === finest) flushBlock();
      }
    },
  });
  if (inBlock > 0) flushBlock();

  const levels: PeakLevel[] = [];
  for (const spp of PEAK_LEVELS) {
    const factor = spp / finest;
    const n = Math.ceil(count / factor);
    const data = Array.from({ length: channels }, (_, c) => {
      const out = new Int16Array(2 * n);
      const mn = mins[c]!;
      const mx = maxs[c]!;
      for (let k = 0; k < n; k++) {
        let lo = 32767;
        let hi = -32768;
        const end = Math.min(count, (k + 1) * factor);
        for (let j = k * factor; j < end; j++) {
          if (mn[j]! < lo) lo = mn[j]!;
          if (mx[j]! > hi) hi = mx[j]!;
        }
        out[2 * k] = lo;
        out[2 * k + 1] = hi;
      }
      return out;
    });
    levels.push({ samplesPerPeak: spp, count: n, data });
  }
  return { sampleRate: 48000, channels, length, levels };
}

export function encodePeaks(p: Peaks): Buffer {
  const header = JSON.stringify({
    version: FORMAT_VERSION,
    sampleRate: p.sampleRate,
    channels: p.channels,
    length: p.length,
    levels: p.levels.map((l) => ({ samplesPerPeak: l.samplesPerPeak, count: l.count })),
  });
  const parts: Buffer[] = [Buffer.from(`${header}\n`, 'utf8')];
  for (const l of p.levels) for (const d of l.data) parts.push(Buffer.from(d.buffer, d.byteOffset, d.byteLength));
  return Buffer.concat(parts);
}

/** A cache file, or undefined when it is from another format version or damaged (it is then recomputed). */
export function readPeaksFile(path: string): Peaks | undefined {
  try {
    const buf = readFileSync(path);
    const nl = buf.indexOf(10);
    const h = JSON.parse(buf.subarray(0, nl).toString('utf8')) as {
      version: number;
      channels: number;
      length: number;
      levels: Array<{ samplesPerPeak: number; count: number }>;
    };
    if (h.version !== FORMAT_VERSION) return undefined;
    const body = buf.subarray(nl + 1);
    const all =
      (body.byteOffset & 1) === 0
        ? new Int16Array(body.buffer, body.byteOffset, body.length >> 1)
        : new Int16Array(Uint8Array.from(body).buffer);
    let off = 0;
    const levels = h.levels.map((l) => {
      const data = Array.from({ length: h.channels }, () => {
        const d = all.subarray(off, off + 2 * l.count);
        off += 2 * l.count;
        return d;
      });
      return { samplesPerPeak: l.samplesPerPeak, count: l.count, data };
    });
    if (off !== all.length) return undefined;
    return { sampleRate: 48000, channels: h.channels, length: h.length, levels };
  } catch {
    return undefined;
  }
}

/**
 * What the editor asks for: the coarsest level that still gives at least
 * `minPeaks` pairs over [startSample, endSample), as wavesurfer.js peaks
 * (per channel, interleaved min/max in −1..1), with the file's length in samples.
 */
export function peaksForView(
  p: Peaks,
  view: { startSample?: number; endSample?: number; minPeaks?: number } = {},
): PeaksView & { length: number } {
  const start = Math.max(0, view.startSample ?? 0);
  const end = Math.min(p.length, view.endSample ?? p.length);
  const want = view.minPeaks ?? 2000;
  const span = Math.max(1, end - start);
  const level = [...p.levels].reverse().find((l) => span / l.samplesPerPeak >= want) ?? p.levels[0]!;
  const first = Math.floor(start / level.samplesPerPeak);
  const last = Math.min(level.count, Math.ceil(end / level.samplesPerPeak));
  const channels = level.data.map((d) => Array.from(d.subarray(2 * first, 2 * last), (v) => Math.round((v / 32768) * 10000) / 10000));
  return { samplesPerPeak: level.samplesPerPeak, startSample: first * level.samplesPerPeak, channels, length: p.length };
}
