/**
 * Addresses of a ComfyUI server's endpoints: the path goes into the URL's
 * path and the query parameters join the base URL's own (`?token=…` of a
 * proxy in front of ComfyUI stays), never after its query string.
 */
export function comfyUrl(base: string, path: string, query?: Record<string, string> | URLSearchParams): string {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
  if (query) for (const [k, v] of new URLSearchParams(query)) u.searchParams.set(k, v);
  return u.toString();
}
