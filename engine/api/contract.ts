/**
 * The studio api: one typed command/query contract shared by every host
 * (browser mode over a WebSocket, Electron over IPC) and the renderer.
 * Browser-safe: imports only zod, the schema, the error type, the export presets and (types) the peaks view.
 *
 * Every method has a zod schema for its params (checked by the host before a
 * handler runs) and a result type; events are pushed from the host.
 */
import type { ShotCheck } from '../model/shot-checks.js';
import { z } from 'zod';
import { inputError, formatJsonPath } from '../common/errors.js';
import { EXPORT_PRESETS, type ExportPresetId } from '../common/export-presets.js';
import type { Patch } from 'immer';
import type { PeaksView } from '../common/edited-peaks.js';
import { PriceOverridesSchema, type PriceInfo, type PriceOverrides, type RunEstimate, type SpendSummary } from '../common/cost.js';
import type { CommandInput } from '../model/commands/registry.js';
import type { Project } from '../model/schema.js';
import type { ScriptImportReport } from '../common/script-import-report.js';
import { TIMELINE_FORMAT_IDS } from '../common/timeline-formats.js';
import type { OtioImportReport as TimelineImportReport } from '../interchange/otio.js';
import type { FarmView } from '../generate/cloud/comfyui-pool.js';
import { CAMEO_KINDS, CAMEO_PERMISSIONS, type CameoLibraryView } from '../common/cameo-view.js';
import type { SafetyDecisionView, SafetyPolicyView, ShotSafetyView } from '../common/safety-view.js';
import type { ExportRecord } from '../common/export-record.js';

const id = z.string().min(1).max(128);
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'a media hash is 64 hex digits');
/** A dropped file the host staged (PUT /upload, engine/api/uploads.ts). */
const uploadId = z.string().regex(/^[A-Za-z0-9_-]{24}$/, "an upload id from the host's /upload");
export type { FarmServerView, FarmView } from '../generate/cloud/comfyui-pool.js';
export type { CameoLibraryView, CameoView, CameoFlags, ConsentDecision } from '../common/cameo-view.js';
export type { SafetyDecisionView, SafetyFieldView, SafetyPolicyView, ShotSafetyView } from '../common/safety-view.js';
export type { ExportRecord } from '../common/export-record.js';
export { EXPORT_PRESETS, type ExportPresetId };
/** Loudness presets of the export dialog (engine/audio/loudness.ts has their LUFS). */
export const LOUDNESS_PRESETS = ['streaming', 'podcast', 'broadcast'] as const;
export type LoudnessPresetId = (typeof LOUDNESS_PRESETS)[number];

const cameoId = z.string().regex(/^cameo-[0-9a-f]{16}$/, 'a cameo id is "cameo-" and 16 hex digits');
const presetId = z.enum(Object.keys(EXPORT_PRESETS) as [ExportPresetId, ...ExportPresetId[]]);

/** Secrets (engine/secrets SECRET_NAMES): written, never read back. `comfyui` is the server URL, which may carry a token. */
export const SECRET_KEYS = ['gemini', 'comfyui'] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** Where the user is with the guided first film (Home screen). */
export const FIRST_FILM_STATES = ['new', 'skipped', 'done'] as const;
export type FirstFilmState = (typeof FIRST_FILM_STATES)[number];

