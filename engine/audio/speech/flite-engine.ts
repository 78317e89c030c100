/**
 * The embedded speech engine: Flite (WASI) with its five US English voices,
 * more voices made from them by pitch (`int_f0_target_mean`) and rate
 * (`duration_stretch`). Output is 48 kHz mono with phone and word timings.
 * Lines are cached in-process by (text, voice).
 */
import { cancelledError, inputError } from '../../common/errors.js';
import type { Voice } from '../../model/schema.js';
import { AUDIO_RATE } from '../../common/time.js';
import { LruCache } from '../../util/lru-cache.js';
import { resample } from '../resample.js';
import { decodeWav } from '../wav.js';
import { runFlite } from './flite-wasi.js';
import type { SpeechEngine, SpokenLine, TimedUnit } from './speech-engine.js';
import { alignWords, splitWords } from './word-align.js';

export const FLITE_VOICES = ['slt', 'kal', 'kal16', 'awb', 'rms'] as const;

/** Spoken lines by text and voice (the samples dominate their size). */
export const lineCache = new LruCache<string, Promise<SpokenLine>>({
  maxEntries: 500,
  maxBytes: 64 * 2 ** 20,
  sizeOf: (l) => l.samples.byteLength + 64 * (l.words.length + l.phonemes.length),
});
/** Each word's phones, by voice and word. */
export const wordCache = new LruCache<string, string[]>({ maxEntries: 20000 });

/** The flite arguments that make `voice` (pitch and rate as setf features). */
export function fliteVoiceArgs(voice: Voice): string[] {
  const name = voice.voice;
  if (!(FLITE_VOICES as readonly string[]).includes(name)) {
    throw inputError('UNKNOWN_VOICE', `flite has no voice called "${name}"`, {
      path: 'voice.voice',
      hint: `Flite voices: ${FLITE_VOICES.join(', ')}.`,
    });
  }
  const args = ['-voice', name];
  if (voice.pitchHz !== undefined) args.push('--setf', `int_f0_target_mean=${round3(voice.pitchHz)}`);
  const rate = voice.rate ?? 1;
  if (rate !== 1) args.push('--setf', `duration_stretch=${round3(1 / rate)}`);
  return args;
}

/** "slt", or "kal 180Hz ×1.2" for a voice made by pitch and rate. */
export function voiceLabel(voice: Voice): string {
  const parts = [voice.voice];
  if (voice.pitchHz !== undefined) parts.push(`${round3(voice.pitchHz)}Hz`);
  if ((voice.rate ?? 1) !== 1) parts.push(`×${round3(voice.rate)}`);
  return parts.join(' ');
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Text as flite should read it: one line, no leading dash (it would read as an option). */
function cleanText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^-+\s*/, '');
}

/** `pau:0.164 hh:0.255 …` (end times in seconds) → timed phones in 48 kHz samples. */
export function parsePhoneDurations(stdout: string, totalSamples: number): TimedUnit[] {
  const out: TimedUnit[] = [];
  let prev = 0;
  for (const tok of stdout.trim().split(/\s+/)) {
    const m = /^([a-z#]+):([\d.]+)$/i.exec(tok);
    if (!m) continue;
    const end = Math.min(totalSamples, Math.max(prev, Math.round(Number(m[2]) * AUDIO_RATE)));
    out.push({ text: m[1]!.toLowerCase(), startSample: prev, endSample: end });
    prev = end;
  }
  return out;
}

/** A first-order high-pass (in place): removes the low thumps some diphone voices leave in their pauses. */
function highPass(x: Float32Array, hz: number): Float32Array {
  const a = Math.exp((-2 * Math.PI * hz) / AUDIO_RATE);
  let prevIn = 0;
  let prevOut = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    prevOut = a * (prevOut + v - prevIn);
    prevIn = v;
    x[i] = prevOut;
  }
  return x;
}

/** Each word's pronunciation said alone; one flite run for all new words, split at the pauses between them. */
async function wordPhones(words: string[], voiceArgs: string[]): Promise<string[][]> {
  const key = (w: string): string => `${voiceArgs[1]}\u0000${w.toLowerCase()}`;
  // this call's words, kept here: the cache may let some go meanwhile
  const phones = new Map<string, string[]>();
  const learn = (w: string, p: string[]) => {
    phones.set(key(w), p);
    wordCache.set(key(w), p);
  };
  for (const w of words) {
    const p = wordCache.get(key(w));
    if (p) phones.set(key(w), p);
  }
  const missing = [...new Set(words.filter((w) => !phones.has(key(w))))];
  if (missing.length > 1) {
    const { stdout } = await runFlite([...voiceArgs, '-ps', '-o', 'none', '-t', missing.join('. ') + '.']);
    const groups = stdout
      .trim()
      .split(/\s*\bpau\b\s*/)
      .filter((g) => g.length > 0);
    if (groups.length === missing.length) missing.forEach((w, i) => learn(w, groups[i]!.split(/\s+/)));
  }
  for (const w of missing) {
    if (phones.has(key(w))) continue;
    const { stdout } = await runFlite([...voiceArgs, '-ps', '-o', 'none', '-t', w]);
    learn(
      w,
      stdout
        .trim()
        .split(/\s+/)
        .filter((p) => p && p !== 'pau'),
    );
  }
  return words.map((w) => phones.get(key(w))!);
}

async function speak(text: string, voice: Voice): Promise<SpokenLine> {
  const voiceArgs = fliteVoiceArgs(voice);
  const said = cleanText(text);
  if (!said) throw inputError('EMPTY_LINE', 'a dialogue line has no words to speak', { path: 'text' });
  const { stdout, wav } = await runFlite([...voiceArgs, '-psdur', '-t', said, '-o', '/out/out.wav']);
  if (!wav) throw inputError('SPEECH_FAILED', 'flite wrote no audio');
  const decoded = decodeWav(wav);
  const samples = highPass(resample(decoded.samples, decoded.sampleRate, AUDIO_RATE), 60);
  const phonemes = parsePhoneDurations(stdout, samples.length);
  const words = splitWords(said);
  const timedWords = alignWords(words, await wordPhones(words, voiceArgs), phonemes);
  return { samples, words: timedWords, phonemes, engine: 'flite', voice: voiceLabel(voice) };
}

export const fliteEngine: SpeechEngine = {
  id: 'flite',
  voices: () => [...FLITE_VOICES],
  async synthesize(text, voice, opts = {}) {
    if (opts.signal?.aborted) throw cancelledError('speech synthesis');
    const key = JSON.stringify([text, voice.voice, voice.pitchHz ?? null, voice.rate ?? 1]);
    const spoken = await lineCache.getOrCreate(key, () => speak(text, voice));
    // Callers own what they get: a copy of the cached samples.
    return {
      ...spoken,
      samples: spoken.samples.slice(),
      words: spoken.words.map((w) => ({ ...w })),
      phonemes: spoken.phonemes.map((p) => ({ ...p })),
    };
  },
};
