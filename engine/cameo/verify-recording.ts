/**
 * The verified-recording check of a cameo (issue 16, point 2): a short video in
 * which one person reads a challenge phrase (and, per policy, turns the head).
 * Face detection, landmarks and voice activity decide whether it is a live
 * recording: exactly one face throughout, blinks, mouth opening that follows
 * the speech, a spoken length that fits the phrase, optionally a head turn;
 * and it is not a still photo, a frozen or a looped clip.
 *
 * `klappe cameo verify FILE --json` prints `{ passed, reasons }` of this result.
 */
import { KlappeError } from '../common/errors.js';

export interface VerifyRecordingOptions {
  /** The phrase shown to the person; its expected spoken length is checked. */
  challenge?: string;
  /** Policy: require a change of head yaw (a turn of the head). Default false. */
  requireHeadTurn?: boolean;
  signal?: AbortSignal;
}

/** Why a recording failed; one entry per failed check. */
export type VerifyReasonCode =
  | 'NO_VIDEO'
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
  code: VerifyReasonCode | string;
  message: string;
}

export interface VerifyRecordingMeasures {
  /** Seconds of video analysed and frames analysed per second. */
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
  /** Smallest and largest head yaw (degrees, + = the person's left). */
  yawMinDeg: number;
  yawMaxDeg: number;
  /** Seconds of speech found by voice activity detection. */
  speechSec: number;
  /** Expected spoken seconds for the challenge phrase (range), when one was given. */
  expectedSpeechSec?: [number, number];
  /** Correlation of mouth movement and speech at zero lag, and the lag (s) where it is best. */
  lipSyncScore: number;
  lipSyncLagSec: number;
  /** Median frame-to-frame change (0..255 grey levels) and share of frames identical to the one before. */
  motion: number;
  frozenShare: number;
  /** Longest stretch (s) that repeats an earlier stretch of the video, 0 when none. */
  loopSec: number;
  /** Wall time of the check, ms. */
  elapsedMs: number;
}

export interface VerifyRecordingResult {
  passed: boolean;
  reasons: VerifyReason[];
  measures: VerifyRecordingMeasures;
}

export async function verifyRecording(file: string, options: VerifyRecordingOptions = {}): Promise<VerifyRecordingResult> {
  void options;
  throw new KlappeError({ code: 'NOT_READY', message: `verifyRecording(${file}) is not implemented yet` });
}
