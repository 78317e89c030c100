/**
 * The embedded generator ("previz"): the shot's scene simulated once (Rapier),
 * the shot as a camera on it, frames drawn in worker threads and streamed to
 * ffmpeg, speech and sound effects from the sound modules, muxed into one MP4.
 * Deterministic: the same request gives the same frames and samples.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpokenDialogue, TimedUnit } from '../../audio/speech/speech-engine.js';
import type { Character } from '../../model/schema.js';
import { framesToSeconds, frameToSample, type Rate } from '../../common/time.js';
import { canonicalJson, sha256Hex } from '../../util/hash.js';
import { LruCache } from '../../util/lru-cache.js';
import type { Backend, Capabilities, GenerateContext, GeneratedMedia, ShotRequest } from '../backend.js';
import { applyPrompts } from './apply-prompt.js';
import { viewOf } from './camera.js';
import { encodeShot } from './render-frames.js';
import { performTake } from './variation.js';
import { checkRequest, MAX_SHOT_SECONDS, type SceneInput } from './scene-input.js';
import type { ShotFrames } from './shot-frames.js';
import type { SceneSimulation } from './simulate.js';
import { defaultSound, type PrevizSound, type ScheduledLine } from './sound-port.js';

/** 2: a variation seed varies the performance (blocking, timing), not only the camera. */
export const PREVIZ_VERSION = '2';

/** The spoken lines of each scene (mono 48 kHz samples), shared by the scene's shots. */
export const speechCache = new LruCache<string, Promise<ScheduledLine[]>>({
  maxEntries: 32,
  maxBytes: 128 * 2 ** 20,
  sizeOf: (lines) => lines.reduce((n, l) => n + l.samples.byteLength + 256, 0),
});

/** Every line of the scene, spoken once while cached (the sound module's speakScene). */
function sceneLines(sound: PrevizSound, scene: SceneInput, characters: Character[], rate: Rate): Promise<ScheduledLine[]> {
  const key = sha256Hex(
    canonicalJson({ shots: scene.shots.map((s) => ({ id: s.id, sceneStart: s.sceneStart, dialogue: s.dialogue })), characters, rate }),
  );
  return speechCache.getOrCreate(key, () => sound.speakScene(scene, characters, rate));
}

export interface PrevizShot {
  sim: SceneSimulation;
  scene: SceneInput;
  lines: ScheduledLine[];
  frames: ShotFrames;
  audio: Float32Array;
  sound: PrevizSound;
  parse?: unknown;
}

/** Everything about a shot except the encoding: simulation, frames, tracks, audio. */
export async function planPrevizShot(request: ShotRequest, opts: { sound?: PrevizSound } = {}): Promise<PrevizShot> {
  checkRequest(request);
  const sound = opts.sound ?? defaultSound;
  const { scene: directed, parses } = applyPrompts(request.scene, request.characters, sound.parsePrompt);
  const shot = directed.shots.find((s) => s.id === request.shot.id) ?? request.shot;
  // The prompt may have filled in the move of a static storyboard camera.
  const camera = request.camera === request.shot.camera ? shot.camera : request.camera;
  // The scene's own cast, in mark order: the same for every shot of the scene (voices and simulation agree).
  const cast = directed.marks.map((m) => request.characters.find((c) => c.id === m.characterId)!);
  const spoken = await sceneLines(sound, directed, cast, request.rate);
  const size =
    request.quality === 'pro' && request.size.width * request.size.height <= 1280 * 720 ? scaleTo1080(request.size) : request.size;
  // A variation seed: another performance of the same direction (variation.ts); other seeds: the scene as directed.
  const { scene, sim, lines, frames } = await performTake({
    scene: directed,
    shot,
    camera,
    cast,
    spoken,
    seed: request.seed,
    rate: request.rate,
    size,
    sound,
  });
  const audio = sound.renderShotAudio({
    rate: request.rate,
    shotStartFrame: shot.sceneStart,
    shotFrames: shot.duration,
    lines,
    contacts: sim.contacts,
    sourcePosition: (id, f) => {
      const w = sim.world[Math.max(0, Math.min(f, sim.world.length - 1))]!;
      return [...(w.characters[id]?.head ?? w.props[id]?.position ?? [0, 1.5, 0])];
    },
    listener: (f) => {
      const i = Math.max(0, Math.min(shot.duration - 1, f - shot.sceneStart));
      const v = viewOf(frames.cameras[i]!, size.width, size.height);
      return { position: [...v.position], forward: [...v.forward], right: [...v.right] };
    },
    roomToneDb: scene.set.roomToneDb,
    seed: scene.physics.seed,
  });
  return { sim, scene, lines, frames, audio, sound, parse: parses[shot.id] };
}

