/** Browser mode: the api over a WebSocket to `klappe serve`, authenticated by the token in the page URL. */
import type { ServerMessage, Reply, WireError } from '../../../engine/api/wire.js';
import { ApiError, type Transport } from './client.js';

export function wsTransport(token: string): Transport {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Set<(event: string, data: unknown) => void>();
  const connListeners = new Set<(c: boolean) => void>();
  let nextId = 1;
  let ws: WebSocket;
  let open: Promise<void>;

  function connect(): void {
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`);
    open = new Promise((resolve, reject) => {
      ws.addEventListener(
        'open',
        () => {
          connListeners.forEach((l) => l(true));
          resolve();
        },
        { once: true },
      );
      ws.addEventListener(
        'error',
        () =>
          reject(new ApiError({ code: 'DISCONNECTED', message: 'cannot reach the Klappe host', hint: 'Is `klappe serve` still running?' })),
        { once: true },
      );
    });
    open.catch(() => {});
    ws.addEventListener('message', (e) => {
      const m = JSON.parse(String(e.data)) as ServerMessage;
      if ('event' in m) {
        listeners.forEach((l) => l(m.event, m.data));
        return;
      }
      const reply = m as Reply;
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new ApiError(reply.error));
    });
    ws.addEventListener('close', () => {
      connListeners.forEach((l) => l(false));
      for (const p of pending.values()) p.reject(new ApiError({ code: 'DISCONNECTED', message: 'lost the connection to the Klappe host' }));
      pending.clear();
      setTimeout(connect, 1000);
    });
  }
  connect();

  return {
    async call(method, params) {
      await open;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mediaUrl: (hash) => `/media/${hash}?token=${encodeURIComponent(token)}`,
    async fileSource(file) {
      const res = await fetch(`/upload?token=${encodeURIComponent(token)}&name=${encodeURIComponent(file.name)}`, {
        method: 'PUT',
        body: file,
      });
      const body = (await res.json().catch(() => ({}))) as { uploadId?: string; error?: WireError };
      if (!res.ok || !body.uploadId)
        throw new ApiError(
          body.error ?? { code: 'UPLOAD_FAILED', message: `${file.name} could not be sent to the host (HTTP ${res.status})` },
        );
      return { upload: body.uploadId };
    },
    onConnectionChange(listener) {
      connListeners.add(listener);
      return () => connListeners.delete(listener);
    },
  };
}
