/** Settings → Models through the studio api: install from a loopback server with progress, list, verify, import, remove. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelsView } from '../../engine/api/contract.js';
import { RecentProjects } from '../../engine/api/recent-projects.js';
import { SettingsStore } from '../../engine/api/settings-store.js';
import { StudioApi } from '../../engine/api/studio-api.js';
import { openDatabase } from '../../engine/cache/database.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { FileSecretStore } from '../../engine/secrets/secret-store.js';
import { tempDir } from '../support/env.js';
import { startPackServer, type PackServer } from '../support/pack-server.js';
import { servedTinyPack } from '../support/served-pack.js';
import { writeTinyWanFiles } from '../support/tiny-wan-pack.js';
import { mkdirSync } from 'node:fs';

const t = tempDir('klappe-models-api-');
let server: PackServer;
let api: StudioApi;

beforeAll(async () => {
  servedTinyPack(join(t.dir, 'site'), 100_000);
  server = await startPackServer(join(t.dir, 'site'));
  const settings = new SettingsStore(join(t.dir, 'config'), new FileSecretStore(join(t.dir, 'config', 'secrets.json')));
  mkdirSync(join(t.dir, 'models'));
  settings.update({ localModelDir: join(t.dir, 'models') });
  api = new StudioApi({
    store: new MediaStore(join(t.dir, 'data', 'media')),
    settings,
    recent: new RecentProjects(join(t.dir, 'config')),
    projectsDir: join(t.dir, 'projects'),
    mediaUrl: (h) => `/media/${h}`,
    queueOptions: { db: openDatabase(join(t.dir, 'data', 'klappe.db')) },
  });
});
afterAll(async () => {
  await api.shutdown();
  await server.close();
  t.cleanup();
});

describe('models api', () => {
  it('installs in the background, lists, verifies, imports and removes', async () => {
    server.cutAfter.set('filler.bin', 20_000);
    let view = await api.call<'models.install'>('models.install', { url: `${server.url}/klappe-pack.json` });
    expect(view.install).toMatchObject({ state: 'running', url: `${server.url}/klappe-pack.json` });
    for (let i = 0; i < 200 && view.install?.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = await api.call<'models.list'>('models.list', {});
    }
    expect(view.install).toMatchObject({ state: 'done', id: 'tiny-wan' });
    expect(view.root).toBe(join(t.dir, 'models'));
    expect(view.packs).toEqual([expect.objectContaining({ ok: true, id: 'tiny-wan', pipeline: 'wan2.1-t2v', files: 6 })]);
    expect(await api.call<'models.verify'>('models.verify', { id: 'tiny-wan' })).toEqual({ id: 'tiny-wan', problems: [] });
    const src = join(t.dir, 'converted');
    writeTinyWanFiles(src, { hidden: 32, textLength: 16 });
    view = await api.call<'models.import'>('models.import', { dir: src, id: 'mine' });
    expect(view.packs.map((p) => p.id)).toEqual(['mine', 'tiny-wan']);
    view = (await api.call<'models.remove'>('models.remove', { id: 'tiny-wan' })) as ModelsView;
    expect(view.packs.map((p) => p.id)).toEqual(['mine']);
  });
});
