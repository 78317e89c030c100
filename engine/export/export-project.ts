/**
 * The whole export: check the input, make takes for shots that have none,
 * plan, render. The project is saved (atomically) only when takes were added.
 */
import { burnCaptionsFilter } from '../audio/burn-captions.js';
import { loudnessFilters, measurePlanLoudness } from '../audio/loudness.js';
import { measureNormalizeEdits } from '../audio/normalize.js';
import { rmSync } from 'node:fs';
import { MediaStore } from '../cache/media-store.js';
import { inputError } from '../errors.js';
import { applyCommand } from '../model/commands/index.js';
import { currentTake } from '../model/lookup.js';
import { findOfflineMedia, saveProject, type LoadedProject } from '../model/project-file.js';
import type { Project } from '../model/schema.js';
import type { Backend } from '../generate/backend.js';
import { generateTake } from '../generate/generate-take.js';
import { getBackend, DEFAULT_BACKEND_ID } from '../generate/registry.js';
import { planRender, type RenderPlan } from './plan.js';
import { checkOutputPath, renderPlan, type RenderOptions, type RenderProgress } from './render.js';
import { resolveSources } from './sources.js';

export interface ExportOptions extends Omit<RenderOptions, 'onProgress'> {
  size?: { width: number; height: number };
  /** Backend for shots with no take (default: the registry's default). */
  backendId?: string;
  store?: MediaStore;
  onStage?: (stage: string) => void;
  onProgress?: (p: RenderProgress & { stage: string }) => void;
  /** Master loudness target, LUFS (two-pass loudnorm, −1 dBTP ceiling); omitted = the mix as it is. */
  loudness?: number;
  /** Burn the dialogue captions into the picture. */
  burnCaptions?: boolean;
}

export interface ExportResult {
  output: string;
  plan: RenderPlan;
  generated: string[];
  doc: Project;
}

/** Shots shown in the sequence that have no take yet. */
export function shotsNeedingTakes(doc: Project): string[] {
  const ids = new Set<string>();
  for (const t of doc.sequence.tracks) for (const c of t.clips) if (c.source.type === 'shot' && !currentTake(doc, c.source.shotId)?.media.video) ids.add(c.source.shotId);
  return [...ids];
}

export function preflight(loaded: LoadedProject, output: string, force?: boolean): void {
  const offline = findOfflineMedia(loaded);
  if (offline.length) {
    const first = offline[0]!;
    throw inputError('MEDIA_OFFLINE', `${loaded.file}: ${first.path}: ${first.message}`, { file: loaded.file, path: first.path, issues: offline, hint: 'Put the file back, or remove the clip.' });
  }
  checkOutputPath(output, force);
}

export async function exportProject(loaded: LoadedProject, output: string, opts: ExportOptions = {}): Promise<ExportResult> {
  preflight(loaded, output, opts.force);
  const store = opts.store ?? new MediaStore();
  let doc = loaded.doc;
  const missing = shotsNeedingTakes(doc);
  const generated: string[] = [];
  if (missing.length) {
    const backend: Backend = getBackend(opts.backendId ?? DEFAULT_BACKEND_ID);
    for (const [i, shotId] of missing.entries()) {
      opts.onStage?.(`generating shot ${i + 1}/${missing.length} (${backend.id})`);
      const take = await generateTake(doc, shotId, backend, store, {
        signal: opts.signal,
        onProgress: (p) => opts.onProgress?.({ fraction: (i + p.fraction) / missing.length, frame: 0, stage: 'generate' }),
      });
      doc = applyCommand(doc, { type: 'take.add', take }).doc;
      generated.push(shotId);
    }
    saveProject(loaded.file, doc);
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
  try {
    await renderPlan(plan, output, { ...opts, hooks, onProgress: (p) => opts.onProgress?.({ ...p, stage: 'render' }) });
  } finally {
    if (burn.file) rmSync(burn.file, { force: true });
  }
  return { output, plan, generated, doc };
}
