/**
 * Browser mode: an HTTP server on 127.0.0.1 that serves the built renderer,
 * cached media (with Range, so <video> seeks) and the api over a WebSocket.
 * The api and media need the random token that is in the URL the host prints;
 * WebSocket upgrades from any other origin or host name are refused.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { inputError, isKlappeError } from '../common/errors.js';
import type { EventName, EventPayloads } from '../api/contract.js';
import { StudioApi, type StudioApiOptions } from '../api/studio-api.js';
import { MAX_MESSAGE_BYTES, parseRequest, toWireError, type EventMessage, type Reply } from '../api/wire.js';
import { sendMediaFile } from './media-response.js';
import { newCspNonce, studioCsp, withCspNonce } from './csp.js';

export interface StudioServerOptions extends Omit<StudioApiOptions, 'mediaUrl'> {
  port?: number;
  /** The Vite build of the renderer (index.html and assets). */
  rendererDir: string;
  token?: string;
}

export interface StudioServer {
  url: string;
  port: number;
  token: string;
  api: StudioApi;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startStudioServer(opts: StudioServerOptions): Promise<StudioServer> {
  const token = opts.token ?? newToken();
  const rendererDir = resolve(opts.rendererDir);
  let port = 0;
  const api = new StudioApi({ ...opts, mediaUrl: (hash) => `/media/${hash}?token=${encodeURIComponent(token)}` });
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  /** A page of this server (the studio), not another site. */
  const ownOrigin = (origin: string) => allowedHosts().some((h) => origin === `http://${h}`);

  const server = createServer((req, res) => {
    try {
      handleHttp(req, res);
    } catch (e) {
      res.writeHead(isKlappeError(e) && e.code === 'MEDIA_MISSING' ? 404 : 500, { 'Content-Type': 'text/plain' });
      res.end(isKlappeError(e) ? e.message : 'internal error');
    }
  });

  function handleHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = requestUrl(req);
    if (!url) return plain(res, 400, 'bad request: the path is not a valid URL path');
    if (!allowedHosts().includes(req.headers.host ?? '')) return plain(res, 403, 'wrong host');
    if (url.pathname === '/upload') return void receiveUpload(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
    if (url.pathname === '/healthz') return plain(res, 200, 'ok');
    const media = /^\/media\/([0-9a-f]{64})$/.exec(url.pathname);
    if (media) {
      if (!tokenMatches(url.searchParams.get('token'), token)) return plain(res, 401, 'missing or wrong token');
      return sendMediaFile(req, res, api.store.require(media[1]!));
    }
    let rel: string;
    try {
      rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    } catch {
      return plain(res, 400, 'bad request: a malformed % escape in the path');
    }
    const file = resolve(rendererDir, rel);
    if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      if (!existsSync(join(rendererDir, 'index.html')))
        return plain(res, 503, `the studio UI is not built (${rendererDir} has no index.html): run npm run build:renderer`);
      return plain(res, 404, 'not found');
    }
    const headers: Record<string, string> = {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
    };
    let body: Buffer | string = readFileSync(file);
    if (file.endsWith('.html')) {
      // a fresh nonce per load: the page's only inline styles are <style> elements that carry it (csp.ts)
      const nonce = newCspNonce();
      headers['Content-Security-Policy'] = studioCsp(nonce, { connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] });
      headers['Cache-Control'] = 'no-store';
      headers['Referrer-Policy'] = 'no-referrer';
      body = withCspNonce(body.toString('utf8'), nonce);
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** PUT /upload?token=…&name=FILE: a dropped file's bytes, staged for `audio.import` { upload }; replies { uploadId }. */
  async function receiveUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'PUT') return refuseUpload(res, 405, 'method not allowed: PUT the file');
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuseUpload(res, 401, 'missing or wrong token');
    const origin = req.headers.origin;
    if (origin && !ownOrigin(origin)) return refuseUpload(res, 403, 'wrong origin');
    const name = url.searchParams.get('name');
    if (!name) return refuseUpload(res, 400, 'name: the file name is missing');
    try {
      const uploadId = await api.uploads.add(name, req);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ uploadId }));
    } catch (e) {
      const status = isKlappeError(e)
        ? (({ UPLOAD_TOO_LARGE: 413, UPLOADS_FULL: 507 } as Record<string, number>)[e.code] ?? (e.kind === 'input' ? 400 : 500))
        : 500;
      res.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify({ error: toWireError(e) }));
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const reject = (status: number, why: string) => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!url) return reject(400, 'Bad Request');
    if (url.pathname !== '/api') return reject(404, 'Not Found');
    if (!allowedHosts().includes(req.headers.host ?? '')) return reject(403, 'Forbidden');
    const origin = req.headers.origin;
    if (!origin || !ownOrigin(origin)) return reject(403, 'Forbidden');
    if (!tokenMatches(url.searchParams.get('token'), token)) return reject(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  // A bad frame (over MAX_MESSAGE_BYTES, not UTF-8, a reserved opcode, unmasked) is an 'error' on that socket:
  // ws has already closed it with 1009, 1007 or 1002; the host notes it and keeps serving the others.
  wss.on('error', (e) => process.stderr.write(`klappe: api server: ${e.message}\n`));
  wss.on('connection', (ws: WebSocket) => {
    ws.on('error', (e: Error & { code?: string }) =>
      process.stderr.write(`klappe: closed an api connection: ${e.code ?? ''} ${e.message}\n`),
    );
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let id = -1;
        try {
          if (isBinary) throw inputError('BAD_MESSAGE', 'a request must be a text frame (JSON), not binary');
          const request = parseRequest(rawText(data));
          id = request.id;
          const result = await api.call(request.method, request.params);
          send(ws, { id, ok: true, result } as Reply);
        } catch (e) {
          send(ws, { id, ok: false, error: toWireError(e) });
        }
      })();
    });
  });

  const unsubscribe = api.on(<E extends EventName>(event: E, data: EventPayloads[E]) => {
    const text = JSON.stringify({ event, data } satisfies EventMessage<E>);
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`;
  // a CLI command on the open project reaches it here instead of waiting for its lock
  api.advertise({ url: `http://127.0.0.1:${port}/`, token });

  return {
    url,
    port,
    token,
    api,
    server,
    async close() {
      unsubscribe();
      await api.shutdown();
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A text frame's bytes as a string (ws hands a Buffer, or fragments when they came in pieces). */
function rawText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function send(ws: WebSocket, message: Reply): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

/** The request's URL (a path that starts `//` stays a path, not a host); undefined for a target no page sends (`*`, an absolute form). */
function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return undefined;
  try {
    return new URL(`http://127.0.0.1${target}`);
  } catch {
    return undefined;
  }
}

/** An upload refused before its body was read: the connection closes, so the unread body cannot spill into the next request. */
function refuseUpload(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
  res.end(text);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
