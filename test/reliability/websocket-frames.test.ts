/**
 * Issue 19, finding 1: a bad WebSocket frame closes that socket with the
 * right close code and the host keeps serving; an edit acknowledged with
 * ok: true survives a SIGKILL that comes right after the reply.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectSession } from '../../engine/api/project-session.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { tempDir } from '../support/env.js';
import { callApi, connectApi, startHost, type HostProcess } from '../support/host-process.js';
import { closeCode, frame, rawConnect } from '../support/raw-ws.js';

const t = tempDir('klappe-wsframes-');
let host: HostProcess;
let project: string;

beforeAll(async () => {
  project = join(t.dir, 'film');
  createProjectFromTemplate(project, 'two-scenes', 'Frames');
  host = await startHost(t.dir, { project });
});
afterAll(async () => {
  await host?.stop();
  t.cleanup();
});

async function closeCodeFor(bytes: Buffer): Promise<number | undefined> {
  const raw = await rawConnect(host.port, host.token);
  raw.socket.write(bytes);
  await Promise.race([raw.ended, new Promise((r) => setTimeout(r, 5000))]);
  raw.socket.destroy();
  return closeCode(raw.received());
}

describe('the host and bad WebSocket frames', () => {
  it.each([
    ['a message over the size limit', frame(1, Buffer.alloc(16), { length: 9 * 1024 * 1024 }), 1009],
    ['a text frame that is not UTF-8', frame(1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
    ['a reserved opcode', frame(3, Buffer.from('{}')), 1002],
    ['an unmasked client frame', frame(1, Buffer.from('{}'), { masked: false }), 1002],
    ['reserved bits set', frame(1, Buffer.from('{}'), { rsv: 2 }), 1002],
  ])('%s closes that socket (%#) and the host keeps serving', async (_what, bytes, code) => {
    expect(await closeCodeFor(bytes)).toBe(code);
    expect(host.child.exitCode).toBeNull();
    const ws = await connectApi(host.port, host.token);
    try {
      expect((await callApi(ws, 'app.info')).ok).toBe(true);
    } finally {
      ws.close();
    }
    expect((await fetch(`http://127.0.0.1:${host.port}/healthz`)).status).toBe(200);
  });

  it('a binary frame is answered as a bad message, not a crash', async () => {
    const raw = await rawConnect(host.port, host.token);
    raw.socket.write(frame(2, Buffer.from('{"id":1,"method":"app.info"}')));
    await new Promise((r) => setTimeout(r, 500));
    raw.socket.destroy();
    expect(host.child.exitCode).toBeNull();
  });

  it('keeps an acknowledged edit when killed right after the reply', async () => {
    const ws = await connectApi(host.port, host.token);
    const reply = await callApi(ws, 'project.apply', { commands: { type: 'project.update', patch: { name: 'Acknowledged' } } });
    expect(reply.ok).toBe(true);
    host.child.kill('SIGKILL');
    await host.exited;
    ws.terminate();
    const session = ProjectSession.open(project, () => {});
    try {
      expect(session.recovery?.doc.name).toBe('Acknowledged');
    } finally {
      session.close();
    }
    expect(readdirSync(project).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
