/**
 * `klappe serve --api`: the OpenAI Videos API dialect over HTTP, on 127.0.0.1
 * unless told otherwise. Bearer keys from `klappe api-keys`, a rate limit per
 * key (429 + Retry-After), body size limits, and every error as
 * `{"error": {"message", "type", "param", "code"}}`. The videos themselves are
 * the VideosService's, on the studio api given.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_VERSION, type StudioApi } from '../../api/studio-api.js';
import { sendMediaFile } from '../media-response.js';
import { ApiKeyStore } from './api-keys.js';
import { ApiError, toApiError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { DEFAULT_BODY_LIMITS, parseBody } from './request-body.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { matchRoute } from './routes.js';
import { VideosService, type VideosServiceOptions } from './videos-service.js';
import { VideoStore } from './video-store.js';

export interface VideosApiOptions extends VideosServiceOptions {
  api: StudioApi;
  /** The API project (its folder); the studio api opens it. */
  projectDir: string;
  port?: number;
  host?: string;
  keys?: ApiKeyStore;
  rateLimit?: RateLimitOptions;
  bodyLimits?: typeof DEFAULT_BODY_LIMITS;
  /** The videos database (default: videos-api.db in the data folder). */
  dbFile?: string;
}

export interface VideosApiServer {
  /** The base URL clients take (`…/v1`). */
  baseUrl: string;
  port: number;
  server: Server;
  service: VideosService;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

export async function startVideosApi(opts: VideosApiOptions): Promise<VideosApiServer> {
  const state = await opts.api.call<'project.open'>('project.open', { dir: opts.projectDir });
  // the API project is made by machines: edits a crash left in the recovery copy are taken, not asked about
  if (state.recovery) await opts.api.call('project.recover', { accept: true });
  await opts.api.call('project.save', {});
  const store = new VideoStore(opts.dbFile);
  const service = new VideosService(opts.api, state.file, store, opts);
  const keys = opts.keys ?? new ApiKeyStore();
  const limiter = new RateLimiter(opts.rateLimit ?? DEFAULT_RATE_LIMIT);
  const limits = opts.bodyLimits ?? DEFAULT_BODY_LIMITS;
  const openapi = JSON.stringify(openApiDocument(API_VERSION));

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => sendError(res, toApiError(e)));
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://local');
    } catch {
      throw new ApiError(400, 'invalid_request_error', 'The request URL is not valid.', null, 'invalid_url');
    }
    const method = req.method ?? 'GET';
    const found = matchRoute(method === 'HEAD' ? 'GET' : method, url.pathname);
    if (!found)
      throw new ApiError(
        404,
        'invalid_request_error',
        `Invalid URL (${method.slice(0, 10)} ${url.pathname.slice(0, 200)})`,
        null,
        'unknown_url',
      );
    if ('methods' in found)
      throw new ApiError(
        405,
        'invalid_request_error',
        `${method.slice(0, 10)} is not allowed on ${url.pathname.slice(0, 200)}; use ${found.methods.join(', ')}.`,
        null,
        'method_not_allowed',
        { Allow: found.methods.join(', ') },
      );
    const { route, params } = found;
    if (route.operationId === 'openapi') return sendJson(res, 200, openapi);
    const keyId = authenticate(req);
    const wait = limiter.take(keyId);
    if (wait)
      throw new ApiError(
        429,
        'rate_limit_error',
        `Rate limit reached for this API key; try again in ${wait} s.`,
        null,
        'rate_limit_exceeded',
        { 'Retry-After': String(wait) },
      );
    const body = method === 'POST' ? await parseBody(req, limits) : undefined;
    switch (route.operationId) {
      case 'createVideo':
        return sendJson(res, 200, await service.create(body!));
      case 'listVideos':
        return sendJson(res, 200, service.list(url.searchParams));
      case 'retrieveVideo':
        return sendJson(res, 200, service.retrieve(params.video_id!));
      case 'deleteVideo':
        return sendJson(res, 200, await service.delete(params.video_id!));
      case 'downloadVideoContent':
        return sendMediaFile(req, res, service.contentPath(params.video_id!, url.searchParams.get('variant') ?? 'video'));
      case 'remixVideo':
        return sendJson(res, 200, await service.remix(params.video_id!, body!));
      case 'extendVideo':
        return sendJson(res, 200, await service.extend(body!));
      case 'editVideo':
        return sendJson(res, 200, await service.edit(body!));
      case 'createCharacter':
        return sendJson(res, 200, await service.createCharacter(body!));
      case 'getCharacter':
        return sendJson(res, 200, service.getCharacter(params.character_id!));
      default:
        throw new ApiError(404, 'invalid_request_error', 'Unknown route.', null, 'unknown_url');
    }
  }

  function authenticate(req: IncomingMessage): string {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m)
      throw new ApiError(
        401,
        'authentication_error',
        "You didn't provide an API key. Send it as 'Authorization: Bearer KEY' (klappe api-keys create makes one).",
        null,
        'missing_api_key',
      );
    const id = keys.check(m[1]!);
    if (!id)
      throw new ApiError(
        401,
        'authentication_error',
        'Incorrect API key provided (unknown or revoked). See klappe api-keys list.',
        null,
        'invalid_api_key',
      );
    return id;
  }

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(opts.port ?? 0, host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  service.start();
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    baseUrl: `http://${shown}:${port}/v1`,
    port,
    server,
    service,
    async close() {
      await service.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      store.close();
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function sendError(res: ServerResponse, e: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(e.body());
  res.writeHead(e.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...e.headers });
  res.end(text);
}
