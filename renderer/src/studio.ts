/**
 * The studio controller: connects the api client to the store (events in,
 * commands out) and offers the operations screens and actions call.
 */
import type { ProjectState } from '../../engine/api/contract.js';
import { ApiError, type ApiClient } from './api/client.js';
import { docClosed, docLoaded } from './store/doc-slice.js';
import { exportUpdated, jobUpdated, jobsLoaded } from './store/jobs-slice.js';
import type { AppStore } from './store/store.js';
import { pushToast, selectShot, setConnected, setRecovery, showScreen } from './store/ui-slice.js';

export class Studio {
  constructor(readonly api: ApiClient, readonly store: AppStore) {
    api.on('project.changed', (c) => store.dispatch(docLoaded(c)));
    api.on('job.progress', (j) => store.dispatch(jobUpdated(j)));
    api.on('job.done', (j) => {
      store.dispatch(jobUpdated(j));
      if (j.status === 'failed') this.toast('error', `Shot ${j.shotNumber}: ${j.error?.message ?? 'generation failed'}`, j.error?.hint);
    });
    api.on('export.progress', (e) => store.dispatch(exportUpdated(e)));
    api.on('export.done', (e) => store.dispatch(exportUpdated(e)));
    api.onConnectionChange((c) => store.dispatch(setConnected(c)));
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

  loaded(state: ProjectState): void {
    this.store.dispatch(docLoaded(state));
    this.store.dispatch(setRecovery(state.recovery ?? null));
    if (this.store.getState().ui.screen === 'home') this.store.dispatch(showScreen('storyboard'));
    void this.run(() => this.api.call('generate.list')).then((jobs) => jobs && this.store.dispatch(jobsLoaded(jobs)));
  }

  async newProject(name: string, template: string): Promise<void> {
    const s = await this.run(() => this.api.call('project.new', { name, template }));
    if (s) this.loaded(s);
  }

  async openProject(dir: string): Promise<void> {
    const s = await this.run(() => this.api.call('project.open', { dir }));
    if (s) this.loaded(s);
  }

  async closeProject(): Promise<void> {
    await this.run(() => this.api.call('project.close'));
    this.store.dispatch(docClosed());
    this.store.dispatch(showScreen('home'));
  }

  async recover(accept: boolean): Promise<void> {
    const s = await this.run(() => this.api.call('project.recover', { accept }));
    if (s) this.store.dispatch(docLoaded(s));
    this.store.dispatch(setRecovery(null));
  }

  /** One user gesture → one command list → one undo step. */
  apply(commands: Array<{ type: string } & Record<string, unknown>> | ({ type: string } & Record<string, unknown>), label?: string): Promise<unknown> {
    return this.run(() => this.api.call('project.apply', { commands, ...(label ? { label } : {}) }));
  }

  /** Adds a shot to a scene and its clip at the end of the first video track: one undo step. */
  async addShot(sceneId: string): Promise<string | undefined> {
    const st = this.store.getState();
    const suffix = Date.now().toString(36);
    const shotId = `shot-${suffix}`;
    const video = st.doc.tracks.ids.map((id) => st.doc.tracks.entities[id]!).find((t) => t.kind === 'video');
    let end = 0;
    for (const id of st.doc.clips.ids) { const c = st.doc.clips.entities[id]!; end = Math.max(end, c.recordStart + c.duration); }
    const commands: Array<{ type: string } & Record<string, unknown>> = [{ type: 'shot.add', sceneId, shot: { id: shotId, duration: 48 } }];
    if (video) commands.push({ type: 'clip.add', trackId: video.id, clip: { id: `clip-${suffix}`, source: { type: 'shot', shotId }, recordStart: end, duration: 48 } });
    const ok = await this.apply(commands, 'Add shot');
    if (ok) this.store.dispatch(selectShot(shotId));
    return ok ? shotId : undefined;
  }

  undo(): Promise<unknown> { return this.run(() => this.api.call('project.undo')); }
  redo(): Promise<unknown> { return this.run(() => this.api.call('project.redo')); }

  async save(): Promise<void> {
    const r = await this.run(() => this.api.call('project.save'));
    if (r) this.toast('info', 'Saved');
  }

  generate(shotIds?: string[]): Promise<unknown> {
    return this.run(() => this.api.call('generate.enqueue', shotIds ? { shotIds } : {}));
  }

  mediaUrl(hash: string | undefined): string | undefined {
    return hash ? this.api.mediaUrl(hash) : undefined;
  }
}

let current: Studio | undefined;
export function setStudio(s: Studio): void { current = s; }
export function studio(): Studio {
  if (!current) throw new Error('studio not started');
  return current;
}
