/**
 * Request bodies of the /v1 videos API, read with a size limit and parsed
 * into one flat form: JSON objects, `multipart/form-data` (the official SDKs
 * send every create as multipart; nested fields arrive as `video[id]`) and
 * `application/x-www-form-urlencoded`. Files come back as bytes with their name.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError, badRequest } from './errors.js';

export interface UploadedFile {
  name: string;
  type: string;
  bytes: Buffer;
}

/** Field values: strings, numbers, booleans, nested JSON (arrays, objects) and files. */
export type Fields = Record<string, unknown>;

export const DEFAULT_BODY_LIMITS = { json: 1024 * 1024, multipart: 64 * 1024 * 1024 };

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'invalid_request_error', `The request body is larger than ${limit} bytes.`, null, 'request_too_large', {
    Connection: 'close',
  });
}

/** The body of a POST as fields (an empty body is no fields). */
export async function parseBody(req: IncomingMessage, limits = DEFAULT_BODY_LIMITS): Promise<Fields> {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data'))
    return parseMultipart(await readBody(req, limits.multipart), String(req.headers['content-type']));
  const raw = await readBody(req, limits.json);
  if (raw.length === 0) return {};
  if (type.startsWith('application/x-www-form-urlencoded'))
    return nestFields(Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw badRequest(`We could not parse the JSON body of your request: ${(e as Error).message}`, null, 'invalid_json');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw badRequest('The request body must be a JSON object.', null, 'invalid_json');
  return value as Fields;
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<Fields> {
  let form: FormData;
  try {
    form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
  } catch {
    throw badRequest('The multipart body could not be parsed.', null, 'invalid_multipart');
  }
  const flat: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') flat[key] = value;
    else flat[key] = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) } satisfies UploadedFile;
  }
  return nestFields(flat);
}

/**
 * `video[id]=x` → `{video: {id: x}}`, `a[]=1&a[]=2` → `{a: ['1', '2']}` (how the SDKs write nested form
 * fields, one level deep); deeper structures (the extra fields) are sent as JSON text in one field.
 */
function nestFields(flat: Record<string, unknown>): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(flat)) {
    const m = /^([^[\]]+)\[([^[\]]*)\]$/.exec(key);
    if (!m) {
      out[key] = value;
      continue;
    }
    const [, name, sub] = m as unknown as [string, string, string];
    const have = out[name];
    if (sub === '') {
      const list = Array.isArray(have) ? have : [];
      list.push(value);
      out[name] = list;
    } else {
      const obj = have && typeof have === 'object' && !Array.isArray(have) && !isUploaded(have) ? (have as Record<string, unknown>) : {};
      obj[sub] = value;
      out[name] = obj;
    }
  }
  return out;
}

export function isUploaded(v: unknown): v is UploadedFile {
  return !!v && typeof v === 'object' && Buffer.isBuffer((v as UploadedFile).bytes);
}
