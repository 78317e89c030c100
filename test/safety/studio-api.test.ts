/** The safety methods of the studio api: a shot's live verdict, lines refused before they are spoken, the log of the open project. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecentProjects } from '../../engine/api/recent-projects.js';
import { SettingsStore } from '../../engine/api/settings-store.js';
import { StudioApi } from '../../engine/api/studio-api.js';
import { closeDatabases, openDatabase } from '../../engine/cache/database.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { FileSecretStore } from '../../engine/secrets/secret-store.js';
import { tempDir } from '../support/env.js';

const t = tempDir('klappe-safety-api-');
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
  closeDatabases();
  t.cleanup();
});

describe('studio api: safety', () => {
  it('safety.shot gives the live verdict (not logged); line.add refuses a blocked line before speaking it, logged', async () => {
    const state = await api.call<'project.new'>('project.new', { name: 'Safety api' });
    const shot = state.doc.scenes[0]!.shots[0]!;
    expect(await api.call<'safety.shot'>('safety.shot', { shotId: shot.id })).toMatchObject({ outcome: 'allow', flagged: [] });
    await api.call('project.apply', {
      commands: { type: 'shot.update', shotId: shot.id, patch: { prompt: 'Taylor Swift sings, shoot the scene' } },
    });
    const v = await api.call<'safety.shot'>('safety.shot', { shotId: shot.id });
    expect(v).toMatchObject({ outcome: 'block', decisive: { field: 'prompt', rule: 'public-figure.name', category: 'public-figure' } });
    expect(v.decisive!.proceed).toMatch(/cameo/);
    expect(await api.call<'safety.log'>('safety.log', {})).toEqual([]);

    const lines = state.doc.lines.length;
    const character = state.doc.characters[0]!.id;
    await expect(api.call('line.add', { characterId: character, text: 'I am going to kill myself tonight.' })).rejects.toMatchObject({
      code: 'SAFETY_BLOCKED',
      path: 'params.text',
    });
    expect((await api.call<'project.get'>('project.get', {}))!.doc.lines).toHaveLength(lines);
    const log = await api.call<'safety.log'>('safety.log', { project: true });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ subject: 'dialogue', outcome: 'block', rule: 'self-harm.method' });
    const policy = await api.call<'safety.policy'>('safety.policy', {});
    expect(policy.categories.find((c) => c.id === 'minors')).toMatchObject({ locked: true });
    expect(policy.framesUnchecked).toContain('sexual');
  });
});
