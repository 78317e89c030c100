/** A StudioApi for tests, with its own data, config and projects folders under a temp dir (removed after each test), and its events. */
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase } from '../../engine/cache/database.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import type { EventName } from '../../engine/api/contract.js';
import { RecentProjects } from '../../engine/api/recent-projects.js';
import { SettingsStore } from '../../engine/api/settings-store.js';
import { StudioApi } from '../../engine/api/studio-api.js';
import { isKlappeError } from '../../engine/common/errors.js';
import { FileSecretStore } from '../../engine/secrets/secret-store.js';
import { tempDir } from './env.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

export function openTestStudio(prefix = 'klappe-api-') {
  const t = tempDir(prefix);
  cleanups.push(t.cleanup);
  const config = join(t.dir, 'config');
  /** The settings as a second reader of the same config folder sees them. */
  const settings = () => new SettingsStore(config, new FileSecretStore(join(config, 'secrets.json')));
  const store = new MediaStore(join(t.dir, 'data', 'media'));
  const api = new StudioApi({
    store,
    settings: settings(),
    recent: new RecentProjects(config),
    projectsDir: join(t.dir, 'projects'),
    mediaUrl: (h) => `/media/${h}`,
    autosaveDelayMs: 30,
    queueOptions: { db: openDatabase(join(t.dir, 'data', 'klappe.db')), pollMs: 50 },
  });
  cleanups.push(() => void api.shutdown());
  const events: Array<{ event: EventName; data: unknown }> = [];
  api.on((event, data) => events.push({ event, data }));
  return { api, store, dir: t.dir, config, settings, events };
}

/** The KlappeError a call rejects with, as JSON (fails when it resolves or throws something else). */
export async function rejects(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    if (isKlappeError(e)) return e.toJSON();
    throw e;
  }
  throw new Error('expected a KlappeError');
}
