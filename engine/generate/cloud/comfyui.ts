/**
 * A ComfyUI server, as its API is documented (docs.comfy.org, server routes and
 * websocket messages): the workflow template filled in with the shot's prompt,
 * seed, size and length; `POST /upload/image` for reference images;
 * `POST /prompt {prompt, client_id}` → `prompt_id` (a 400 carries `node_errors`
 * per node); progress over `ws://host/ws?clientId=…` (`status`,
 * `execution_start`, `executing`, `progress {value, max}`, `executed`,
 * `execution_error`, `execution_success`); `GET /history/{prompt_id}` for the
 * outputs and `GET /view?filename=&subfolder=&type=` to download; `POST
 * /interrupt` (and removal from `/queue`) on cancel.
 *
 * The prompt id is saved as resume state right after it is queued, so a
 * restarted job waits for the same run instead of queueing it again.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import WebSocket from 'ws';
import { cancelledError, inputError, KlappeError, type ErrorIssue } from '../../common/errors.js';
import { redactSecrets, secretStore } from '../../secrets/secret-store.js';
import type { Backend, Capabilities, GenerateContext, GeneratedMedia, ShotRequest } from '../backend.js';
import { fillWorkflow, loadWorkflow, usesPlaceholder, defaultWorkflowPath, type Workflow } from './comfyui-workflow.js';
import { download, requestJson, sleep, splitCredentials, type HttpOptions } from './http.js';
import { comfyUrl } from './comfyui-url.js';
import { shotPrompt } from './prompt.js';

export interface ComfyOptions {
  url?: () => string | undefined;
  workflowFile?: string;
  pollMs?: number;
}

interface ComfyResume {
  promptId: string;
  clientId: string;
}

interface NodeError {
  errors?: Array<{ type?: string; message?: string; details?: string }>;
  class_type?: string;
}
interface HistoryEntry {
  outputs?: Record<string, Record<string, unknown>>;
  status?: { status_str?: string; completed?: boolean; messages?: Array<[string, Record<string, unknown>]> };
}
interface FileRef {
  filename: string;
  subfolder?: string;
  type?: string;
}

const VIDEO_EXT = new Set(['.mp4', '.webm', '.mov', '.mkv']);

/** The 400 answer of POST /prompt → one input error with an issue per failing node. */
export function nodeErrorsToError(
  body: { error?: { message?: string; details?: string }; node_errors?: Record<string, NodeError> },
  workflowFile: string,
): KlappeError {
  const issues: ErrorIssue[] = [];
  for (const [id, node] of Object.entries(body.node_errors ?? {})) {
    for (const e of node.errors ?? [])
      issues.push({ path: `node ${id} (${node.class_type ?? '?'})`, message: [e.message, e.details].filter(Boolean).join(': ') });
  }
  const first = issues[0];
  return inputError(
    'COMFYUI_NODE_ERRORS',
    `ComfyUI rejected the workflow: ${body.error?.message ?? 'invalid prompt'}${first ? `; ${first.path}: ${first.message}` : ''}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    {
      file: workflowFile,
      path: first?.path,
      issues,
      hint: 'Fix the named nodes in the workflow template (models installed? custom nodes present?).',
    },
  );
}

function findVideo(outputs: HistoryEntry['outputs']): FileRef | undefined {
  for (const out of Object.values(outputs ?? {})) {
    for (const list of Object.values(out)) {
      if (!Array.isArray(list)) continue;
      for (const f of list as FileRef[])
        if (f && typeof f.filename === 'string' && VIDEO_EXT.has(extname(f.filename).toLowerCase())) return f;
    }
  }
  return undefined;
}

export function createComfyBackend(opts: ComfyOptions = {}): Backend {
  const url = () => (opts.url ?? (() => secretStore().get('comfyui')))()?.replace(/\/+$/, '');
  const workflowFile = () => opts.workflowFile ?? defaultWorkflowPath();
  const pollMs = () => opts.pollMs ?? (Number(process.env.KLAPPE_COMFYUI_POLL_MS) || 2000);
  const requireUrl = (): string => {
    const u = url();
    if (!u)
      throw inputError('NO_COMFYUI_URL', 'the ComfyUI backend needs a server address, and none is set', {
        path: '--backend',
        hint: 'Set KLAPPE_COMFYUI_URL=http://host:8188, or run `klappe keys set comfyui`.',
      });
    if (!/^https?:\/\//.test(u))
      throw inputError('BAD_COMFYUI_URL', 'the ComfyUI address must start with http:// or https://', { path: 'KLAPPE_COMFYUI_URL' });
    return u;
  };
  let template: Workflow | undefined;
  const workflow = () => (template ??= loadWorkflow(workflowFile()));

  const backend: Backend = {
    id: 'comfyui',
    get version() {
      return `comfyui@1:${basename(workflowFile())}`;
    },

    capabilities(): Capabilities {
      return { modes: ['text-to-video', 'image-to-video'], sizes: [], maxDurationSeconds: 20, audio: false, remote: true };
    },

    estimate(request) {
      const seconds = (request.shot.duration * request.rate.den) / request.rate.num;
      return { seconds: 20 + seconds * 15, costUsd: 0 };
    },

    validate() {
      requireUrl();
      workflow();
    },

    async generate(request: ShotRequest, ctx: GenerateContext): Promise<GeneratedMedia> {
      const base = requireUrl();
      const shotName = `shot ${request.shot.number}`;
      const http = (what: string): HttpOptions => ({ signal: ctx.signal, what });
      const resume = ctx.resumeState as ComfyResume | undefined;
      const clientId = resume?.clientId ?? randomUUID();
      const nodes = Object.keys(workflow()).length;
      const events = watchProgress(base, clientId, (fraction, stage) => ctx.onProgress({ fraction, stage }), nodes);
      let promptId = resume?.promptId;
      try {
        if (!promptId) {
          const values: Record<string, string | number> = {
            prompt: shotPrompt(request),
            negativePrompt: request.shot.negativePrompt ?? '',
            seed: request.seed,
            width: request.size.width,
            height: request.size.height,
            length: request.shot.duration,
            fps: request.rate.num / request.rate.den,
            shotId: request.shot.id,
          };
          if (request.references.firstFrame && usesPlaceholder(workflow(), 'firstFrame')) {
            values.firstFrame = await uploadImage(
              base,
              request.references.firstFrame,
              http(`uploading the first frame of ${shotName} to ComfyUI`),
            );
          }
          ctx.onProgress({ fraction: 0, stage: 'queueing on ComfyUI' });
          const r = await requestJson<{ prompt_id?: string }>(
            comfyUrl(base, '/prompt'),
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ prompt: fillWorkflow(workflow(), values), client_id: clientId }),
            },
            {
              ...http(`queueing ${shotName} on ComfyUI`),
              errorCode: 'COMFYUI_PROMPT_FAILED',
              retryDroppedConnection: false,
              parseError: (body, status) =>
                status === 400 && body && typeof body === 'object' && ('node_errors' in body || 'error' in body)
                  ? nodeErrorsToError(body as never, workflowFile())
                  : undefined,
            },
          );
          if (!r.prompt_id)
            throw new KlappeError({ code: 'COMFYUI_BAD_ANSWER', message: `ComfyUI queued ${shotName} but returned no prompt_id` });
          promptId = r.prompt_id;
          ctx.saveResumeState({ promptId, clientId } satisfies ComfyResume);
        }
        const id = promptId;
        events.track(id);
        // Finished: the websocket says so, or /history has the entry (the socket may have dropped).
        for (;;) {
          const h = await requestJson<Record<string, HistoryEntry>>(
            comfyUrl(base, `/history/${encodeURIComponent(id)}`),
            {},
            { ...http(`asking ComfyUI about ${shotName}`), errorCode: 'COMFYUI_HISTORY_FAILED' },
          );
          const entry = h[id];
          if (entry?.status?.status_str === 'error' || events.error) {
            ctx.saveResumeState(undefined);
            const msg = events.error ?? entry?.status?.messages?.find((m) => m[0] === 'execution_error')?.[1];
            throw executionError(msg, shotName);
          }
          if (entry && (entry.status?.completed || findVideo(entry.outputs))) {
            const file = findVideo(entry.outputs);
            if (!file) {
              ctx.saveResumeState(undefined);
              throw new KlappeError({
                code: 'COMFYUI_NO_VIDEO',
                message: `ComfyUI finished ${shotName} but the workflow saved no video`,
                file: workflowFile(),
                hint: 'The template needs a node that saves a video (SaveVideo, VHS_VideoCombine).',
              });
            }
            ctx.onProgress({ fraction: 0.95, stage: 'downloading from ComfyUI' });
            const part = join(ctx.workDir, `comfyui${extname(file.filename)}.part`);
            const q = new URLSearchParams({ filename: file.filename, subfolder: file.subfolder ?? '', type: file.type ?? 'output' });
            await download(comfyUrl(base, '/view', q), {}, part, {
              ...http(`downloading ${shotName} from ComfyUI`),
              errorCode: 'COMFYUI_DOWNLOAD_FAILED',
            });
            const video = join(ctx.workDir, `comfyui${extname(file.filename)}`);
            renameSync(part, video);
            ctx.onProgress({ fraction: 1, stage: 'downloaded' });
            return {
              video,
              model: 'comfyui',
              modelVersion: backend.version,
              durationFrames: request.shot.duration,
              metadata: { promptId: id, output: file },
            };
          }
          await events.waitForChange(pollMs(), ctx.signal);
        }
      } catch (e) {
        if (ctx.signal.aborted && promptId) await interrupt(base, promptId);
        if (ctx.signal.aborted) throw cancelledError(`generating ${shotName} on ComfyUI`);
        throw e;
      } finally {
        events.close();
      }
    },
  };
  return backend;
}

function executionError(msg: Record<string, unknown> | undefined, shotName: string): KlappeError {
  const node = msg?.node_id ? `node ${String(msg.node_id)} (${String(msg.node_type ?? '?')})` : undefined;
  return new KlappeError({
    code: 'COMFYUI_EXECUTION_ERROR',
    path: node,
    message: `ComfyUI failed while generating ${shotName}${node ? ` in ${node}` : ''}: ${redactSecrets(String(msg?.exception_message ?? 'unknown error')).trim()}`,
    hint: 'Look at the ComfyUI console for the full traceback; fix the node, then retry the job.',
  });
}

/** Best effort, never longer than 2 s: stop the running prompt and drop it from the queue. */
async function interrupt(base: string, promptId: string): Promise<void> {
  const post = (path: string, body: unknown) => {
    const { url, init } = splitCredentials(comfyUrl(base, path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return fetch(url, { ...init, signal: AbortSignal.timeout(2000) }).catch(() => undefined);
  };
  await Promise.all([post('/interrupt', { prompt_id: promptId }), post('/queue', { delete: [promptId] })]);
}

async function uploadImage(base: string, path: string, http: HttpOptions): Promise<string> {
  const form = new FormData();
  form.append('image', new Blob([readFileSync(path)]), basename(path));
  form.append('type', 'input');
  form.append('overwrite', 'true');
  const r = await requestJson<{ name: string; subfolder?: string }>(
    comfyUrl(base, '/upload/image'),
    { method: 'POST', body: form },
    { ...http, errorCode: 'COMFYUI_UPLOAD_FAILED' },
  );
  return r.subfolder ? `${r.subfolder}/${r.name}` : r.name;
}

/** Listens on ComfyUI's websocket for one prompt's progress; falls back to polling when it is unavailable. */
function watchProgress(base: string, clientId: string, onProgress: (fraction: number, stage: string) => void, nodes: number) {
  let promptId: string | undefined;
  let wake: (() => void) | undefined;
  let doneNodes = 0;
  const state = { error: undefined as Record<string, unknown> | undefined };
  let ws: WebSocket | undefined;
  try {
    ws = new WebSocket(comfyUrl(base, '/ws', { clientId }).replace(/^http/, 'ws'));
    ws.on('error', () => {
      /* polling /history covers a missing socket */
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return; // preview images
      let msg: { type?: string; data?: Record<string, unknown> };
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      const d = msg.data ?? {};
      if (promptId && d.prompt_id !== undefined && d.prompt_id !== promptId) return;
      switch (msg.type) {
        case 'execution_start':
          onProgress(0, 'ComfyUI started');
          break;
        case 'executing':
          if (d.node === null) wake?.();
          else onProgress(Math.min(0.9, doneNodes / nodes), `ComfyUI node ${String(d.node)}`);
          break;
        case 'executed':
          doneNodes++;
          break;
        case 'progress': {
          const value = Number(d.value) || 0;
          const max = Number(d.max) || 1;
          onProgress(Math.min(0.9, ((doneNodes + value / max) / nodes) * 0.5 + (value / max) * 0.4), `ComfyUI ${value}/${max}`);
          break;
        }
        case 'execution_error':
          state.error = d;
          wake?.();
          break;
        case 'execution_success':
        case 'execution_interrupted':
          wake?.();
          break;
        default:
          break;
      }
    });
  } catch {
    ws = undefined;
  }
  return {
    get error() {
      return state.error;
    },
    track(id: string) {
      promptId = id;
    },
    /** Resolves on the next finishing websocket message or after `ms`. */
    async waitForChange(ms: number, signal: AbortSignal) {
      await Promise.race([
        sleep(ms, signal, 'waiting for ComfyUI'),
        new Promise<void>((r) => {
          wake = r;
        }),
      ]);
      wake = undefined;
    },
    close() {
      ws?.removeAllListeners('message');
      ws?.terminate();
    },
  };
}
