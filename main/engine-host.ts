/**
 * The engine in Electron's utilityProcess: one StudioApi, calls in and
 * replies/events out through process.parentPort. Media reach the window
 * through media://, served by the main process from the same cache.
 */
import { StudioApi } from '../engine/api/studio-api.js';
import { toWireError } from '../engine/api/wire.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const port = (process as unknown as { parentPort: ParentPort }).parentPort;
const api = new StudioApi({ mediaUrl: (hash) => `media://cache/${hash}` });
api.on((event, data) => port.postMessage({ event, data }));
port.on('message', ({ data }) => {
  const { id, method, params } = data as { id: number; method: string; params: unknown };
  api.call(method, params).then(
    (result) => port.postMessage({ id, ok: true, result }),
    (e: unknown) => port.postMessage({ id, ok: false, error: toWireError(e) }),
  );
});
process.on('SIGTERM', () => { void api.shutdown().finally(() => process.exit(0)); });
