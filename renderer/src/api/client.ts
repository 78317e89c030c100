/**
 * The renderer's only way into the engine: typed calls of the api contract
 * over a transport (WebSocket in browser mode, IPC via preload in Electron).
 */
import type { EventName, EventPayloads, MethodName, MethodParams, MethodResults } from '../../../engine/api/contract.js';
import type { WireError } from '../../../engine/api/wire.js';

export interface Transport {
  call(method: string, params: unknown): Promise<unknown>;
  onEvent(listener: (event: string, data: unknown) => void): () => void;
  mediaUrl(hash: string): string;
  /** Where the host can read a file the user dropped: its path (Electron) or a staged upload (browser mode). */
  fileSource(file: File): Promise<{ path: string } | { upload: string }>;
  onConnectionChange?(listener: (connected: boolean) => void): () => void;
}

export class ApiError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
  get hint(): string | undefined {
    return this.wire.hint;
  }
}

export class ApiClient {
  constructor(private readonly transport: Transport) {}

  call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResults[M]> {
    return this.transport.call(method, params ?? {}) as Promise<MethodResults[M]>;
  }

  on<E extends EventName>(event: E, listener: (data: EventPayloads[E]) => void): () => void {
    return this.transport.onEvent((name, data) => {
      if (name === event) listener(data as EventPayloads[E]);
    });
  }

  mediaUrl(hash: string): string {
    return this.transport.mediaUrl(hash);
  }

  fileSource(file: File): Promise<{ path: string } | { upload: string }> {
    return this.transport.fileSource(file);
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    return this.transport.onConnectionChange?.(listener) ?? (() => {});
  }
}
