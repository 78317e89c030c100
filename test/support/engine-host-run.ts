/**
 * Exercises an Electron engine host entry under plain Node, with an IPC channel in place of the utilityProcess
 * port (the Electron binary does not install here): secrets from main and changes relayed back, a previz shot
 * (worker threads drawing frames) and a signed export (the signing worker), so the paths those workers load
 * must resolve. Used for the source host (main/engine-host-boot.mjs) and the compiled bundle (dist/engine).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

export type HostMessage = {
  id?: number;
  ok?: boolean;
  result?: any;
  error?: any;
  event?: string;
  data?: any;
  secret?: { name: string; value: string | null };
};

export async function exerciseEngineHost(
  entry: string,
  dir: string,
  onChild: (child: ChildProcess) => void,
  execArgv?: string[],
): Promise<void> {
  const host = fork(entry, [], {
    ...(execArgv ? { execArgv } : {}),
    env: {
      ...process.env,
      KLAPPE_DATA_DIR: join(dir, 'data'),
      KLAPPE_CONFIG_DIR: join(dir, 'config'),
      KLAPPE_PROJECTS_DIR: join(dir, 'projects'),
      KLAPPE_DEFAULT_BACKEND: '',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onChild(host);
  const messages: HostMessage[] = [];
  const waiters: Array<{ test: (m: HostMessage) => boolean; resolve: (m: HostMessage) => void }> = [];
  host.on('message', (m: HostMessage) => {
    messages.push(m);
    for (const w of [...waiters])
      if (w.test(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
  });
  const next = (test: (m: HostMessage) => boolean) =>
    new Promise<HostMessage>((resolve) => {
      const seen = messages.find(test);
      if (seen) resolve(seen);
      else waiters.push({ test, resolve });
    });
  let id = 0;
  const call = async (method: string, params: unknown = {}) => {
    const n = ++id;
    host.send({ id: n, method, params });
    const reply = await next((m) => m.id === n);
    if (!reply.ok) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
    return reply.result;
  };

  host.send({ secrets: { gemini: 'AIza-from-the-keychain' } });
  expect((await call('settings.get')).secretsSet).toEqual({ gemini: true, comfyui: false });
  await call('settings.set', { patch: { secrets: { comfyui: 'http://127.0.0.1:8188', gemini: null } } });
  expect(messages.filter((m) => m.secret).map((m) => m.secret)).toEqual(
    expect.arrayContaining([
      { name: 'comfyui', value: 'http://127.0.0.1:8188' },
      { name: 'gemini', value: null },
    ]),
  );
  expect(messages.filter((m) => m.secret)).toHaveLength(2);
  expect(JSON.stringify(messages.filter((m) => !m.secret))).not.toContain('AIza-from-the-keychain');

  await call('project.new', { name: 'Host', template: 'empty' });
  await call('project.apply', { commands: { type: 'shot.update', shotId: 'shot-1', patch: { duration: 12 } } });
  const { jobIds } = await call('generate.enqueue', { backend: 'previz' });
  const done = await next((m) => m.event === 'job.done' && m.data.id === jobIds[0]);
  expect(done.data).toMatchObject({ status: 'done', backend: 'previz' });

  const output = join(dir, 'host.mp4');
  const started = await call('export.start', { output, watermark: false, invisibleWatermark: false, sign: true });
  const exported = await next((m) => m.event === 'export.done' && m.data.id === started.id);
  expect(exported.data.error).toBeUndefined();
  expect(exported.data.status).toBe('done');
  expect(exported.data.verification.ok).toBe(true);
  expect(exported.data.verification.provenance).toMatch(/C2PA manifest valid/);
}
