/** The check a cameo's recording gets before it is added: the liveness check for a person, a plain one for a pet or an object. */
import type { CameoKind } from '../common/cameo-view.js';
import { checkPlainRecording } from './reference-files.js';
import { verifyRecording } from './verify-recording.js';

export interface CameoRecordingCheck {
  passed: boolean;
  reasons: Array<{ code: string; message: string }>;
  measures?: unknown;
}

export async function checkCameoRecording(
  file: string,
  kind: CameoKind,
  opts: { challenge?: string; requireHeadTurn?: boolean; signal?: AbortSignal } = {},
): Promise<CameoRecordingCheck> {
  if (kind !== 'person') return checkPlainRecording(file);
  const r = await verifyRecording(file, {
    ...(opts.challenge ? { challenge: opts.challenge } : {}),
    requireHeadTurn: opts.requireHeadTurn ?? false,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { passed: r.passed, reasons: r.reasons, measures: r.measures };
}
