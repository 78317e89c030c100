/**
 * Errors in the dialect's shape: `{"error": {"message", "type", "param", "code"}}`
 * with the HTTP status that goes with them. A KlappeError thrown below becomes
 * one of these: input errors are 400 with the field as `param`; the message
 * never carries a key.
 */
import { isKlappeError } from '../../common/errors.js';
import { redactSecrets } from '../../secrets/secret-store.js';

export type ApiErrorType =
  'invalid_request_error' | 'authentication_error' | 'not_found_error' | 'rate_limit_error' | 'server_error' | 'conflict_error';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ApiErrorType,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function badRequest(message: string, param: string | null, code = 'invalid_value'): ApiError {
  return new ApiError(400, 'invalid_request_error', message, param, code);
}

export function notFound(what: string, id: string, param: string | null = null): ApiError {
  return new ApiError(404, 'not_found_error', `No ${what} found with id '${id.slice(0, 200)}'.`, param, 'not_found');
}

/** Any thrown value as an ApiError (KlappeError input errors keep their field). */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isKlappeError(e)) {
    const message = redactSecrets(e.hint ? `${e.message}. ${e.hint}` : e.message);
    if (e.kind === 'input') return new ApiError(400, 'invalid_request_error', message, e.path ?? null, e.code.toLowerCase());
    return new ApiError(500, 'server_error', message, null, e.code.toLowerCase());
  }
  return new ApiError(500, 'server_error', 'The server had an error while processing your request.', null, 'internal_error');
}
