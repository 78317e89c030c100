/**
 * The editor: the one object screens talk to (like tldraw's `Editor`). It
 * owns the api client (the transport), the store, and the view state that is
 * not in the store (playhead, timeline zoom and scroll, preview mix, loaded
 * images and peaks). Every edit and query a screen makes is a typed method
 * here; screens never call the transport themselves. Document changes come in
 * as patches (`project.changed`); a version gap asks for the whole document.
 */
import type { ShotCheck } from '../../../engine/model/shot-checks.js';
import type {
  AppInfo,
  CacheUsage,
  CommandInput,
  ExportInfo,
  FarmView,
  ExportPresetId,
  JobInfo,
  LoudnessPresetId,
  ModelsView,
  MethodParams,
  MethodResults,
  ProjectChange,
  ProjectFolder,
  ProjectState,
  RecentProject,
  SafetyDecisionView,
  SafetyPolicyView,
  SettingsView,
  ShotSafetyView,
} from '../../../engine/api/contract.js';
import type { PeaksView } from '../../../engine/common/edited-peaks.js';
import type { WireError } from '../../../engine/api/wire.js';
import type { PriceInfo, RunEstimate, SpendSummary } from '../../../engine/common/cost.js';
import type { TimelineFormatId } from '../../../engine/common/timeline-formats.js';
import { BudgetQuestion } from '../cost/budget-prompt.js';
import { DiskChangeNotice } from './disk-change.js';
import { ApiError, type ApiClient } from '../api/client.js';
import { Playback } from '../playback.js';
import { PreviewMix } from '../screens/preview-mix.js';
import { changeFits, docChanged, docClosed, docLoaded } from '../store/doc-slice.js';
import { exportUpdated, jobUpdated, jobsLoaded, lastExportLoaded } from '../store/jobs-slice.js';
import { cameosLoaded } from '../store/cameo-slice.js';
import type { AppStore } from '../store/store.js';
import { pushToast, selectShot, setConnected, setRecovery, showScreen } from '../store/ui-slice.js';
import { MediaCache } from '../timeline/media-cache.js';
import { TimelineView } from '../timeline/timeline-view.js';

export class Editor {
  /** The playhead, J/K/L shuttle and in/out marks. */
  readonly playback = new Playback();
  /** Timeline zoom and scroll. */
  readonly timelineView = new TimelineView();
  /** The sequence's sound as the engine mixes it, for the preview. */
  readonly previewMix = new PreviewMix(() => this.api.call('preview.mix', {}));
  /** Images and waveform peaks loaded once per media URL. */
  readonly media = new MediaCache();
  private resyncing: Promise<void> | undefined;
  /** A run over the project budget asks first (the BudgetPrompt dialog answers). */
  readonly budgetQuestion = new BudgetQuestion();
  /** Another program changed the project file: reload it or keep this version (DiskChangePrompt). */
  readonly diskChange = new DiskChangeNotice();

  constructor(
    private readonly api: ApiClient,
    readonly store: AppStore,
  ) {
    api.on('project.changed', (c) => this.changed(c));
    api.on('project.changedOnDisk', (d) => this.diskChange.show(d.file));
    api.on('job.progress', (j) => store.dispatch(jobUpdated(j)));
    api.on('job.done', (j) => {
      store.dispatch(jobUpdated(j));
      if (j.status === 'failed') this.toast('error', `${j.shotTitle}: ${j.error?.message ?? 'generation failed'}`, j.error?.hint);
    });
    api.on('export.progress', (e) => store.dispatch(exportUpdated(e)));
    api.on('export.done', (e) => {
      store.dispatch(exportUpdated(e));
      if (e.status === 'done') void this.loadLastExport();
    });
    api.on('cameo.changed', (v) => {
      const before = new Set(store.getState().cameos.view?.flags.takes.map((t) => t.takeId) ?? []);
      store.dispatch(cameosLoaded(v));
      const fresh = v.flags.takes.filter((t) => !before.has(t.takeId));
      if (fresh.length)
        this.toast(
          'error',
          `${fresh.length} take${fresh.length > 1 ? 's' : ''} flagged: ${fresh.map((t) => t.shot).join(', ')} (${fresh[0]!.rule})`,
          'A cameo they show may no longer be used: see the Cameos screen.',
        );
    });
    api.onConnectionChange((c) => {
      store.dispatch(setConnected(c));
      // changes sent while the connection was down are lost: the whole document again
      if (c && store.getState().doc.loaded) void this.resync();
    });
  }

