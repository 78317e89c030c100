/**
 * Mouth shapes from phones: ARPAbet → viseme (9 shapes), and `mouthAt` which
 * blends neighbouring shapes across each phone boundary (coarticulation) so a
 * drawn mouth moves smoothly, closes fully on m/b/p and rests in silence.
 */
import type { TimedUnit } from './speech-engine.js';

export type Viseme = 'rest' | 'MBP' | 'FV' | 'AA' | 'EE' | 'OO' | 'L' | 'WQ' | 'CDG';

export interface MouthShape {
  viseme: Viseme;
  /** Jaw/lip opening, 0 closed … 1 wide open. */
  open: number;
  /** Lip spread, 0 rounded … 1 spread. */
  wide: number;
}

/** Each viseme's target opening and spread. */
export const VISEME_SHAPES: Readonly<Record<Viseme, { open: number; wide: number }>> = {
  rest: { open: 0, wide: 0.5 },
  MBP: { open: 0, wide: 0.45 },
  FV: { open: 0.12, wide: 0.6 },
  AA: { open: 1, wide: 0.6 },
  EE: { open: 0.45, wide: 0.95 },
  OO: { open: 0.55, wide: 0.1 },
  L: { open: 0.5, wide: 0.5 },
  WQ: { open: 0.25, wide: 0.05 },
  CDG: { open: 0.3, wide: 0.7 },
};

const PHONE_VISEME: Readonly<Record<string, Viseme>> = {
  pau: 'rest',
  sil: 'rest',
  'h#': 'rest',
  brth: 'rest',
  m: 'MBP',
  b: 'MBP',
  p: 'MBP',
  em: 'MBP',
  f: 'FV',
  v: 'FV',
  aa: 'AA',
  ae: 'AA',
  ah: 'AA',
  ay: 'AA',
  aw: 'AA',
  ax: 'AA',
  hh: 'AA',
  eh: 'EE',
  ey: 'EE',
  ih: 'EE',
  iy: 'EE',
  y: 'EE',
  ix: 'EE',
  ao: 'OO',
  ow: 'OO',
  oy: 'OO',
  uh: 'OO',
  uw: 'OO',
  ux: 'OO',
  l: 'L',
  el: 'L',
  th: 'L',
  dh: 'L',
  w: 'WQ',
  r: 'WQ',
  er: 'WQ',
  axr: 'WQ',
  k: 'CDG',
  g: 'CDG',
  ng: 'CDG',
  t: 'CDG',
  d: 'CDG',
  n: 'CDG',
  en: 'CDG',
  s: 'CDG',
  z: 'CDG',
  sh: 'CDG',
  zh: 'CDG',
  ch: 'CDG',
  jh: 'CDG',
  dx: 'CDG',
  nx: 'CDG',
};

/** The viseme of an ARPAbet phone (stress digits ignored); unknown phones read as 'CDG'. */
export function phoneToViseme(phone: string): Viseme {
  return PHONE_VISEME[phone.toLowerCase().replace(/[0-9]/g, '')] ?? 'CDG';
}

const STOPS = new Set(['p', 'b', 't', 'd', 'k', 'g']);
/**
 * A stop after silence shows on the face for its last 60 ms only: its release
 * (the sound) ends it, and the lips start forming it a little before; earlier
 * than that it is a silent closure. 60 ms puts the first visibly open video
 * frame within one frame of where Silero VAD hears speech begin.
 */
const RELEASE_SAMPLES = 2880;
/** Other sounds after silence: the lips start forming them 40 ms before the voice. */
const ANTICIPATION_SAMPLES = 1920;
const visibleCache = new WeakMap<TimedUnit[], TimedUnit[]>();

/**
 * The phones as the face shows them after a silence: a stop is silent until
 * its release, so the mouth stays at rest through the closure; any other sound
 * is anticipated by 40 ms. The mouth opens with the sound, as a viewer — and a
 * voice detector — expect.
 */
