/**
 * HTTP for the cloud backends: JSON requests with retries and exponential
 * backoff on 429 and 5xx (honouring Retry-After) and on dropped connections,
 * abortable at any moment, and error messages with every secret redacted.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cancelledError, KlappeError } from '../../common/errors.js';
import { redactSecrets } from '../../secrets/secret-store.js';

export interface RetryPolicy {
  /** Attempts in all (first try included). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export function defaultRetryPolicy(): RetryPolicy {
  return {
    attempts: Number(process.env.KLAPPE_HTTP_ATTEMPTS) || 6,
    baseDelayMs: Number(process.env.KLAPPE_HTTP_BACKOFF_MS) || 1000,
    maxDelayMs: 60_000,
  };
}

export interface HttpOptions {
  signal: AbortSignal;
  /** What the request does, for messages ("submitting shot 3 to Veo"). */
  what: string;
  retry?: RetryPolicy;
  /** Called before waiting to retry (for progress stages). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /**
   * Retry when the connection drops before an answer (default true). False for a
   * paid submission: the server may have accepted it, and a retry could pay twice.
   */
  retryDroppedConnection?: boolean;
}

/** Waits `ms`, or rejects with a cancelled error as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal, what = 'waiting'): Promise<void> {
  if (signal.aborted) return Promise.reject(cancelledError(what));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelledError(what));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After as seconds or an HTTP date → milliseconds. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/**
 * fetch refuses an address with `user:password@`: the credentials move to a
 * Basic Authorization header (a ComfyUI behind a password-protected proxy).
 */
export function splitCredentials(url: string, init: RequestInit = {}): { url: string; init: RequestInit } {
  if (!/^[a-z]+:\/\/[^/?#]*@/i.test(url)) return { url, init };
  const u = new URL(url);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  u.username = '';
  u.password = '';
  const headers = new Headers(init.headers);
  headers.set('authorization', auth);
  return { url: u.toString(), init: { ...init, headers } };
}

/** fetch with retries. Returns the first response that is not 429/5xx (it may be another error status). */
export async function fetchWithRetry(url: string, init: RequestInit, opts: HttpOptions): Promise<Response> {
  const policy = opts.retry ?? defaultRetryPolicy();
  let lastReason = '';
  for (let attempt = 1; ; attempt++) {
    if (opts.signal.aborted) throw cancelledError(opts.what);
    let res: Response | undefined;
    let delay: number | undefined;
    try {
      const plain = splitCredentials(url, init);
      res = await fetch(plain.url, { ...plain.init, signal: opts.signal });
    } catch (e) {
      if (opts.signal.aborted) throw cancelledError(opts.what);
      lastReason = `connection failed (${redactSecrets(String((e as Error).cause ?? (e as Error).message))})`;
      if (opts.retryDroppedConnection === false) {
        throw new KlappeError({
          code: 'REMOTE_UNCERTAIN',
          message: `${opts.what}: ${lastReason}; the service may or may not have accepted it, so Klappe does not send it again by itself`,
          hint: 'Check the service for a running generation before retrying (klappe jobs retry ID submits again).',
        });
      }
    }
    if (res) {
      if (!isRetryableStatus(res.status)) return res;
      lastReason = `HTTP ${res.status}${await briefBody(res)}`;
      delay = retryAfterMs(res.headers.get('retry-after'));
    }
    if (attempt >= policy.attempts) {
      throw new KlappeError({
        code: res?.status === 429 ? 'REMOTE_RATE_LIMITED' : 'REMOTE_UNAVAILABLE',
        message: `${opts.what} failed after ${attempt} attempts: ${lastReason}`,
        hint:
          res?.status === 429
            ? 'The service is rate-limiting this key; retry the job later (klappe jobs retry ID).'
            : 'Check the network and the service status, then retry the job (klappe jobs retry ID).',
      });
    }
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    const wait = Math.min(policy.maxDelayMs, delay ?? backoff * (0.8 + Math.random() * 0.4));
    opts.onRetry?.({ attempt, delayMs: wait, reason: lastReason });
    await sleep(wait, opts.signal, opts.what);
  }
}

async function briefBody(res: Response): Promise<string> {
  try {
    const text = (await res.text()).trim();
    return text ? `: ${redactSecrets(text.slice(0, 300))}` : '';
  } catch {
    return '';
  }
}

/** A JSON request with retries; a non-2xx answer becomes a KlappeError carrying the body's message. */
export async function requestJson<T>(
  url: string,
  init: RequestInit,
  opts: HttpOptions & { errorCode: string; parseError?: (body: unknown, status: number) => KlappeError | undefined },
): Promise<T> {
  const res = await fetchWithRetry(url, init, opts);
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const custom = body !== undefined ? opts.parseError?.(body, res.status) : undefined;
    if (custom) throw custom;
    const msg = (body as { error?: { message?: string } } | undefined)?.error?.message ?? text.slice(0, 300);
    throw new KlappeError({
      code: opts.errorCode,
      kind: res.status === 400 || res.status === 401 || res.status === 403 || res.status === 404 ? 'input' : 'runtime',
      message: `${opts.what} failed: HTTP ${res.status}: ${redactSecrets(msg)}`,
      hint:
        res.status === 401 || res.status === 403 || /api key/i.test(msg)
          ? 'Check the API key (KLAPPE_GEMINI_API_KEY or `klappe keys set gemini`).'
          : undefined,
    });
  }
  if (body === undefined)
    throw new KlappeError({ code: opts.errorCode, message: `${opts.what}: the answer was not JSON: ${redactSecrets(text.slice(0, 200))}` });
  return body as T;
}

/** Streams a download to `dest` (retrying 429/5xx and dropped connections before the body starts). */
export async function download(url: string, init: RequestInit, dest: string, opts: HttpOptions & { errorCode: string }): Promise<number> {
  const policy = opts.retry ?? defaultRetryPolicy();
  for (let attempt = 1; ; attempt++) {
    const res = await fetchWithRetry(url, init, opts);
    if (!res.ok || !res.body)
      throw new KlappeError({ code: opts.errorCode, message: `${opts.what} failed: HTTP ${res.status}${await briefBody(res)}` });
    try {
      let bytes = 0;
      const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
      body.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      await pipeline(body, createWriteStream(dest), { signal: opts.signal });
      const expected = Number(res.headers.get('content-length'));
      if (Number.isFinite(expected) && expected > 0 && bytes !== expected) throw new Error(`got ${bytes} of ${expected} bytes`);
      return bytes;
    } catch (e) {
      if (opts.signal.aborted) throw cancelledError(opts.what);
      if (attempt >= policy.attempts)
        throw new KlappeError({ code: opts.errorCode, message: `${opts.what} failed: ${redactSecrets((e as Error).message)}` });
      await sleep(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)), opts.signal, opts.what);
    }
  }
}
