/**
 * The whole export: check the input, have the caller make takes for shots
 * that have none (`makeMissingTakes`: the project's session generates them
 * through the job queue), plan, render. The export never writes the project.
 */
import { burnCaptionsFilter, captionBand } from '../audio/burn-captions.js';
import { captionCues, cuesInRange, writeCaptionSidecars } from '../audio/captions.js';
import { measureLoudness, type LoudnessReading } from '../audio/loudness.js';
import { masterAudio, type MasterOptions } from '../audio/master.js';
import { measureNormalizeEdits } from '../audio/normalize.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MediaStore } from '../cache/media-store.js';
import { inputError } from '../common/errors.js';
import { currentTake, sequenceDuration } from '../model/lookup.js';
import { findOfflineMedia, type LoadedProject } from '../model/project-file.js';
import type { Project } from '../model/schema.js';
import { cameoAssertion, defaultConsentContext, requireExportConsent, type ConsentContext } from '../cameo/consent-check.js';
import { ExportProvenance, type ProvenanceInfo, type ProvenanceOptions } from '../provenance/export-provenance.js';
import { planRender, type RenderPlan } from '../render/plan.js';
import { checkRange, cutPlan, type FrameRange, type RangeFields } from '../render/range.js';
import { checkOutputPath, renderPlan, type RenderOptions, type RenderProgress } from './render.js';
import { resolveSources } from '../render/sources.js';
import { checkFramesBeforeExport, type FrameCheckResult, type KnownLikeness } from '../safety/frame-check.js';
import { knownLikenesses } from '../safety/known-likenesses.js';
import { DEFAULT_ENCODE } from '../render/ffmpeg-graph.js';
import { makeWorkDir } from '../util/work-dir.js';
import { recordExport } from './export-history.js';

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
  /**
   * Master loudness target, LUFS (gain and a true-peak limiter, −1 dBTP ceiling, measured on
   * the encoded master, one corrective pass, then LOUDNESS_MISSED); omitted = the mix as it is.
   */
  loudness?: number;
  /** Test hook: the meter the master checks itself with. */
  loudnessMeter?: MasterOptions['measure'];
  /** Burn the dialogue captions into the picture. */
  burnCaptions?: boolean;
  /** Also write the captions as SRT and WebVTT next to the video. */
  captionFiles?: boolean;
  /** The cameo library and identity consent is checked against (default: this user's). */
  cameoConsent?: ConsentContext;
  /**
   * The safety check of sampled frames before rendering (engine/safety/frame-check.ts): on unless false.
   * A cameo's face without a grant blocks the export (SAFETY_BLOCKED) before anything is written.
   */
  frameCheck?: boolean;
  /** The registered cameos with their grant state for the exporting identity (engine/cameo); none = unknown faces only. */
  likenesses?: () => Promise<readonly KnownLikeness[]> | readonly KnownLikeness[];
  /**
   * Only frames [in, out) of the sequence (engine/render/range.ts; a missing end: the sequence's start or end):
   * frame- and sample-exact with the same frames of the whole export, captions shifted with it.
   */
  range?: { in?: number; out?: number };
  /** How the range's ends are named in an error (CLI: --in/--out; default: params.range.in/out). */
  rangeFields?: RangeFields;
  /** Keep the finished export in the project's export history (export-history.ts); default on. */
  history?: boolean;
}

export interface ExportResult {
  output: string;
  plan: RenderPlan;
  /** The frames of the sequence exported, [in, out). */
  range: FrameRange;
  generated: string[];
  doc: Project;
  provenance: ProvenanceInfo;
  /** The caption sidecar files written (captionFiles). */
  captions?: string[];
  /** The pre-export frame check (absent when turned off). */
  frames?: FrameCheckResult;
  /** The master's loudness measured on its encoded audio (the stream the file carries), with the target. */
  loudness?: LoudnessReading & { target: number; passes: number; silent: boolean };
  /** The loudness of the file's sound (the master's reading, or measured on the file when no target was set). */
  measured: LoudnessReading & { target?: number };
}

