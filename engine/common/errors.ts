/**
 * The one error type of Klappe: a stable `code`, a human `message`, the `path`
 * in the input where it applies (file and/or JSON path), and a `hint`.
 * The CLI maps `kind` to exit status: 'input' → 2, everything else → 1.
 */
export type ErrorKind = 'input' | 'runtime' | 'cancelled';

export interface KlappeErrorInit {
  code: string;
  message: string;
  kind?: ErrorKind;
  /** File the problem is in, if any. */
  file?: string;
  /** JSON path (e.g. `scenes[0].shots[2].duration`) or field name. */
  path?: string;
  hint?: string;
  /** Further problems found in the same input (load reports all of them). */
  issues?: ErrorIssue[];
  cause?: unknown;
}

export interface ErrorIssue {
  path: string;
  message: string;
}

export class KlappeError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly file?: string;
  readonly path?: string;
  readonly hint?: string;
  readonly issues: ErrorIssue[];

  constructor(init: KlappeErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'KlappeError';
    this.code = init.code;
    this.kind = init.kind ?? 'runtime';
    this.file = init.file;
    this.path = init.path;
    this.hint = init.hint;
    this.issues = init.issues ?? [];
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      kind: this.kind,
      ...(this.file ? { file: this.file } : {}),
      ...(this.path ? { path: this.path } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.issues.length ? { issues: this.issues } : {}),
    };
  }
}

/** An error caused by what the user gave us (exit status 2). */
export function inputError(code: string, message: string, extra: Omit<KlappeErrorInit, 'code' | 'message' | 'kind'> = {}): KlappeError {
  return new KlappeError({ code, message, kind: 'input', ...extra });
}

export function cancelledError(what: string): KlappeError {
  return new KlappeError({ code: 'CANCELLED', message: `${what} was cancelled`, kind: 'cancelled' });
}

export function isKlappeError(e: unknown): e is KlappeError {
  return e instanceof KlappeError;
}

/** Formats a JSON path from zod-style path segments: `scenes[0].shots[2].duration`. */
export function formatJsonPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out ? `.${String(s)}` : String(s);
  }
  return out || '(root)';
}

/** Exit status for any thrown value: 0 never, 2 bad input, 130 cancelled, 1 otherwise. */
export function exitCodeFor(e: unknown): number {
  if (isKlappeError(e)) {
    if (e.kind === 'input') return 2;
    if (e.kind === 'cancelled') return 130;
  }
  return 1;
}
