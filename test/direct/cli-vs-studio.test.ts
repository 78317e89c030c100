/**
 * The same scene made with the CLI (klappe cast/scene/shot) and with the
 * studio's api commands renders identically: the same document, and the
 * same framemd5 of the video (invisible watermark and signature off).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaStore } from '../../engine/cache/media-store.js';
import { openDatabase } from '../../engine/cache/database.js';
import { RecentProjects } from '../../engine/api/recent-projects.js';
import { SettingsStore } from '../../engine/api/settings-store.js';
import { StudioApi } from '../../engine/api/studio-api.js';
import { loadProject } from '../../engine/model/project-file.js';
import type { Project } from '../../engine/model/schema.js';
import { locate } from '../../engine/media/locate.js';
import { FileSecretStore } from '../../engine/secrets/secret-store.js';
import { runCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-direct-');
afterAll(() => t.cleanup());
const envA = { KLAPPE_DATA_DIR: join(t.dir, 'data-cli'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
const envB = { KLAPPE_DATA_DIR: join(t.dir, 'data-studio'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };

async function cli(args: string[], env = envA) {
  const r = await runCli(args, env);
  expect(r.status, `klappe ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

function comparable(doc: Project) {
  const { id: _id, name: _name, createdAt: _c, ...rest } = doc;
  return rest;
}

function framemd5(file: string): string[] {
  const r = spawnSync(locate('ffmpeg').path, ['-v', 'error', '-i', file, '-map', '0:v', '-f', 'framemd5', '-'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l && !l.startsWith('#'));
}

describe('a scene made with the CLI renders like one made in the studio', () => {
  it('same document, same frames', async () => {
    const a = join(t.dir, 'by-cli');
    await cli(['new', a, '--template', 'empty']);
    await cli(['shot', 'remove', a, 'shot-1']);
    await cli(['cast', 'add', a, '--name', 'Leo', '--voice', 'kal', '--shirt', '#305080']);
    await cli(['cast', 'add', a, '--name', 'Mia', '--height', '1.65']);
    await cli(['scene', 'add', a, '--name', 'Kitchen', '--width', '6', '--depth', '5', '--cast', 'Leo,Mia']);
    await cli([
      'shot',
      'add',
      a,
      '--scene',
      'Kitchen',
      '--size',
      'wide',
      '--subject',
      'Leo',
      '--seconds',
      '2',
      '--line',
      'Leo: I kept it.',
    ]);
    await cli([
      'shot',
      'add',
      a,
      '--scene',
      'Kitchen',
      '--size',
      'close-up',
      '--subject',
      'Leo',
      '--seconds',
      '2',
      '--line',
      'Leo: Every day.',
    ]);
    await cli([
      'shot',
      'add',
      a,
      '--scene',
      'Kitchen',
      '--size',
      'over-the-shoulder',
      '--subject',
      'Mia',
      '--over',
      'Leo',
      '--seconds',
      '2',
      '--line',
      'Mia: Let it go.',
    ]);

    // the studio: the commands its panels send, through the api
    const api = new StudioApi({
      store: new MediaStore(join(t.dir, 'studio-data', 'media')),
      settings: new SettingsStore(join(t.dir, 'studio-config'), new FileSecretStore(join(t.dir, 'studio-config', 'secrets.json'))),
      recent: new RecentProjects(join(t.dir, 'studio-config')),
      projectsDir: join(t.dir, 'projects'),
      mediaUrl: (h) => `/media/${h}`,
      autosaveDelayMs: 30_000,
      queueOptions: { db: openDatabase(join(t.dir, 'studio-data', 'klappe.db')), pollMs: 50 },
    });
    try {
      const state = await api.call<'project.new'>('project.new', { name: 'by-studio', template: 'empty' });
      const steps: Array<Parameters<typeof api.call<'project.apply'>>[1]> = [
        { commands: { type: 'shot.remove', shotId: 'shot-1' } },
        { commands: { type: 'character.add', character: { id: 'leo', name: 'Leo', look: { shirt: '#305080' }, voice: { voice: 'kal' } } } },
        { commands: { type: 'character.add', character: { id: 'mia', name: 'Mia', look: { height: 1.65 }, voice: {} } } },
        {
          commands: [
            { type: 'scene.add', scene: { id: 'scene-kitchen', name: 'Kitchen', set: { name: 'Kitchen', width: 6, depth: 5 } } },
            { type: 'mark.place', sceneId: 'scene-kitchen', characterIds: ['leo', 'mia'] },
          ],
        },
        ...(
          [
            ['wide', 'leo', undefined, 'leo', 'I kept it.'],
            ['close-up', 'leo', undefined, 'leo', 'Every day.'],
            ['over-the-shoulder', 'mia', 'leo', 'mia', 'Let it go.'],
          ] as const
        ).map(([size, subjectId, overId, who, text], i) => ({
          commands: [
            {
              type: 'shot.add' as const,
              sceneId: 'scene-kitchen',
              shot: { id: `shot-${i + 1}`, framing: { size, subjectId, ...(overId ? { overId } : {}) }, duration: 48 },
              clip: { trackId: 'v1' },
            },
            { type: 'line.add' as const, line: { characterId: who, text, shotId: `shot-${i + 1}` } },
          ],
        })),
      ];
      for (const s of steps) await api.call('project.apply', s);
      await api.call('project.save', {});
      const b = state.dir;
      expect(comparable(loadProject(b).doc)).toEqual(comparable(loadProject(a).doc));
      await api.call('project.close', {});

      const outA = join(t.dir, 'a.mp4');
      const outB = join(t.dir, 'b.mp4');
      const flags = ['--preset', '320x180', '--no-invisible-watermark', '--no-sign'];
      await cli(['render', a, '-o', outA, ...flags]);
      await cli(['render', b, '-o', outB, ...flags], envB);
      const [fa, fb] = [framemd5(outA), framemd5(outB)];
      expect(fa.length).toBe(144);
      expect(fb).toEqual(fa);
    } finally {
      await api.shutdown();
    }
  }, 300_000);
});
