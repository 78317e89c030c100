/** The routes of the /v1 videos API: method, path pattern, and the OpenAPI operation each one is. */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** OpenAPI path template, e.g. `/v1/videos/{video_id}`. */
  path: string;
  operationId: string;
  summary: string;
}

export const ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/v1/videos',
    operationId: 'createVideo',
    summary: 'Create a video generation job (JSON or multipart with input_reference).',
  },
  { method: 'GET', path: '/v1/videos', operationId: 'listVideos', summary: 'List videos (cursor pagination: after, limit, order).' },
  { method: 'GET', path: '/v1/videos/{video_id}', operationId: 'retrieveVideo', summary: 'A video and its status.' },
  {
    method: 'DELETE',
    path: '/v1/videos/{video_id}',
    operationId: 'deleteVideo',
    summary: 'Delete a video (its running jobs are cancelled).',
  },
  {
    method: 'GET',
    path: '/v1/videos/{video_id}/content',
    operationId: 'downloadVideoContent',
    summary: 'The video, thumbnail or spritesheet bytes (Range supported).',
  },
  {
    method: 'POST',
    path: '/v1/videos/{video_id}/remix',
    operationId: 'remixVideo',
    summary: 'A new video from a completed one with a new prompt.',
  },
  {
    method: 'POST',
    path: '/v1/videos/extensions',
    operationId: 'extendVideo',
    summary: 'Continue a completed video (the same scene runs on); the content is both parts.',
  },
  { method: 'POST', path: '/v1/videos/edits', operationId: 'editVideo', summary: 'Edit a completed video by a new prompt.' },
  {
    method: 'POST',
    path: '/v1/videos/characters',
    operationId: 'createCharacter',
    summary: 'A character from an uploaded video (a Klappe character of the API project).',
  },
  { method: 'GET', path: '/v1/videos/characters/{character_id}', operationId: 'getCharacter', summary: 'A character.' },
  { method: 'GET', path: '/v1/openapi.json', operationId: 'openapi', summary: 'This document.' },
];

/** Each route's path as a regular expression, with the names of its parameters (made once). */
const COMPILED = ROUTES.map((route) => {
  const names: string[] = [];
  const re = new RegExp(
    `^${route.path.replace(/\{([a-z_]+)\}/g, (_, n: string) => {
      names.push(n);
      return '([^/]+)';
    })}$`,
  );
  return { route, names, re };
});

/** The route a request is, with its path parameters; `methods` lists the methods of a known path when the method is not one of them. */
export function matchRoute(
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | { methods: string[] } | undefined {
  const methods: string[] = [];
  for (const { route, names, re } of COMPILED) {
    const m = re.exec(pathname);
    if (!m) continue;
    // a literal segment (extensions, edits, characters) wins over {video_id}
    if (names.includes('video_id') && ['extensions', 'edits', 'characters'].includes(m[1]!)) continue;
    if (route.method !== method) {
      methods.push(route.method);
      continue;
    }
    let params: Record<string, string>;
    try {
      params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    } catch {
      return undefined;
    }
    return { route, params };
  }
  return methods.length ? { methods } : undefined;
}
