import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildShotRequest, cacheKey } from '../../engine/generate/shot-request.js';
import { dialogueCues, toneFrames } from '../../engine/render/dialogue-cues.js';
import { wrapText } from '../../engine/generate/slate/slate-layout.js';
import { slateBackend } from '../../engine/generate/slate/slate-backend.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { probe, videoStream } from '../../engine/media/probe.js';
import { loadProject } from '../../engine/model/project-file.js';
import { ROOT } from '../support/env.js';

const doc = () => loadProject(join(ROOT, 'assets', 'templates', 'two-scenes')).doc;

describe('slate generator', () => {
  it('lays out dialogue as timed subtitles after the head tone', () => {
    const req = buildShotRequest(doc(), 's1');
    expect(toneFrames(req)).toBe(24);
    expect(dialogueCues(req)).toEqual([{ text: 'MIA: Is this your cup?', start: 30, end: 64 }]);
    expect(wrapText('one two three four five six', 9, 2)).toEqual(['one two', 'three…']);
  });

  it('cache keys change with what determines the output only', () => {
    const d = doc();
    const a = cacheKey(slateBackend, buildShotRequest(d, 's2'));
    expect(cacheKey(slateBackend, { ...buildShotRequest(d, 's2'), creatorName: 'someone else' })).toBe(a);
    expect(cacheKey(slateBackend, buildShotRequest(d, 's2', { seed: 99 }))).not.toBe(a);
    expect(cacheKey({ id: 'slate', version: '2' }, buildShotRequest(d, 's2'))).not.toBe(a);
  });

  it("picking a take of another shot of the scene keeps a shot's cache key", () => {
    const d = doc();
    const a = cacheKey(slateBackend, buildShotRequest(d, 's2'));
    const picked = structuredClone(d);
    for (const shot of picked.scenes.flatMap((s) => s.shots)) shot.selectedTakeId = `take-of-${shot.id}`;
    expect(cacheKey(slateBackend, buildShotRequest(picked, 's2'))).toBe(a);
  });

  it("makes a card of the shot's length with a 1 kHz tone only at the head", async () => {
    const work = mkdtempSync(join(tmpdir(), 'klappe-slate-'));
    try {
      const req = { ...buildShotRequest(doc(), 's2'), size: { width: 320, height: 180 } };
      const out = await slateBackend.generate(req, {
        signal: new AbortController().signal,
        onProgress: () => {},
        workDir: work,
        saveResumeState: () => {},
      });
      const p = await probe(out.video, { countFrames: true });
      expect(Number(videoStream(p)!.nb_read_frames)).toBe(72);
      expect(videoStream(p)!.width).toBe(320);
      const level = async (from: number, to: number) => {
        const { stderr } = await runFfmpeg([
          '-v',
          'info',
          '-ss',
          String(from),
          '-t',
          String(to - from),
          '-i',
          out.video,
          '-af',
          'volumedetect',
          '-f',
          'null',
          '-',
        ]);
        return Number(/mean_volume: (-?[\d.]+) dB/.exec(stderr)![1]);
      };
      expect(await level(0.1, 0.9)).toBeGreaterThan(-25);
      expect(await level(1.2, 2.9)).toBeLessThan(-80);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('refuses odd sizes with the field named', () => {
    const req = { ...buildShotRequest(doc(), 's2'), size: { width: 321, height: 180 } };
    expect(() => slateBackend.validate!(req)).toThrow(/even/);
  });
});
