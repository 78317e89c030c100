/**
 * The waveform of the edited audio (engine/common/edited-peaks.ts) against the
 * real thing: a clip with every kind of edit is rendered by export's audio
 * graph (planRender + buildAudioMixArgs, real ffmpeg), the render's peaks are
 * computed like any file's (peaks.ts), and the two agree block by block.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approximateNormalizePeaks,
  clipToSource,
  editedPeaks,
  sourceSpan,
  sourceToClip,
  type EditedClip,
} from '../../engine/common/edited-peaks.js';
import { importAudio } from '../../engine/audio/import-audio.js';
import { measureNormalizeEdits } from '../../engine/audio/normalize.js';
import { computePeaks, peaksForView, type Peaks } from '../../engine/audio/peaks.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { buildAudioMixArgs } from '../../engine/render/ffmpeg-graph.js';
import { planRender } from '../../engine/render/plan.js';
import { resolveSources } from '../../engine/render/sources.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { findClip } from '../../engine/model/lookup.js';
import { loadProject } from '../../engine/model/project-file.js';
import type { AudioEdit } from '../../engine/model/schema.js';
import { ROOT, tempDir } from '../support/env.js';

const t = tempDir('klappe-edited-peaks-');
afterAll(t.cleanup);
const projectDir = join(t.dir, 'p');
const source = join(t.dir, 'source.wav');
const s = (sec: number) => Math.round(sec * 48000);

beforeAll(async () => {
  cpSync(join(ROOT, 'assets', 'templates', 'empty'), projectDir, { recursive: true });
  // 5 s stereo: 440 Hz left and 300 Hz right, quiet (0.25 / 0.2) until 2 s, then louder (0.6 / 0.45)
  await runFfmpeg([
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'aevalsrc=exprs=(0.25+0.35*gte(t\\,2))*sin(2*PI*440*t)|(0.2+0.25*gte(t\\,2))*sin(2*PI*300*t):s=48000:d=5',
    '-c:a',
    'pcm_s16le',
    source,
  ]);
});

/** A level of computed peaks as the editor gets it (peaksForView), over [start, end) of the file. */
function levelView(p: Peaks, spp: number, start = 0, end = p.length) {
  const view = peaksForView(p, { startSample: start, endSample: end, minPeaks: Math.floor((Math.min(end, p.length) - start) / spp) });
  expect(view.samplesPerPeak).toBe(spp);
  return view;
}

