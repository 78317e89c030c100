/**
 * Will a run fit? The pack's manifest lists the memory a run needs at a few
 * sizes (width × height × frames); the need at another size is interpolated
 * (and extrapolated) linearly in the number of latent voxels between the two
 * nearest listed sizes, which is how weights (fixed) plus activations
 * (proportional) behave. A run that needs more than the device has is
 * refused before it starts, naming both numbers and the largest size of the
 * same shape that fits.
 */
import { KlappeError } from '../common/errors.js';
import type { DeviceMemory } from './providers.js';

export interface MemoryPoint {
  width: number;
  height: number;
  frames?: number;
  deviceBytes: number;
  hostBytes?: number;
}

export interface RunSize {
  width: number;
  height: number;
  frames: number;
}

const volume = (p: { width: number; height: number; frames?: number }, frames: number) => p.width * p.height * (p.frames ?? frames);

/** Bytes a run of `size` needs on the device ('gpu') or in host memory ('host'). */
export function estimateRunBytes(points: MemoryPoint[], size: RunSize, kind: 'gpu' | 'host' = 'gpu'): number | undefined {
  const pts = points
    .map((p) => ({ v: volume(p, size.frames), bytes: kind === 'host' ? (p.hostBytes ?? p.deviceBytes) : p.deviceBytes }))
    .sort((a, b) => a.v - b.v);
  if (!pts.length) return undefined;
  const v = volume(size, size.frames);
  if (pts.length === 1) return (pts[0]!.bytes * v) / pts[0]!.v;
  // the segment around v (or the nearest end segment, extrapolated)
  let i = pts.findIndex((p) => p.v >= v);
  if (i <= 0) i = i === 0 ? 1 : pts.length - 1;
  const a = pts[i - 1]!;
  const b = pts[i]!;
  const slope = b.v === a.v ? 0 : (b.bytes - a.bytes) / (b.v - a.v);
  return Math.max(0, a.bytes + slope * (v - a.v));
}

export interface FitResult {
  fits: boolean;
  needBytes?: number;
  haveBytes: number;
  /** The largest size of the same aspect and length that fits (when the asked one does not). */
  largest?: RunSize;
  message?: string;
}

const gb = (bytes: number) => (bytes / 2 ** 30).toFixed(bytes < 10 * 2 ** 30 ? 1 : 0);

/** Checks a run of `size` against the device's memory; `multiple` is the size step (Wan: 16 pixels). */
export function fitCheck(points: MemoryPoint[], size: RunSize, device: DeviceMemory, multiple = 16): FitResult {
  const need = estimateRunBytes(points, size, device.kind);
  const have = device.totalBytes;
  if (need === undefined || need <= have) return { fits: true, ...(need !== undefined ? { needBytes: need } : {}), haveBytes: have };
  // the largest size with the same aspect (in steps of `multiple`) and the same length that fits
  let largest: RunSize | undefined;
  for (let k = Math.floor(size.height / multiple); k >= 1; k--) {
    const height = k * multiple;
    const width = Math.max(multiple, Math.round((size.width * height) / size.height / multiple) * multiple);
    const n = estimateRunBytes(points, { width, height, frames: size.frames }, device.kind)!;
    if (n <= have) {
      largest = { width, height, frames: size.frames };
      break;
    }
  }
  const where = device.kind === 'gpu' ? 'on this GPU' : 'in this machine’s memory';
  const message =
    `won't fit ${where} (needs ~${gb(need)} GB, has ${gb(have)} GB) at ${size.width}x${size.height}, ${size.frames} frames` +
    (largest ? `; the largest size that fits is ${largest.width}x${largest.height}` : '; no size of this shape fits');
  return { fits: false, needBytes: need, haveBytes: have, ...(largest ? { largest } : {}), message };
}

/** Throws LOCAL_WONT_FIT (input: no fallback, the user picks a size or a backend) when the run does not fit. */
export function assertFits(points: MemoryPoint[], size: RunSize, device: DeviceMemory, pack: string, multiple = 16): FitResult {
  const r = fitCheck(points, size, device, multiple);
  if (!r.fits)
    throw new KlappeError({
      code: 'LOCAL_WONT_FIT',
      kind: 'input',
      message: `${pack}: ${r.message}`,
      hint: r.largest
        ? `Generate at ${r.largest.width}x${r.largest.height} (and enhance it), shorten the shot, or pick a cloud backend.`
        : 'Pick a cloud backend or a smaller pack.',
    });
  return r;
}
