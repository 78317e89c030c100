/**
 * The preview's sound: the studio api mixes every track (mute, gain, clips
 * whose shot has no take yet stay silent) into one WAV in the media cache,
 * and the same document state reuses it.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../engine/cache/database.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { RecentProjects } from '../../engine/api/recent-projects.js';
import { SettingsStore } from '../../engine/api/settings-store.js';
import { StudioApi } from '../../engine/api/studio-api.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { probe } from '../../engine/media/probe.js';
import { FileSecretStore } from '../../engine/secrets/secret-store.js';
import { tempDir } from '../support/env.js';

const t = tempDir('klappe-preview-mix-');
const store = new MediaStore(join(t.dir, 'data', 'media'));
const api = new StudioApi({
  store,
  settings: new SettingsStore(join(t.dir, 'config'), new FileSecretStore(join(t.dir, 'config', 'secrets.json'))),
  recent: new RecentProjects(join(t.dir, 'config')),
  projectsDir: join(t.dir, 'projects'),
  mediaUrl: (h) => `/media/${h}`,
  autosaveDelayMs: 30,
  queueOptions: { db: openDatabase(join(t.dir, 'data', 'klappe.db')), pollMs: 50 },
});
afterAll(async () => {
  await api.shutdown();
  t.cleanup();
});

async function meanVolume(file: string, startSeconds: number, endSeconds: number): Promise<number> {
  const { stderr } = await runFfmpeg(['-i', file, '-af', `atrim=start=${startSeconds}:end=${endSeconds},volumedetect`, '-f', 'null', '-']);
  const m = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr)!;
  return m[1] === '-inf' ? -Infinity : Number(m[1]);
}

async function mixFile(): Promise<{ file: string; url: string }> {
  const r = await api.call<'preview.mix'>('preview.mix', {});
  expect(r.url).toMatch(/^\/media\/[0-9a-f]{64}$/);
  return { file: store.require(r.url!.slice('/media/'.length)), url: r.url! };
}

describe('preview mix', () => {
  it('mixes the tracks as the export does; a shot with no take is silent; the same state is reused', async () => {
    await api.call('project.new', { name: 'Mix', template: 'empty' });
    // nothing with sound yet: the only clip is a shot that has no take
    expect((await api.call<'preview.mix'>('preview.mix', {})).url).toBeNull();
    const tone = join(t.dir, 'tone.wav');
    const beep = join(t.dir, 'beep.wav');
    await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=1', '-af', 'volume=-6dB', tone]);
    await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000:duration=1', beep]);
    await api.call('audio.import', { trackId: 'm1', at: 24, path: tone });
    await api.call('audio.import', { trackId: 'x1', at: 0, path: beep });
    await api.call('project.apply', { commands: { type: 'track.update', trackId: 'x1', patch: { muted: true } } });

    const first = await mixFile();
    const reading = (await api.call<'preview.mix'>('preview.mix', {})).loudness!;
    expect(reading.truePeak).toBeLessThan(-20); // a 1/8 sine at −6 dB: about −24 dBTP
    expect(reading.truePeak).toBeGreaterThan(-28);
    expect(reading.integrated).toBeLessThan(reading.truePeak);
    const p = await probe(first.file);
    expect(Number(p.streams[0]!.sample_rate)).toBe(48000);
    expect(Math.round(Number(p.format.duration) * 24)).toBe(72); // the sequence's length: 72 frames at 24 fps
    expect(await meanVolume(first.file, 0.05, 0.95)).toBeLessThan(-80); // muted effects, shot without take
    const music = await meanVolume(first.file, 1.05, 1.95);
    // lavfi's sine is at 1/8 (−21 dB mean), −6 dB, spread to stereo (−3 dB): about −30 dB
    expect(music).toBeGreaterThan(-32);
    expect(music).toBeLessThan(-28);

    expect((await mixFile()).url).toBe(first.url); // unchanged document: the same mix

    await api.call('project.apply', {
      commands: [
        { type: 'track.update', trackId: 'x1', patch: { muted: false } },
        { type: 'track.update', trackId: 'm1', patch: { gainDb: -6 } },
      ],
    });
    const second = await mixFile();
    expect(second.url).not.toBe(first.url);
    expect(await meanVolume(second.file, 0.05, 0.95)).toBeGreaterThan(-26); // the effects track plays again (a full-scale 1/8 sine: about −24 dB)
    expect(await meanVolume(second.file, 1.05, 1.95)).toBeCloseTo(music - 6, 0);
  });

  it('counts the mixes against the cache budget of the settings: lowering it evicts them, and the next mix is made again', async () => {
    const before = await mixFile();
    let usage = await api.call<'cache.stats'>('cache.stats', {});
    expect(usage.bytes).toBeGreaterThan(0);
    expect(usage.budgetBytes).toBe(20 * 2 ** 30);
    await api.call('settings.set', { patch: { cacheBudgetGb: 1e-6 } }); // about 1 KB
    usage = await api.call<'cache.stats'>('cache.stats', {});
    expect(usage.lastEvicted).toBeGreaterThan(0);
    expect(usage.bytes).toBeLessThanOrEqual(Math.max(usage.budgetBytes, usage.pinnedBytes));
    expect(store.has(before.url.slice('/media/'.length))).toBe(false);
    await api.call('settings.set', { patch: { cacheBudgetGb: 20 } });
    const again = await mixFile();
    expect(again.url).toBe(before.url); // the same bytes, made again
    expect(store.has(again.url.slice('/media/'.length))).toBe(true);
  });
});