describe('peaks of the edited audio', () => {
  it('agree with the peaks of the audio export renders, block by block', async () => {
    let { doc } = loadProject(projectDir);
    doc = applyCommand(doc, { type: 'clip.remove', clipId: 'clip-1' }).doc;
    const imported = await importAudio(doc, projectDir, source, { trackId: 'm1', at: 0 });
    doc = imported.doc;
    const c = imported.clipId;
    const edits: Array<Omit<AudioEdit, 'id'>> = [
      { op: 'fadeIn', startSample: 0, endSample: s(0.5) },
      { op: 'gain', gainDb: -6, startSample: s(0.9), endSample: s(1.6) },
      { op: 'normalize', targetDb: -1, startSample: s(2.2), endSample: s(2.8) },
      { op: 'silence', startSample: s(3.0), endSample: s(3.25) },
      { op: 'delete', startSample: s(3.5), endSample: s(3.83) },
      { op: 'fadeOut', startSample: s(4.2), endSample: s(4.6) },
    ];
    for (const edit of edits) doc = applyCommand(doc, { type: 'audio.edit.add', clipId: c, edit }).doc;
    doc = applyCommand(doc, {
      type: 'audio.envelope.set',
      clipId: c,
      points: [
        { sourceSample: s(1.8), db: 0 },
        { sourceSample: s(2.1), db: -3 },
      ],
    }).doc;
    doc = applyCommand(doc, { type: 'clip.update', clipId: c, patch: { gainDb: -1.5, fadeOutSamples: s(0.15) } }).doc;

    // render the mix the way export does, to 16-bit WAV (no codec in the way)
    const resolver = await resolveSources({ doc, dir: projectDir }, new MediaStore(join(t.dir, 'data')));
    const normalizePeaks = await measureNormalizeEdits(doc, resolver);
    const plan = planRender(doc, resolver, { width: 64, height: 64 }, { normalizePeaks });
    const rendered = join(t.dir, 'rendered.wav');
    await runFfmpeg(['-v', 'error', ...buildAudioMixArgs(plan, ['-c:a', 'pcm_s16le', rendered])]);
    const part = plan.audio[0]!;
    expect(part.startSample).toBe(0);

    const clipDoc = findClip(doc, c)!.clip;
    const clip: EditedClip = {
      sourceStartSample: part.sourceStartSample,
      samples: part.samples,
      edits: clipDoc.audioEdits,
      envelope: clipDoc.gainEnvelope,
      gainDb: clipDoc.gainDb,
      fadeInSamples: clipDoc.fadeInSamples,
      fadeOutSamples: clipDoc.fadeOutSamples,
    };
    // the delete makes the clip read 0.33 s further into the source (and past its end: silence)
    expect(sourceSpan(clip)).toEqual([0, part.samples + s(3.83) - s(3.5)]);

    // clip samples where one piece of source ends and the next begins (the level may jump there)
    const seams: number[] = [];
    for (const p of part.pieces!) seams.push((seams.at(-1) ?? 0) + p.samples);
    const sourcePeaks = await computePeaks(source);
    const renderedPeaks = await computePeaks(rendered);
    const norm = [...normalizePeaks.values()][0]!;
    for (const spp of [256, 1024]) {
      const view = levelView(sourcePeaks, spp, ...sourceSpan(clip));
      const approx = approximateNormalizePeaks(view, clip.edits);
      // the approximated normalize peak (from the blocks) is close to export's measurement
      expect(Math.abs([...approx.values()][0]! - norm)).toBeLessThan(0.2);
      const want = levelView(renderedPeaks, spp, 0, part.samples);
      for (const [what, opts] of [
        ['measured', { normalizePeaks }],
        ['approximated', {}],
      ] as const) {
        const got = editedPeaks(view, clip, opts);
        expect(got.samplesPerPeak).toBe(spp);
        expect(got.channels).toHaveLength(2);
        const blocks = Math.ceil(part.samples / spp);
        let worst = 0;
        let where = '';
        let under = 0;
        let underWhere = '';
        for (let ch = 0; ch < 2; ch++) {
          const g = got.channels[ch]!;
          const w = want.channels[ch]!;
          expect(g.length).toBe(2 * blocks);
          for (let i = 0; i < 2 * blocks; i++) {
            const k = i >> 1;
            const here = `${what}, ${spp} samples per peak, channel ${ch}, block ${k} (${((k * spp) / 48000).toFixed(3)} s): ${g[i]} vs ${w[i]}`;
            if (seams.some((b) => b > k * spp && b < (k + 1) * spp)) {
              // a block where the level jumps part-way: the source peaks can't tell which part of their block
              // the extreme was in, so the drawn level may be higher there, never lower
              const short = Math.abs(w[i] ?? 0) - Math.abs(g[i]!);
              if (short > under) {
                under = short;
                underWhere = here;
              }
              continue;
            }
            const err = Math.abs(g[i]! - (w[i] ?? 0));
            if (err > worst) {
              worst = err;
              where = here;
            }
          }
        }
        // the peaks reach 0.8 (normalized to −1 dBFS, less the clip's gain); a block's level is within 2 % of full scale
        expect(worst, where).toBeLessThan(0.02);
        expect(under, underWhere).toBeLessThan(0.02);
      }
    }
    // and the edits show: −6 dB inside the gain region, nothing in the silence, the louder audio after the delete's seam
    const fine = editedPeaks(levelView(sourcePeaks, 1024, ...sourceSpan(clip)), clip, { normalizePeaks });
    const at = (sec: number) => fine.channels[0]![2 * Math.floor(s(sec) / 1024) + 1]!;
    expect(at(1.2) / at(0.7)).toBeCloseTo(0.5, 1);
    expect(at(3.1)).toBe(0);
    expect(at(3.6)).toBeCloseTo(0.6 * 10 ** (-1.5 / 20) * 10 ** (-3 / 20), 1);
  });

  it('maps between clip time and source samples through the removed ranges', () => {
    const clip = {
      sourceStartSample: 1000,
      samples: 10_000,
      edits: [
        { id: 'd', op: 'delete', startSample: 3000, endSample: 5000 } as AudioEdit,
        { id: 'g', op: 'gain', gainDb: -6, startSample: 2500, endSample: 6000 } as AudioEdit,
      ],
    };
    expect(clipToSource(clip, 0)).toBe(1000);
    expect(clipToSource(clip, 1999)).toBe(2999);
    // the seam: a selection starting there starts after the removed range, one ending there ends before it
    expect(clipToSource(clip, 2000)).toBe(5000);
    expect(clipToSource(clip, 2000, { end: true })).toBe(3000);
    expect(clipToSource(clip, 10_000, { end: true })).toBe(13_000);
    expect(sourceToClip(clip, 2500, 6000)).toEqual([
      [1500, 2000],
      [2000, 3000],
    ]);
    expect(sourceToClip(clip, 3000, 5000)).toEqual([]);
    expect(sourceToClip(clip, 3000, 5000, { seams: true })).toEqual([[2000, 2000]]);
    expect(sourceToClip(clip, 0, 500)).toEqual([]);
    expect(sourceToClip(clip, 12_000, 20_000)).toEqual([[9000, 10_000]]);
  });
});
