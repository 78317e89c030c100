/**
 * The studio page's Content Security Policy, shared by the browser host
 * (studio-server.ts) and Electron's app:// protocol (main/main.ts). Styles come
 * from the app's own files, or from a <style> element carrying the page load's
 * nonce: wavesurfer puts one in its shadow root (its `cspNonce` option); no
 * 'unsafe-inline'. React's style={{…}} sets CSSOM properties, which CSP does not
 * govern. The nonce reaches the page in <meta name="csp-nonce"> (the renderer's
 * cspNonce()), fresh for every load of the HTML.
 */
import { randomBytes } from 'node:crypto';

export const CSP_NONCE_META = 'csp-nonce';

/** A fresh nonce for one load of the page (128 random bits, base64). */
export function newCspNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface CspSources {
  /** Extra connect-src sources (the host's WebSocket), after 'self'. */
  connect?: string[];
  /** Extra img-src and media-src sources (Electron's media: scheme). */
  media?: string[];
}

export function studioCsp(nonce: string, sources: CspSources = {}): string {
  const media = sources.media ?? [];
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    ["img-src 'self'", ...media, 'data:', 'blob:'].join(' '),
    ["media-src 'self'", ...media, 'blob:'].join(' '),
    ["connect-src 'self'", ...(sources.connect ?? [])].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The HTML with the nonce in a <meta> at the start of its <head> (or of the document when it has none). */
export function withCspNonce(html: string, nonce: string): string {
  const meta = `<meta name="${CSP_NONCE_META}" content="${nonce}">`;
  const head = /<head[^>]*>/i.exec(html);
  if (!head) return meta + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + meta + html.slice(at);
}
