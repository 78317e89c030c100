/** A real `klappe serve` in a child process, for tests that kill it or send it bad frames. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { WebSocket } from 'ws';
import { spawnCli } from './env.js';

export interface HostProcess {
  child: ChildProcess;
  port: number;
  token: string;
  stderr(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts `klappe serve` (a tiny renderer folder under `dir`), optionally opening `project`. */
export async function startHost(dir: string, opts: { project?: string; env?: Record<string, string> } = {}): Promise<HostProcess> {
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Klappe</title>');
  const info = join(dir, `host-${Date.now()}.json`);
  const child = spawnCli(
    ['serve', '--info-file', info, '--renderer', renderer, ...(opts.project ? ['--project', opts.project] : [])],
    opts.env,
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  child.stdout!.resume();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 60_000;
  while (!existsSync(info) || readFileSync(info, 'utf8').length === 0) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`klappe serve did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const { port, token } = JSON.parse(readFileSync(info, 'utf8')) as { port: number; token: string };
  return {
    child,
    port,
    token,
    exited,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export function connectApi(port: number, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${encodeURIComponent(token)}`, { origin: `http://127.0.0.1:${port}` });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

let nextId = 1;
/** One api call; resolves with the reply message. */
export function callApi(
  ws: WebSocket,
  method: string,
  params: unknown = {},
): Promise<{ id: number; ok: boolean; result?: any; error?: any }> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onClose = () => reject(new Error(`the socket closed before the reply to ${method}`));
    const onMessage = (data: Buffer) => {
      const m = JSON.parse(data.toString());
      if (m.id === id) {
        ws.off('message', onMessage);
        ws.off('close', onClose);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(JSON.stringify({ id, method, params }));
  });
}
