/**
 * The preview's sound: the whole sequence's audio (every track, with the
 * mixer's gain/pan/mute/solo, clip fades and region edits) rendered by the
 * export's own audio graph into a WAV in the media cache, so the studio plays
 * exactly what the export will (before the master loudness target). Clips
 * whose media does not exist yet (shots not generated) are silent.
 * A mix is keyed by its plan and its inputs' size and mtime: the same
 * document state reuses the file.
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheIndex } from '../cache/cache-index.js';
import { buildAudioMixArgs } from '../render/ffmpeg-graph.js';
import { planRender } from '../render/plan.js';
import { resolveSources } from '../render/sources.js';
import { runFfmpeg } from '../media/run.js';
import { sequenceDuration } from '../model/lookup.js';
import type { LoadedProject } from '../model/project-file.js';
import { canonicalJson, sha256Hex } from '../util/hash.js';
import { measureLoudness } from './loudness.js';
import { measureNormalizeEdits } from './normalize.js';
import { makeWorkDir } from '../util/work-dir.js';

export interface PreviewMix {
  /** Media-cache hash of the WAV (48 kHz stereo, 16-bit). */
  hash: string;
  /** Length, samples at 48 kHz (the sequence's length). */
  samples: number;
  /** The mix's loudness (EBU R128 integrated, LUFS) and true peak (dBTP), before the export's loudness target. */
  loudness: { integrated: number; truePeak: number };
  /** True when the mix was rendered now, false when an earlier one was reused. */
  rendered: boolean;
}

export class PreviewMixer {
  private readonly byKey = new Map<string, { hash: string; loudness: PreviewMix['loudness'] }>();

  /** The mixes go into the media cache through its index, so the cache budget counts (and may evict) them. */
  constructor(private readonly index: CacheIndex) {}

  /** The mix of the sequence's audio, or null when the sequence is empty or nothing in it has sound. */
  async mix(loaded: Pick<LoadedProject, 'doc' | 'dir'>, signal?: AbortSignal): Promise<PreviewMix | null> {
    if (sequenceDuration(loaded.doc) === 0) return null;
    const resolver = await resolveSources(loaded, this.index.store, signal, { missingIsEmpty: true });
    const plan = planRender(loaded.doc, resolver, undefined, { normalizePeaks: await measureNormalizeEdits(loaded.doc, resolver, signal) });
    if (!plan.audio.length) return null;
    const key = sha256Hex(
      canonicalJson({
        samples: plan.samples,
        audio: plan.audio,
        inputs: plan.inputs.map((p) => {
          const st = statSync(p);
          return [p, st.size, st.mtimeMs];
        }),
      }),
    );
    const known = this.byKey.get(key);
    if (known && this.index.usable(known.hash)) {
      this.index.touch([known.hash]);
      return { ...known, samples: plan.samples, rendered: false };
    }
    const work = makeWorkDir('klappe-preview-mix');
    try {
      const out = join(work, 'mix.wav');
      await runFfmpeg(['-v', 'error', ...buildAudioMixArgs(plan, ['-c:a', 'pcm_s16le', '-ar', '48000', '-f', 'wav', out])], {
        signal,
        what: 'mixing the preview sound',
      });
      const { integrated, truePeak } = await measureLoudness(out, signal);
      const loudness = { integrated, truePeak };
      const hash = await this.index.ingest(out, { move: true });
      this.byKey.set(key, { hash, loudness });
      return { hash, loudness, samples: plan.samples, rendered: true };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}