function visiblePhones(phonemes: TimedUnit[]): TimedUnit[] {
  let out = visibleCache.get(phonemes);
  if (out && out.length === phonemes.length) return out;
  out = phonemes.map((p) => ({ ...p }));
  for (let i = 1; i < out.length; i++) {
    const prev = out[i - 1]!;
    const cur = out[i]!;
    if (phoneToViseme(prev.text) !== 'rest' || phoneToViseme(cur.text) === 'rest' || prev.endSample !== cur.startSample) continue;
    const start = STOPS.has(cur.text)
      ? Math.max(cur.startSample, cur.endSample - RELEASE_SAMPLES)
      : Math.max(prev.startSample, cur.startSample - ANTICIPATION_SAMPLES);
    prev.endSample = start;
    cur.startSample = start;
  }
  visibleCache.set(phonemes, out);
  return out;
}

/** Longest cross-fade between two shapes: 40 ms at 48 kHz. */
const BLEND_SAMPLES = 1920;

const REST: MouthShape = { viseme: 'rest', ...VISEME_SHAPES.rest };

function smoothstep(t: number): number {
  const x = t <= 0 ? 0 : t >= 1 ? 1 : t;
  return x * x * (3 - 2 * x);
}

/** The phone containing `sample` (phones sorted by time), or −1. */
function findPhone(phonemes: TimedUnit[], sample: number): number {
  let lo = 0;
  let hi = phonemes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = phonemes[mid]!;
    if (sample < p.startSample) hi = mid - 1;
    else if (sample >= p.endSample) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * The mouth at `sample` (same time base as the phones). Around each boundary the
 * shape cross-fades over up to 40 ms (never more than half of either phone), so
 * the centre of every phone reaches its target and silence is fully at rest.
 */
export function mouthAt(timed: TimedUnit[], sample: number): MouthShape {
  const phonemes = visiblePhones(timed);
  const i = findPhone(phonemes, sample);
  if (i < 0) return { ...REST };
  const cur = phonemes[i]!;
  const curV = phoneToViseme(cur.text);
  let shape = { ...VISEME_SHAPES[curV] };
  const len = cur.endSample - cur.startSample;
  const prev = phonemes[i - 1];
  const next = phonemes[i + 1];
  if (prev && prev.endSample === cur.startSample && sample - cur.startSample < len / 2) {
    const half = Math.min(BLEND_SAMPLES, len, prev.endSample - prev.startSample) / 2;
    if (half > 0) {
      const w = smoothstep((sample - cur.startSample + half) / (2 * half)); // 0.5 at the boundary
      shape = mix(VISEME_SHAPES[phoneToViseme(prev.text)], shape, w);
    }
  } else if (next && next.startSample === cur.endSample && cur.endSample - sample <= len / 2) {
    const half = Math.min(BLEND_SAMPLES, len, next.endSample - next.startSample) / 2;
    if (half > 0) {
      const w = smoothstep((sample - (cur.endSample - half)) / (2 * half));
      shape = mix(shape, VISEME_SHAPES[phoneToViseme(next.text)], w);
    }
  }
  return { viseme: curV === 'rest' && shape.open > 0.02 ? nearestSpeaking(prev, next, sample) : curV, open: shape.open, wide: shape.wide };
}

function mix(a: { open: number; wide: number }, b: { open: number; wide: number }, w: number): { open: number; wide: number } {
  return { open: a.open + (b.open - a.open) * w, wide: a.wide + (b.wide - a.wide) * w };
}

/** Inside a pause but still closing/opening: name the shape it comes from or goes to. */
function nearestSpeaking(prev: TimedUnit | undefined, next: TimedUnit | undefined, sample: number): Viseme {
  const dp = prev ? sample - prev.endSample : Infinity;
  const dn = next ? next.startSample - sample : Infinity;
  const p = dp <= dn ? prev : next;
  return p ? phoneToViseme(p.text) : 'rest';
}
