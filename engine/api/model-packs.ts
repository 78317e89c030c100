/**
 * The local model packs behind Settings → Models and `klappe models`: where
 * they live (the settings' local model folder, else the default), and the
 * studio's view of them with the one install that may run in the background
 * (its progress is read by the Models screen while it runs).
 */
import { KlappeError, isKlappeError } from '../common/errors.js';
import { modelRoot } from '../inference/model-root.js';
import { displayUrl, installPack } from '../inference/pack-install.js';
import { importPack } from '../inference/pack-import.js';
import { listModelPacks, packBytes, type PipelineKind } from '../inference/pack-manifest.js';
import { removePack, verifyPack, type FileProblem } from '../inference/pack-verify.js';
import type { ModelInstallView, ModelsView } from './contract.js';
import { SettingsStore } from './settings-store.js';

/** The local model folder: `explicit`, else the settings' folder, else KLAPPE_MODEL_DIR, else DATA/models. */
export function modelPacksRoot(explicit?: string, settings: SettingsStore = new SettingsStore()): string {
  if (explicit) return explicit;
  let fromSettings = '';
  try {
    fromSettings = settings.plain().localModelDir;
  } catch {
    /* unreadable settings: the default folder */
  }
  return modelRoot(fromSettings);
}

export class ModelPacks {
  private install: ModelInstallView | undefined;
  private controller: AbortController | undefined;

  constructor(private readonly settings: SettingsStore) {}

  root(): string {
    return modelPacksRoot(undefined, this.settings);
  }

  view(): ModelsView {
    const root = this.root();
    return {
      root,
      packs: listModelPacks(root).map((p) =>
        p.ok
          ? {
              folder: p.folder,
              ok: true,
              id: p.manifest.id,
              name: p.manifest.name ?? p.manifest.id,
              version: p.manifest.version,
              pipeline: p.manifest.pipeline,
              licence: p.manifest.licence,
              bytes: packBytes(p.manifest),
              files: p.manifest.files.length,
              ...(p.manifest.source ? { source: p.manifest.source } : {}),
            }
          : { folder: p.folder, ok: false, id: p.folder, error: p.error.message },
      ),
      ...(this.install ? { install: this.install } : {}),
    };
  }

  /** Starts installing in the background (one at a time); the view shows its progress. */
  startInstall(url: string): ModelsView {
    if (this.install?.state === 'running')
      throw new KlappeError({
        code: 'PACK_INSTALL_BUSY',
        kind: 'input',
        message: `an install is running (${this.install.url})`,
        hint: 'Wait for it, or cancel it.',
      });
    const controller = new AbortController();
    this.controller = controller;
    const state: ModelInstallView = { url: displayUrl(url), state: 'running', doneBytes: 0, totalBytes: 0 };
    this.install = state;
    void installPack(url, {
      root: this.root(),
      signal: controller.signal,
      onProgress: (p) => {
        state.doneBytes = p.doneBytes;
        state.totalBytes = p.totalBytes;
        if (p.etaSeconds !== undefined) state.etaSeconds = Math.round(p.etaSeconds);
      },
    }).then(
      (r) => {
        state.state = 'done';
        state.id = r.manifest.id;
      },
      (e: unknown) => {
        state.state = controller.signal.aborted ? 'cancelled' : 'failed';
        state.error = isKlappeError(e) ? e.message : String(e);
      },
    );
    return this.view();
  }

  cancelInstall(): ModelsView {
    this.controller?.abort();
    return this.view();
  }

  async import(dir: string, opts: { kind?: PipelineKind; id?: string }): Promise<ModelsView> {
    await importPack(dir, { root: this.root(), ...opts });
    return this.view();
  }

  async verify(id: string): Promise<{ id: string; problems: FileProblem[] }> {
    const r = await verifyPack(this.root(), id);
    return { id, problems: r.problems };
  }

  remove(id: string): ModelsView {
    removePack(this.root(), id);
    return this.view();
  }
}
