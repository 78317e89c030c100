/**
 * The error-correcting code of the invisible watermark: a 32-bit export id is
 * spread over the eight tiles of a frame (8 × 32 raw RivaGAN bits), each tile
 * carrying every id bit at a different position and XORed with a different
 * mask, so a bit the model gets wrong at one position or in one flat region is
 * outvoted by the other copies. Decoding is soft: every score of every tile of
 * every sampled frame votes, weighted by its margin.
 *
 * Export ids end in a check byte (CRC-8 of the 24 bits before it; any two
 * valid ids differ in at least 4 bits). A decoded id whose check fails may have
 * its one or two least certain bits flipped to pass it, but only in a strong
 * reading where those bits are clearly the weakest: in a weak reading any
 * flip that passes is a guess (about 10 of 256 patterns pass by chance), and a
 * wrong export id is worse than none. An id whose check still fails is not
 * reported.
 */
import { RIVAGAN_BITS, RIVAGAN_THRESHOLD } from './rivagan.js';

export const PAYLOAD_TILES = 8;
export const CODE_BITS = PAYLOAD_TILES * RIVAGAN_BITS;
/** Margin-weighted share of raw bits agreeing with the decoded id above which a watermark is reported (chance ≈ 0.5). */
export const MIN_AGREEMENT = 0.7;
/** Mean |score − threshold| above which a frame carries a watermark: unmarked frames stay well below 1. */
export const MIN_STRENGTH = 1.5;
/**
 * Agreement of a strong reading: misaligned crop guesses and weak copies stay
 * below it (measured up to 0.73), a copy read where its mark sits mostly above.
 */
export const STRONG_AGREEMENT = 0.75;
/**
 * Below STRONG_AGREEMENT, every id bit's vote must be at least this share of
 * the mean vote: in a marginal reading a bit the frames barely decide could be
 * either, and a wrong export id is worse than none.
 */
export const MIN_BIT_MARGIN = 0.1;
/** How many of the least certain bits are tried flipped (singly and in pairs) to satisfy the check byte. */
const REPAIR_BITS = 4;
/** A repaired id needs a strong reading (STRONG_AGREEMENT after the flips), every bit it keeps at least this share of the mean vote … */
export const MIN_BIT_MARGIN_REPAIRED = 0.3;
/** … and the bits it flips at most this share of the weakest bit it keeps: clearly the least certain ones. */
export const MAX_FLIP_SHARE = 0.35;
/** A single score votes with at most this weight. */
const CLIP = 8;

const MULT = [1, 7, 13, 29, 3, 11, 19, 23];
const ADD = [0, 11, 19, 5, 27, 2, 14, 23];
const MASKS = [0x00000000, 0xa5c3_96e1, 0x5b2d_e84f, 0xc71a_3b96, 0x3e94_d12b, 0x9f07_6ac4, 0x64b8_25fd, 0xd2e1_c870];

/** Position p of tile t carries id bit perm(t, p). */
function perm(t: number, p: number): number {
  return (p * MULT[t]! + ADD[t]!) % RIVAGAN_BITS;
}

function idBit(id: number, k: number): number {
  return (id >>> k) & 1;
}

/** CODE_BITS raw bits (0/1), tile-major. */
export function encodePayload(id: number): Uint8Array {
  const out = new Uint8Array(CODE_BITS);
  for (let t = 0; t < PAYLOAD_TILES; t++)
    for (let p = 0; p < RIVAGAN_BITS; p++) out[t * RIVAGAN_BITS + p] = idBit(id, perm(t, p)) ^ ((MASKS[t]! >>> p) & 1);
  return out;
}

export interface DecodedPayload {
  id: number;
  /** Share of all raw bit decisions (tiles × frames) that agree with `id`: ≈0.5 when there is no watermark. */
  agreement: number;
  /** Mean clipped |score − threshold|: how strongly the frames carry a mark at all. */
  strength: number;
  frames: number;
  found: boolean;
  /** How many bits of the decoded id were flipped to pass its check byte (0: none). */
  repaired: number;
}

/**
 * `scores`: one Float32Array of CODE_BITS decoder scores per sampled frame.
 * Tiles differ in how well they hold a mark (flat regions hold it badly, yet
 * answer with confident scores), so each tile of each frame is weighted by the
 * log-odds of its agreement with the current estimate, and the vote repeated.
 */
