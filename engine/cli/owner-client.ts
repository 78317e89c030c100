/**
 * A CLI command's line to the process that holds a project open and serves
 * its api (`klappe serve --project DIR`, the studio in browser mode): the
 * same WebSocket api and messages the studio UI uses, with the token from
 * the owner's per-user file.
 */
import { WebSocket } from 'ws';
import type { EventName, EventPayloads, MethodName, MethodResults } from '../api/contract.js';
import type { OwnerApi } from '../api/project-lock.js';
import type { ServerMessage } from '../api/wire.js';
import { isReply } from '../api/wire.js';
import { KlappeError, type ErrorKind } from '../common/errors.js';

export class OwnerClient {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private readonly listeners = new Set<(event: EventName, data: unknown) => void>();

  private constructor(
    private readonly ws: WebSocket,
    readonly url: string,
  ) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as ServerMessage;
      if (isReply(m)) {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (!p) return;
        if (m.ok) p.resolve(m.result);
        else
          p.reject(
            new KlappeError({
              code: m.error.code,
              message: m.error.message,
              kind: (m.error.kind as ErrorKind | undefined) ?? 'runtime',
              path: m.error.path,
              hint: m.error.hint,
              file: m.error.file,
            }),
          );
      } else {
        for (const l of this.listeners) l(m.event, m.data);
      }
    });
    ws.on('close', () => {
      for (const p of this.pending.values())
        p.reject(new KlappeError({ code: 'OWNER_GONE', message: `the Klappe process at ${url} closed the connection` }));
      this.pending.clear();
    });
  }

  static connect(api: OwnerApi): Promise<OwnerClient> {
    const base = new URL(api.url);
    const ws = new WebSocket(`ws://${base.host}/api?token=${encodeURIComponent(api.token)}`, { origin: `http://${base.host}` });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new OwnerClient(ws, api.url)));
      ws.once('unexpected-response', (_req, res) =>
        reject(
          new KlappeError({
            code: 'OWNER_UNREACHABLE',
            message: `the Klappe process serving the project at ${api.url} refused the connection (HTTP ${res.statusCode})`,
          }),
        ),
      );
      ws.once('error', (e) =>
        reject(
          new KlappeError({
            code: 'OWNER_UNREACHABLE',
            message: `cannot reach the Klappe process serving the project at ${api.url}: ${e.message}`,
          }),
        ),
      );
    });
  }

  call<M extends MethodName>(method: M, params: unknown = {}): Promise<MethodResults[M]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  on<E extends EventName>(event: E, listener: (data: EventPayloads[E]) => void): () => void {
    const l = (e: EventName, data: unknown) => {
      if (e === event) listener(data as EventPayloads[E]);
    };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  close(): void {
    this.ws.close();
  }
}