  async init(): Promise<void> {
    const state = await this.run(() => this.api.call('project.get'));
    if (state) this.loaded(state);
  }

  toast(kind: 'error' | 'info', message: string, hint?: string): void {
    this.store.dispatch(pushToast({ kind, message, ...(hint ? { hint } : {}) }));
  }

  /** Runs an api call; a failure becomes a message with its hint, and undefined. */
  async run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ApiError) this.toast('error', e.message, e.hint);
      else this.toast('error', String((e as Error)?.message ?? e));
      return undefined;
    }
  }

  // ---- the document ----

  /** A change from the host: its patches when they follow the version held, else the whole document once. */
  private changed(c: ProjectChange): void {
    const doc = this.store.getState().doc;
    if (!doc.loaded) return;
    const fit = changeFits(doc.version, c);
    if (fit === 'apply') this.store.dispatch(docChanged(c));
    else if (fit === 'resync') void this.resync();
  }

  /** Asks for the whole document (after a version gap). */
  resync(): Promise<void> {
    this.resyncing ??= this.run(() => this.api.call('project.get')).then((s) => {
      this.resyncing = undefined;
      if (s) this.store.dispatch(docLoaded({ ...s, dir: s.dir }));
    });
    return this.resyncing;
  }

  private loaded(state: ProjectState): void {
    this.store.dispatch(docLoaded(state));
    this.store.dispatch(setRecovery(state.recovery ?? null));
    if (this.store.getState().ui.screen === 'home') this.store.dispatch(showScreen('storyboard'));
    void this.run(() => this.api.call('generate.list')).then((jobs) => jobs && this.store.dispatch(jobsLoaded(jobs)));
    void this.loadCameos();
    void this.loadLastExport();
  }

  /** The project's last finished export (the Mixer shows its loudness). */
  async loadLastExport(): Promise<void> {
    const list = await this.run(() => this.api.call('export.history'));
    this.store.dispatch(lastExportLoaded(list?.[0] ?? null));
  }

  /** A new project from a template; `dir` is the folder the Home screen showed (project.folder). True when it opened. */
  async newProject(name: string, template: string, dir?: string): Promise<boolean> {
    const s = await this.run(() => this.api.call('project.new', { name, template, ...(dir ? { dir } : {}) }));
    if (s) this.loaded(s);
    return !!s;
  }

  /** Where a new project of this name would go, and the folder it avoids because another project is there; undefined on failure. */
  async projectFolder(name: string): Promise<ProjectFolder | undefined> {
    if (!name.trim()) return undefined;
    try {
      return await this.api.call('project.folder', { name });
    } catch {
      return undefined;
    }
  }

  /** Opens a project; a failure comes back (the Home screen shows it in place, with what to do) instead of a message. */
  async openProjectOrError(dir: string): Promise<WireError | undefined> {
    try {
      this.loaded(await this.api.call('project.open', { dir }));
      return undefined;
    } catch (e) {
      if (e instanceof ApiError) return e.wire;
      return { code: 'OPEN_FAILED', message: String((e as Error)?.message ?? e) };
    }
  }

  async openProject(dir: string): Promise<void> {
    const s = await this.run(() => this.api.call('project.open', { dir }));
    if (s) this.loaded(s);
  }

  async closeProject(): Promise<void> {
    await this.run(() => this.api.call('project.close'));
    this.store.dispatch(docClosed());
    this.store.dispatch(lastExportLoaded(null));
    this.store.dispatch(showScreen('home'));
  }

  async recover(accept: boolean): Promise<void> {
    const s = await this.run(() => this.api.call('project.recover', { accept }));
    if (s) this.store.dispatch(docLoaded(s));
    this.store.dispatch(setRecovery(null));
  }

  /** One user gesture → one command list → one undo step. A failure is shown as a message; the result is then undefined. */
  apply(commands: CommandInput | CommandInput[], label?: string): Promise<MethodResults['project.apply'] | undefined> {
    return this.run(() => this.applyOrThrow(commands, label));
  }

  /** `apply` for a view that shows the failure itself (the audio editor). */
  applyOrThrow(commands: CommandInput | CommandInput[], label?: string): Promise<MethodResults['project.apply']> {
    return this.api.call('project.apply', { commands, ...(label ? { label } : {}) });
  }

  /** Adds a shot to a scene and its clip at the end of the first video track: one undo step. */
  async addShot(sceneId: string): Promise<string | undefined> {
    const st = this.store.getState();
    const suffix = Date.now().toString(36);
    const shotId = `shot-${suffix}`;
    const video = st.doc.tracks.ids.map((id) => st.doc.tracks.entities[id]!).find((t) => t.kind === 'video');
    // the shot and its clip, of the shot's length, at the end of the first video track
    const commands: CommandInput[] = [
      { type: 'shot.add', sceneId, shot: { id: shotId }, ...(video ? { clip: { trackId: video.id, id: `clip-${suffix}` } } : {}) },
    ];
    // the new shot is selected as soon as its change arrives (the reply comes after the recovery copy is on disk): an
    // edit made in the inspector right after goes to the new shot, not to the one selected before
    let selected = false;
    const select = () => {
      if (selected || !this.store.getState().doc.shots.entities[shotId]) return;
      selected = true;
      this.store.dispatch(selectShot(shotId));
    };
    const unsubscribe = this.store.subscribe(select);
    try {
      const ok = await this.apply(commands, 'Add shot');
      if (ok) select();
      return ok ? shotId : undefined;
    } finally {
      unsubscribe();
    }
  }

  undo(): Promise<unknown> {
    return this.run(() => this.api.call('project.undo'));
  }
  redo(): Promise<unknown> {
    return this.run(() => this.api.call('project.redo'));
  }

  async save(): Promise<void> {
    try {
      await this.api.call('project.save');
      this.toast('info', 'Saved');
    } catch (e) {
      // another program changed the file: ask instead of overwriting it
      if (e instanceof ApiError && e.wire.code === 'PROJECT_CHANGED_ON_DISK') this.diskChange.show(e.wire.file ?? '');
      else if (e instanceof ApiError) this.toast('error', e.message, e.hint);
      else this.toast('error', String((e as Error)?.message ?? e));
    }
  }

  /** Takes the other program's version of the project file (unsaved edits are dropped). */
  async reloadFromDisk(): Promise<void> {
    this.diskChange.clear();
    if (await this.run(() => this.api.call('project.reload'))) this.toast('info', 'Reloaded the file from disk');
  }

  /** Keeps this version: saves over the other program's change (which stays as project.klappe.bak). */
  async keepMine(): Promise<void> {
    this.diskChange.clear();
    if (await this.run(() => this.api.call('project.save', { overwrite: true })))
      this.toast('info', 'Saved (the other version is in project.klappe.bak)');
  }

  // ---- generation and export ----

  /** Generates shots (default: all); a run that would exceed the project budget asks first. */
  async generate(shotIds?: string[]): Promise<unknown> {
    const estimate = await this.estimateCost(shotIds);
    if (estimate?.overBudget && !(await this.budgetQuestion.ask(estimate))) return undefined;
    return this.run(() =>
      this.api.call('generate.enqueue', { ...(shotIds ? { shotIds } : {}), ...(estimate?.overBudget ? { overBudget: true } : {}) }),
    );
  }

  /** Enhances a take to a size (a queued job; the larger take is added to its shot when it is done). */
  async enhanceTake(takeId: string, width = 1920, height = 1080): Promise<void> {
    const r = await this.run(() => this.api.call('generate.enhance', { takeId, width, height }));
    if (r) this.toast('info', `Enhancing to ${width}x${height}: see the queue`);
  }

  /** Checks before generating for some shots (all when omitted); a failure gives an empty list. */
  async checks(shotIds?: string[]): Promise<ShotCheck[]> {
    return (await this.run(() => this.api.call('shots.check', shotIds ? { shotIds } : {}))) ?? [];
  }

  /** "Generate again": a new variation seed (one undo step), then a take with it; the earlier takes stay. */
  async generateAgain(shotId: string): Promise<void> {
    if (await this.apply({ type: 'shot.vary', shotId }, 'New variation')) await this.generate([shotId]);
  }

  /** Time and cost of generating shots (default: all) on their backends and the alternatives. */
  estimateCost(shotIds?: string[]): Promise<RunEstimate | undefined> {
    return this.run(() => this.api.call('cost.estimate', shotIds ? { shotIds } : {}));
  }
  costSummary(): Promise<SpendSummary | undefined> {
    return this.run(() => this.api.call('cost.summary'));
  }
  prices(): Promise<PriceInfo | undefined> {
    return this.run(() => this.api.call('cost.prices'));
  }

  // ---- safety ----

  /** What the moderation policy says about a shot's texts now (undefined on failure, without a message: the inspector retries on the next change). */
  async shotSafety(shotId: string): Promise<ShotSafetyView | undefined> {
    try {
      return await this.api.call('safety.shot', { shotId });
    } catch {
      return undefined;
    }
  }
  safetyLog(
    opts: { project?: boolean; outcome?: 'allow' | 'warn' | 'block'; limit?: number } = {},
  ): Promise<SafetyDecisionView[] | undefined> {
    return this.run(() => this.api.call('safety.log', opts));
  }
  safetyPolicy(): Promise<SafetyPolicyView | undefined> {
    return this.run(() => this.api.call('safety.policy'));
  }

  cancelJob(jobId: string): Promise<JobInfo | undefined> {
    return this.run(() => this.api.call('generate.cancel', { jobId }));
  }
  retryJob(jobId: string): Promise<JobInfo | undefined> {
    return this.run(() => this.api.call('generate.retry', { jobId }));
  }

  async startExport(options: {
    preset: ExportPresetId;
    loudness: LoudnessPresetId | 'off';
    burnCaptions: boolean;
    captionFiles: boolean;
    watermark: boolean;
    invisibleWatermark: boolean;
    sign: boolean;
    fileName?: string;
    folder?: string;
    creatorName?: string;
    /** Frames [in, out) of the sequence; none: the whole. */
    range?: { in: number; out: number };
  }): Promise<ExportInfo | undefined> {
    const r = await this.run(() => this.api.call('export.start', options));
    if (r) this.store.dispatch(exportUpdated(r));
    return r;
  }

  cancelExport(exportId: string): Promise<ExportInfo | undefined> {
    return this.run(() => this.api.call('export.cancel', { exportId }));
  }

  // ---- audio and lines ----

  /** An audio file dropped or picked onto a track (one undo step). */
  async importAudio(trackId: string, file: File): Promise<MethodResults['audio.import'] | undefined> {
    return this.run(async () => this.api.call('audio.import', { trackId, at: 0, ...(await this.api.fileSource(file)) }));
  }

  /** An SRT's cues onto a dialogue track as lines to be spoken (one undo step). */
  async importCaptions(trackId: string, file: File): Promise<MethodResults['captions.import'] | undefined> {
    return this.run(async () => this.api.call('captions.import', { trackId, ...(await this.api.fileSource(file)) }));
  }

  /** A Fountain screenplay as scenes, shots (the proposed breakdown when `breakdown`), characters and lines: one undo step. */
  /** A screenplay onto the project; `preview` only proposes its breakdown, `skip` leaves proposed shots out ("N/name"). */
  async importScript(
    file: File,
    breakdown: boolean,
    opts: { preview?: boolean; skip?: string[] } = {},
  ): Promise<MethodResults['script.import'] | undefined> {
    return this.run(async () => this.api.call('script.import', { breakdown, ...opts, ...(await this.api.fileSource(file)) }));
  }

  /** The sequence as another editor's file (its text). */
  exportTimeline(format: TimelineFormatId): Promise<MethodResults['timeline.export'] | undefined> {
    return this.run(() => this.api.call('timeline.export', { format }));
  }

  /** Another editor's timeline onto the sequence (one undo step). */
  async importTimeline(file: File): Promise<MethodResults['timeline.import'] | undefined> {
    return this.run(async () => this.api.call('timeline.import', await this.api.fileSource(file)));
  }

  addLine(params: MethodParams<'line.add'>): Promise<MethodResults['line.add'] | undefined> {
    return this.run(() => this.api.call('line.add', params));
  }
  speakLine(params: MethodParams<'line.speak'>): Promise<MethodResults['line.speak'] | undefined> {
    return this.run(() => this.api.call('line.speak', params));
  }

  // ---- cast and blocking ----

  /** A picked image file as a reference image of a character (one undo step). */
  async addReferenceImage(characterId: string, file: File): Promise<MethodResults['cast.addReference'] | undefined> {
    return this.run(async () => this.api.call('cast.addReference', { characterId, ...(await this.api.fileSource(file)) }));
  }
  /** A small picture of a reference image (throws: the thumbnail shows the failure). */
  async referenceThumbUrl(mediaId: string): Promise<string> {
    return (await this.api.call('cast.referenceThumb', { mediaId })).url;
  }
  /** A short sample of a voice at a rate and pitch, for the Cast panel to play. */
  previewVoice(params: MethodParams<'voice.preview'>): Promise<MethodResults['voice.preview'] | undefined> {
    return this.run(() => this.api.call('voice.preview', params));
  }
  /** Where the scene's characters and props are on each frame, as its simulation has them (throws). */
  sceneBlocking(sceneId: string): Promise<MethodResults['scene.blocking']> {
    return this.api.call('scene.blocking', { sceneId });
  }

  /** Waveform peaks of a clip's audio (throws: the audio editor shows the failure). */
  peaks(clipId: string, view: { startSample?: number; endSample?: number; minPeaks?: number }): Promise<PeaksView> {
    return this.api.call('audio.peaks', { clipId, ...view });
  }
  /** Speech in a clip's audio (throws). */
  speech(clipId: string): Promise<Array<{ startSample: number; endSample: number }>> {
    return this.api.call('audio.speech', { clipId });
  }

  // ---- app, settings, media ----

  private info: Promise<AppInfo | undefined> | undefined;
  /** Templates, backends, voices… (asked once). */
  appInfo(): Promise<AppInfo | undefined> {
    this.info ??= this.run(() => this.api.call('app.info')).then((i) => {
      if (!i) this.info = undefined; // asked again next time
      return i;
    });
    return this.info;
  }

  recentProjects(): Promise<RecentProject[] | undefined> {
    return this.run(() => this.api.call('project.list'));
  }
  settings(): Promise<SettingsView | undefined> {
    return this.run(() => this.api.call('settings.get'));
  }
  setSettings(patch: MethodParams<'settings.set'>['patch']): Promise<SettingsView | undefined> {
    return this.run(() => this.api.call('settings.set', { patch }));
  }
  cacheStats(): Promise<CacheUsage | undefined> {
    return this.run(() => this.api.call('cache.stats'));
  }
  /** Local model packs (Settings → Models). */
  models(): Promise<ModelsView | undefined> {
    return this.run(() => this.api.call('models.list'));
  }
  installModel(url: string): Promise<ModelsView | undefined> {
    return this.run(() => this.api.call('models.install', { url }));
  }
  cancelModelInstall(): Promise<ModelsView | undefined> {
    return this.run(() => this.api.call('models.cancelInstall'));
  }
  importModel(dir: string): Promise<ModelsView | undefined> {
    return this.run(() => this.api.call('models.import', { dir }));
  }
  verifyModel(id: string): Promise<MethodResults['models.verify'] | undefined> {
    return this.run(() => this.api.call('models.verify', { id }));
  }
  removeModel(id: string): Promise<ModelsView | undefined> {
    return this.run(() => this.api.call('models.remove', { id }));
  }

  /** The render farm (servers, slots, current shots, throughput). */
  farmView(): Promise<FarmView | undefined> {
    return this.run(() => this.api.call('farm.view'));
  }
  farmAdd(server: MethodParams<'farm.add'>): Promise<FarmView | undefined> {
    return this.run(() => this.api.call('farm.add', server));
  }
  farmRemove(id: string): Promise<FarmView | undefined> {
    return this.run(() => this.api.call('farm.remove', { id }));
  }

  // ---- cameos (the library outside the project) ----

  /** The library, what the current identity may use, and the flagged uses. */
  async loadCameos(): Promise<void> {
    const v = await this.run(() => this.api.call('cameo.list', {}));
    if (v) this.store.dispatch(cameosLoaded(v));
  }
  cameoChallenge(): Promise<string | undefined> {
    return this.run(() => this.api.call('cameo.challenge', {})).then((r) => r?.phrase);
  }
  /** Checks a recording and adds it as a cameo when it passes; the check's reasons either way. */
  async addCameo(file: File, p: Omit<MethodParams<'cameo.add'>, 'path' | 'upload'>): Promise<MethodResults['cameo.add'] | undefined> {
    const r = await this.run(async () => this.api.call('cameo.add', { ...p, ...(await this.api.fileSource(file)) }));
    if (r) this.store.dispatch(cameosLoaded(r.library));
    return r;
  }
  private async cameoCall<M extends 'cameo.grant' | 'cameo.revoke' | 'cameo.permission'>(
    method: M,
    params: MethodParams<M>,
  ): Promise<boolean> {
    const v = (await this.run(() => this.api.call(method, params))) as MethodResults[M] | undefined;
    if (v) this.store.dispatch(cameosLoaded(v));
    return !!v;
  }
  grantCameo(params: MethodParams<'cameo.grant'>): Promise<boolean> {
    return this.cameoCall('cameo.grant', params);
  }
  revokeCameo(cameoId: string, identityId?: string): Promise<boolean> {
    return this.cameoCall('cameo.revoke', { cameoId, ...(identityId ? { identityId } : {}) });
  }
  setCameoPermission(params: MethodParams<'cameo.permission'>): Promise<boolean> {
    return this.cameoCall('cameo.permission', params);
  }
  /** A cameo record from its owner (refused with the reason when altered or forged). */
  async importCameo(file: File): Promise<boolean> {
    const v = await this.run(async () => this.api.call('cameo.import', await this.api.fileSource(file)));
    if (v) this.store.dispatch(cameosLoaded(v));
    return !!v;
  }
  /** "Delete everything with me": the cameo and the cached takes that show it. */
  async deleteCameo(cameoId: string): Promise<void> {
    const r = await this.run(() => this.api.call('cameo.delete', { cameoId }));
    if (!r) return;
    this.store.dispatch(cameosLoaded(r.library));
    this.toast('info', `Deleted: ${r.takes} take(s) showing the cameo, ${r.removedMedia} cached file(s) removed`);
  }

  mediaUrl(hash: string | undefined): string | undefined {
    return hash ? this.api.mediaUrl(hash) : undefined;
  }
}
