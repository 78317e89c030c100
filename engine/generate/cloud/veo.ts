/**
 * Google Veo 3.x through the Gemini API, as documented
 * (ai.google.dev/gemini-api/docs/video): `POST {base}/v1beta/models/{model}:predictLongRunning`
 * with `x-goog-api-key`, body `{instances: [{prompt, image?, lastFrame?, referenceImages?}],
 * parameters: {aspectRatio, durationSeconds, resolution, negativePrompt?, personGeneration, seed}}`
 * → a long-running operation `{name}`; poll `GET {base}/v1beta/{name}` until `done`;
 * `response.generateVideoResponse.generatedSamples[].video.uri` is downloaded with the key.
 * Safety filtering arrives as `raiMediaFilteredCount` / `raiMediaFilteredReasons`.
 *
 * The operation name is saved as resume state before waiting, so a restarted
 * job polls the same operation and never pays for the generation twice.
 */
import { readFileSync, renameSync } from 'node:fs';
import { extname, join } from 'node:path';
import { inputError, KlappeError } from '../../common/errors.js';
import { secretStore } from '../../secrets/secret-store.js';
import type { Backend, Capabilities, GenerateContext, GeneratedMedia, ShotRequest } from '../backend.js';
import { download, requestJson, sleep, type HttpOptions } from './http.js';
import { shotPrompt } from './prompt.js';

export const VEO_DEFAULT_MODEL = 'veo-3.1-generate-preview';
export const VEO_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';
const DURATIONS = [4, 6, 8];
const COST_PER_SECOND_USD = 0.4;

export interface VeoOptions {
  apiKey?: () => string | undefined;
  baseUrl?: string;
  model?: string;
  pollMs?: number;
}

interface VeoOperation {
  name: string;
  done?: boolean;
  error?: { code?: number; message?: string; status?: string };
  metadata?: Record<string, unknown>;
  response?: {
    generateVideoResponse?: {
      generatedSamples?: Array<{ video?: { uri?: string; mimeType?: string } }>;
      raiMediaFilteredCount?: number;
      raiMediaFilteredReasons?: string[];
    };
  };
}

interface VeoResume {
  operation: string;
}

/** Veo's aspect ratio, resolution and duration for a request. */
export function veoParameters(request: ShotRequest): {
  aspectRatio: '16:9' | '9:16';
  resolution: '720p' | '1080p';
  durationSeconds: number;
} {
  const { width, height } = request.size;
  const seconds = (request.shot.duration * request.rate.den) / request.rate.num;
  return {
    aspectRatio: width >= height ? '16:9' : '9:16',
    resolution: Math.min(width, height) >= 1080 ? '1080p' : '720p',
    durationSeconds: DURATIONS.find((d) => d >= seconds - 1e-9) ?? DURATIONS[DURATIONS.length - 1]!,
  };
}

/** An image file inline, its type read from its first bytes (media store files have no extension). */
function inlineImage(path: string): { inlineData: { mimeType: string; data: string } } {
  const bytes = readFileSync(path);
  const ext = extname(path).toLowerCase();
  const mimeType =
    bytes.subarray(0, 4).toString('latin1') === '\x89PNG'
      ? 'image/png'
      : bytes.subarray(8, 12).toString('latin1') === 'WEBP'
        ? 'image/webp'
        : bytes[0] === 0xff && bytes[1] === 0xd8
          ? 'image/jpeg'
          : ext === '.png'
            ? 'image/png'
            : ext === '.webp'
              ? 'image/webp'
              : 'image/jpeg';
  return { inlineData: { mimeType, data: bytes.toString('base64') } };
}

/** The documented request body. */
export function veoRequestBody(request: ShotRequest): Record<string, unknown> {
  const p = veoParameters(request);
  const refs = request.references;
  const instance: Record<string, unknown> = { prompt: shotPrompt(request) };
  if (refs.firstFrame) instance.image = inlineImage(refs.firstFrame);
  if (refs.lastFrame) instance.lastFrame = inlineImage(refs.lastFrame);
  if (refs.images?.length)
    instance.referenceImages = refs.images.slice(0, 3).map((img) => ({ image: inlineImage(img), referenceType: 'asset' }));
  return {
    instances: [instance],
    parameters: {
      aspectRatio: p.aspectRatio,
      durationSeconds: p.durationSeconds,
      resolution: p.resolution,
      personGeneration: refs.firstFrame || refs.images?.length ? 'allow_adult' : 'allow_all',
      seed: request.seed,
      ...(request.shot.negativePrompt ? { negativePrompt: request.shot.negativePrompt } : {}),
    },
  };
}

