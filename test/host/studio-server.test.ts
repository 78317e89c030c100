import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MediaStore } from '../../engine/cache/media-store.js';
import { RecentProjects } from '../../engine/api/recent-projects.js';
import { SettingsStore } from '../../engine/api/settings-store.js';
import { FileSecretStore } from '../../engine/secrets/secret-store.js';
import { parseRange } from '../../engine/host/byte-range.js';
import { startStudioServer, type StudioServer } from '../../engine/host/studio-server.js';
import { openDatabase } from '../../engine/cache/database.js';
import { UploadStaging } from '../../engine/api/uploads.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { assetPath } from '../../engine/util/paths.js';
import { tempDir } from '../support/env.js';
import { makeLargeProject } from '../../bench/foundation.bench.js';

let server: StudioServer;
let cleanup: () => void;
let mediaHash: string;
const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(1000, 7)]);

beforeAll(async () => {
  const t = tempDir('klappe-host-');
  cleanup = t.cleanup;
  const rendererDir = join(t.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Klappe</title>');
  const store = new MediaStore(join(t.dir, 'media'));
  writeFileSync(join(t.dir, 'clip.mp4'), bytes);
  mediaHash = (await store.ingest(join(t.dir, 'clip.mp4'))).hash;
  server = await startStudioServer({
    rendererDir,
    store,
    settings: new SettingsStore(join(t.dir, 'cfg'), new FileSecretStore(join(t.dir, 'cfg', 'secrets.json'))),
    recent: new RecentProjects(join(t.dir, 'cfg')),
    projectsDir: join(t.dir, 'p'),
    queueOptions: { db: openDatabase(join(t.dir, 'klappe.db')) },
  });
});
afterAll(async () => {
  await server?.close();
  cleanup?.();
});

function connect(query: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, method: string, params: unknown = {}): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const m = JSON.parse(data.toString());
      if (m.id === id) {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, params }));
  });
}