/** Shots shown in the sequence (within `range`, when given) that have no take yet (or whose video is gone from the cache). */
export function shotsNeedingTakes(doc: Project, store?: MediaStore, range?: FrameRange): string[] {
  const ids = new Set<string>();
  for (const t of doc.sequence.tracks) {
    for (const c of t.clips) {
      if (c.source.type !== 'shot') continue;
      if (range && (c.recordStart >= range.out || c.recordStart + c.duration <= range.in)) continue;
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
  // a bad range fails before anything is generated or written
  const range = checkRange(opts.range ?? {}, sequenceDuration(loaded.doc), loaded.doc.sequence.rate, opts.rangeFields);
  // consent at export: a cameo the user may not use stops it before anything runs; the manifest says which cameos appear
  const consent = opts.cameoConsent ?? defaultConsentContext();
  const cameos = cameoAssertion(requireExportConsent(loaded.doc, consent), consent);
  const provenance = await ExportProvenance.start(loaded.doc, {
    ...opts,
    ...(cameos ? { extraAssertions: [...(opts.extraAssertions ?? []), cameos] } : {}),
  });
  const store = opts.store ?? new MediaStore();
  let doc = loaded.doc;
  const missing = shotsNeedingTakes(doc, store, range);
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
  // a clip outside the range is not needed (its shot may have no take: only the range's shots were generated)
  const resolver = await resolveSources({ doc, dir: loaded.dir }, store, opts.signal, {
    only: (c) => c.recordStart < range.out && c.recordStart + c.duration > range.in,
  });
  const normalizePeaks = await measureNormalizeEdits(doc, resolver, opts.signal);
  const plan = cutPlan(planRender(doc, resolver, opts.size, { normalizePeaks }), range);
  const cues = cuesInRange(captionCues(doc, store), range, doc.sequence.rate);
  let frames: FrameCheckResult | undefined;
  if (opts.frameCheck !== false) {
    opts.onStage?.('checking frames (likeness)');
    // previz and slate takes are drawn by Klappe itself: no real person's face can be in them
    const drawn = new Set(
      doc.takes
        .filter((t) => (t.backend === 'previz' || t.backend === 'slate') && t.media.video && store.has(t.media.video))
        .map((t) => store.require(t.media.video!)),
    );
    frames = await checkFramesBeforeExport(
      videoFiles(plan).filter((f) => !drawn.has(f)),
      {
        likenesses: (await opts.likenesses?.()) ?? knownLikenesses(consent),
        ref: `${loaded.file}#export ${output}`,
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
    );
    opts.onStage?.('rendering');
  }
  let hooks = opts.hooks;
  // the loudness master comes first: a target it cannot meet fails before the picture is rendered, and nothing is written
  const masterDir = opts.loudness !== undefined ? makeWorkDir('klappe-master') : undefined;
  const dropMaster = () => masterDir && rmSync(masterDir, { recursive: true, force: true });
  let loudness: ExportResult['loudness'];
  let masteredAudio: string | undefined;
  try {
    if (masterDir && opts.loudness !== undefined) {
      opts.onStage?.(`mastering loudness (target ${opts.loudness} LUFS)`);
      masteredAudio = join(masterDir, 'master.m4a');
      const m = await masterAudio(plan, masteredAudio, {
        target: opts.loudness,
        audioBitrate: (opts.encode ?? DEFAULT_ENCODE).audioBitrate,
        signal: opts.signal,
        measure: opts.loudnessMeter,
      });
      loudness = { ...m.reading, target: opts.loudness, passes: m.passes, silent: m.silent };
      opts.onStage?.('rendering');
    }
  } catch (e) {
    dropMaster();
    throw e;
  }
  const burn = opts.burnCaptions ? burnCaptionsFilter(doc, cues, plan.width, plan.height) : { done: () => undefined };
  if (burn.filter) hooks = { ...hooks, video: [...(hooks?.video ?? []), burn.filter] };
  // the invisible watermark works before the encode: it takes the first part of the render's progress
  const share = provenance.renderShare(plan);
  let marks: Awaited<ReturnType<typeof provenance.prepare>>;
  try {
    marks = await provenance.prepare(doc, plan, output, hooks, {
      ...opts,
      media: { store, dir: loaded.dir },
      // the visible watermark keeps clear of the burned captions' band
      ...(burn.filter ? { clearBottom: captionBand(plan.width, plan.height).top } : {}),
      onProgress: (f) => opts.onProgress?.({ fraction: f * share, frame: 0, stage: 'render' }),
    });
  } catch (e) {
    dropMaster();
    burn.done();
    throw e;
  }
  try {
    await renderPlan(plan, output, {
      ...opts,
      hooks: marks.hooks,
      masteredAudio,
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
    dropMaster();
    burn.done();
  }
  const captions = opts.captionFiles ? writeCaptionSidecars(doc, cues, output) : undefined;
  const measured = loudness
    ? { integrated: loudness.integrated, range: loudness.range, truePeak: loudness.truePeak, target: loudness.target }
    : await measureLoudness(output, opts.signal);
  if (opts.history !== false)
    recordExport(loaded.dir, {
      output,
      finishedAt: new Date().toISOString(),
      range,
      whole: range.in === 0 && range.out === sequenceDuration(doc),
      rate: plan.rate,
      width: plan.width,
      height: plan.height,
      loudness: measured,
    });
  return {
    measured,
    output,
    plan,
    range,
    generated,
    doc,
    provenance: provenance.info,
    ...(captions ? { captions } : {}),
    ...(frames ? { frames } : {}),
    ...(loudness ? { loudness } : {}),
  };
}

/** The files whose pictures the render shows (video segments' inputs). */
export function videoFiles(plan: RenderPlan): string[] {
  const used = new Set<number>();
  for (const s of plan.video) {
    if (s.kind === 'clip') used.add(s.input);
    else if (s.kind === 'transition') used.add(s.from.input).add(s.to.input);
  }
  return [...used].map((i) => plan.inputs[i]!);
}
