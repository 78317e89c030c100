/**
 * The handler side of the api contract: every method of contract.ts, calling
 * the engine (document commands with undo history, atomic save, generation,
 * export). Hosts (browser mode, the Electron utility process) own one
 * StudioApi, feed it validated calls and forward its events to clients.
 */
import { checkShots } from '../model/shot-checks.js';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { srtToCommands } from '../audio/captions.js';
import { parseCaptionBytes } from '../interchange/caption-files.js';
import { parseFountain } from '../interchange/fountain.js';
import { TIMELINE_FORMATS, timelineFormatOfFile } from '../common/timeline-formats.js';
import { TIMELINE_CODECS } from '../interchange/timeline-formats.js';
import { scriptToCommands } from '../interchange/script-import.js';
import { clipAudioFile } from '../audio/clip-audio.js';
import { addSpokenLine, speakLine, type SpokenReading, type VoiceChange } from '../audio/dialogue-lines.js';
import { importAudio } from '../audio/import-audio.js';
import { LOUDNESS_TARGETS } from '../audio/loudness.js';
import { getPeaks, peaksForView } from '../audio/peaks.js';
import { PreviewMixer } from '../audio/preview-mix.js';
import { listVoices } from '../audio/speech/registry.js';
import { detectSpeech } from '../audio/vad.js';
import { collectGarbage } from '../cache/maintenance.js';
import { MediaStore } from '../cache/media-store.js';
import { createProjectFromTemplate, listTemplates } from '../model/templates.js';
import { cancelledError, inputError, isKlappeError, KlappeError } from '../common/errors.js';
import { shotsNeedingTakes } from '../export/export-project.js';
import { exportHistory } from '../export/export-history.js';
import { checkRange } from '../render/range.js';
import { farmPool } from '../generate/cloud/comfyui-pool.js';
import { FarmConfig } from '../generate/cloud/farm-config.js';
import { localModelProbe } from '../generate/local-models.js';
import { listBackends } from '../generate/registry.js';
import { allShots, sequenceDuration } from '../model/lookup.js';
import { commandDef } from '../model/commands/registry.js';
import { moveFile } from '../util/move-file.js';
import { sweepWorkDirs } from '../util/work-dir.js';
import { redactSecrets } from '../secrets/secret-store.js';
import type { Project } from '../model/schema.js';
import {
  EXPORT_PRESETS,
  parseCall,
  type EventName,
  type EventPayloads,
  type MethodName,
  type MethodResults,
  type ParsedParams,
  type ProjectFolder,
} from './contract.js';
import { defaultOutput, exportOutputPath, ExportRunner } from './export-runner.js';
import type { QueueOptions } from '../jobs/queue.js';
import { checkBudget, estimateRun, spendSummary } from '../jobs/run-cost.js';
import { priceInfo } from '../generate/prices.js';
import { GenerationQueue } from './generation-queue.js';
import { checkSpokenLine, previewShotSafety, safetyPolicyView, shotSafetyView } from '../safety/checks.js';
import type { OwnerApi } from './project-lock.js';
import { ProjectSession } from './project-session.js';
import { UploadStaging, type StagedUpload } from './uploads.js';
import { previewVoice, referenceThumb } from './cast-media.js';
import { sceneBlocking } from './scene-blocking.js';
import { importReferenceImage } from '../media/reference-image.js';
import { resolveMediaPath } from '../model/project-file.js';
import { RecentProjects } from './recent-projects.js';
import { SettingsStore } from './settings-store.js';
import { ModelPacks } from './model-packs.js';
import { CameoService, challengePhrase } from './cameo-service.js';
import type { CameoLibrary } from '../cameo/library.js';
import type { KeyStore } from '../provenance/key-store.js';

export const API_VERSION = '0.1.0';

/** An error as a client may see it: credentials in URLs and known keys redacted from its message, hint and issues. */
function withoutSecrets(e: unknown): unknown {
  if (!isKlappeError(e)) return e instanceof Error ? new Error(redactSecrets(e.message)) : e;
  return new KlappeError({
    code: e.code,
    kind: e.kind,
    message: redactSecrets(e.message),
    path: e.path,
    file: e.file,
    hint: e.hint === undefined ? undefined : redactSecrets(e.hint),
    issues: e.issues.map((i) => ({ ...i, message: redactSecrets(i.message) })),
  });
}

