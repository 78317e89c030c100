/**
 * Issue 13, the Cast panel and the scene's actions end to end below the UI: the studio's api (reference images with
 * their thumbnails, a voice's preview at a rate and pitch, the scene's blocking over time) and the CLI's equivalents
 * (klappe cast add|update --pitch --rate --voice --ref, klappe scene action add|list|update|move|remove).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaStore } from '../../engine/cache/media-store.js';
import { openDatabase } from '../../engine/cache/database.js';
import { RecentProjects } from '../../engine/api/recent-projects.js';
import { SettingsStore } from '../../engine/api/settings-store.js';
import { StudioApi } from '../../engine/api/studio-api.js';
import { loadProject } from '../../engine/model/project-file.js';
import { FileSecretStore } from '../../engine/secrets/secret-store.js';
import { runCli, tempDir } from '../support/env.js';
import { RED_PIXEL_PNG } from '../support/images.js';

const t = tempDir('klappe-cast-');
afterAll(() => t.cleanup());
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
const png = join(t.dir, 'mia.png');
writeFileSync(png, RED_PIXEL_PNG);

async function cli(args: string[]) {
  const r = await runCli(args, env);
  expect(r.status, `klappe ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('the cast and the actions in the CLI', () => {
  it('cast add|update with --voice --rate --pitch --ref; scene action add|list|update|move|remove', async () => {
    const p = join(t.dir, 'cli');
    await cli(['new', p, '--template', 'empty']);
    await cli(['cast', 'add', p, '--name', 'Mia', '--voice', 'slt', '--rate', '1.1', '--pitch', '220', '--ref', png]);
    await cli(['cast', 'add', p, '--name', 'Leo', '--voice', 'kal']);
    let list = await cli(['cast', 'list', p]);
    expect(list).toMatch(
      /Mia \(mia\): .*voice slt ×1\.1 220 Hz, reference images 1: image-[0-9a-f]{12} \(images\/references\/[0-9a-f]{16}\.png\)/,
    );
    const mia = () => loadProject(p).doc.characters.find((c) => c.id === 'mia')!;
    expect(readFileSync(join(p, loadProject(p).doc.media.find((m) => m.id === mia().references![0])!.path))).toEqual(RED_PIXEL_PNG);
    await cli(['cast', 'update', p, 'mia', '--pitch', 'own', '--rate', '0.9', '--remove-ref', '1']);
    expect(mia().voice).toEqual({ engine: 'flite', voice: 'slt', rate: 0.9 });
    expect(mia().references).toBeUndefined();

    await cli(['scene', 'add', p, '--name', 'Kitchen', '--cast', 'Mia,Leo']);
    await cli(['scene', 'action', 'add', p, 'Kitchen', '--who', 'Mia', '--does', 'walk', '--to', '1,0.5', '--at', '1']);
    await cli(['scene', 'action', 'add', p, 'Kitchen', '--who', 'Leo', '--does', 'turn', '--target', 'Mia', '--at', '2.5']);
    list = await cli(['scene', 'action', 'list', p, 'Kitchen']);
    expect(list.trim().split('\n')).toEqual([
      expect.stringMatching(/^1\. Mia walks to \(1\.0, 0\.5\) at 1\.0 s \(frame 24, /),
      expect.stringMatching(/^2\. Leo turns to Mia at 2\.5 s \(frame 60, /),
    ]);
    await cli(['scene', 'action', 'move', p, 'Kitchen', '2', '--index', '1']);
    list = await cli(['scene', 'action', 'list', p, 'Kitchen']);
    expect(list).toMatch(/1\. Leo turns to Mia at 1\.0 s[^\n]*\n2\. Mia walks to \(1\.0, 0\.5\) at 2\.5 s/);
    await cli(['scene', 'action', 'update', p, 'Kitchen', '2', '--at', '3']);
    await cli(['scene', 'action', 'remove', p, 'Kitchen', '1']);
    list = await cli(['scene', 'action', 'list', p, 'Kitchen']);
    expect(list.trim()).toMatch(/^1\. Mia walks to \(1\.0, 0\.5\) at 3\.0 s \(frame 72, /);
    const bad = await runCli(['scene', 'action', 'add', p, 'Kitchen', '--who', 'Mia', '--does', 'fly'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--does is one of walk, turn');
  }, 120_000);
});

describe('the cast and the blocking in the studio api', () => {
  it('a reference image from a path, its thumbnail; a voice preview at rate and pitch; the blocking of a walk', async () => {
    const store = new MediaStore(join(t.dir, 'studio-data', 'media'));
    const api = new StudioApi({
      store,
      settings: new SettingsStore(join(t.dir, 'studio-config'), new FileSecretStore(join(t.dir, 'studio-config', 'secrets.json'))),
      recent: new RecentProjects(join(t.dir, 'studio-config')),
      projectsDir: join(t.dir, 'projects'),
      mediaUrl: (h) => `/media/${h}`,
      autosaveDelayMs: 30_000,
      queueOptions: { db: openDatabase(join(t.dir, 'studio-data', 'klappe.db')), pollMs: 50 },
    });
    try {
      await api.call<'project.new'>('project.new', { name: 'studio', template: 'empty' });
      await api.call<'project.apply'>('project.apply', {
        commands: [
          { type: 'character.add', character: { id: 'mia', name: 'Mia' } },
          { type: 'scene.add', scene: { id: 'k', name: 'Kitchen' } },
          { type: 'mark.place', sceneId: 'k', characterIds: ['mia'] },
        ],
      });
      const added = await api.call<'cast.addReference'>('cast.addReference', { characterId: 'mia', path: png });
      const doc = () => api.call<'project.get'>('project.get', {}).then((s) => s!.doc);
      expect((await doc()).characters[0]!.references).toEqual([added.mediaId]);
      const thumb = await api.call<'cast.referenceThumb'>('cast.referenceThumb', { mediaId: added.mediaId });
      const jpeg = readFileSync(store.require(thumb.url.slice('/media/'.length)));
      expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      // one undo takes the reference away
      await api.call<'project.undo'>('project.undo', {});
      expect((await doc()).characters[0]!.references).toBeUndefined();
      await expect(api.call('cast.addReference', { characterId: 'mia', path: join(t.dir, 'nothing.png') })).rejects.toThrow(
        'no such image file',
      );

      const normal = await api.call<'voice.preview'>('voice.preview', { voice: 'slt', rate: 1 });
      const fast = await api.call<'voice.preview'>('voice.preview', { voice: 'slt', rate: 1.6, pitch: 240 });
      expect(normal.samples).toBeGreaterThan(48_000); // over a second of speech
      expect(fast.samples).toBeLessThan(normal.samples * 0.8);
      expect(store.has(fast.url.slice('/media/'.length))).toBe(true);
      await expect(api.call('voice.preview', { voice: 'nobody', rate: 1 })).rejects.toThrow('no voice called "nobody"');

      const start = (await doc()).scenes.find((s) => s.id === 'k')!.marks[0]!.position;
      await api.call<'project.apply'>('project.apply', {
        commands: { type: 'action.add', sceneId: 'k', action: { id: 'w', at: 12, actorId: 'mia', verb: 'walk', to: [1.5, -1] } },
      });
      const view = await api.call<'scene.blocking'>('scene.blocking', { sceneId: 'k' });
      const poses = view.characters.mia!;
      expect(poses[0]!.slice(0, 2)).toEqual([start[0], start[1]]);
      const end = poses[poses.length - 1]!;
      expect(Math.hypot(end[0] - 1.5, end[1] + 1)).toBeLessThan(0.1);
      expect(view.frames).toBeGreaterThan(12);
    } finally {
      await api.shutdown();
    }
  }, 120_000);
});
