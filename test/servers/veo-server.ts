/**
 * A loopback stand-in for the Gemini API's Veo endpoints, following the public
 * documentation (ai.google.dev/gemini-api/docs/video, REST):
 *   POST /v1beta/models/{model}:predictLongRunning  (x-goog-api-key) → {name: "models/{model}/operations/{id}"}
 *   GET  /v1beta/models/{model}/operations/{id}      → {name, done?, response?: {generateVideoResponse: {generatedSamples: [{video: {uri}}]}}, error?}
 *   GET  /v1beta/files/{id}:download?alt=media       → the MP4 (key required)
 * Scenarios: slow progress (an operation is done after N polls or M ms), 429
 * with Retry-After, 500, RAI-filtered content, operation error, dropped
 * connections. Counts every request so tests can prove nothing was submitted twice.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = '429' | '500' | 'drop';

export interface VeoServerOptions {
  apiKey: string;
  video: string;
  /** An operation is done after this many polls (default 1) … */
  doneAfterPolls?: number;
  /** … and no sooner than this many ms after submission (default 0). */
  doneAfterMs?: number;
  retryAfterSeconds?: number;
}

export interface Submission {
  operation: string;
  body: { instances: Array<Record<string, unknown>>; parameters: Record<string, unknown> };
  at: number;
}

export class VeoTestServer {
  url = '';
  readonly submissions: Submission[] = [];
  readonly counts = { submit: 0, poll: 0, download: 0, rejectedKey: 0 };
  /** Faults to answer the next requests of a kind with, in order. */
  readonly faults: Record<'submit' | 'poll' | 'download', Fault[]> = { submit: [], poll: [], download: [] };
  /** Requests answered with a fault, with their time. */
  readonly faultLog: Array<{ kind: string; fault: Fault; at: number }> = [];
  /** How an operation ends, by a word in its prompt. */
  outcome: (prompt: string) => 'ok' | 'filtered' | 'error' = (p) =>
    p.includes('FILTERME') ? 'filtered' : p.includes('FAILME') ? 'error' : 'ok';
  private readonly ops = new Map<string, { polls: number; created: number; prompt: string }>();
  private readonly server = createServer((req, res) => this.handle(req, res));
  private nextId = 1;

  constructor(readonly opts: VeoServerOptions) {}

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Submissions per distinct prompt. */
  submissionsByPrompt(): Map<string, number> {
    const m = new Map<string, number>();
    for (const s of this.submissions) {
      const p = String(s.body.instances[0]?.prompt);
      m.set(p, (m.get(p) ?? 0) + 1);
    }
    return m;
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private fault(kind: 'submit' | 'poll' | 'download', req: IncomingMessage, res: ServerResponse): boolean {
    const f = this.faults[kind].shift();
    if (!f) return false;
    this.faultLog.push({ kind, fault: f, at: Date.now() });
    if (f === 'drop') req.socket.destroy();
    else if (f === '429')
      this.json(
        res,
        429,
        { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } },
        { 'retry-after': String(this.opts.retryAfterSeconds ?? 1) },
      );
    else this.json(res, 500, { error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } });
    return true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.headers['x-goog-api-key'] !== this.opts.apiKey) {
      this.counts.rejectedKey++;
      return this.json(res, 400, {
        error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' },
      });
    }
    const submit = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/.exec(url.pathname);
    if (submit && req.method === 'POST') {
      this.counts.submit++;
      if (this.fault('submit', req, res)) return;
      let body: Submission['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return this.json(res, 400, { error: { code: 400, message: 'Invalid JSON payload received.', status: 'INVALID_ARGUMENT' } });
      }
      const prompt = body?.instances?.[0]?.prompt;
      if (typeof prompt !== 'string' || !prompt)
        return this.json(res, 400, { error: { code: 400, message: 'instances[0].prompt is required', status: 'INVALID_ARGUMENT' } });
      const ar = body.parameters?.aspectRatio;
      if (ar !== undefined && ar !== '16:9' && ar !== '9:16')
        return this.json(res, 400, {
          error: { code: 400, message: `Unsupported aspect ratio: ${String(ar)}`, status: 'INVALID_ARGUMENT' },
        });
      const name = `models/${submit[1]}/operations/op${this.nextId++}x${Math.random().toString(36).slice(2, 8)}`;
      this.ops.set(name, { polls: 0, created: Date.now(), prompt });
      this.submissions.push({ operation: name, body, at: Date.now() });
      return this.json(res, 200, { name });
    }
    const op = /^\/v1beta\/(models\/[^/]+\/operations\/[^/]+)$/.exec(url.pathname);
    if (op && req.method === 'GET') {
      this.counts.poll++;
      if (this.fault('poll', req, res)) return;
      const o = this.ops.get(op[1]!);
      if (!o) return this.json(res, 404, { error: { code: 404, message: `Operation ${op[1]} not found.`, status: 'NOT_FOUND' } });
      o.polls++;
      const done = o.polls >= (this.opts.doneAfterPolls ?? 1) && Date.now() - o.created >= (this.opts.doneAfterMs ?? 0);
      if (!done) return this.json(res, 200, { name: op[1] });
      const outcome = this.outcome(o.prompt);
      if (outcome === 'error')
        return this.json(res, 200, {
          name: op[1],
          done: true,
          error: { code: 3, message: 'The prompt could not be processed: unsupported content.' },
        });
      const id = op[1]!.split('/').pop();
      const response =
        outcome === 'filtered'
          ? {
              '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse',
              generateVideoResponse: {
                raiMediaFilteredCount: 1,
                raiMediaFilteredReasons: ["We can't create videos of this content. Try rephrasing the prompt."],
              },
            }
          : {
              '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse',
              generateVideoResponse: { generatedSamples: [{ video: { uri: `${this.url}/v1beta/files/${id}:download?alt=media` } }] },
            };
      return this.json(res, 200, { name: op[1], done: true, response });
    }
    const file = /^\/v1beta\/files\/([^/:]+):download$/.exec(url.pathname);
    if (file && req.method === 'GET') {
      this.counts.download++;
      if (this.fault('download', req, res)) return;
      const bytes = readFileSync(this.opts.video);
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(bytes.length) });
      return void res.end(bytes);
    }
    this.json(res, 404, { error: { code: 404, message: `no route ${req.method} ${url.pathname}`, status: 'NOT_FOUND' } });
  }
}

/** Runs a Veo test server in its own process (for tests that kill -9 the client, the server must outlive it — it does in the test process). */
export async function startVeoServer(opts: VeoServerOptions): Promise<VeoTestServer> {
  return new VeoTestServer(opts).start();
}