/** 'pro' makes 1080p: the request's aspect at 1080 on the short side. */
function scaleTo1080(size: { width: number; height: number }): { width: number; height: number } {
  const k = 1080 / Math.min(size.width, size.height);
  const even = (v: number) => Math.round(v / 2) * 2;
  return { width: even(size.width * k), height: even(size.height * k) };
}

/** A previz backend; `sound` replaces the sound modules (tests use a stand-in while they are missing). */
export function createPrevizBackend(opts: { sound?: PrevizSound } = {}): Backend {
  return {
    id: 'previz',
    version: PREVIZ_VERSION,

    capabilities(): Capabilities {
      return { modes: ['text-to-video'], sizes: [], maxDurationSeconds: MAX_SHOT_SECONDS, audio: true, remote: false };
    },

    estimate(request) {
      const seconds = framesToSeconds(request.shot.duration, request.rate);
      const px = (request.size.width * request.size.height) / (1280 * 720);
      return { seconds: 1 + seconds * 0.4 * px, costUsd: 0 };
    },

    validate(request) {
      checkRequest(request);
    },

    async generate(request: ShotRequest, ctx: GenerateContext): Promise<GeneratedMedia> {
      ctx.onProgress({ fraction: 0, stage: 'simulating the scene' });
      const plan = await planPrevizShot(request, opts);
      const { shot, rate } = { shot: request.shot, rate: request.rate };
      const spec0 = plan.frames.specs[0]!;
      const wav = join(ctx.workDir, 'shot.wav');
      writeFileSync(wav, plan.sound.encodeWav(plan.audio, 2, 48000));
      const video = join(ctx.workDir, 'previz.mp4');
      ctx.onProgress({ fraction: 0.05, stage: 'drawing' });
      await encodeShot({
        specs: plan.frames.specs,
        rate,
        width: spec0.width,
        height: spec0.height,
        wav,
        output: video,
        signal: ctx.signal,
        onProgress: (f) => ctx.onProgress({ fraction: 0.05 + 0.95 * f, stage: 'drawing' }),
      });
      return {
        video,
        audio: wav,
        model: 'previz',
        modelVersion: PREVIZ_VERSION,
        durationFrames: shot.duration,
        metadata: takeMetadata(plan, request),
      };
    },
  };
}

export const previzBackend: Backend = createPrevizBackend();

/** The take's metadata: dialogue and contacts in take samples, per-frame screen boxes, world positions and camera. */
export function takeMetadata(plan: PrevizShot, request: ShotRequest): Record<string, unknown> {
  const shot = plan.scene.shots.find((s) => s.id === request.shot.id) ?? request.shot;
  const rate: Rate = request.rate;
  const start = frameToSample(shot.sceneStart, rate);
  const end = frameToSample(shot.sceneStart + shot.duration, rate);
  const shift = (u: TimedUnit): TimedUnit => ({ text: u.text, startSample: u.startSample - start, endSample: u.endSample - start });
  const dialogue: SpokenDialogue[] = plan.lines
    .filter((l) => l.endSample > start && l.startSample < end)
    .map((l) => ({
      lineId: l.lineId,
      characterId: l.characterId,
      text: l.text,
      startSample: l.startSample - start,
      endSample: l.endSample - start,
      words: l.words.map(shift),
      phonemes: l.phonemes.map(shift),
    }));
  const contacts = plan.sim.contacts
    .filter((c) => c.sceneSample >= start && c.sceneSample < end)
    .map((c) => ({ ...c, takeSample: c.sceneSample - start, takeFrame: c.sceneFrame - shot.sceneStart }));
  const world = plan.frames.specs.map((s) => ({
    props: Object.fromEntries(s.props.map((p) => [p.id, { position: p.position, rotation: p.rotation }])),
    characters: Object.fromEntries(
      s.characters.map((c) => [
        c.id,
        { position: c.pose.position, facingDeg: c.pose.facingDeg, head: c.pose.head, mouthOpen: c.mouth.open },
      ]),
    ),
  }));
  return {
    backend: 'previz',
    version: PREVIZ_VERSION,
    sceneId: request.scene.id,
    shotId: shot.id,
    sceneStart: shot.sceneStart,
    frames: shot.duration,
    rate,
    width: plan.frames.specs[0]!.width,
    height: plan.frames.specs[0]!.height,
    seed: request.seed,
    dialogue,
    contacts,
    tracks: plan.frames.tracks.map((t) => t.boxes),
    world,
    camera: plan.frames.cameras,
    prompt: plan.parse ?? null,
  };
}