export function decodePayload(scores: Float32Array[]): DecodedPayload {
  const groups = scores.length * PAYLOAD_TILES;
  const weights = new Float64Array(groups).fill(1);
  let id = 0;
  let soft = new Float64Array(RIVAGAN_BITS);
  for (let round = 0; round < 4; round++) {
    soft = new Float64Array(RIVAGAN_BITS);
    scores.forEach((frame, f) => {
      for (let t = 0; t < PAYLOAD_TILES; t++) {
        const w = weights[f * PAYLOAD_TILES + t]!;
        for (let p = 0; p < RIVAGAN_BITS; p++) {
          const vote = Math.max(-CLIP, Math.min(CLIP, frame[t * RIVAGAN_BITS + p]! - RIVAGAN_THRESHOLD));
          const sign = (MASKS[t]! >>> p) & 1 ? -1 : 1;
          soft[perm(t, p)]! += w * sign * vote;
        }
      }
    });
    id = 0;
    for (let k = 0; k < RIVAGAN_BITS; k++) if (soft[k]! > 0) id = (id | (1 << k)) >>> 0;
    const expected = encodePayload(id);
    scores.forEach((frame, f) => {
      for (let t = 0; t < PAYLOAD_TILES; t++) {
        let ok = 0;
        for (let p = 0; p < RIVAGAN_BITS; p++)
          if ((frame[t * RIVAGAN_BITS + p]! > RIVAGAN_THRESHOLD ? 1 : 0) === expected[t * RIVAGAN_BITS + p]) ok++;
        const a = Math.min(0.97, Math.max(0.5, ok / RIVAGAN_BITS));
        weights[f * PAYLOAD_TILES + t] = Math.log(a / (1 - a));
      }
    });
  }
  const strength = scores.length ? totalMargin(scores) / (scores.length * CODE_BITS) : 0;
  const margins = Array.from(soft, Math.abs);
  const meanMargin = margins.reduce((a, b) => a + b, 0) / RIVAGAN_BITS;
  const order = margins.map((_, k) => k).sort((x, y) => margins[x]! - margins[y]!);
  const strong = (a: number) => a >= MIN_AGREEMENT && strength >= MIN_STRENGTH && meanMargin > 0;
  if (hasValidCheck(id)) {
    const agreement = agreementWith(scores, id);
    const found = strong(agreement) && (agreement >= STRONG_AGREEMENT || margins[order[0]!]! >= MIN_BIT_MARGIN * meanMargin);
    return { id, agreement, strength, frames: scores.length, found, repaired: 0 };
  }
  const flips = repairWithCheck(id, order.slice(0, REPAIR_BITS));
  if (!flips) return { id, agreement: agreementWith(scores, id), strength, frames: scores.length, found: false, repaired: 0 };
  const repaired = flips.reduce((v, k) => (v ^ (1 << k)) >>> 0, id);
  const agreement = agreementWith(scores, repaired);
  const kept = order.filter((k) => !flips.includes(k));
  const weakestKept = margins[kept[0]!]!;
  const found =
    strong(agreement) &&
    agreement >= STRONG_AGREEMENT &&
    weakestKept >= MIN_BIT_MARGIN_REPAIRED * meanMargin &&
    flips.every((k) => margins[k]! <= MAX_FLIP_SHARE * weakestKept);
  return { id: repaired, agreement, strength, frames: scores.length, found, repaired: flips.length };
}

/** Sum of every clipped |score − threshold|. */
function totalMargin(scores: Float32Array[]): number {
  let total = 0;
  for (const frame of scores) for (let i = 0; i < CODE_BITS; i++) total += Math.min(CLIP, Math.abs(frame[i]! - RIVAGAN_THRESHOLD));
  return total;
}

/** Margin-weighted share of the raw bit decisions that agree with `id`'s code. */
function agreementWith(scores: Float32Array[], id: number): number {
  const expected = encodePayload(id);
  let agree = 0;
  let total = 0;
  for (const frame of scores)
    for (let i = 0; i < CODE_BITS; i++) {
      const m = Math.min(CLIP, Math.abs(frame[i]! - RIVAGAN_THRESHOLD));
      total += m;
      if ((frame[i]! > RIVAGAN_THRESHOLD ? 1 : 0) === expected[i]) agree += m;
    }
  return total ? agree / total : 0;
}

function crc8(v: number): number {
  let c = 0;
  for (let i = 23; i >= 0; i--) {
    const bit = ((v >>> i) & 1) ^ (c >>> 7);
    c = ((c << 1) & 0xff) ^ (bit ? 0x07 : 0);
  }
  return c;
}

/** An export id: 24 random bits and their check byte. */
export function makeExportId(random: number): number {
  const high = random & 0xffffff;
  return ((high << 8) | crc8(high)) >>> 0;
}

export function hasValidCheck(id: number): boolean {
  return crc8(id >>> 8) === (id & 0xff);
}

/**
 * The bits of `candidates` (one or two) whose flip gives `id` a valid check
 * byte; undefined when no pattern passes or more than one does (two passing
 * patterns of four bits are possible: then the reading cannot tell which).
 */
function repairWithCheck(id: number, candidates: number[]): number[] | undefined {
  const patterns: number[][] = candidates.map((a) => [a]);
  for (let i = 0; i < candidates.length; i++)
    for (let j = i + 1; j < candidates.length; j++) patterns.push([candidates[i]!, candidates[j]!]);
  const passing = patterns.filter((bits) => hasValidCheck(bits.reduce((v, k) => (v ^ (1 << k)) >>> 0, id)));
  return passing.length === 1 ? passing[0] : undefined;
}

/** The export id as text: 8 hex digits. */
export function formatExportId(id: number): string {
  return (id >>> 0).toString(16).padStart(8, '0');
}
