/**
 * A loopback stand-in for a ComfyUI server, following its documented routes and
 * websocket messages (docs.comfy.org "Server routes", "Messages"):
 *   POST /prompt {prompt, client_id} → {prompt_id, number, node_errors} | 400 {error, node_errors}
 *   ws /ws?clientId=…: status, execution_start, executing {node}, progress {value, max}, executed,
 *                      execution_error, execution_success, execution_interrupted
 *   GET /history/{prompt_id}, GET /view?filename=&subfolder=&type=, POST /upload/image,
 *   POST /interrupt, POST /queue {delete}
 * Scenarios by a word in the prompt text: NODEERROR (400 with node_errors), CRASH
 * (execution_error in KSampler). `stepMs` slows the sampler for progress and cancel tests.
 * For farm tests: `GET /system_stats`, `GET /queue`, `GET /models/{folder}`; `delayMs` (a fixed
 * time per prompt), `parallel` (prompts executed at once; ComfyUI runs one), `websocket: false`
 * (no /ws: clients poll), `failure` ('hang': the server stops answering; 'nodeErrors': every
 * prompt is rejected with node errors), `gpu`/`vramGb`/`models`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ComfyServerOptions {
  video: string;
  steps?: number;
  stepMs?: number;
  delayMs?: number;
  parallel?: number;
  websocket?: boolean;
  failure?: 'none' | 'hang' | 'nodeErrors';
  gpu?: string;
  vramGb?: number;
  models?: Record<string, string[]>;
  /** `user:password` a reverse proxy in front of ComfyUI asks for (Basic auth); 401 without it. */
  auth?: string;
}

interface Run {
  promptId: string;
  clientId: string;
  workflow: Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  interrupted: boolean;
  done: boolean;
  executing?: boolean;
}

export class ComfyTestServer {
  url = '';
  readonly counts = { prompt: 0, interrupt: 0, queueDelete: 0, upload: 0, view: 0, history: 0, ws: 0, stats: 0, unauthorized: 0 };
  readonly prompts: Array<{ prompt: Run['workflow']; client_id: string }> = [];
  readonly interrupts: Array<{ at: number; body: unknown }> = [];
  readonly uploads: string[] = [];
  private readonly history = new Map<string, unknown>();
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private readonly runs: Run[] = [];
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private readonly wss = new WebSocketServer({ noServer: true });
  private n = 0;
  /** Most prompts open (executing or waiting) at one time. */
  peakOpen = 0;

