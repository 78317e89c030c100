/**
 * The verified-recording check of a cameo (issue 16, point 2): a short video in
 * which one person reads a challenge phrase (and, per policy, turns the head).
 * Face detection, landmarks and voice activity decide whether it is a live
 * recording: exactly one face throughout, blinks, mouth opening that follows
 * the speech, a spoken length that fits the phrase, optionally a head turn;
 * and it is not a still photo, a frozen or a looped clip. Every failed check
 * gives its own reason code. The measured numbers and cut-offs are in
 * docs/faces.md.
 *
 * `klappe cameo verify FILE --json` prints `{ passed, reasons }` of this result.
 */
import { analyseFaces } from '../vision/face-analysis.js';
import { lipSyncOfAnalysis, speechTrack } from '../vision/lip-sync.js';
import { countBlinks, motionMeasures, quantile } from '../vision/liveness-measures.js';
import { expectedSpeechSeconds } from './spoken-length.js';

export interface VerifyRecordingOptions {
  /** The phrase shown to the person; its expected spoken length is checked. */
  challenge?: string;
  /** Policy: require a change of head yaw (a turn of the head). Default false. */
  requireHeadTurn?: boolean;
  signal?: AbortSignal;
}

/** Why a recording failed; one entry per failed check. */
export type VerifyReasonCode =
  | 'TOO_SHORT'
  | 'NO_FACE'
  | 'MULTIPLE_FACES'
  | 'FACE_LOST'
  | 'STILL_IMAGE'
  | 'FROZEN_FRAMES'
  | 'LOOPED_FRAMES'
  | 'NO_BLINK'
  | 'NO_HEAD_TURN'
  | 'NO_SPEECH'
  | 'LIP_SYNC_MISMATCH'
  | 'SPEECH_LENGTH_MISMATCH';

export interface VerifyReason {
  code: VerifyReasonCode;
  message: string;
}

export interface VerifyRecordingMeasures {
  /** Seconds of video, frames analysed per second, frames analysed. */
  durationSec: number;
  analysedFps: number;
  framesAnalysed: number;
  /** Share of analysed frames with exactly one face, with none, with two or more. */
  oneFaceShare: number;
  noFaceShare: number;
  multiFaceShare: number;
  /** Largest number of faces seen in one frame. */
  maxFaces: number;
  blinks: number;
  /** Head yaw range (5th and 95th percentile, degrees) over frames with a face. */
  yawMinDeg: number;
  yawMaxDeg: number;
  /** Seconds of speech found by voice activity detection (0 without audio). */
  speechSec: number;
  /** Expected spoken seconds for the challenge phrase, when one was given. */
  expectedSpeechSec?: [number, number];
  /** Correlation of mouth movement and speech at lag 0, and the lag (s) where it is best. */
  lipSyncScore: number;
  lipSyncLagSec: number;
  /** Median difference of adjacent frames (grey levels), share of frames identical to the one before, longest freeze (s). */
  motion: number;
  frozenShare: number;
  longestFreezeSec: number;
  /** Longest stretch (s) that repeats earlier frames, 0 when none, and the loop measure (under 0.85: a loop). */
  loopSec: number;
  loopRatio: number;
  /** Wall time of the check, ms. */
  elapsedMs: number;
}

export interface VerifyRecordingResult {
  passed: boolean;
  reasons: VerifyReason[];
  measures: VerifyRecordingMeasures;
}

/** Cut-offs of the checks (docs/faces.md gives the measurements behind them). */
export const VERIFY_LIMITS = {
  minDurationSec: 1.5,
  /** Up to this share of frames may miss the face (detector misses, a hand passing). */
  maxNoFaceShare: 0.1,
  /** More than this share of frames with a second face fails. */
  maxMultiFaceShare: 0.05,
  stillShare: 0.9,
  maxFreezeSec: 0.5,
  maxFrozenShare: 0.25,
  maxLoopSec: 0.4,
  minBlinks: 1,
  minYawRangeDeg: 15,
  minSpeechSec: 0.3,
} as const;

/** Frames a second analysed (blinks last 100–400 ms: a few frames at 25). */
const VERIFY_FPS = 25;

