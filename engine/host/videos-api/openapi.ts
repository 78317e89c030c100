/** The OpenAPI 3.1 document of the /v1 videos API, served at /v1/openapi.json (checked against ROUTES in a test). */
import { MODEL_TABLE, SECONDS, SIZES } from './models.js';
import { ROUTES } from './routes.js';

const err = { $ref: '#/components/responses/Error' };

const REQUEST_BODIES: Record<string, string> = {
  createVideo: 'VideoCreate',
  remixVideo: 'VideoRemix',
  extendVideo: 'VideoExtend',
  editVideo: 'VideoEdit',
  createCharacter: 'CharacterCreate',
};
const RESPONSES: Record<string, string> = {
  createVideo: 'Video',
  retrieveVideo: 'Video',
  remixVideo: 'Video',
  extendVideo: 'Video',
  editVideo: 'Video',
  listVideos: 'VideoList',
  deleteVideo: 'VideoDeleted',
  createCharacter: 'Character',
  getCharacter: 'Character',
};

export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const params = [...r.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (r.operationId === 'listVideos') {
      params.push(
        { name: 'after', in: 'query', required: false, schema: { type: 'string' } } as never,
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } as never,
        { name: 'order', in: 'query', required: false, schema: { type: 'string', enum: ['asc', 'desc'], default: 'desc' } } as never,
      );
    }
    if (r.operationId === 'downloadVideoContent')
      params.push({
        name: 'variant',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['video', 'thumbnail', 'spritesheet'], default: 'video' },
      } as never);
    const body = REQUEST_BODIES[r.operationId];
    const result = RESPONSES[r.operationId];
    const ok =
      r.operationId === 'downloadVideoContent'
        ? {
            description: 'The bytes (video/mp4 or image/jpeg); 206 for a Range.',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          }
        : r.operationId === 'openapi'
          ? { description: 'This document.', content: { 'application/json': { schema: { type: 'object' } } } }
          : { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${result}` } } } };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: { $ref: `#/components/schemas/${body}` } },
                'multipart/form-data': { schema: { $ref: `#/components/schemas/${body}` } },
              },
            },
          }
        : {}),
      ...(r.operationId === 'openapi' ? { security: [] } : {}),
      responses: { 200: ok, 400: err, 401: err, 404: err, 413: err, 429: err },
    };
  }
  const ref = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Klappe videos API (OpenAI Videos API dialect)',
      version,
      description: `Models: ${MODEL_TABLE.map((m) => `${m.model} → ${m.backend}`).join('; ')}.`,
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      responses: {
        Error: { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: {
                message: { type: 'string' },
                type: { type: 'string' },
                param: { type: ['string', 'null'] },
                code: { type: ['string', 'null'] },
              },
              required: ['message', 'type', 'param', 'code'],
            },
          },
          required: ['error'],
        },
        Video: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            object: { const: 'video' },
            model: { type: 'string' },
            status: { enum: ['queued', 'in_progress', 'completed', 'failed'] },
            progress: { type: 'integer', minimum: 0, maximum: 100 },
            created_at: { type: 'integer' },
            completed_at: { type: ['integer', 'null'] },
            expires_at: { type: ['integer', 'null'] },
            prompt: { type: ['string', 'null'] },
            seconds: { type: 'string' },
            size: { enum: [...SIZES] },
            remixed_from_video_id: { type: ['string', 'null'] },
            error: { oneOf: [{ type: 'null' }, { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } }] },
          },
          required: [
            'id',
            'object',
            'model',
            'status',
            'progress',
            'created_at',
            'completed_at',
            'expires_at',
            'seconds',
            'size',
            'remixed_from_video_id',
            'error',
          ],
        },
        VideoList: {
          type: 'object',
          properties: {
            object: { const: 'list' },
            data: { type: 'array', items: { $ref: '#/components/schemas/Video' } },
            first_id: { type: ['string', 'null'] },
            last_id: { type: ['string', 'null'] },
            has_more: { type: 'boolean' },
          },
        },
        VideoDeleted: {
          type: 'object',
          properties: { id: { type: 'string' }, object: { const: 'video.deleted' }, deleted: { type: 'boolean' } },
        },
        VideoCreate: {
          type: 'object',
          required: ['prompt'],
          properties: {
            prompt: { type: 'string', maxLength: 4000 },
            model: { type: 'string', default: 'sora-2' },
            seconds: { enum: [...SECONDS], default: '4' },
            size: { enum: [...SIZES], default: '720x1280' },
            input_reference: { type: 'string', format: 'binary' },
            shots: {
              description: 'Klappe extra: a multi-shot scene (JSON text in a form).',
              type: 'array',
              maxItems: 12,
              items: { type: 'object', properties: { prompt: { type: 'string' }, seconds: { enum: [...SECONDS] } } },
            },
            dialogue: {
              description: 'Klappe extra: dialogue lines spoken in the shots.',
              type: 'array',
              maxItems: 64,
              items: {
                type: 'object',
                required: ['character', 'text'],
                properties: { character: { type: 'string' }, text: { type: 'string' }, shot: { type: 'integer', minimum: 0 } },
              },
            },
            characters: { description: 'Klappe extra: characters in the scene.', type: 'array', maxItems: 16, items: { type: 'string' } },
          },
        },
        VideoRemix: { type: 'object', required: ['prompt'], properties: { prompt: { type: 'string' } } },
        VideoExtend: {
          type: 'object',
          required: ['prompt', 'video'],
          properties: { prompt: { type: 'string' }, seconds: { enum: ['4', '8', '12', '16', '20'] }, video: ref },
        },
        VideoEdit: { type: 'object', required: ['prompt', 'video'], properties: { prompt: { type: 'string' }, video: ref } },
        CharacterCreate: {
          type: 'object',
          required: ['name', 'video'],
          properties: { name: { type: 'string', maxLength: 80 }, video: { type: 'string', format: 'binary' } },
        },
        Character: {
          type: 'object',
          properties: { id: { type: 'string' }, object: { const: 'character' }, name: { type: 'string' }, created_at: { type: 'integer' } },
        },
      },
    },
  };
}
