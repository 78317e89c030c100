/**
 * The whole export: check the input, have the caller make takes for shots
 * that have none (`makeMissingTakes`: the project's session generates them
 * through the job queue), plan, render. The export never writes the project.
 */
import { burnCaptionsFilter } from '../audio/burn-captions.js';
import { writeCaptionSidecars } from '../audio/captions.js';
import { loudnessFilters, measurePlanLoudness } from '../audio/loudness.js';
import { measureNormalizeEdits } from '../audio/normalize.js';
import { rmSync } from 'node:fs';
import { MediaStore } from '../cache/media-store.js';
import { inputError } from '../common/errors.js';
import { currentTake } from '../model/lookup.js';
import { findOfflineMedia, type LoadedProject } from '../model/project-file.js';
import type { Project } from '../model/schema.js';
import { ExportProvenance, type ProvenanceInfo, type ProvenanceOptions } from '../provenance/export-provenance.js';
import { planRender, type RenderPlan } from '../render/plan.js';
import { checkOutputPath, renderPlan, type RenderOptions, type RenderProgress } from './render.js';
import { resolveSources } from '../render/sources.js';

/**
 * Provenance is on by default: a visible moving watermark, an invisible
 * watermark carrying the export id, and a signed C2PA manifest
 * (`watermark`, `invisibleWatermark`, `sign` false turn them off; `includePrompts` opts in).
 */
/**
 * Makes takes for the shots the sequence shows without one and returns the
 * document that has them, and the shots a backend ran for (not served from the cache).
 */
export type MakeMissingTakes = (
  shotIds: string[],
  ctx: { signal?: AbortSignal; onProgress: (fraction: number) => void },
) => Promise<{ doc: Project; generated: string[] }>;

export interface ExportOptions extends Omit<RenderOptions, 'onProgress'>, ProvenanceOptions {
  size?: { width: number; height: number };
  /** How shots with no take get one; without it such shots are an error. */
  makeMissingTakes?: MakeMissingTakes;
  store?: MediaStore;
  onStage?: (stage: string) => void;
  onProgress?: (p: RenderProgress & { stage: string }) => void;
  /** Master loudness target, LUFS (two-pass loudnorm, −1 dBTP ceiling); omitted = the mix as it is. */
  loudness?: number;
  /** Burn the dialogue captions into the picture. */
  burnCaptions?: boolean;
  /** Also write the captions as SRT and WebVTT next to the video. */
  captionFiles?: boolean;
}

export interface ExportResult {
  output: string;
  plan: RenderPlan;
  generated: string[];
  doc: Project;
  provenance: ProvenanceInfo;
  /** The caption sidecar files written (captionFiles). */
  captions?: string[];
}

/** Shots shown in the sequence that have no take yet (or whose video is gone from the cache). */
export function shotsNeedingTakes(doc: Project, store?: MediaStore): string[] {
  const ids = new Set<string>();
  for (const t of doc.sequence.tracks) {
    for (const c of t.clips) {
      if (c.source.type !== 'shot') continue;
      const video = currentTake(doc, c.source.shotId)?.media.video;
      if (!video || (store && !store.has(video))) ids.add(c.source.shotId);
    }
  }
  return [...ids];
}

export function preflight(loaded: LoadedProject, output: string, force?: boolean): void {
  const offline = findOfflineMedia(loaded);
  if (offline.length) {
    const first = offline[0]!;
    throw inputError('MEDIA_OFFLINE', `${loaded.file}: ${first.path}: ${first.message}`, {
      file: loaded.file,
      path: first.path,
      issues: offline,
      hint: 'Put the file back, or remove the clip.',
    });
  }
  checkOutputPath(output, force);
}

export async function exportProject(loaded: LoadedProject, output: string, opts: ExportOptions = {}): Promise<ExportResult> {
  preflight(loaded, output, opts.force);
  const provenance = await ExportProvenance.start(loaded.doc, opts);
  const store = opts.store ?? new MediaStore();
  let doc = loaded.doc;
  const missing = shotsNeedingTakes(doc, store);
  let generated: string[] = [];
  if (missing.length) {
    if (!opts.makeMissingTakes)
      throw inputError(
        'TAKES_MISSING',
        `${loaded.file}: shot${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ha${missing.length > 1 ? 've' : 's'} no take to render`,
        { file: loaded.file, hint: 'Generate them first (klappe generate PROJECT).' },
      );
    opts.onStage?.(`generating ${missing.length} shot${missing.length > 1 ? 's' : ''}`);
    const made = await opts.makeMissingTakes(missing, {
      signal: opts.signal,
      onProgress: (fraction) => opts.onProgress?.({ fraction, frame: 0, stage: 'generate' }),
    });
    doc = made.doc;
    generated = made.generated;
  }
  opts.onStage?.('rendering');
  const resolver = await resolveSources({ doc, dir: loaded.dir }, store, opts.signal);
  const normalizePeaks = await measureNormalizeEdits(doc, resolver, opts.signal);
  const plan = planRender(doc, resolver, opts.size, { normalizePeaks });
  let hooks = opts.hooks;
  if (opts.loudness !== undefined) {
    opts.onStage?.(`measuring loudness (target ${opts.loudness} LUFS)`);
    const measured = await measurePlanLoudness(plan, opts.loudness, opts.signal);
    hooks = { ...hooks, audio: [...(hooks?.audio ?? []), ...loudnessFilters(measured, opts.loudness)] };
    opts.onStage?.('rendering');
  }
  const burn = opts.burnCaptions ? burnCaptionsFilter(doc, store, plan.height) : {};
  if (burn.filter) hooks = { ...hooks, video: [...(hooks?.video ?? []), burn.filter] };
  // the invisible watermark works before the encode: it takes the first part of the render's progress
  const share = provenance.renderShare(plan);
  const marks = await provenance.prepare(doc, plan, output, hooks, {
    ...opts,
    media: { store, dir: loaded.dir },
    onProgress: (f) => opts.onProgress?.({ fraction: f * share, frame: 0, stage: 'render' }),
  });
  try {
    await renderPlan(plan, output, {
      ...opts,
      hooks: marks.hooks,
      finish: marks.finish,
      onProgress: (p) =>
        opts.onProgress?.({
          ...p,
          fraction: share + p.fraction * (1 - share),
          etaSeconds: share ? undefined : p.etaSeconds,
          stage: 'render',
        }),
    });
  } finally {
    marks.cleanup();
    if (burn.file) rmSync(burn.file, { force: true });
  }
  const captions = opts.captionFiles ? writeCaptionSidecars(doc, store, output) : undefined;
  return { output, plan, generated, doc, provenance: provenance.info, ...(captions ? { captions } : {}) };
}