  constructor(readonly opts: ComfyServerOptions) {
    this.server.on('upgrade', (req, socket, head) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname !== '/ws' || this.opts.websocket === false || this.opts.failure === 'hang' || !this.authorized(req))
        return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.counts.ws++;
        const id = u.searchParams.get('clientId') ?? 'anon';
        if (!this.sockets.has(id)) this.sockets.set(id, new Set());
        this.sockets.get(id)!.add(ws);
        ws.on('close', () => this.sockets.get(id)?.delete(ws));
        ws.send(
          JSON.stringify({
            type: 'status',
            data: { status: { exec_info: { queue_remaining: this.runs.filter((r) => !r.done).length } }, sid: id },
          }),
        );
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private authorized(req: IncomingMessage): boolean {
    return !this.opts.auth || req.headers.authorization === `Basic ${Buffer.from(this.opts.auth).toString('base64')}`;
  }

  /** Prompts executing or waiting. */
  get queueLength(): number {
    return this.runs.filter((r) => !r.done).length;
  }

  /** Like a killed machine: connections drop, nothing answers afterwards. */
  async kill(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    for (const r of this.runs) r.interrupted = true;
    for (const c of this.wss.clients) c.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private send(clientId: string, type: string, data: Record<string, unknown>): void {
    for (const ws of this.sockets.get(clientId) ?? []) ws.send(JSON.stringify({ type, data }));
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async execute(run: Run): Promise<void> {
    const { promptId, clientId, workflow } = run;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const crash = JSON.stringify(workflow).includes('CRASH');
    while (this.runs.filter((r) => r.executing).length >= (this.opts.parallel ?? Infinity) && !run.interrupted) await sleep(5);
    run.executing = true;
    if (this.opts.delayMs) await sleep(this.opts.delayMs);
    this.send(clientId, 'execution_start', { prompt_id: promptId, timestamp: Date.now() });
    this.send(clientId, 'execution_cached', { nodes: [], prompt_id: promptId, timestamp: Date.now() });
    const messages: Array<[string, Record<string, unknown>]> = [['execution_start', { prompt_id: promptId }]];
    let output: { filename: string; subfolder: string; type: string } | undefined;
    for (const [id, node] of Object.entries(workflow)) {
      if (run.interrupted) break;
      this.send(clientId, 'executing', { node: id, display_node: id, prompt_id: promptId });
      if (node.class_type === 'KSampler') {
        const steps = this.opts.steps ?? 4;
        for (let v = 1; v <= steps && !run.interrupted; v++) {
          await sleep(this.opts.stepMs ?? 5);
          if (crash && v === 2) {
            const err = {
              prompt_id: promptId,
              node_id: id,
              node_type: node.class_type,
              executed: [],
              exception_message: 'CUDA out of memory. Tried to allocate 2.00 GiB',
              exception_type: 'torch.OutOfMemoryError',
              traceback: ['  File "execution.py", line 1'],
              current_inputs: {},
              current_outputs: {},
            };
            this.send(clientId, 'execution_error', err);
            messages.push(['execution_error', err]);
            this.history.set(promptId, {
              prompt: [this.n, promptId, workflow, {}, []],
              outputs: {},
              status: { status_str: 'error', completed: false, messages },
            });
            run.done = true;
            run.executing = false;
            return;
          }
          if (!run.interrupted) this.send(clientId, 'progress', { value: v, max: steps, prompt_id: promptId, node: id });
        }
      }
      if (node.class_type === 'SaveVideo' || node.class_type === 'VHS_VideoCombine') {
        const prefix = String(node.inputs.filename_prefix ?? 'ComfyUI');
        const slash = prefix.lastIndexOf('/');
        output = {
          filename: `${prefix.slice(slash + 1)}_${String(++this.n).padStart(5, '0')}_.mp4`,
          subfolder: slash >= 0 ? prefix.slice(0, slash) : '',
          type: 'output',
        };
        this.send(clientId, 'executed', {
          node: id,
          display_node: id,
          output: { images: [output], animated: [true] },
          prompt_id: promptId,
        });
      } else this.send(clientId, 'executed', { node: id, display_node: id, output: {}, prompt_id: promptId });
    }
    if (run.interrupted) {
      this.send(clientId, 'execution_interrupted', { prompt_id: promptId, node_id: '7', node_type: 'KSampler', executed: [] });
      messages.push(['execution_interrupted', { prompt_id: promptId }]);
      this.history.set(promptId, {
        prompt: [this.n, promptId, workflow, {}, []],
        outputs: {},
        status: { status_str: 'error', completed: false, messages },
      });
    } else {
      this.send(clientId, 'executing', { node: null, prompt_id: promptId });
      this.send(clientId, 'execution_success', { prompt_id: promptId, timestamp: Date.now() });
      messages.push(['execution_success', { prompt_id: promptId }]);
      const outputNode = Object.entries(workflow).find(([, n]) => n.class_type === 'SaveVideo' || n.class_type === 'VHS_VideoCombine')?.[0];
      this.history.set(promptId, {
        prompt: [this.n, promptId, workflow, {}, []],
        outputs: outputNode && output ? { [outputNode]: { images: [output], animated: [true] } } : {},
        status: { status_str: 'success', completed: true, messages },
      });
    }
    run.done = true;
    run.executing = false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (this.opts.failure === 'hang') return; // accepts the connection, never answers
    if (!this.authorized(req)) {
      this.counts.unauthorized++;
      return this.json(res, 401, { error: 'unauthorized' });
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const body = () => {
      try {
        return JSON.parse(raw.toString('utf8'));
      } catch {
        return undefined;
      }
    };
    if (req.method === 'POST' && url.pathname === '/prompt') {
      this.counts.prompt++;
      const b = body() as { prompt?: Run['workflow']; client_id?: string } | undefined;
      if (!b?.prompt || typeof b.prompt !== 'object')
        return this.json(res, 400, {
          error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} },
          node_errors: {},
        });
      const nodeErrors: Record<string, unknown> = {};
      const rejectAll = this.opts.failure === 'nodeErrors';
      for (const [id, n] of Object.entries(b.prompt)) {
        if (typeof n?.class_type !== 'string')
          return this.json(res, 400, {
            error: {
              type: 'invalid_prompt',
              message: `Cannot execute because node ${id} does not exist.`,
              details: `Node ID '#${id}'`,
              extra_info: {},
            },
            node_errors: {},
          });
        if (n.class_type === 'CheckpointLoaderSimple' && (rejectAll || JSON.stringify(b.prompt).includes('NODEERROR'))) {
          nodeErrors[id] = {
            errors: [
              {
                type: 'value_not_in_list',
                message: 'Value not in list',
                details: `ckpt_name: '${String(n.inputs.ckpt_name)}' not in []`,
                extra_info: { input_name: 'ckpt_name' },
              },
            ],
            dependent_outputs: ['10'],
            class_type: n.class_type,
          };
        }
      }
      if (Object.keys(nodeErrors).length)
        return this.json(res, 400, {
          error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} },
          node_errors: nodeErrors,
        });
      this.prompts.push({ prompt: b.prompt, client_id: b.client_id ?? '' });
      const run: Run = {
        promptId: `${Math.random().toString(16).slice(2, 10)}-p${this.counts.prompt}`,
        clientId: b.client_id ?? '',
        workflow: b.prompt,
        interrupted: false,
        done: false,
      };
      this.runs.push(run);
      this.peakOpen = Math.max(this.peakOpen, this.queueLength);
      this.json(res, 200, { prompt_id: run.promptId, number: this.runs.length, node_errors: {} });
      setTimeout(() => void this.execute(run), 20);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/system_stats') {
      this.counts.stats++;
      const vram = (this.opts.vramGb ?? 24) * 2 ** 30;
      return this.json(res, 200, {
        system: {
          os: 'posix',
          python_version: '3.12.3',
          embedded_python: false,
          comfyui_version: '0.3.40',
          pytorch_version: '2.7.0+cu128',
          argv: ['main.py'],
          ram_total: 64 * 2 ** 30,
          ram_free: 48 * 2 ** 30,
        },
        devices: [
          {
            name: this.opts.gpu ?? 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync',
            type: 'cuda',
            index: 0,
            vram_total: vram,
            vram_free: vram - this.queueLength * 2 ** 30,
            torch_vram_total: vram,
            torch_vram_free: vram,
          },
        ],
      });
    }
    if (req.method === 'GET' && url.pathname === '/queue') {
      const item = (r: Run, i: number) => [i, r.promptId, r.workflow, { client_id: r.clientId }, []];
      const open = this.runs.filter((r) => !r.done);
      return this.json(res, 200, {
        queue_running: open.filter((r) => r.executing).map(item),
        queue_pending: open.filter((r) => !r.executing).map(item),
      });
    }
    const models = /^\/models\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && models) {
      const list = this.opts.models?.[models[1]!];
      return list ? this.json(res, 200, list) : this.json(res, 404, { error: 'unknown folder' });
    }
    const hist = /^\/history\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && hist) {
      this.counts.history++;
      const h = this.history.get(decodeURIComponent(hist[1]!));
      return this.json(res, 200, h ? { [decodeURIComponent(hist[1]!)]: h } : {});
    }
    if (req.method === 'GET' && url.pathname === '/view') {
      this.counts.view++;
      if (!url.searchParams.get('filename')) return this.json(res, 400, { error: 'filename missing' });
      const bytes = readFileSync(this.opts.video);
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(bytes.length) });
      return void res.end(bytes);
    }
    if (req.method === 'POST' && url.pathname === '/interrupt') {
      this.counts.interrupt++;
      const b = body() as { prompt_id?: string } | undefined;
      this.interrupts.push({ at: Date.now(), body: b });
      for (const r of this.runs) if (!r.done && (!b?.prompt_id || b.prompt_id === r.promptId)) r.interrupted = true;
      res.writeHead(200);
      return void res.end();
    }
    if (req.method === 'POST' && url.pathname === '/queue') {
      const b = body() as { delete?: string[] } | undefined;
      if (b?.delete) this.counts.queueDelete++;
      res.writeHead(200);
      return void res.end();
    }
    if (req.method === 'POST' && url.pathname === '/upload/image') {
      this.counts.upload++;
      const name = /filename="([^"]+)"/.exec(raw.toString('latin1'))?.[1] ?? 'image.png';
      this.uploads.push(name);
      return this.json(res, 200, { name, subfolder: '', type: 'input' });
    }
    this.json(res, 404, { error: `no route ${req.method} ${url.pathname}` });
  }
}

export async function startComfyServer(opts: ComfyServerOptions): Promise<ComfyTestServer> {
  return new ComfyTestServer(opts).start();
}
