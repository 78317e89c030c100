/**
 * The timing of a variation take: when the actions start and when the lines
 * are spoken (and with them the mouths, and the listeners' looks at the
 * speaker), moved by a few seeded frames within the direction.
 * - Actions: one offset per character (their actions keep their order and
 *   spacing), at most ACTION_EARLY_S earlier or ACTION_LATE_S later, and only
 *   as far as keeps every action inside each shot whose time it was directed in.
 * - Lines: one offset per shot, at most LINE_EARLY_S earlier or LINE_LATE_S
 *   later, plus a longer pause (up to LINE_PAUSE_S) before each line that
 *   follows the one before; never before the shot's first frame, and a line
 *   that ended inside its shot still does.
 * `share` scales every bound (1: the most). Pure; the spoken audio is the
 * same, only placed elsewhere.
 */
import { AUDIO_RATE, frameToSample, secondsToFramesRound, type Rate } from '../../common/time.js';
import { mixSeed, seededRandom } from '../../util/seeded-random.js';
import type { SceneInput } from './scene-input.js';
import type { ScheduledLine } from './sound-port.js';

export const ACTION_EARLY_S = 0.25;
export const ACTION_LATE_S = 0.4;
export const LINE_EARLY_S = 0.15;
export const LINE_LATE_S = 0.35;
export const LINE_PAUSE_S = 0.2;

/** The scene with each character's actions moved by their own offset (frames). */
export function varyActionTiming(scene: SceneInput, seed: number, rate: Rate, share = 1): SceneInput {
  const early = secondsToFramesRound(ACTION_EARLY_S * share, rate);
  const late = secondsToFramesRound(ACTION_LATE_S * share, rate);
  const shift = new Map<string, number>();
  for (const actor of [...new Set(scene.actions.map((a) => a.actorId))].sort()) {
    let lo = -early;
    let hi = late;
    for (const a of scene.actions) {
      if (a.actorId !== actor) continue;
      lo = Math.max(lo, -a.at);
      for (const s of scene.shots) {
        if (a.at < s.sceneStart || a.at >= s.sceneStart + s.duration) continue;
        lo = Math.max(lo, s.sceneStart - a.at);
        hi = Math.min(hi, s.sceneStart + s.duration - 1 - a.at);
      }
    }
    shift.set(actor, pick(seededRandom(mixSeed(seed, 'actions', actor)), lo, hi));
  }
  return { ...scene, actions: scene.actions.map((a) => (shift.get(a.actorId) ? { ...a, at: a.at + shift.get(a.actorId)! } : a)) };
}

/**
 * The scene's spoken lines (speakScene's, in the scene's shot and line order)
 * placed a little earlier or later in their shots; the audio itself is shared.
 */
export function varyLineTiming(lines: ScheduledLine[], scene: SceneInput, seed: number, rate: Rate, share = 1): ScheduledLine[] {
  const out: ScheduledLine[] = [];
  let next = 0;
  for (const shot of scene.shots) {
    const own = lines.slice(next, next + shot.dialogue.length);
    next += shot.dialogue.length;
    if (own.some((l, i) => l.lineId !== shot.dialogue[i]!.id)) return lines;
    if (!own.length) continue;
    const end = frameToSample(shot.sceneStart + shot.duration, rate);
    const samplesPerFrame = Math.ceil((AUDIO_RATE * rate.den) / rate.num);
    // later: as far as keeps every line that ended in the shot ending there (none when one runs over)
    const room = Math.min(...own.map((l) => Math.floor((end - l.endSample - 1) / samplesPerFrame)));
    const late = Math.max(0, Math.min(secondsToFramesRound(LINE_LATE_S * share, rate), room));
    const early = Math.max(
      0,
      Math.min(secondsToFramesRound(LINE_EARLY_S * share, rate), ...own.map((l) => l.sceneStartFrame - shot.sceneStart)),
    );
    const r = seededRandom(mixSeed(seed, 'lines', shot.id));
    let total = pick(r, -early, late);
    own.forEach((line, i) => {
      if (i > 0 && shot.dialogue[i]!.start === undefined && total < late) {
        total += pick(r, 0, Math.min(late - total, secondsToFramesRound(LINE_PAUSE_S * share, rate)));
      }
      out.push(shiftLine(line, total, rate));
    });
  }
  return next === lines.length ? out : lines;
}

function shiftLine(line: ScheduledLine, frames: number, rate: Rate): ScheduledLine {
  if (!frames) return line;
  const sceneStartFrame = line.sceneStartFrame + frames;
  const sceneStartSample = frameToSample(sceneStartFrame, rate);
  const d = sceneStartSample - line.sceneStartSample;
  const move = (u: { text: string; startSample: number; endSample: number }) => ({
    text: u.text,
    startSample: u.startSample + d,
    endSample: u.endSample + d,
  });
  return {
    ...line,
    startSample: line.startSample + d,
    endSample: line.endSample + d,
    words: line.words.map(move),
    phonemes: line.phonemes.map(move),
    sceneStartFrame,
    sceneStartSample,
  };
}

/** A whole number in [lo, hi] (0 when the range is empty). */
function pick(r: () => number, lo: number, hi: number): number {
  if (hi < lo) return 0;
  return lo + Math.floor(r() * (hi - lo + 1));
}
