/**
 * Issue 19, finding 7: host edge cases. Upload names "." and "..", a cap on
 * all staged uploads, a malformed % escape, the --info-file mode, and a media
 * file that cannot be read after its check.
 */
import { mkdirSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadStaging } from '../../engine/api/uploads.js';
import { RecentProjects } from '../../engine/api/recent-projects.js';
import { SettingsStore } from '../../engine/api/settings-store.js';
import { openDatabase } from '../../engine/cache/database.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { sendMediaFile } from '../../engine/host/media-response.js';
import { startStudioServer, type StudioServer } from '../../engine/host/studio-server.js';
import { FileSecretStore } from '../../engine/secrets/secret-store.js';
import { tempDir } from '../support/env.js';
import { startHost } from '../support/host-process.js';

const t = tempDir('klappe-host-edges-');
let server: StudioServer;
beforeAll(async () => {
  const rendererDir = join(t.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  server = await startStudioServer({
    rendererDir,
    store: new MediaStore(join(t.dir, 'media')),
    settings: new SettingsStore(join(t.dir, 'cfg'), new FileSecretStore(join(t.dir, 'cfg', 's.json'))),
    recent: new RecentProjects(join(t.dir, 'cfg')),
    projectsDir: join(t.dir, 'p'),
    queueOptions: { db: openDatabase(join(t.dir, 'k.db')) },
  });
});
afterAll(async () => {
  await server?.close();
  t.cleanup();
});

describe('host edge cases', () => {
  it.each(['..', '.', '%2e%2e'])('an upload named %s is staged under a plain name (200), not a 500 with the staging path', async (name) => {
    const res = await fetch(`http://127.0.0.1:${server.port}/upload?token=${server.token}&name=${name}`, { method: 'PUT', body: 'RIFF' });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toMatch(/klappe-uploads|\/tmp\//);
  });

  it('caps what all staged uploads hold together', async () => {
    const staging = new UploadStaging(100);
    try {
      await staging.add('a.wav', Readable.from([Buffer.alloc(60)]));
      await expect(staging.add('b.wav', Readable.from([Buffer.alloc(60)]))).rejects.toMatchObject({ code: 'UPLOADS_FULL', path: 'file' });
      expect(staging.stagedBytes()).toBe(60);
    } finally {
      staging.cleanup();
    }
  });

  it('answers a malformed % escape with 400', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/assets/%E0%A4%A.js`);
    expect(res.status).toBe(400);
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
  });

  it('a media file that cannot be read after its check ends that reply, not the process', async () => {
    // evicted between the check and the open: the read stream opens after the reply started
    const file = join(t.dir, 'evicted.mp4');
    const http = createServer((req, res) => {
      writeFileSync(file, Buffer.alloc(4096, 1));
      sendMediaFile(req, res, file);
      unlinkSync(file);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    try {
      const port = (http.address() as AddressInfo).port;
      await expect(fetch(`http://127.0.0.1:${port}/`).then((r) => r.arrayBuffer())).rejects.toThrow();
      await expect(fetch(`http://127.0.0.1:${port}/`, { headers: { range: 'bytes=0-9' } }).then((r) => r.arrayBuffer())).rejects.toThrow();
    } finally {
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    }
  });

  it('writes --info-file readable by its owner only (it holds the token)', async () => {
    const host = await startHost(join(t.dir, 'served'));
    try {
      const info = readdirSync(join(t.dir, 'served')).find((f) => f.startsWith('host-'))!;
      expect(statSync(join(t.dir, 'served', info)).mode & 0o777).toBe(0o600);
    } finally {
      await host.stop();
    }
  });
});