export interface StudioApiOptions {
  store?: MediaStore;
  settings?: SettingsStore;
  recent?: RecentProjects;
  /** Where new projects go when no folder is given. */
  projectsDir?: string;
  /** How a client reaches a cached media file (browser mode: /media/HASH?token=…; Electron: media://HASH). */
  mediaUrl: (hash: string) => string;
  autosaveDelayMs?: number;
  /** Options of the persistent job queue (its database, concurrency). */
  queueOptions?: Omit<QueueOptions, 'store'>;
  /** The cameo library and the identity consent is checked for (default: this user's). */
  cameos?: { library?: CameoLibrary; keyStore?: KeyStore; pollMs?: number };
}

type Listener = <E extends EventName>(event: E, data: EventPayloads[E]) => void;

export function defaultProjectsDir(): string {
  return process.env.KLAPPE_PROJECTS_DIR || join(homedir(), 'Klappe Projects');
}

export class StudioApi {
  readonly store: MediaStore;
  readonly settings: SettingsStore;
  readonly models: ModelPacks;
  readonly recent: RecentProjects;
  readonly projectsDir: string;
  private session: ProjectSession | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly queue: GenerationQueue;
  private readonly exports: ExportRunner;
  private readonly mixer: PreviewMixer;
  readonly cameos: CameoService;
  /** Dropped files the host's server staged (browser mode). */
  readonly uploads = new UploadStaging();
  /** Pictures of reference images made this session: image file and content → hash in the store. */
  private readonly referenceThumbs = new Map<string, string>();
  /** The preview mix being made; a newer request cancels it. */
  private mixing: AbortController | undefined;

  constructor(private readonly opts: StudioApiOptions) {
    sweepWorkDirs(); // work folders of Klappe processes that were killed
    this.store = opts.store ?? new MediaStore();
    this.settings = opts.settings ?? new SettingsStore();
    this.models = new ModelPacks(this.settings);
    this.recent = opts.recent ?? new RecentProjects();
    this.projectsDir = opts.projectsDir ?? defaultProjectsDir();
    this.cameos = new CameoService(
      {
        openDoc: () => this.session?.doc,
        openDir: () => this.session?.dir,
        recentDirs: () => this.recent.list().map((p) => p.dir),
        index: () => this.queue.queue.index,
        emit: (view) => this.emit('cameo.changed', view),
      },
      opts.cameos,
    );
    this.queue = new GenerationQueue(
      this.store,
      {
        session: () => this.session,
        onProgress: (job) => this.emit('job.progress', job),
        onDone: (job) => {
          this.emit('job.done', job);
          this.enforceCacheBudget();
        },
      },
      {
        local: localModelProbe(() => this.settings.plain().localModelDir),
        prices: () => this.settings.plain().prices,
        cameoConsent: this.cameos.consent,
        ...opts.queueOptions,
      },
    );
    this.mixer = new PreviewMixer(this.queue.queue.index);
    this.exports = new ExportRunner(this.store, {
      onProgress: (info) => this.emit('export.progress', { ...info }),
      onDone: (info) => this.emit('export.done', { ...info }),
    });
  }

  private estimate(doc: Project, shotIds: string[] | undefined, backendId: string | undefined) {
    const local = localModelProbe(() => this.settings.plain().localModelDir);
    const projectDir = this.session?.dir;
    return estimateRun(
      doc,
      shotIds,
      { ...(backendId ? { backendId } : {}), ...(projectDir ? { projectDir } : {}) },
      {
        timings: this.queue.timings,
        prices: this.settings.plain().prices,
        local,
        ...(this.opts.queueOptions?.secrets ? { secrets: this.opts.queueOptions.secrets } : {}),
      },
    );
  }

  /** The open project's session, for a host's own front on it (the /v1 videos API); undefined when none is open. */
  openSession(): ProjectSession | undefined {
    return this.session;
  }