describe('klappe serve (browser mode host)', () => {
  it('listens on 127.0.0.1 only and prints a URL with a token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it('serves the UI with a strict CSP', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toMatch(/style-src 'self' 'nonce-[^']+'/);
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect((await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fetc/passwd`)).status).toBe(404);
  });

  it('rejects api connections without the token, with a wrong token, or from another origin', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    await expect(connect('', origin)).rejects.toThrow('HTTP 401');
    await expect(connect('?token=wrong', origin)).rejects.toThrow('HTTP 401');
    await expect(connect(`?token=${server.token}`, 'http://evil.example')).rejects.toThrow('HTTP 403');
    await expect(connect(`?token=${server.token}`)).rejects.toThrow('HTTP 403');
  });

  it('answers api calls and reports bad ones as errors with their field', async () => {
    const ws = await connect(`?token=${server.token}`, `http://localhost:${server.port}`);
    try {
      const info = await call(ws, 1, 'app.info');
      expect(info).toMatchObject({ id: 1, ok: true, result: { templates: expect.arrayContaining(['two-scenes']) } });
      const bad = await call(ws, 2, 'project.open', {});
      expect(bad).toMatchObject({ id: 2, ok: false, error: { code: 'BAD_PARAMS', path: 'params.dir' } });
      const changed = new Promise<any>((resolve) =>
        ws.on('message', (d: Buffer) => {
          const m = JSON.parse(d.toString());
          if (m.event === 'project.changed') resolve(m);
        }),
      );
      await call(ws, 3, 'project.new', { name: 'Over the wire', template: 'empty' });
      await call(ws, 4, 'project.apply', { commands: { type: 'project.update', patch: { name: 'Renamed' } } });
      expect((await changed).data).toMatchObject({
        patches: [{ op: 'replace', path: ['name'], value: 'Renamed' }],
        label: 'Rename project',
        dirty: true,
      });
      const unknown = await call(ws, 5, 'project.apply', { commands: [{ type: 'project.update', patch: {} }, { type: 'shot.fly' }] });
      expect(unknown).toMatchObject({
        ok: false,
        error: {
          code: 'UNKNOWN_COMMAND',
          path: 'params.commands[1].type',
          message: expect.stringContaining('"shot.fly"'),
          hint: expect.stringContaining('shot.update'),
        },
      });
    } finally {
      ws.close();
    }
  });

  it('sends an edit of a 1,000-shot project as patches: a small fraction of the document', async () => {
    const dir = join(server.api.projectsDir, 'shots-1000');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'project.klappe'),
      makeLargeProject(readFileSync(assetPath('templates', 'two-scenes', 'project.klappe'), 'utf8'), 1000),
    );
    const ws = await connect(`?token=${server.token}`, `http://localhost:${server.port}`);
    try {
      const opened = await call(ws, 1, 'project.open', { dir });
      const docBytes = Buffer.byteLength(JSON.stringify(opened.result.doc));
      const shotId = opened.result.doc.scenes[10].shots[7].id;
      const changed = new Promise<Buffer>((resolve) =>
        ws.on('message', (d: Buffer) => {
          if (JSON.parse(d.toString()).event === 'project.changed') resolve(d);
        }),
      );
      await call(ws, 2, 'project.apply', { commands: { type: 'shot.update', shotId, patch: { action: 'She opens the window' } } });
      const message = await changed;
      const m = JSON.parse(message.toString());
      expect(m.data.version).toBe(opened.result.version + 1);
      expect(m.data.patches).toEqual([{ op: 'replace', path: ['scenes', 10, 'shots', 7, 'action'], value: 'She opens the window' }]);
      console.log(`project.changed for one edit: ${message.length} bytes; the document: ${docBytes} bytes`);
      expect(message.length).toBeLessThan(docBytes / 100);
    } finally {
      ws.close();
      await server.api.call('project.close', {});
    }
  });

  it('serves cached media with Range (206) and only with the token', async () => {
    const base = `http://127.0.0.1:${server.port}/media/${mediaHash}`;
    expect((await fetch(base)).status).toBe(401);
    const full = await fetch(`${base}?token=${server.token}`);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('video/mp4');
    const part = await fetch(`${base}?token=${server.token}`, { headers: { Range: 'bytes=4-11' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 4-11/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).toString()).toBe('ftypisom');
    expect((await fetch(`${base}?token=${server.token}`, { headers: { Range: 'bytes=99999-' } })).status).toBe(416);
  });

  it('parses ranges like a browser sends them', () => {
    expect(parseRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('items=1-2', 100)).toBeUndefined();
  });

  it('takes a dropped file by PUT /upload (token and origin checked), and audio.import moves it into the project', async () => {
    const wav = join(server.api.projectsDir, '..', 'drop.wav');
    await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=1', wav]);
    const body = readFileSync(wav);
    const base = `http://127.0.0.1:${server.port}/upload?name=${encodeURIComponent('my take.wav')}`;
    expect((await fetch(base, { method: 'PUT', body })).status).toBe(401);
    expect((await fetch(`${base}&token=${server.token}`, { method: 'PUT', body, headers: { Origin: 'http://evil.example' } })).status).toBe(
      403,
    );
    expect((await fetch(`${base}&token=${server.token}`, { method: 'POST', body })).status).toBe(405);
    const res = await fetch(`${base}&token=${server.token}`, { method: 'PUT', body });
    expect(res.status).toBe(200);
    const { uploadId } = (await res.json()) as { uploadId: string };
    await server.api.call('project.new', { name: 'Dropped', template: 'empty' });
    const r = await server.api.call<'audio.import'>('audio.import', { trackId: 'd1', upload: uploadId });
    const state = (await server.api.call<'project.get'>('project.get', {}))!;
    const media = state.doc.media.find((m) => m.id === r.mediaId)!;
    expect(media.path).toBe('audio/imported/my take.wav');
    expect(readFileSync(join(state.dir, media.path)).equals(body)).toBe(true);
    // an id is used once; a made-up one names the field
    const again = await server.api.call('audio.import', { trackId: 'd1', upload: uploadId }).catch((e) => e);
    expect(again.toJSON()).toMatchObject({ code: 'NOT_FOUND', path: 'params.upload' });
  });

  it('refuses an upload over the size limit and keeps nothing of it', async () => {
    const staging = new UploadStaging();
    try {
      await expect(staging.add('big.wav', Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1000)).rejects.toMatchObject({
        code: 'UPLOAD_TOO_LARGE',
      });
      const id = await staging.add('../../etc/small.wav', Readable.from([Buffer.alloc(10)]), 1000);
      const taken = staging.take(id);
      expect(taken.name).toBe('small.wav');
      expect(readdirSync(join(taken.path, '..', '..'))).toHaveLength(1); // only the kept upload's folder
      taken.done();
    } finally {
      staging.cleanup();
    }
  });
});
