/**
 * A loopback HTTP server for model packs: serves files from a folder with
 * HTTP Range (206 + Content-Range) like a CDN, and can misbehave on purpose:
 * cut a file's connection after N bytes, or send altered bytes.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface PackServer {
  url: string;
  /** Every request: path and Range header. */
  requests: Array<{ path: string; range?: string }>;
  /** Cut the connection of the next request for `path` after `bytes` bytes of body. */
  cutAfter: Map<string, number>;
  /** Flip one byte of `path` in every response. */
  corrupt: Set<string>;
  close(): Promise<void>;
}

export async function startPackServer(dir: string): Promise<PackServer> {
  const requests: PackServer['requests'] = [];
  const cutAfter = new Map<string, number>();
  const corrupt = new Set<string>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    requests.push({ path, ...(req.headers.range ? { range: req.headers.range } : {}) });
    let body: Buffer;
    try {
      body = readFileSync(join(dir, path));
    } catch {
      res.writeHead(404).end();
      return;
    }
    if (corrupt.has(path)) {
      body = Buffer.from(body);
      body[body.length >> 1]! ^= 0xff;
    }
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) {
      start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`,
        'Content-Length': body.length - start,
        'Accept-Ranges': 'bytes',
      });
    } else res.writeHead(200, { 'Content-Length': body.length, 'Accept-Ranges': 'bytes' });
    const slice = body.subarray(start);
    const cut = cutAfter.get(path);
    if (cut !== undefined) {
      cutAfter.delete(path);
      res.write(slice.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(slice);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    cutAfter,
    corrupt,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