  /** The persistent generation queue of the open project (the studio's queue panel lists its jobs). */
  get generation(): GenerationQueue {
    return this.queue;
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit<E extends EventName>(event: E, data: EventPayloads[E]): void {
    for (const l of this.listeners) l(event, data);
  }

  /** Validates and runs one call. Throws KlappeError (input errors name the field). */
  async call<M extends MethodName>(method: string, params: unknown): Promise<MethodResults[M]> {
    const call = parseCall<M>(method, params);
    const handler = (this.handlers as unknown as Record<string, (p: unknown) => unknown>)[call.method]!;
    let result: MethodResults[M];
    const before = this.session?.currentVersion;
    try {
      result = (await handler.call(this, call.params)) as MethodResults[M];
    } catch (e) {
      try {
        await this.session?.flushAutosave();
      } catch {
        /* the call's own error is the one to report */
      }
      throw withoutSecrets(e);
    }
    try {
      // an edit is durable before its reply goes out: the recovery copy is on disk (a kill right after ok: true loses nothing);
      // when it cannot be written (a full disk, a read-only folder) the edit's reply says so and the edit stays in memory
      await this.session?.flushAutosave();
    } catch (e) {
      if (this.session?.currentVersion !== before) throw withoutSecrets(e); // a call that changed nothing (project.get) still answers
    }
    return result;
  }

  /**
   * Where other processes reach this api (the browser-mode host): written in
   * the open project's lock (URL) and the user's token file, so that a CLI
   * command on the project asks this process instead of waiting for the lock.
   */
  private served: OwnerApi | undefined;
  advertise(api: OwnerApi | undefined): void {
    this.served = api;
    this.session?.advertise(api);
  }

  /** Writes any pending recovery copy and releases the project's lock (before the host exits). */
  async shutdown(): Promise<void> {
    this.shutDown = true;
    await this.session?.recoveryWritesDone();
    try {
      this.session?.close();
    } catch (e) {
      // the lock is released; only the last recovery copy could not be written (a full disk, a read-only folder)
      process.stderr.write(`klappe: ${(e as Error).message}\n`);
    }
    this.session = undefined;
    this.uploads.cleanup();
    this.cameos.stop();
    await this.queue.stop();
  }

  /** Generates, through the queue, every shot on the timeline that has no take yet; the document afterwards. */
  private async makeMissingTakes(signal: AbortSignal, range?: { in?: number; out?: number }) {
    const s = this.requireSession();
    const missing = shotsNeedingTakes(
      s.doc,
      this.store,
      range ? { in: range.in ?? 0, out: range.out ?? Number.MAX_SAFE_INTEGER } : undefined,
    );
    if (missing.length) {
      const jobs = await this.queue.waitFor(
        await this.queue.enqueueInSteps(missing, this.settings.plain().defaultBackend || undefined),
        signal,
      );
      if (signal.aborted) throw cancelledError('the export');
      const bad = jobs.find((j) => j.status !== 'done');
      if (bad)
        throw new KlappeError({
          code: bad.error?.code ?? 'GENERATION_FAILED',
          message: `shot ${bad.shotNumber} could not be generated: ${bad.error?.message ?? bad.status}`,
          hint: bad.error?.hint,
        });
    }
    return this.requireSession().doc;
  }

  private lastEvicted: number | undefined;
  private shutDown = false;

  /** Evicts least-recently-used media (not pinned by recent projects) until the cache fits the settings' budget. */
  private enforceCacheBudget(): void {
    if (this.shutDown) return; // a take adopted while the host shuts down: its database may be closed already
    const r = collectGarbage(this.queue.queue.index, { budgetBytes: this.cacheBudgetBytes() });
    if (r.evicted.length) this.lastEvicted = r.evicted.length;
  }

  private cacheBudgetBytes(): number {
    return Math.round(this.settings.plain().cacheBudgetGb * 2 ** 30);
  }

  private open(dir: string): ProjectSession {
    this.session?.close();
    this.session = undefined;
    let opened: ProjectSession | undefined;
    const session = ProjectSession.open(
      dir,
      (c) => {
        this.emit('project.changed', c);
        // a deleted shot's waiting and running jobs are cancelled (their take would belong to nothing)
        if (opened && this.session === opened && c.patches.some((p) => p.path.length === 0 || p.path[0] === 'scenes'))
          this.queue.cancelJobsOfRemovedShots();
      },
      {
        autosaveDelayMs: this.opts.autosaveDelayMs,
        onTakeOver: (message) => process.stderr.write(`klappe: ${message}\n`),
        onDiskChange: (file) => this.emit('project.changedOnDisk', { file, detectedAt: new Date().toISOString() }),
      },
    );
    this.session = opened = session;
    if (this.served) session.advertise(this.served);
    this.recent.touch(session.dir, session.doc.name);
    this.queue.start();
    this.enforceCacheBudget();
    return session;
  }

  private requireSession(): ProjectSession {
    if (!this.session) throw inputError('NO_PROJECT', 'no project is open', { hint: 'Open or create a project first.' });
    return this.session;
  }

  /**
   * Speaks a line for the open project and applies what it made as one undo
   * step. The speech takes a moment: the commands are made for the document
   * as it is then; engine errors about a field name it as the call did.
   */
  private async speak(
    label: string,
    fields: Record<string, string>,
    fn: (s: ProjectSession, latest: () => Project) => Promise<SpokenReading>,
  ): Promise<MethodResults['line.add']> {
    const s = this.requireSession();
    const latest = () => {
      if (this.session !== s)
        throw new KlappeError({ code: 'PROJECT_CLOSED', message: 'the project was closed while the line was spoken' });
      return s.doc;
    };
    let r: SpokenReading;
    try {
      r = await fn(s, latest);
      latest();
    } catch (e) {
      throw isKlappeError(e) && e.path && fields[e.path]
        ? new KlappeError({
            code: e.code,
            message: e.message,
            kind: e.kind,
            path: fields[e.path],
            hint: e.hint,
            issues: e.issues,
            cause: e,
          })
        : e;
    }
    s.apply(r.commands, label);
    return {
      lineId: r.lineId,
      clipId: r.clipId,
      readingId: r.readingId,
      mediaId: r.mediaId,
      samples: r.samples,
      version: s.state().version,
      history: s.historyState(),
    };
  }

  /** The file a call names: a path on the host, or a dropped file the host staged (its caller calls `done`). */
  private callFile(p: { path?: string; upload?: string }): { file: string; staged?: StagedUpload } {
    if (!p.upload) return { file: resolve(p.path!) };
    const staged = this.uploads.take(p.upload, 'params.upload');
    return { file: staged.path, staged };
  }

  private readonly handlers: { [M in MethodName]: (p: ParsedParams<M>) => MethodResults[M] | Promise<MethodResults[M]> } = {
    'app.info': () => ({
      version: API_VERSION,
      templates: listTemplates(),
      backends: listBackends().map((b) => ({ id: b.id, remote: b.capabilities().remote, audio: b.capabilities().audio })),
      presets: EXPORT_PRESETS,
      projectsDir: this.projectsDir,
      voices: listVoices(),
    }),
    'project.list': () => this.recent.list(),
    'project.new': (p) => {
      const dir = p.dir ? resolve(p.dir) : freeFolder(this.projectsDir, p.name).dir;
      createProjectFromTemplate(dir, p.template, p.name);
      return this.open(dir).state();
    },
    'project.folder': (p) => freeFolder(this.projectsDir, p.name),
    'project.open': (p) => {
      const dir = resolve(p.dir);
      try {
        return this.open(dir).state();
      } catch (e) {
        // the studio's own words: no command line to run
        if (isKlappeError(e) && e.code === 'PROJECT_NOT_FOUND')
          throw inputError('PROJECT_NOT_FOUND', `There is no Klappe project in ${dir}`, {
            file: e.file,
            path: 'params.dir',
            hint: 'Pick the folder that holds project.klappe, or make a new project there with “Create a project here”.',
          });
        throw e;
      }
    },
    'project.recover': (p) => {
      const s = this.requireSession();
      s.resolveRecovery(p.accept);
      return s.state();
    },
    'project.get': () => this.session?.state() ?? null,
    'project.reload': () => {
      const s = this.requireSession();
      s.reload();
      return s.state();
    },
    'project.save': (p) => {
      const s = this.requireSession();
      const r = s.save({ overwrite: p.overwrite });
      this.recent.touch(s.dir, s.doc.name);
      return r;
    },
    'project.close': () => {
      const had = !!this.session;
      this.session?.close();
      this.session = undefined;
      return { closed: had };
    },
    'project.apply': (p) => {
      const s = this.requireSession();
      if (Array.isArray(p.commands)) p.commands.forEach((c, i) => commandDef(c.type, `params.commands[${i}].type`));
      else commandDef(p.commands.type, 'params.commands.type');
      s.apply(p.commands, p.label);
      return { version: s.state().version, history: s.historyState() };
    },
    'project.undo': () => {
      const s = this.requireSession();
      s.undo();
      return { version: s.state().version, history: s.historyState() };
    },
    'project.redo': () => {
      const s = this.requireSession();
      s.redo();
      return { version: s.state().version, history: s.historyState() };
    },
    'generate.enqueue': async (p) => {
      const s = this.requireSession();
      const shotIds = p.shotIds ?? allShots(s.doc).map((l) => l.shot.id);
      const backend = p.backend ?? (this.settings.plain().defaultBackend || undefined);
      checkBudget(this.estimate(s.doc, shotIds, backend), { overBudget: p.overBudget, file: s.file });
      return { jobIds: await this.queue.enqueueInSteps(shotIds, backend) };
    },
    'generate.enhance': (p) => {
      const take = this.requireSession().doc.takes.find((t) => t.id === p.takeId);
      if (!take) throw inputError('NOT_FOUND', `no take with id "${p.takeId}"`, { path: 'params.takeId' });
      return {
        jobIds: this.queue.enqueue([take.shotId], undefined, {
          enhance: { takeId: take.id, width: p.width, height: p.height },
          select: true,
        }),
      };
    },
    'shots.check': (p) => checkShots(this.requireSession().doc, p.shotIds),
    'cost.estimate': (p) => {
      const s = this.requireSession();
      return this.estimate(s.doc, p.shotIds, p.backend ?? (this.settings.plain().defaultBackend || undefined));
    },
    'cost.summary': () => spendSummary(this.requireSession().doc),
    'cost.prices': () => priceInfo(this.settings.plain().prices),
    'generate.cancel': (p) => this.queue.cancel(p.jobId),
    'generate.retry': (p) => this.queue.retry(p.jobId),
    'generate.list': () => this.queue.list(),
    'export.start': (p) => {
      const s = this.requireSession();
      const output = exportOutputPath(s.dir, defaultOutput(s.dir, s.doc.name, p.preset), {
        ...(p.output ? { output: resolve(p.output) } : {}),
        ...(p.folder !== undefined ? { folder: p.folder } : {}),
        ...(p.fileName !== undefined ? { fileName: p.fileName } : {}),
      });
      // a bad range is refused here, naming the field, before anything is generated
      if (p.range) checkRange(p.range, sequenceDuration(s.doc), s.doc.sequence.rate);
      const creator = p.creatorName?.trim() || this.settings.plain().creatorName.trim();
      const prepare = (signal: AbortSignal) =>
        this.makeMissingTakes(signal, p.range).then((doc) => (creator ? { ...doc, creator: { ...doc.creator, name: creator } } : doc));
      return {
        ...this.exports.start(s, p.preset, output, prepare, {
          watermark: p.watermark,
          invisibleWatermark: p.invisibleWatermark,
          sign: p.sign,
          loudness: p.loudness === 'off' ? undefined : LOUDNESS_TARGETS[p.loudness],
          burnCaptions: p.burnCaptions,
          captionFiles: p.captionFiles,
          cameoConsent: this.cameos.context(),
          ...(p.range ? { range: p.range } : {}),
        }),
      };
    },
    'export.history': () => exportHistory(this.requireSession().dir),
    'export.cancel': (p) => {
      const info = this.exports.cancel(p.exportId);
      if (!info) throw inputError('NOT_FOUND', `no export with id "${p.exportId}"`, { path: 'params.exportId' });
      return { ...info };
    },
    'settings.get': () => this.settings.view(),
    'models.list': () => this.models.view(),
    'models.install': (p) => this.models.startInstall(p.url),
    'models.cancelInstall': () => this.models.cancelInstall(),
    'models.import': (p) => this.models.import(p.dir, { ...(p.kind ? { kind: p.kind } : {}), ...(p.id ? { id: p.id } : {}) }),
    'models.verify': (p) => this.models.verify(p.id),
    'models.remove': (p) => this.models.remove(p.id),
    'farm.view': () => {
      farmPool().startHealth();
      return farmPool().view();
    },
    'farm.add': async (p) => {
      new FarmConfig().add(p.url, { slots: p.slots, ...(p.label ? { label: p.label } : {}) });
      farmPool().refresh();
      await farmPool().probeAll();
      farmPool().startHealth();
      return farmPool().view();
    },
    'farm.remove': (p) => {
      new FarmConfig().remove(p.id);
      farmPool().refresh();
      return farmPool().view();
    },
    'settings.set': (p) => {
      const view = this.settings.update(p.patch);
      if (p.patch.cacheBudgetGb !== undefined) this.enforceCacheBudget();
      return view;
    },
    'cache.stats': () => {
      const s = this.queue.queue.index.stats();
      return {
        bytes: s.bytes,
        files: s.mediaFiles,
        budgetBytes: this.cacheBudgetBytes(),
        pinnedBytes: s.pinnedBytes,
        ...(this.lastEvicted ? { lastEvicted: this.lastEvicted } : {}),
      };
    },
    'media.url': (p) => {
      this.store.require(p.hash);
      return { url: this.opts.mediaUrl(p.hash) };
    },
    'preview.mix': async () => {
      const s = this.requireSession();
      this.mixing?.abort();
      const ctl = (this.mixing = new AbortController());
      const version = s.state().version;
      try {
        const mix = await this.mixer.mix({ doc: s.doc, dir: s.dir }, ctl.signal);
        return mix
          ? { url: this.opts.mediaUrl(mix.hash), samples: mix.samples, version, loudness: mix.loudness }
          : { url: null, samples: 0, version };
      } finally {
        if (this.mixing === ctl) this.mixing = undefined;
      }
    },
    'audio.peaks': async (p) => {
      const s = this.requireSession();
      const { file, sha256 } = clipAudioFile(s.doc, s.dir, this.store, p.clipId);
      return peaksForView(await getPeaks(file, { sha256 }), { startSample: p.startSample, endSample: p.endSample, minPeaks: p.minPeaks });
    },
    'audio.speech': async (p) => {
      const s = this.requireSession();
      return detectSpeech(clipAudioFile(s.doc, s.dir, this.store, p.clipId).file);
    },
    'captions.import': (p) => {
      const s = this.requireSession();
      const { file, staged } = this.callFile(p);
      try {
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(file);
        } catch {
          throw inputError('FILE_NOT_FOUND', `${file}: cannot read the file`, { file, path: 'params.path' });
        }
        const { cues } = parseCaptionBytes(bytes, { file: staged?.name ?? file, keepTags: p.keepTags === true });
        s.apply(srtToCommands(s.doc, cues, p.trackId, 'params.trackId'), 'Import captions');
        return { imported: cues.length, version: s.state().version, history: s.historyState() };
      } finally {
        staged?.done();
      }
    },
    'script.import': (p) => {
      const s = this.requireSession();
      const { file, staged } = this.callFile(p);
      try {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          throw inputError('FILE_NOT_FOUND', `${file}: cannot read the file`, { file, path: 'params.path' });
        }
        const r = scriptToCommands(s.doc, parseFountain(text), { breakdown: p.breakdown, skip: new Set(p.skip) });
        if (!r.commands.length)
          throw inputError('FOUNTAIN_EMPTY', `${staged?.name ?? file}: no scene, action or dialogue found`, {
            file,
            hint: 'A Fountain scene starts with a heading such as "INT. KITCHEN - NIGHT" after a blank line.',
          });
        if (!p.preview) s.apply(r.commands, 'Import screenplay');
        return { report: r.report, version: s.state().version, history: s.historyState() };
      } finally {
        staged?.done();
      }
    },
    'timeline.export': (p) => {
      const s = this.requireSession();
      const opts = { projectDir: s.dir, mediaFile: (h: string) => (this.store.has(h) ? this.store.require(h) : undefined) };
      const base = (s.doc.sequence.name || s.doc.name).replace(/[^\w.-]+/g, '-');
      const ext = TIMELINE_FORMATS.find((f) => f.id === p.format)!.ext;
      return { text: TIMELINE_CODECS[p.format].write(s.doc, opts), fileName: `${base}${ext}` };
    },
    'timeline.import': (p) => {
      const s = this.requireSession();
      const { file, staged } = this.callFile(p);
      try {
        const name = staged?.name ?? file;
        const format = timelineFormatOfFile(name);
        if (!format)
          throw inputError(
            'TIMELINE_FORMAT',
            `${name}: not a timeline file Klappe reads (${TIMELINE_FORMATS.map((f) => f.ext).join(', ')})`,
            {
              file: name,
              path: 'params.path',
            },
          );
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          throw inputError('FILE_NOT_FOUND', `${file}: cannot read the file`, { file, path: 'params.path' });
        }
        const r = TIMELINE_CODECS[format].read(s.doc, text, { file: name, projectDir: s.dir });
        s.apply(r.commands, 'Import timeline');
        return { report: r.report, version: s.state().version, history: s.historyState() };
      } finally {
        staged?.done();
      }
    },
    'audio.import': async (p) => {
      const s = this.requireSession();
      const { staged, ...from } = this.callFile(p);
      let file = from.file;
      if (staged) {
        // a dropped file: kept in the project's audio/imported folder, then imported like any file
        mkdirSync(join(s.dir, 'audio', 'imported'), { recursive: true });
        file = join(s.dir, 'audio', 'imported', staged.name);
        if (existsSync(file)) file = join(s.dir, 'audio', 'imported', `${Date.now()}-${staged.name}`);
        moveFile(staged.path, file);
        staged.done();
      }
      try {
        const r = await importAudio(s.doc, s.dir, file, { trackId: p.trackId, at: p.at, trimSilence: p.trimSilence });
        s.apply(r.commands, 'Import audio');
        return { clipId: r.clipId, mediaId: r.mediaId, version: s.state().version, history: s.historyState() };
      } catch (e) {
        if (staged) rmSync(file, { force: true });
        throw e;
      }
    },
    'cast.addReference': async (p) => {
      const s = this.requireSession();
      const { file, staged } = this.callFile(p);
      try {
        if (!s.doc.characters.some((c) => c.id === p.characterId))
          throw inputError('NOT_FOUND', `no character with id "${p.characterId}"`, { path: 'params.characterId' });
        const media = await importReferenceImage(s.dir, file, staged?.name);
        s.apply([{ type: 'character.addReference', characterId: p.characterId, media }], 'Add reference image');
        return { mediaId: media.id, version: s.state().version, history: s.historyState() };
      } finally {
        staged?.done();
      }
    },
    'cast.referenceThumb': async (p) => {
      const s = this.requireSession();
      const m = s.doc.media.find((x) => x.id === p.mediaId && x.kind === 'image');
      if (!m) throw inputError('NOT_FOUND', `no image with id "${p.mediaId}" in the project`, { path: 'params.mediaId' });
      const file = resolveMediaPath(s.dir, m.path);
      const key = `${file}:${m.sha256 ?? ''}`;
      let hash = this.referenceThumbs.get(key);
      if (!hash || !this.store.has(hash)) this.referenceThumbs.set(key, (hash = await referenceThumb(this.store, file)));
      return { url: this.opts.mediaUrl(hash) };
    },
    'voice.preview': async (p) => {
      const r = await previewVoice(this.store, p);
      return { url: this.opts.mediaUrl(r.hash), samples: r.samples };
    },
    'scene.blocking': (p) => sceneBlocking(this.requireSession().doc, p.sceneId),
    'cameo.list': () => this.cameos.view(),
    'cameo.challenge': () => ({ phrase: challengePhrase() }),
    'cameo.add': async (p) => {
      const { file, staged } = this.callFile(p);
      try {
        const r = await this.cameos.add(file, {
          name: p.name,
          kind: p.kind,
          permission: p.permission,
          ...(p.expiresAt ? { expiresAt: p.expiresAt } : {}),
          ...(p.challenge ? { challenge: p.challenge } : {}),
        });
        return {
          check: { passed: r.check.passed, reasons: r.check.reasons },
          ...(r.cameoId ? { cameoId: r.cameoId } : {}),
          library: r.library,
        };
      } finally {
        staged?.done();
      }
    },
    'cameo.grant': (p) => this.cameos.grant(p.cameoId, p),
    'cameo.revoke': (p) => this.cameos.revoke(p.cameoId, p.identityId),
    'cameo.permission': (p) => this.cameos.setPermission(p.cameoId, p.permission, p.expiresAt),
    'cameo.delete': (p) => this.cameos.deleteEverything(p.cameoId),
    'cameo.import': (p) => {
      const { file, staged } = this.callFile(p);
      try {
        return this.cameos.importRecord(file, staged?.name ?? file);
      } finally {
        staged?.done();
      }
    },
    'safety.shot': async (p) => {
      const s = this.requireSession();
      if (!allShots(s.doc).some((l) => l.shot.id === p.shotId))
        throw inputError('NOT_FOUND', `no shot with id "${p.shotId}"`, { path: 'params.shotId' });
      return shotSafetyView(await previewShotSafety(s.doc, p.shotId));
    },
    'safety.log': (p) =>
      this.queue.queue.decisions.list({
        limit: p.limit,
        ...(p.outcome ? { outcome: p.outcome } : {}),
        ...(p.project ? { ref: `${this.requireSession().file}#` } : {}),
      }),
    'safety.policy': () => safetyPolicyView(),
    'line.add': (p) =>
      this.speak('Add line', { characterId: 'params.characterId', 'voice.voice': 'params.voice' }, async (s, latest) => {
        await checkSpokenLine(p.text, { ref: `${s.file}#line of ${p.characterId}`, path: 'params.text', log: this.queue.queue.decisions });
        return addSpokenLine(s.doc, s.dir, { characterId: p.characterId, text: p.text, at: p.at }, voiceChange(p), { latest });
      }),
    'line.speak': (p) =>
      this.speak('Speak line again', { lineId: 'params.lineId', 'voice.voice': 'params.voice' }, async (s, latest) => {
        const text = p.text ?? s.doc.lines.find((l) => l.id === p.lineId)?.text;
        if (text)
          await checkSpokenLine(text, {
            ref: `${s.file}#line ${p.lineId}`,
            path: p.text ? 'params.text' : 'params.lineId',
            log: this.queue.queue.decisions,
          });
        return speakLine(s.doc, s.dir, p.lineId, voiceChange(p), { text: p.text, latest });
      }),
  };
}

/** The voice of a line.add / line.speak call. */
function voiceChange(p: { voice?: string; rate?: number; pitch?: number | null }): VoiceChange {
  return { voice: p.voice, rate: p.rate, pitchHz: p.pitch };
}

/**
 * A folder under `parent` named after `name` that does not hold a project yet;
 * `taken` is the folder the name itself gives when a project is there already
 * (the studio says so before it creates anything).
 */
function freeFolder(parent: string, name: string): ProjectFolder {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'untitled';
  for (let n = 1; ; n++) {
    const dir = join(parent, n === 1 ? slug : `${slug}-${n}`);
    if (!existsSync(join(dir, 'project.klappe'))) return { dir, ...(n > 1 ? { taken: join(parent, slug) } : {}) };
  }
}