export const SettingsPatchSchema = z
  .object({
    localModelDir: z.string().max(1000).optional(),
    cacheBudgetGb: z.number().positive().max(100_000).optional(),
    defaultBackend: z.string().max(64).optional(),
    creatorName: z.string().max(120).optional(),
    /** The guided first film on the Home screen: 'new' shows it; once skipped or done it does not come back. */
    firstFilm: z.enum(FIRST_FILM_STATES).optional(),
    /** The user's prices over the shipped price table (replaces the saved ones). */
    prices: PriceOverridesSchema.optional(),
    /** Secrets: a string sets it, null clears it. */
    secrets: z
      .object({
        gemini: z.string().max(4000).nullable().optional(),
        comfyui: z
          .string()
          .max(4000)
          .refine((u) => u === '' || /^https?:\/\//.test(u), 'a ComfyUI URL starts with http:// or https://')
          .nullable()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const METHODS = {
  'app.info': z.object({}).strict(),
  'project.list': z.object({}).strict(),
  'project.new': z
    .object({
      name: z.string().min(1).max(200),
      template: z.string().min(1).max(64).default('two-scenes'),
      dir: z.string().max(4000).optional(),
    })
    .strict(),
  /** Where `project.new` would put a project of this name (without `dir`), and the folder it would avoid. */
  'project.folder': z.object({ name: z.string().min(1).max(200) }).strict(),
  'project.open': z.object({ dir: z.string().min(1).max(4000) }).strict(),
  /** After open offered a recovery copy: take it (true) or throw it away (false). */
  'project.recover': z.object({ accept: z.boolean() }).strict(),
  'project.get': z.object({}).strict(),
  /** `overwrite`: keep this version although another program changed the file since it was opened (else PROJECT_CHANGED_ON_DISK). */
  'project.save': z.object({ overwrite: z.boolean().optional() }).strict(),
  /** Reads project.klappe again (after `project.changedOnDisk`): the other program's version replaces the document and its undo history. */
  'project.reload': z.object({}).strict(),
  'project.close': z.object({}).strict(),
  /**
   * One gesture: a command or a list of commands applied as one undo step. On the wire each command is checked
   * by its own schema (an unknown `type` is UNKNOWN_COMMAND naming it); in TypeScript they are `CommandInput`.
   */
  'project.apply': z
    .object({
      commands: z.union([
        z
          .array(z.looseObject({ type: z.string() }))
          .min(1)
          .max(10_000),
        z.looseObject({ type: z.string() }),
      ]),
      label: z.string().max(120).optional(),
    })
    .strict(),
  'project.undo': z.object({}).strict(),
  'project.redo': z.object({}).strict(),
  /** A run that would take the project over its budget is refused (OVER_BUDGET) unless `overBudget` says the user agreed. */
  'generate.enqueue': z
    .object({ shotIds: z.array(id).max(10_000).optional(), backend: z.string().max(64).optional(), overBudget: z.boolean().optional() })
    .strict(),
  /** Checks before generating (engine/model/shot-checks.ts): what would come out wrong, in words, with fixes. */
  'shots.check': z.object({ shotIds: z.array(id).max(10_000).optional() }).strict(),
  /** Enhance a take: a job makes it larger with the ×3 super-resolution model and records a new take of its shot. */
  'generate.enhance': z
    .object({
      takeId: id,
      width: z.number().int().min(16).max(7680).multipleOf(2),
      height: z.number().int().min(16).max(4320).multipleOf(2),
    })
    .strict(),
  'generate.cancel': z.object({ jobId: id }).strict(),
  /** Local model packs (Settings → Models): the folder's packs and the install in progress. */
  'models.list': z.object({}).strict(),
  /** Starts downloading a pack (the URL of its klappe-pack.json); models.list shows the progress. */
  'models.install': z.object({ url: z.string().min(1).max(4000) }).strict(),
  'models.cancelInstall': z.object({}).strict(),
  /** Adopts a folder of converted ONNX graphs (every graph's inputs and outputs checked first). */
  'models.import': z
    .object({
      dir: z.string().min(1).max(4000),
      kind: z.enum(['wan2.1-t2v', 'enhance-x3', 'taef2']).optional(),
      id: z.string().max(64).optional(),
    })
    .strict(),
  'models.verify': z.object({ id }).strict(),
  'models.remove': z.object({ id }).strict(),
  'generate.retry': z.object({ jobId: id }).strict(),
  'generate.list': z.object({}).strict(),
  'export.start': z
    .object({
      preset: presetId.default('16:9-720p'),
      output: z.string().max(4000).optional(),
      /** Instead of `output`: the file's name and folder (relative to the project folder), each defaulting to the project's exports/ and a dated name. */
      fileName: z.string().max(200).optional(),
      folder: z.string().max(4000).optional(),
      /** The name in the visible watermark and the signed credentials (default: the creator name in Settings, else the project's). */
      creatorName: z.string().max(120).optional(),
      /** Provenance (engine/provenance): visible moving watermark, invisible watermark, signed C2PA manifest; all on by default. */
      watermark: z.boolean().default(true),
      invisibleWatermark: z.boolean().default(true),
      sign: z.boolean().default(true),
      /** Master loudness target (two-pass, −1 dBTP). */
      loudness: z.enum(['off', ...LOUDNESS_PRESETS]).default('off'),
      burnCaptions: z.boolean().default(false),
      /** Also write the captions as SRT and WebVTT next to the video. */
      captionFiles: z.boolean().default(false),
      /** Only frames [in, out) of the sequence (out: the first frame left out); a missing end: the start or the end. */
      range: z
        .object({ in: z.number().int().nonnegative().optional(), out: z.number().int().nonnegative().optional() })
        .strict()
        .optional(),
    })
    .strict(),
  /** The open project's finished exports, newest first (where, which frames, the loudness measured). */
  'export.history': z.object({}).strict(),
  'export.cancel': z.object({ exportId: id }).strict(),
  'settings.get': z.object({}).strict(),
  /** The render farm: servers with state, slots in use, current shots, throughput (probing starts). */
  'farm.view': z.object({}).strict(),
  /** Adds a ComfyUI server to the farm (the address goes to the secret store, never back out). */
  'farm.add': z
    .object({
      url: z.string().min(8).max(2000),
      slots: z.number().int().min(1).max(64).default(1),
      label: z.string().trim().max(60).optional(),
    })
    .strict(),
  'farm.remove': z.object({ id: z.string().min(1).max(80) }).strict(),
  'settings.set': z.object({ patch: SettingsPatchSchema }).strict(),
  /** Time and cost of generating shots (default: all) on the backend each would run on and the alternatives, against the budget. */
  'cost.estimate': z.object({ shotIds: z.array(id).max(10_000).optional(), backend: z.string().max(64).optional() }).strict(),
  /** What the open project's takes really cost: each take, totals per shot, backend and day. */
  'cost.summary': z.object({}).strict(),
  /** The price table in use (shipped, with the settings' overrides). */
  'cost.prices': z.object({}).strict(),
  'media.url': z.object({ hash }).strict(),
  /** How much the media cache holds against the budget of the settings. */
  'cache.stats': z.object({}).strict(),
  /** The sequence's sound as the export mixes it (before the master loudness target), for the preview to play. */
  'preview.mix': z.object({}).strict(),
  /** Waveform peaks of a clip's audio over source samples [startSample, endSample), at least minPeaks pairs. */
  'audio.peaks': z
    .object({
      clipId: id,
      startSample: z.number().int().nonnegative().optional(),
      endSample: z.number().int().positive().optional(),
      minPeaks: z.number().int().positive().max(1_000_000).default(2000),
    })
    .strict(),
  /** Speech in a clip's audio (Silero VAD), source samples. */
  'audio.speech': z.object({ clipId: id }).strict(),
  /** Import an audio file (a path on the host, or a dropped file the host staged: browser mode PUTs it to /upload) onto a track, as one undoable step. */
  'audio.import': z
    .object({
      trackId: id,
      at: z.number().int().nonnegative().default(0),
      trimSilence: z.boolean().default(false),
      path: z.string().min(1).max(4000).optional(),
      upload: uploadId.optional(),
    })
    .strict()
    .refine((p) => !!p.path !== !!p.upload, 'give either path or upload'),
  /** SRT or WebVTT cues onto a dialogue track as lines to be spoken (a path on the host, or a staged upload), as one undoable step. */
  'captions.import': z
    .object({
      trackId: id,
      /** Keep styling tags in the lines' text (default: stripped). */
      keepTags: z.boolean().optional(),
      path: z.string().min(1).max(4000).optional(),
      upload: uploadId.optional(),
    })
    .strict()
    .refine((p) => !!p.path !== !!p.upload, 'give either path or upload'),
  /** A Fountain screenplay as scenes (with a proposed shot breakdown), characters and lines: one undo step. */
  'script.import': z
    .object({
      breakdown: z.boolean().default(true),
      /** Only read the script and propose the breakdown (nothing changes): the studio shows it to accept or edit. */
      preview: z.boolean().default(false),
      /** Proposed shots left out, as "N/name" (N: the scene's place in the report's breakdown). */
      skip: z.array(z.string().max(300)).max(10_000).default([]),
      path: z.string().min(1).max(4000).optional(),
      upload: uploadId.optional(),
    })
    .strict()
    .refine((p) => !!p.path !== !!p.upload, 'give either path or upload'),
  /** The sequence as another editor's file (OpenTimelineIO, FCPXML, Final Cut Pro 7 XML, CMX3600 EDL), returned as text. */
  'timeline.export': z.object({ format: z.enum(TIMELINE_FORMAT_IDS) }).strict(),
  /** Another editor's timeline onto the sequence (its format from the file name): one undo step; the report lists what was approximated. */
  'timeline.import': z
    .object({
      path: z.string().min(1).max(4000).optional(),
      upload: uploadId.optional(),
    })
    .strict()
    .refine((p) => !!p.path !== !!p.upload, 'give either path or upload'),
  /** A dialogue line on the character's lane at frame `at`, spoken (with the character's voice, or the one given): one undo step. */
  'line.add': z
    .object({
      characterId: id,
      text: z.string().trim().min(1).max(1000),
      at: z.number().int().nonnegative().default(0),
      voice: z.string().min(1).max(64).optional(),
      rate: z.number().positive().max(4).optional(),
      pitch: z.number().positive().max(600).optional(),
    })
    .strict(),
  /**
   * A new reading of a line, played from then on: the voice, rate and pitch given replace those of the reading
   * it plays now (pitch null: the voice's own); `text` gives it new words. One undo step. Picking an earlier
   * reading is the `line.reading.select` command.
   */
  'line.speak': z
    .object({
      lineId: id,
      text: z.string().trim().min(1).max(1000).optional(),
      voice: z.string().min(1).max(64).optional(),
      rate: z.number().positive().max(4).optional(),
      pitch: z.number().positive().max(600).nullable().optional(),
    })
    .strict(),
  /** A reference image for a character (a path on the host, or a staged upload): copied into the project, one undo step. */
  'cast.addReference': z
    .object({ characterId: id, path: z.string().min(1).max(4000).optional(), upload: uploadId.optional() })
    .strict()
    .refine((p) => !!p.path !== !!p.upload, 'give either path or upload'),
  /** A small picture of one of the project's image media (a character's reference image), for the Cast panel. */
  'cast.referenceThumb': z.object({ mediaId: id }).strict(),
  /** A short sample spoken with a voice at a rate and pitch (the Cast panel's preview): nothing in the project changes. */
  'voice.preview': z
    .object({
      voice: z.string().min(1).max(64),
      rate: z.number().positive().max(4).default(1),
      pitch: z.number().positive().max(600).optional(),
      text: z.string().trim().min(1).max(200).optional(),
    })
    .strict(),
  /** Where the scene's characters and props are on each scene frame, as its simulation has them (the blocking map's timeline). */
  'scene.blocking': z.object({ sceneId: id }).strict(),
  /** The cameo library (outside the project): each cameo, what the current identity may do, the flagged uses. */
  'cameo.list': z.object({}).strict(),
  /** A random phrase to read aloud while recording a cameo. */
  'cameo.challenge': z.object({}).strict(),
  /** Checks a recording (a path on the host or a staged upload) and, when it passes, adds it as a cameo signed by the current identity. */
  'cameo.add': z
    .object({
      name: z.string().trim().min(1).max(80),
      kind: z.enum(CAMEO_KINDS).default('person'),
      permission: z.enum(CAMEO_PERMISSIONS).default('only-me'),
      expiresAt: z.iso.datetime({ offset: true }).optional(),
      challenge: z.string().max(200).optional(),
      path: z.string().min(1).max(4000).optional(),
      upload: uploadId.optional(),
    })
    .strict()
    .refine((p) => !!p.path !== !!p.upload, 'give either path or upload'),
  /** Approves a person (their certificate, PEM, or their identity id) for a cameo: a new signed consent record. */
  'cameo.grant': z
    .object({
      cameoId,
      certificate: z.string().min(1).max(100_000).optional(),
      identityId: z.string().max(64).optional(),
      name: z.string().max(120).optional(),
    })
    .strict(),
  /** Revokes a cameo (no one may generate with it), or only one person's grant (`identityId`). */
  'cameo.revoke': z.object({ cameoId, identityId: z.string().min(8).max(64).optional() }).strict(),
  'cameo.permission': z
    .object({ cameoId, permission: z.enum(CAMEO_PERMISSIONS), expiresAt: z.iso.datetime({ offset: true }).nullable().optional() })
    .strict(),
  /** "Delete everything with me": the cameo's recording and references, and the cached takes that show it. */
  'cameo.delete': z.object({ cameoId }).strict(),
  /** A cameo record its owner exported (klappe cameo export): refused when altered, forged or older than the one held. */
  'cameo.import': z
    .object({ path: z.string().min(1).max(4000).optional(), upload: uploadId.optional() })
    .strict()
    .refine((p) => !!p.path !== !!p.upload, 'give either path or upload'),
  /** What the moderation policy says about a shot's prompt, action and lines now (not logged; the generation gate decides). */
  'safety.shot': z.object({ shotId: id }).strict(),
  /** The safety decision log, newest first (`project`: only the open project's entries). */
  'safety.log': z
    .object({
      limit: z.number().int().positive().max(5000).default(200),
      outcome: z.enum(['allow', 'warn', 'block']).optional(),
      project: z.boolean().default(false),
    })
    .strict(),
  /** The moderation policy in force and the imported opt-out lists. */
  'safety.policy': z.object({}).strict(),
} as const;

export type MethodName = keyof typeof METHODS;
/** What a caller passes: the schema's input, except that `project.apply` takes the typed command union. */
export type MethodParams<M extends MethodName> = M extends 'project.apply' ? ApplyParams : z.input<(typeof METHODS)[M]>;
export interface ApplyParams {
  commands: CommandInput | CommandInput[];
  label?: string;
}
export type { CommandInput };
export type ParsedParams<M extends MethodName> = z.output<(typeof METHODS)[M]>;

export interface HistoryState {
  canUndo: boolean;
  canRedo: boolean;
  undoLabel?: string;
  redoLabel?: string;
}

export interface ProjectState {
  dir: string;
  file: string;
  doc: Project;
  /** Increases by one with every change of the document. */
  version: number;
  history: HistoryState;
  /** Unsaved edits exist (the recovery copy holds them). */
  dirty: boolean;
  /** A recovery copy newer than the saved file was found on open. */
  recovery?: { savedAt: string };
}

export interface RecentProject {
  dir: string;
  name: string;
  openedAt: string;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  shotId: string;
  /** "1/2": scene and shot number ("?" for a shot deleted before this host saw it). */
  shotNumber: string;
  /** "Shot 1/2 · Close-up of Leo" (engine/common/shot-title.ts), as it was when the shot was last seen. */
  shotTitle: string;
  /** The shot is no longer in the project: a waiting or running job of it was cancelled. */
  shotDeleted?: true;
  backend: string;
  /** Why this backend runs and not the one chosen (not configured, or it failed while running). */
  fallbackReason?: string;
  /** The farm server running the shot (its label). */
  server?: string;
  status: JobStatus;
  /** 0..1 */
  progress: number;
  etaSeconds?: number;
  stage?: string;
  takeId?: string;
  error?: { code: string; message: string; hint?: string };
  createdAt: string;
  /** What the job's take really cost (a take made by this job, not one reused from the cache). */
  cost?: { usd: number; wallMs: number };
}

export interface ExportVerification {
  ok: boolean;
  durationSeconds: number;
  width: number;
  height: number;
  videoCodec: string;
  audioCodec?: string;
  bytes: number;
  problems: string[];
  /** The loudness meter: integrated loudness (LUFS) and true peak (dBTP) of the exported mix, and the target when one was set. */
  loudness?: { integrated: number; truePeak: number; target?: number };
  /** `klappe verify`'s one-line conclusion (manifest, signature, watermark). */
  provenance?: string;
}

export interface ExportInfo {
  id: string;
  output: string;
  preset: ExportPresetId;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  progress: number;
  etaSeconds?: number;
  stage?: string;
  verification?: ExportVerification;
  /** Caption sidecar files written next to the video (captionFiles). */
  captions?: string[];
  /** The frames of the sequence exported, [in, out) (when finished). */
  range?: { in: number; out: number };
  error?: { code: string; message: string; hint?: string };
}

/** Where a new project goes: `dir`; `taken` when the name's own folder holds another project already. */
export interface ProjectFolder {
  dir: string;
  taken?: string;
}

export interface SettingsView {
  localModelDir: string;
  cacheBudgetGb: number;
  defaultBackend: string;
  creatorName: string;
  /** The guided first film: shown while 'new'. */
  firstFilm: FirstFilmState;
  /** The user's prices over the shipped table. */
  prices: PriceOverrides;
  /** What the router finds in the local model folder (why local generation is or is not available). */
  localModels: string;
  /** Which secrets are set; their values never leave the host. */
  secretsSet: Record<SecretKey, boolean>;
}

export interface CacheUsage {
  bytes: number;
  files: number;
  budgetBytes: number;
  /** Held by projects opened recently: never evicted to meet the budget. */
  pinnedBytes: number;
  /** What the last automatic clean-up evicted (files), when there was one. */
  lastEvicted?: number;
}

export interface AppInfo {
  version: string;
  templates: string[];
  backends: Array<{ id: string; remote: boolean; audio: boolean }>;
  presets: typeof EXPORT_PRESETS;
  projectsDir: string;
  /** Voices the speech engines offer for dialogue lines. */
  voices: string[];
}

/** A line spoken into a new reading (line.add, line.speak). */
export interface LineReadingResult {
  lineId: string;
  /** The clip that plays the line, if one does. */
  clipId?: string;
  readingId: string;
  mediaId: string;
  /** Length of the reading, 48 kHz samples. */
  samples: number;
  version: number;
  history: HistoryState;
}

/**
 * A scene's blocking over time: per scene frame (every `step` frames, from 0 to `frames`), where each character stands
 * (x, z metres, facing degrees) and where each prop is (x, z), as the previz's simulation has it.
 */
export interface SceneBlockingView {
  sceneId: string;
  frames: number;
  step: number;
  characters: Record<string, Array<[x: number, z: number, facingDeg: number]>>;
  props: Record<string, Array<[x: number, z: number]>>;
}

export interface MethodResults {
  'app.info': AppInfo;
  'project.list': RecentProject[];
  'project.new': ProjectState;
  'project.folder': ProjectFolder;
  'project.open': ProjectState;
  'project.recover': ProjectState;
  'project.get': ProjectState | null;
  'project.save': { file: string; savedAt: string };
  'project.reload': ProjectState;
  'project.close': { closed: boolean };
  'project.apply': { version: number; history: HistoryState };
  'project.undo': { version: number; history: HistoryState };
  'project.redo': { version: number; history: HistoryState };
  'generate.enqueue': { jobIds: string[] };
  'generate.enhance': { jobIds: string[] };
  'generate.cancel': JobInfo;
  'models.list': ModelsView;
  'models.install': ModelsView;
  'models.cancelInstall': ModelsView;
  'models.import': ModelsView;
  'models.verify': {
    id: string;
    problems: Array<{ path: string; problem: 'missing' | 'size' | 'sha256'; expected: string; actual: string }>;
  };
  'models.remove': ModelsView;
  'generate.retry': JobInfo;
  'generate.list': JobInfo[];
  'shots.check': ShotCheck[];
  'export.start': ExportInfo;
  'export.cancel': ExportInfo;
  'export.history': ExportRecord[];
  'settings.get': SettingsView;
  'settings.set': SettingsView;
  'cost.estimate': RunEstimate;
  'cost.summary': SpendSummary;
  'cost.prices': PriceInfo;
  'farm.view': FarmView;
  'farm.add': FarmView;
  'farm.remove': FarmView;
  'media.url': { url: string };
  'cache.stats': CacheUsage;
  /** `url` is null when nothing in the sequence has sound; `version` is the document version it mixes. */
  'preview.mix': { url: string | null; samples: number; version: number; loudness?: { integrated: number; truePeak: number } };
  'audio.peaks': PeaksView;
  'audio.speech': Array<{ startSample: number; endSample: number }>;
  'audio.import': { clipId: string; mediaId: string; version: number; history: HistoryState };
  'captions.import': { imported: number; version: number; history: HistoryState };
  'script.import': { report: ScriptImportReport; version: number; history: HistoryState };
  'timeline.export': { text: string; fileName: string };
  'timeline.import': { report: TimelineImportReport; version: number; history: HistoryState };
  'line.add': LineReadingResult;
  'line.speak': LineReadingResult;
  'cast.addReference': { mediaId: string; version: number; history: HistoryState };
  'cast.referenceThumb': { url: string };
  'voice.preview': { url: string; samples: number };
  'scene.blocking': SceneBlockingView;
  'cameo.list': CameoLibraryView;
  'cameo.challenge': { phrase: string };
  'cameo.add': {
    check: { passed: boolean; reasons: Array<{ code: string; message: string }> };
    cameoId?: string;
    library: CameoLibraryView;
  };
  'cameo.grant': CameoLibraryView;
  'cameo.revoke': CameoLibraryView;
  'cameo.permission': CameoLibraryView;
  'cameo.delete': { removedMedia: number; takes: number; library: CameoLibraryView };
  'cameo.import': CameoLibraryView;
  'safety.shot': ShotSafetyView;
  'safety.log': SafetyDecisionView[];
  'safety.policy': SafetyPolicyView;
}

/** An Immer patch of the document (`path` from its root). */
export type DocPatch = Patch;

/**
 * A change of the open project: the Immer patches that take the document at
 * `version - 1` to `version` (undo sends the inverse patches, redo the forward
 * ones). A save changes only `dirty`: same version, no patches. A client whose
 * version is not `version - 1` asks for the whole document (project.get).
 */
export interface ProjectChange {
  version: number;
  patches: DocPatch[];
  /** The patches back (not sent by the studio host: undo goes through it). */
  inversePatches?: DocPatch[];
  history: HistoryState;
  dirty: boolean;
  label?: string;
}

export interface EventPayloads {
  'project.changed': ProjectChange;
  'job.progress': JobInfo;
  'job.done': JobInfo;
  'export.progress': ExportInfo;
  'export.done': ExportInfo;
  /** The cameo library changed (here or from the CLI), with the takes, projects and export plan it flags. */
  'cameo.changed': CameoLibraryView;
  /** Another program changed the open project's file: offer reload (`project.reload`) or keep mine (`project.save` with overwrite). */
  'project.changedOnDisk': { file: string; detectedAt: string };
}
export type EventName = keyof EventPayloads;
export const EVENT_NAMES: readonly EventName[] = [
  'project.changed',
  'job.progress',
  'job.done',
  'export.progress',
  'export.done',
  'cameo.changed',
  'project.changedOnDisk',
];

/** Validates a method name and its params; throws an input KlappeError that names the field. */
export function parseCall<M extends MethodName>(method: string, params: unknown): { method: M; params: ParsedParams<M> } {
  if (!Object.hasOwn(METHODS, method)) {
    throw inputError('UNKNOWN_METHOD', `unknown api method ${JSON.stringify(method)}`, {
      path: 'method',
      hint: `One of: ${Object.keys(METHODS).join(', ')}`,
    });
  }
  const schema = METHODS[method as MethodName];
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = formatJsonPath(['params', ...issue.path]);
    throw inputError('BAD_PARAMS', `${method}: ${path}: ${issue.message}`, {
      path,
      issues: parsed.error.issues.map((i) => ({ path: formatJsonPath(['params', ...i.path]), message: i.message })),
    });
  }
  return { method: method as M, params: parsed.data as ParsedParams<M> };
}

/** One pack in the local model folder (Settings → Models). */
export type ModelPackView =
  | {
      folder: string;
      ok: true;
      id: string;
      name: string;
      version: string;
      pipeline: string;
      licence: string;
      bytes: number;
      files: number;
      source?: string;
    }
  | { folder: string; ok: false; id: string; error: string };

export interface ModelInstallView {
  url: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  doneBytes: number;
  totalBytes: number;
  etaSeconds?: number;
  id?: string;
  error?: string;
}

export interface ModelsView {
  root: string;
  packs: ModelPackView[];
  install?: ModelInstallView;
}
