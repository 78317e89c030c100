/**
 * The generation interface every backend implements (slate, previz, onnx,
 * cloud). A backend turns a ShotRequest into media files plus metadata; the
 * caller (job queue, CLI) stores them in the media cache and records a take.
 */
import type { ShotWithLines } from '../model/lines.js';
import type { Camera, Character, Physics, Prop, SceneSet, Mark, Action, RateT } from '../model/schema.js';

export type GenerationMode = 'text-to-video' | 'image-to-video' | 'extend' | 'first-last-frame';
export type QualityPreset = 'draft' | 'standard' | 'pro';

export interface ShotRequest {
  projectId: string;
  /** Scene world snapshot: everything in the scene at its start. */
  scene: {
    id: string;
    number: string;
    name: string;
    set: SceneSet;
    props: Prop[];
    marks: Mark[];
    actions: Action[];
    physics: Physics;
    /** All shots of the scene (scene-time coverage) with their lines, for backends that simulate the whole scene once. */
    shots: ShotWithLines[];
  };
  /** The shot with the lines its take speaks (`dialogue`: words, speaker, start; never readings). */
  shot: ShotWithLines;
  camera: Camera;
  characters: Character[];
  /** Number the new take will get (slates print it). */
  takeNumber: number;
  references: {
    firstFrame?: string;
    lastFrame?: string;
    images?: string[];
    /** Previous take to extend (media hash). */
    extendTakeVideo?: string;
  };
  seed: number;
  size: { width: number; height: number };
  rate: RateT;
  quality: QualityPreset;
  creatorName: string;
}

export interface Capabilities {
  modes: GenerationMode[];
  /** Sizes the backend can make; empty = any even size. */
  sizes: Array<{ width: number; height: number }>;
  maxDurationFrames?: number;
  maxDurationSeconds: number;
  audio: boolean;
  remote: boolean;
  /** Price per generated second, if any. */
  costPerSecondUsd?: number;
}

export interface Estimate {
  seconds: number;
  costUsd: number;
}

export interface GenerateProgress {
  /** 0..1 */
  fraction: number;
  stage: string;
}

export interface GenerateContext {
  signal: AbortSignal;
  onProgress: (p: GenerateProgress) => void;
  /** Folder the backend writes its output files into (created, emptied by the caller). */
  workDir: string;
  /** What the backend stored before a restart (a remote operation id), if anything. */
  resumeState?: unknown;
  /** Store state needed to resume after a crash (call before waiting on remote work). */
  saveResumeState: (state: unknown) => void;
  /** Notes why the take was made differently than asked (a farm server that failed): recorded on the take. */
  noteReason?: (reason: string) => void;
}

export interface GeneratedMedia {
  /** MP4 with the shot's picture (and its sound, when the backend makes sound). */
  video: string;
  /** Separate audio (WAV), when the backend has one. */
  audio?: string;
  thumbnail?: string;
  model: string;
  modelVersion: string;
  /** Backend-specific facts: words/phonemes/contacts timings, device, operation id. */
  metadata: Record<string, unknown>;
  /** Facts recorded on the take's params (a local pack's provider, steps, guidance). */
  params?: Record<string, unknown>;
  durationFrames: number;
}

export interface Backend {
  readonly id: string;
  /** Bump when output for the same request changes (part of the cache key). */
  readonly version: string;
  capabilities(): Capabilities;
  estimate(request: ShotRequest): Estimate;
  /** Throws KlappeError (kind 'input') for a request this backend cannot make. */
  validate?(request: ShotRequest): void;
  /** Jobs it can run at once now (a farm's free and busy slots); the queue's setting when absent. */
  slots?(): number | undefined;
  generate(request: ShotRequest, ctx: GenerateContext): Promise<GeneratedMedia>;
}
