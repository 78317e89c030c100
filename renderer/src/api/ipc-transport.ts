/** Electron: the api through the preload bridge (window.klappeHost), media through media://. */
import { ApiError, type Transport } from './client.js';
import type { WireError } from '../../../engine/api/wire.js';

export interface KlappeHostBridge {
  call(method: string, params: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: WireError }>;
  onEvent(listener: (event: string, data: unknown) => void): () => void;
  onMenuAction(listener: (action: string) => void): () => void;
  /** The path of a dropped file (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string;
}

export function ipcTransport(bridge: KlappeHostBridge): Transport {
  return {
    async call(method, params) {
      const r = await bridge.call(method, params);
      if (r.ok) return r.result;
      throw new ApiError(r.error);
    },
    onEvent: (l) => bridge.onEvent(l),
    mediaUrl: (hash) => `media://cache/${hash}`,
    async fileSource(file) {
      const path = bridge.pathForFile(file);
      if (!path)
        throw new ApiError({
          code: 'NO_PATH',
          message: `${file.name} has no path on disk`,
          hint: 'Save it to a file first, then drop the file.',
        });
      return { path };
    },
  };
}
