/**
 * The dialect's model names, sizes and durations, and how a model name maps
 * onto Klappe's backends (docs/api.md has the same table).
 */
import { badRequest } from './errors.js';

export const SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'] as const;
export const SECONDS = ['4', '8', '12'] as const;
/** An extension's new segment may be longer (the SDK's VideoExtendParams). */
export const EXTEND_SECONDS = ['4', '8', '12', '16', '20'] as const;
export const DEFAULT_MODEL = 'sora-2';

/** A model name → the backend the job asks the router for (undefined: the router's own choice). */
export interface ModelRoute {
  model: string;
  backendId?: string;
  /** A local model pack named in the model (`local:<pack>`). */
  pack?: string;
}

export const MODEL_TABLE: Array<{ model: string; backend: string; note: string }> = [
  {
    model: 'sora-2, sora-2-pro (and dated names)',
    backend: '(router default)',
    note: 'what the router picks: a local pack, a configured cloud service, else previz',
  },
  { model: 'klappe-previz', backend: 'previz', note: 'the embedded physics previz (CPU, deterministic)' },
  { model: 'klappe-slate', backend: 'slate', note: 'a title card with the prompt (fastest)' },
  { model: 'veo-3.1, veo-3', backend: 'veo', note: 'Google Veo through the Gemini API (key: klappe keys set gemini)' },
  { model: 'comfyui', backend: 'comfyui', note: 'a ComfyUI server (address: klappe keys set comfyui)' },
  { model: 'local:<pack>', backend: 'local:<pack>', note: 'that local model pack (falls back with the reason when it is not installed)' },
];

export function routeModel(value: unknown): ModelRoute {
  if (value === undefined || value === null || value === '') return { model: DEFAULT_MODEL };
  if (typeof value !== 'string' || value.length > 120) throw badRequest('model must be a string naming a video model.', 'model');
  if (/^sora-2(-pro)?(-\d{4}-\d{2}-\d{2})?$/.test(value)) return { model: value };
  if (value === 'klappe-previz') return { model: value, backendId: 'previz' };
  if (value === 'klappe-slate') return { model: value, backendId: 'slate' };
  if (/^veo-3(\.\d)?(-[a-z0-9-]+)?$/.test(value)) return { model: value, backendId: 'veo' };
  if (value === 'comfyui') return { model: value, backendId: 'comfyui' };
  const local = /^local:([A-Za-z0-9_.-]{1,64})$/.exec(value);
  if (local) return { model: value, backendId: `local:${local[1]}`, pack: local[1] };
  throw badRequest(
    `Invalid value: '${value}'. Supported models: sora-2, sora-2-pro, klappe-previz, klappe-slate, veo-3.1, comfyui, local:<pack>.`,
    'model',
  );
}

export function parseSize(value: unknown): { size: string; width: number; height: number } {
  const size = value === undefined || value === null || value === '' ? '720x1280' : value;
  if (typeof size !== 'string' || !(SIZES as readonly string[]).includes(size)) {
    throw badRequest(
      `Invalid value: '${String(size).slice(0, 40)}'. Supported values are: ${SIZES.map((s) => `'${s}'`).join(', ')}.`,
      'size',
    );
  }
  const [w, h] = size.split('x').map(Number) as [number, number];
  return { size, width: w, height: h };
}

export function parseSeconds(value: unknown, allowed: readonly string[] = SECONDS, param = 'seconds'): number {
  const text = value === undefined || value === null || value === '' ? '4' : typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !allowed.includes(text)) {
    throw badRequest(
      `Invalid value: '${String(text).slice(0, 40)}'. Supported values are: ${allowed.map((s) => `'${s}'`).join(', ')}.`,
      param,
    );
  }
  return Number(text);
}

export function parsePrompt(value: unknown, param = 'prompt', required = true): string {
  if ((value === undefined || value === null) && !required) return '';
  if (typeof value !== 'string' || !value.trim())
    throw badRequest(
      `${param} is required: a non-empty string.`,
      param,
      value === undefined ? 'missing_required_parameter' : 'invalid_value',
    );
  if (value.length > 4000) throw badRequest(`${param} is longer than 4000 characters.`, param, 'string_above_max_length');
  return value;
}
