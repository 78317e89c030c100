/**
 * STAND-IN for engine/cameo/verify-recording.ts (written by the faces work:
 * face detection, landmarks, VAD). Same signature; it only checks that the file
 * has a picture and a sound track of a plausible length. Deleted when that
 * module is merged; callers import `verifyRecording` from here until then.
 */
import { audioStream, probe, videoStream } from '../media/probe.js';

export interface RecordingReason {
  code: string;
  message: string;
}

export interface RecordingCheck {
  passed: boolean;
  reasons: RecordingReason[];
  measures: Record<string, number | boolean | string>;
}

export async function verifyRecording(file: string, opts: { challenge?: string; requireHeadTurn?: boolean } = {}): Promise<RecordingCheck> {
  void opts;
  const reasons: RecordingReason[] = [];
  let p;
  try {
    p = await probe(file);
  } catch (e) {
    return {
      passed: false,
      reasons: [{ code: 'UNREADABLE', message: `${file} cannot be read as video: ${(e as Error).message}` }],
      measures: {},
    };
  }
  const v = videoStream(p);
  const a = audioStream(p);
  const seconds = Number(p.format.duration ?? v?.duration ?? 0);
  if (!v) reasons.push({ code: 'NO_VIDEO', message: 'the recording has no picture' });
  if (!a) reasons.push({ code: 'NO_SPEECH', message: 'the recording has no sound: read the phrase aloud while recording' });
  if (seconds < 1) reasons.push({ code: 'TOO_SHORT', message: `the recording is ${seconds.toFixed(1)} s long; record at least 2 s` });
  if (seconds > 120) reasons.push({ code: 'TOO_LONG', message: `the recording is ${seconds.toFixed(0)} s long; keep it under 2 minutes` });
  return { passed: reasons.length === 0, reasons, measures: { seconds, width: v?.width ?? 0, height: v?.height ?? 0, audio: !!a } };
}
