/**
 * The media:// protocol of the Electron window: cached media by hash, with
 * HTTP Range (206) so <video> can seek. Written against the Fetch API's
 * Request/Response (what protocol.handle uses), so it is tested in Node.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parseRange, sniffContentType } from '../engine/host/byte-range.js';

/** media://cache/<sha256> → a Response for the file the store holds under that hash. */
export function mediaResponse(
  request: { url: string; headers: { get(name: string): string | null } },
  pathFor: (hash: string) => string,
): Response {
  const m = /^media:\/\/cache\/([0-9a-f]{64})$/.exec(request.url.split('?')[0]!);
  if (!m) return new Response('not found', { status: 404 });
  const path = pathFor(m[1]!);
  if (!existsSync(path)) return new Response('not in the cache', { status: 404 });
  const size = statSync(path).size;
  const headers: Record<string, string> = { 'Content-Type': sniffContentType(path), 'Accept-Ranges': 'bytes' };
  const range = parseRange(request.headers.get('range'), size);
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` } });
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const body = Readable.toWeb(createReadStream(path, { start, end })) as unknown as ReadableStream;
  headers['Content-Length'] = String(end - start + 1);
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  return new Response(body, { status: range ? 206 : 200, headers });
}