export async function verifyRecording(file: string, options: VerifyRecordingOptions = {}): Promise<VerifyRecordingResult> {
  const t0 = performance.now();
  const { signal } = options;
  const analysis = await analyseFaces(file, { fps: VERIFY_FPS, maxWidth: 480, signal });
  const speech = await speechTrack(file, { signal });
  const frames = analysis.frames;
  const n = Math.max(1, frames.length);
  const counts = frames.map((f) => f.faces.length);
  const oneFaceShare = counts.filter((c) => c === 1).length / n;
  const noFaceShare = counts.filter((c) => c === 0).length / n;
  const multiFaceShare = counts.filter((c) => c > 1).length / n;
  const main = frames.map((f) => (f.faces.length === 1 ? f.faces[0]!.measures : undefined));
  const { blinks } = countBlinks(
    main.map((m) => m?.eyeOpen),
    analysis.fps,
  );
  const yaws = main.flatMap((m) => (m ? [m.yawDeg] : []));
  const motion = motionMeasures(
    frames.map((f) => f.thumb),
    analysis.fps,
  );
  const lip = lipSyncOfAnalysis(analysis, speech);
  const speechSec = speech?.speechSec ?? 0;
  const expected = options.challenge ? expectedSpeechSeconds(options.challenge) : undefined;
  const durationSec = analysis.durationSec || frames.length / analysis.fps;
  const measures: VerifyRecordingMeasures = {
    durationSec,
    analysedFps: analysis.fps,
    framesAnalysed: frames.length,
    oneFaceShare,
    noFaceShare,
    multiFaceShare,
    maxFaces: Math.max(0, ...counts),
    blinks,
    yawMinDeg: quantile(yaws, 0.05),
    yawMaxDeg: quantile(yaws, 0.95),
    speechSec,
    ...(expected ? { expectedSpeechSec: expected } : {}),
    lipSyncScore: lip.score,
    lipSyncLagSec: lip.lagSec,
    motion: motion.motion,
    frozenShare: motion.frozenShare,
    longestFreezeSec: motion.longestFreezeSec,
    loopSec: motion.loopSec,
    loopRatio: motion.loopRatio,
    elapsedMs: 0,
  };
  const reasons = judge(measures, lip.reason, options);
  measures.elapsedMs = Math.round(performance.now() - t0);
  return { passed: reasons.length === 0, reasons, measures };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const sec = (x: number) => `${x.toFixed(1)} s`;

/** The reasons a recording with these measures fails (empty: it passes). Pure. */
export function judge(
  m: VerifyRecordingMeasures,
  lipReason: string | undefined,
  options: Pick<VerifyRecordingOptions, 'requireHeadTurn'> = {},
): VerifyReason[] {
  const L = VERIFY_LIMITS;
  const out: VerifyReason[] = [];
  const add = (code: VerifyReasonCode, message: string) => out.push({ code, message });
  if (m.durationSec < L.minDurationSec)
    add('TOO_SHORT', `the recording lasts ${sec(m.durationSec)}; record at least ${sec(L.minDurationSec)} while reading the phrase`);
  const hasFace = m.noFaceShare < 0.5;
  if (!hasFace) add('NO_FACE', `no face was found in ${pct(m.noFaceShare)} of the frames; face the camera in good light`);
  else if (m.noFaceShare > L.maxNoFaceShare)
    add('FACE_LOST', `the face was lost in ${pct(m.noFaceShare)} of the frames; stay in the picture for the whole recording`);
  if (m.multiFaceShare > L.maxMultiFaceShare)
    add(
      'MULTIPLE_FACES',
      `${m.maxFaces} faces were seen (in ${pct(m.multiFaceShare)} of the frames); only the person of the cameo may be in the picture`,
    );
  const still = m.frozenShare >= L.stillShare;
  if (still)
    add(
      'STILL_IMAGE',
      `the picture does not change (${pct(m.frozenShare)} of the frames repeat the one before): a still image, not a recording`,
    );
  else if (m.longestFreezeSec > L.maxFreezeSec || m.frozenShare > L.maxFrozenShare)
    add('FROZEN_FRAMES', `the picture freezes for ${sec(m.longestFreezeSec)} (${pct(m.frozenShare)} of the frames repeat the one before)`);
  if (!still && m.loopSec >= L.maxLoopSec)
    add('LOOPED_FRAMES', `${sec(m.loopSec)} of the video repeat earlier frames: a looped clip, not a live recording`);
  // blinks, head turn and lips are judged on the one face; with several faces that reason says it all
  const oneFace = hasFace && m.oneFaceShare >= 0.5;
  if (oneFace && m.blinks < L.minBlinks) add('NO_BLINK', 'no blink was seen; look at the camera naturally while reading the phrase');
  if (options.requireHeadTurn && oneFace && m.yawMaxDeg - m.yawMinDeg < L.minYawRangeDeg)
    add(
      'NO_HEAD_TURN',
      `the head turned by ${Math.round(m.yawMaxDeg - m.yawMinDeg)}°; turn it to one side and back (at least ${L.minYawRangeDeg}°)`,
    );
  if (m.speechSec < L.minSpeechSec) add('NO_SPEECH', 'no speech was heard; read the phrase aloud with the microphone on');
  else if (oneFace && lipReason === 'not-in-sync')
    add(
      'LIP_SYNC_MISMATCH',
      `the mouth does not move with the speech (score ${m.lipSyncScore.toFixed(2)}, best at ${m.lipSyncLagSec >= 0 ? '+' : ''}${m.lipSyncLagSec.toFixed(2)} s): the sound does not belong to this picture`,
    );
  if (m.expectedSpeechSec && m.speechSec >= L.minSpeechSec) {
    const [lo, hi] = m.expectedSpeechSec;
    if (m.speechSec < lo || m.speechSec > hi)
      add('SPEECH_LENGTH_MISMATCH', `${sec(m.speechSec)} of speech were heard; reading the phrase takes ${sec(lo)}–${sec(hi)}`);
  }
  return out;
}
