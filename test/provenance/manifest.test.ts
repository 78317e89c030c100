import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importAudio } from '../../engine/audio/import-audio.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { runTool } from '../../engine/media/run.js';
import { loadProject } from '../../engine/model/project-file.js';
import { buildManifest, KLAPPE_ASSERTION, klappeVersion } from '../../engine/provenance/manifest.js';
import { tempDir } from '../support/env.js';

const t = tempDir('klappe-manifest-');
afterAll(() => t.cleanup());

type Assertion = { label: string; data: Record<string, unknown> };

describe('C2PA manifest of an export', () => {
  it('lists generated takes, the edit, imported media as ingredients; prompts only on request', async () => {
    const dir = join(t.dir, 'p');
    createProjectFromTemplate(dir, 'two-scenes');
    const wav = join(t.dir, 'music.wav');
    await runTool('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=440:d=1', '-ar', '48000', wav]);
    const loaded = loadProject(dir);
    const music = loaded.doc.sequence.tracks.find((tr) => tr.kind === 'music')!;
    const doc = structuredClone((await importAudio(loaded.doc, dir, wav, { trackId: music.id, at: 0 })).doc);
    doc.takes.push({
      id: 'take-x',
      shotId: doc.scenes[0]!.shots[0]!.id,
      number: 1,
      backend: 'previz',
      model: 'rapier-canvas',
      modelVersion: '1',
      seed: 7,
      status: 'ready',
      media: {},
      duration: 24,
      createdAt: new Date(0).toISOString(),
      params: {},
    });

    const m = buildManifest({ doc, exportId: 0xcafe0001, title: 'film.mp4', visibleWatermark: true, invisibleWatermark: true });
    expect(m.claim_generator_info).toEqual([{ name: 'Klappe', version: klappeVersion() }]);
    const assertions = m.assertions as Assertion[];
    const actions = assertions.find((a) => a.label === 'c2pa.actions.v2')!.data.actions as Array<{
      action: string;
      digitalSourceType?: string;
    }>;
    expect(actions[0]).toMatchObject({ action: 'c2pa.created', digitalSourceType: expect.stringMatching(/trainedAlgorithmicMedia$/) });
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['c2pa.placed', 'c2pa.edited', 'c2pa.watermarked']));
    // each take of the cut, then the imported media, as componentOf ingredients
    expect(m.ingredients).toEqual([
      expect.objectContaining({ instance_id: 'take-take-x', format: 'video/mp4', relationship: 'componentOf' }),
      expect.objectContaining({ title: 'music.wav', format: 'audio/wav', relationship: 'componentOf' }),
    ]);
    const klappe = assertions.find((a) => a.label === KLAPPE_ASSERTION)!.data as {
      exportId: string;
      takes: Array<Record<string, unknown>>;
      promptsIncluded: boolean;
    };
    expect(klappe.exportId).toBe('cafe0001');
    expect(klappe.takes).toEqual([expect.objectContaining({ takeId: 'take-x', backend: 'previz', model: 'rapier-canvas', seed: 7 })]);
    expect(klappe.takes[0]!.prompt).toBeUndefined();
    expect(assertions.find((a) => a.label === 'c2pa.soft-binding')).toBeDefined();

    doc.scenes[0]!.shots[0]!.prompt = 'a red cup falls';
    const withPrompts = buildManifest({
      doc,
      exportId: 1,
      title: 'film.mp4',
      includePrompts: true,
      visibleWatermark: false,
      invisibleWatermark: false,
    });
    const k2 = (withPrompts.assertions as Assertion[]).find((a) => a.label === KLAPPE_ASSERTION)!.data as {
      takes: Array<Record<string, unknown>>;
      promptsIncluded: boolean;
    };
    expect(k2.promptsIncluded).toBe(true);
    expect(k2.takes[0]!.prompt).toBe('a red cup falls');
    expect((withPrompts.assertions as Assertion[]).find((a) => a.label === 'c2pa.soft-binding')).toBeUndefined();
    expect((k2 as Record<string, unknown>).generationCost).toBeUndefined();

    // the takes' recorded cost, and the total the film's takes cost
    doc.takes[doc.takes.length - 1]!.cost = { wallMs: 61_000, usd: 3.2, billedSeconds: 8, prices: 'prices.v1' };
    const costed = (
      buildManifest({ doc, exportId: 2, title: 'film.mp4', visibleWatermark: false, invisibleWatermark: false }).assertions as Assertion[]
    ).find((a) => a.label === KLAPPE_ASSERTION)!.data as Record<string, unknown>;
    expect(costed.generationCost).toEqual({ usd: 3.2, currency: 'USD', takes: 1, takesWithoutCost: 0 });
    expect((costed.takes as Array<Record<string, unknown>>)[0]!.cost).toEqual({ usd: 3.2, wallMs: 61_000, billedSeconds: 8 });
  });
});