export function createVeoBackend(opts: VeoOptions = {}): Backend {
  const model = opts.model ?? process.env.KLAPPE_VEO_MODEL ?? VEO_DEFAULT_MODEL;
  const base = () => (opts.baseUrl ?? process.env.KLAPPE_GEMINI_BASE_URL ?? VEO_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const pollMs = () => opts.pollMs ?? (Number(process.env.KLAPPE_VEO_POLL_MS) || 10_000);
  const apiKey = () => (opts.apiKey ?? (() => secretStore().get('gemini')))();
  const requireKey = (): string => {
    const key = apiKey();
    if (!key)
      throw inputError('NO_API_KEY', 'Veo needs a Gemini API key, and none is set', {
        path: '--backend',
        hint: 'Set KLAPPE_GEMINI_API_KEY, or run `klappe keys set gemini` (reads the key from stdin).',
      });
    return key;
  };

  const backend: Backend = {
    id: 'veo',
    version: `${model}@1`,

    capabilities(): Capabilities {
      return {
        modes: ['text-to-video', 'image-to-video', 'first-last-frame'],
        sizes: [
          { width: 1280, height: 720 },
          { width: 720, height: 1280 },
          { width: 1920, height: 1080 },
          { width: 1080, height: 1920 },
        ],
        maxDurationSeconds: 8,
        audio: true,
        remote: true,
        costPerSecondUsd: COST_PER_SECOND_USD,
      };
    },

    estimate(request) {
      const p = veoParameters(request);
      return { seconds: 60 + p.durationSeconds * 8, costUsd: p.durationSeconds * COST_PER_SECOND_USD };
    },

    validate() {
      requireKey();
    },

    async generate(request: ShotRequest, ctx: GenerateContext): Promise<GeneratedMedia> {
      const key = requireKey();
      const headers = { 'x-goog-api-key': key, 'content-type': 'application/json' };
      const http = (what: string): HttpOptions => ({
        signal: ctx.signal,
        what,
        onRetry: (r) => ctx.onProgress({ fraction: 0, stage: `retrying in ${Math.ceil(r.delayMs / 1000)} s (${r.reason.slice(0, 60)})` }),
      });
      const shotName = `shot ${request.shot.number}`;
      let operation = (ctx.resumeState as VeoResume | undefined)?.operation;
      if (!operation) {
        ctx.onProgress({ fraction: 0, stage: 'submitting to Veo' });
        const op = await requestJson<VeoOperation>(
          `${base()}/v1beta/models/${model}:predictLongRunning`,
          {
            method: 'POST',
            headers,
            body: JSON.stringify(veoRequestBody(request)),
          },
          { ...http(`submitting ${shotName} to Veo`), errorCode: 'VEO_SUBMIT_FAILED', retryDroppedConnection: false },
        );
        if (!op.name) throw new KlappeError({ code: 'VEO_BAD_ANSWER', message: `Veo accepted ${shotName} but returned no operation name` });
        operation = op.name;
        ctx.saveResumeState({ operation } satisfies VeoResume);
      }
      const est = backend.estimate(request).seconds;
      const started = Date.now();
      let op: VeoOperation;
      for (;;) {
        op = await requestJson<VeoOperation>(
          `${base()}/v1beta/${operation}`,
          { headers: { 'x-goog-api-key': key } },
          { ...http(`polling Veo for ${shotName}`), errorCode: 'VEO_POLL_FAILED' },
        );
        if (op.done) break;
        const elapsed = (Date.now() - started) / 1000;
        ctx.onProgress({ fraction: Math.min(0.9, (elapsed / est) * 0.9), stage: 'Veo is generating' });
        await sleep(pollMs(), ctx.signal, `waiting for Veo (${shotName})`);
      }
      if (op.error) {
        ctx.saveResumeState(undefined);
        throw new KlappeError({
          code: 'VEO_OPERATION_FAILED',
          message: `Veo could not generate ${shotName}: ${op.error.message ?? op.error.status ?? 'unknown error'}${op.error.code !== undefined ? ` (code ${op.error.code})` : ''}`,
          hint: 'Change the prompt or settings, then retry the job.',
        });
      }
      const res = op.response?.generateVideoResponse;
      const uri = res?.generatedSamples?.find((s) => s.video?.uri)?.video?.uri;
      if (!uri) {
        ctx.saveResumeState(undefined);
        if (res?.raiMediaFilteredCount) {
          const reasons = res.raiMediaFilteredReasons?.join('; ') || 'no reason given';
          throw inputError('CONTENT_FILTERED', `Veo's safety filter blocked ${shotName}: ${reasons}`, {
            path: `shot ${request.shot.id}.prompt`,
            hint: 'Rewrite the prompt or action of this shot, then retry the job.',
          });
        }
        throw new KlappeError({ code: 'VEO_BAD_ANSWER', message: `Veo finished ${shotName} without a video` });
      }
      ctx.onProgress({ fraction: 0.92, stage: 'downloading from Veo' });
      const part = join(ctx.workDir, 'veo.mp4.part');
      const sameOrigin = new URL(uri, base()).origin === new URL(base()).origin;
      await download(new URL(uri, base()).href, { headers: sameOrigin ? { 'x-goog-api-key': key } : {} }, part, {
        ...http(`downloading ${shotName} from Veo`),
        errorCode: 'VEO_DOWNLOAD_FAILED',
      });
      const video = join(ctx.workDir, 'veo.mp4');
      renameSync(part, video);
      ctx.onProgress({ fraction: 1, stage: 'downloaded' });
      const p = veoParameters(request);
      return {
        video,
        model,
        modelVersion: model,
        durationFrames: Math.round((p.durationSeconds * request.rate.num) / request.rate.den),
        metadata: { operation, ...p, raiMediaFilteredCount: res?.raiMediaFilteredCount ?? 0 },
      };
    },
  };
  return backend;
}
