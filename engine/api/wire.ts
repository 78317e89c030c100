/**
 * Message framing for the api, the same over a WebSocket and over Electron IPC:
 * a request `{id, method, params}`, a reply `{id, ok, result | error}`, an
 * event `{event, data}`. Browser-safe.
 */
import { z } from 'zod';
import { inputError, isKlappeError } from '../common/errors.js';
import type { EventName, EventPayloads, MethodName, MethodResults } from './contract.js';

export const RequestSchema = z
  .object({
    id: z.number().int().nonnegative(),
    method: z.string().min(1).max(64),
    params: z.unknown().optional(),
  })
  .strict();
export type Request = z.infer<typeof RequestSchema>;

export interface WireError {
  code: string;
  message: string;
  kind?: string;
  path?: string;
  hint?: string;
  file?: string;
}

export type Reply<M extends MethodName = MethodName> =
  { id: number; ok: true; result: MethodResults[M] } | { id: number; ok: false; error: WireError };

export interface EventMessage<E extends EventName = EventName> {
  event: E;
  data: EventPayloads[E];
}

export type ServerMessage = Reply | EventMessage;

/** Largest message a host accepts (a 10,000-command gesture fits). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** Parses one incoming request frame; throws an input error for anything else. */
export function parseRequest(text: string): Request {
  if (text.length > MAX_MESSAGE_BYTES)
    throw inputError('MESSAGE_TOO_LARGE', `a request of ${text.length} bytes is over the ${MAX_MESSAGE_BYTES} limit`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw inputError('BAD_MESSAGE', 'a request is not JSON');
  }
  const r = RequestSchema.safeParse(raw);
  if (!r.success)
    throw inputError(
      'BAD_MESSAGE',
      `a request needs {id, method, params}: ${r.error.issues[0]!.path.join('.') || '(root)'}: ${r.error.issues[0]!.message}`,
    );
  return r.data;
}

/** Any thrown value as a wire error, without stack traces or secrets. */
export function toWireError(e: unknown): WireError {
  if (isKlappeError(e)) {
    return {
      code: e.code,
      message: e.message,
      kind: e.kind,
      ...(e.path ? { path: e.path } : {}),
      ...(e.hint ? { hint: e.hint } : {}),
      ...(e.file ? { file: e.file } : {}),
    };
  }
  return { code: 'INTERNAL', message: String((e as Error)?.message ?? e), kind: 'runtime' };
}

export function isReply(m: ServerMessage): m is Reply {
  return (m as Reply).id !== undefined;
}
