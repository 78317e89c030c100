/**
 * Issue 19 (soak): queueing every shot of a long film is a few milliseconds a shot (its request, cache key and
 * job row); in one go it stalled every other client of the host for a second or more. The queue takes a few
 * shots per event-loop turn: other work runs between the steps, and a bad shot id still queues nothing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeLargeProject } from '../../bench/foundation.bench.js';
import { RecentProjects } from '../../engine/api/recent-projects.js';
import { SettingsStore } from '../../engine/api/settings-store.js';
import { StudioApi } from '../../engine/api/studio-api.js';
import { openDatabase } from '../../engine/cache/database.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { FileSecretStore } from '../../engine/secrets/secret-store.js';
import { ROOT, tempDir } from '../support/env.js';

const t = tempDir('klappe-enqueue-steps-');
const api = new StudioApi({
  store: new MediaStore(join(t.dir, 'data', 'media')),
  settings: new SettingsStore(join(t.dir, 'config'), new FileSecretStore(join(t.dir, 'config', 'secrets.json'))),
  recent: new RecentProjects(join(t.dir, 'config')),
  projectsDir: join(t.dir, 'projects'),
  mediaUrl: (h) => `/media/${h}`,
  queueOptions: { db: openDatabase(join(t.dir, 'data', 'klappe.db')), pollMs: 50 },
});
afterAll(async () => {
  await api.shutdown();
  t.cleanup();
});

describe('queueing a long film', () => {
  it('takes a few shots per event-loop turn; a bad id queues nothing', async () => {
    const film = join(t.dir, 'film');
    mkdirSync(film);
    writeFileSync(
      join(film, 'project.klappe'),
      makeLargeProject(readFileSync(join(ROOT, 'assets/templates/two-scenes/project.klappe'), 'utf8'), 120),
    );
    await api.call('project.open', { dir: film });
    const shotIds = (
      (await api.call('project.get', {})) as { doc: { scenes: Array<{ shots: Array<{ id: string }> }> } }
    ).doc.scenes.flatMap((s) => s.shots.map((x) => x.id));
    expect(shotIds.length).toBe(120);

    await expect(api.call('generate.enqueue', { backend: 'slate', shotIds: [shotIds[0], 'no-such-shot'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await api.call('generate.list', {})).toEqual([]);

    let turns = 0;
    let counting = true;
    const tick = () => {
      if (!counting) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const { jobIds } = (await api.call('generate.enqueue', { backend: 'slate' })) as { jobIds: string[] };
    counting = false;
    expect(jobIds).toHaveLength(120);
    // 120 shots, 16 a step: the loop turned between every two steps
    expect(turns).toBeGreaterThanOrEqual(7);
  });
});
