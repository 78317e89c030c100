/**
 * Every IPC message from the renderer is checked before it reaches the
 * engine: it must come from the studio's own top frame (app://klappe), and
 * its method and params must pass the api contract's zod schema.
 */
import { inputError } from '../engine/common/errors.js';
import { parseCall, type MethodName } from '../engine/api/contract.js';

export const APP_ORIGIN = 'app://klappe';

export interface SenderFrameLike {
  url: string;
  /** The top frame has no parent. */
  parent: unknown | null;
}

export function checkSender(frame: SenderFrameLike | null | undefined): void {
  if (!frame || typeof frame !== 'object') throw inputError('IPC_SENDER', 'an IPC message came without a sender frame');
  let origin: string;
  try {
    if (typeof frame.url !== 'string') throw new TypeError('not a string');
    const u = new URL(frame.url);
    origin = `${u.protocol}//${u.host}`;
  } catch {
    // the URL as text only when it is text: String() of an object with a broken toString throws
    const shown = typeof frame.url === 'string' ? frame.url.slice(0, 80) : `a ${frame.url === null ? 'null' : typeof frame.url}`;
    throw inputError('IPC_SENDER', `an IPC message came from a frame with no valid URL (${shown})`);
  }
  if (origin !== APP_ORIGIN) throw inputError('IPC_SENDER', `an IPC message came from ${origin}, not from the studio (${APP_ORIGIN})`);
  if (frame.parent) throw inputError('IPC_SENDER', 'an IPC message came from a sub-frame');
}

/** Sender check plus zod validation of the call; returns the parsed call. */
export function validateIpcCall(frame: SenderFrameLike | null | undefined, payload: unknown): { method: MethodName; params: unknown } {
  checkSender(frame);
  if (!payload || typeof payload !== 'object') throw inputError('BAD_MESSAGE', 'an IPC call must be {method, params}');
  const { method, params } = payload as { method?: unknown; params?: unknown };
  if (typeof method !== 'string') throw inputError('BAD_MESSAGE', 'an IPC call needs a method name', { path: 'method' });
  return parseCall(method, params);
}
