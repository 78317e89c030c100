/**
 * Keeps the engine process running: calls go to the current process; when it
 * exits, every pending call fails with ENGINE_EXITED (never hangs) and a new
 * one is started, a few times a minute at most (then ENGINE_DOWN).
 */
import type { WireError } from '../engine/api/wire.js';

export interface EngineProcess {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (m: { id?: number; event?: string; data?: unknown; secret?: unknown }) => void): unknown;
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  kill(): unknown;
}

export type EngineReply = { id: number; ok: boolean; result?: unknown; error?: WireError };

export interface SupervisorOptions {
  /** Starts a process (and hands it what it needs first, e.g. its secrets). */
  start: () => EngineProcess;
  /** Messages that are not replies (events, secrets to seal). */
  onMessage: (m: { event?: string; data?: unknown; secret?: unknown }) => void;
  /** Told when the engine exited and whether it was restarted. */
  onExit?: (code: number | null, restarted: boolean) => void;
  maxRestartsPerMinute?: number;
}

export class EngineSupervisor {
  private child: EngineProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: EngineReply) => void>();
  private restarts: number[] = [];
  private stopped = false;

  constructor(private readonly opts: SupervisorOptions) {
    this.child = this.spawn();
  }

  /** One call; resolves with the engine's reply, or an error reply when the engine is gone. */
  call(method: string, params: unknown): Promise<EngineReply> {
    const id = this.nextId++;
    if (!this.child) return Promise.resolve(down(id));
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child!.postMessage({ id, method, params });
    });
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill();
  }

  private spawn(): EngineProcess {
    const child = this.opts.start();
    child.on('message', (m) => {
      if (m.id !== undefined && m.event === undefined) {
        this.pending.get(m.id)?.(m as EngineReply);
        this.pending.delete(m.id);
      } else this.opts.onMessage(m);
    });
    child.on('exit', (code) => this.exited(child, code));
    return child;
  }

  private exited(child: EngineProcess, code: number | null): void {
    if (child !== this.child) return;
    this.child = undefined;
    for (const [id, resolve] of this.pending) {
      resolve({
        id,
        ok: false,
        error: {
          code: 'ENGINE_EXITED',
          kind: 'runtime',
          message: `the Klappe engine stopped (exit ${code ?? 'signal'}) before it answered`,
          hint: 'It was restarted; try again. Edits acknowledged before are in the recovery copy.',
        },
      });
    }
    this.pending.clear();
    if (this.stopped) return;
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => t > now - 60_000);
    const restart = this.restarts.length < (this.opts.maxRestartsPerMinute ?? 3);
    if (restart) {
      this.restarts.push(now);
      this.child = this.spawn();
    }
    this.opts.onExit?.(code, restart);
  }
}

function down(id: number): EngineReply {
  return {
    id,
    ok: false,
    error: {
      code: 'ENGINE_DOWN',
      kind: 'runtime',
      message: 'the Klappe engine stopped several times in a minute and was not restarted',
      hint: 'Restart Klappe; the log says why the engine stopped.',
    },
  };
}
