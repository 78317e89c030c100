/**
 * The project document. This zod schema is the single source of truth for the
 * document's types; every other module derives its types from here.
 *
 * Time is integer frames at the sequence's rational rate, audio is integer
 * samples at 48 kHz. Space (positions) is metres in a right-handed world with
 * y up; the floor is y = 0.
 */
import { z } from 'zod';
import { AUDIO_EDIT_OPS } from '../common/audio-edit-ops.js';
import { LIMITS, numberProblem } from '../common/field-limits.js';
import { MAX_CHARACTER_REFERENCES } from '../common/cast-limits.js';

export { MAX_CHARACTER_REFERENCES };

/**
 * The version of the document's shape. Every change of the shape bumps it and
 * adds a step to migrations.ts (test/model/schema-shape.test.ts compares the
 * shape with the one committed for this version and fails otherwise).
 *
 * Why a build must refuse a newer file instead of reading what it knows: zod
 * strips the keys a schema does not name, so a document from a newer build,
 * parsed here and saved again, would silently lose every field added since
 * (version 2 lost audio edits, line readings and negative prompts that way).
 * Fields therefore cannot be dropped on save: an older build never opens,
 * and so never writes, a file of a newer version (project-file.ts).
 *
 * 1: float seconds and fps. 2: integer frames at a rational rate.
 * 3: audio edits, gain envelopes, negative prompts and line readings are part
 *    of the shape; dialogue lines are one entity (`lines`), named by their
 *    shot and by the lane clip that plays them.
 * 4: a project budget (`budgetUsd`) and each take's real cost (`cost`).
 * 5: a shot may be framed in film language (`framing`: size, subject, over,
 *    side); its camera is placed from that (engine/model/framing.ts).
 * 6: screenplay fields (Fountain): a line's parenthetical, cue extension and
 *    dual dialogue; a scene's heading (INT/EXT, location, time of day); the
 *    project's title page.
 * 7: bounded time (no new field): rates 1–240 fps, frames and samples within 24 hours.
 * 11: the export's loudness target saved with the project (`exportLoudness`).
 * 12: a character's reference images (`references`: ids of the project's image media), for backends that take them.
 */
export const SCHEMA_VERSION = 12;

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.-]+$/, 'ids use letters, digits, _ . -');
/**
 * Bounds of time (7): a rate is 1 to 240 frames per second with terms up to
 * 240,000 (24000/1001 fits); a frame count or position is at most 24 hours at
 * 240 fps, a sample count at most 24 hours at 48 kHz. Against the sequence's
 * rate, integrity.ts keeps every clip and shot within 24 hours.
 */
export const MAX_FPS = 240;
export const MAX_RATE_TERM = 240_000;
export const MAX_HOURS = 24;
export const MAX_FRAMES = MAX_HOURS * 3600 * MAX_FPS;
export const MAX_SAMPLES = MAX_HOURS * 3600 * 48_000;
const frames = z.number().int().nonnegative().max(MAX_FRAMES);
const positiveFrames = z.number().int().positive().max(MAX_FRAMES);
const samples = z.number().int().nonnegative().max(MAX_SAMPLES);
const vec3 = z.tuple([z.number(), z.number(), z.number()]);
const vec2 = z.tuple([z.number(), z.number()]);
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb');

export const RateSchema = z
  .object({
    num: z.number().int().positive().max(MAX_RATE_TERM),
    den: z.number().int().positive().max(MAX_RATE_TERM),
  })
  .refine((r) => r.num >= r.den && r.num <= MAX_FPS * r.den, { message: `a rate is 1 to ${MAX_FPS} frames per second (num/den)` });

export const VoiceSchema = z.object({
  /** Speech engine id; 'flite' is the embedded one. */
  engine: z.string().default('flite'),
  /** Engine voice name (flite: kal, kal16, awb, rms, slt). */
  voice: z.string().default('slt'),
  /** Mean pitch in Hz; omitted = the voice's own. */
  pitchHz: z.number().positive().max(600).optional(),
  /** Speaking rate multiplier; 1 = normal, 1.2 = faster. */
  rate: z.number().positive().max(4).default(1),
});

export const LookSchema = z.object({
  skin: color.default('#e0b090'),
  hair: color.default('#3a2a1a'),
  shirt: color.default('#3060c0'),
  pants: color.default('#303040'),
  /** Height in metres. */
  height: z.number().positive().max(3).default(1.75),
});

export const CharacterSchema = z.object({
  id,
  name: z.string().min(1).max(80),
  voice: VoiceSchema.prefault({}),
  look: LookSchema.prefault({}),
  /** Reference to a cameo grant when the character uses a real person's likeness. */
  cameoRef: z.string().optional(),
  /** Reference images of the character (12): ids of image entries in `media`, sent to backends that take reference images. */
  references: z.array(id).max(MAX_CHARACTER_REFERENCES).optional(),
});

export const PropKindSchema = z.enum(['ball', 'box', 'cup', 'bottle', 'chair', 'table', 'door', 'lamp', 'plant', 'book']);

export const PropSchema = z.object({
  id,
  kind: PropKindSchema,
  name: z.string().min(1).max(80),
  color: color.default('#c04040'),
  /** Start position of the prop's centre, metres. */
  position: vec3,
  /** Rotation about the vertical axis, degrees. */
  yawDeg: z.number().default(0),
  /** Size (x, y, z) in metres; each kind has a default. */
  size: vec3.optional(),
  massKg: z.number().positive().optional(),
  restitution: z.number().min(0).max(1).optional(),
  friction: z.number().min(0).max(5).optional(),
  /** Fixed props (furniture) do not move. */
  fixed: z.boolean().default(false),
});

export const MarkSchema = z.object({
  characterId: id,
  /** Start position on the floor (x, z), metres. */
  position: vec2,
  /** Facing, degrees about the vertical axis; 0 looks along −z. */
  facingDeg: z.number().default(0),
});

export const ActionVerbSchema = z.enum(['walk', 'turn', 'look', 'sit', 'stand', 'pickup', 'putdown', 'drop', 'throw', 'push', 'open']);

export const ActionSchema = z.object({
  id,
  /** Scene time of the action's start, frames. */
  at: frames,
  actorId: id,
  verb: ActionVerbSchema,
  /** A prop id or character id the action is about. */
  targetId: id.optional(),
  /** A floor point (x, z) the action goes to (walk, putdown, throw). */
  to: vec2.optional(),
  /** Action length in frames (walks compute their own when omitted). */
  duration: positiveFrames.optional(),
  /** Strength for throw/push, in m/s of launch speed. */
  speed: z.number().positive().max(40).optional(),
});

export const SetSchema = z.object({
  kind: z.enum(['room', 'outdoor']).default('room'),
  name: z.string().default('Room'),
  /** Floor size (width along x, depth along z), metres, centred on the origin. */
  width: z.number().positive().max(200).default(8),
  depth: z.number().positive().max(200).default(6),
  wallHeight: z.number().positive().max(50).default(3),
  floorColor: color.default('#8a7560'),
  wallColor: color.default('#d8cbb5'),
  skyColor: color.default('#9cc4e8'),
  /** Room tone level, dBFS. */
  roomToneDb: z.number().max(0).default(-50),
});

export const PhysicsSchema = z.object({
  gravity: z.number().default(-9.81),
  seed: z.number().int().nonnegative().default(1),
  /** Simulation steps per second (fixed step). */
  stepHz: z.number().int().min(30).max(2000).default(240),
});

export const CameraMoveSchema = z.object({
  type: z.enum(['static', 'pan', 'tilt', 'dolly', 'orbit', 'handheld']).default('static'),
  /** Pan/tilt/orbit: degrees over the shot; dolly: metres towards the target. */
  amount: z.number().default(0),
});

export const CameraSchema = z.object({
  position: vec3,
  target: vec3,
  lensMm: z
    .number()
    .min(LIMITS.lens.min, { error: () => numberProblem(LIMITS.lens, LIMITS.lens.min - 1) })
    .max(LIMITS.lens.max, { error: () => numberProblem(LIMITS.lens, LIMITS.lens.max + 1) })
    .default(35),
  move: CameraMoveSchema.prefault({}),
});

export const ShotSizeSchema = z.enum(['wide', 'medium', 'close-up', 'over-the-shoulder', 'insert']);

/**
 * A shot in film language: how big the subject is in the frame, who (or which
 * prop) the subject is, whose shoulder an over-the-shoulder looks over, and
 * which side of the subject the camera stands on. The camera is placed from it.
 */
export const FramingSchema = z.object({
  size: ShotSizeSchema,
  /** A character id, or a prop id for an insert. */
  subjectId: id,
  /** Over-the-shoulder: the character in the foreground. */
  overId: id.optional(),
  /** Which side of the subject's line of sight the camera stands on. */
  side: z.enum(['left', 'right']).optional(),
});

export const ShotSchema = z.object({
  id,
  /** Shot number shown on slates and cards ("1", "2A"). */
  number: z.string().min(1).max(16),
  name: z.string().max(120).default(''),
  /** Where the shot starts in scene time, frames. Shots may overlap (coverage). */
  sceneStart: frames.default(0),
  duration: z
    .number()
    .int({ error: () => numberProblem(LIMITS.shotDuration, 1.5) })
    .positive({ error: () => numberProblem(LIMITS.shotDuration, 0) })
    .max(MAX_FRAMES),
  camera: CameraSchema,
  /** Size and subject the camera is placed from; omitted = the camera is set by numbers only. */
  framing: FramingSchema.optional(),
  action: z.string().max(2000).default(''),
  prompt: z.string().max(4000).default(''),
  /** What the generator should avoid (Veo `negativePrompt`, ComfyUI's negative conditioning). */
  negativePrompt: z.string().max(2000).optional(),
  characterIds: z.array(id).default([]),
  /** Backend the user picked for this shot; omitted = the router decides. */
  backend: z.string().optional(),
  seed: z.number().int().nonnegative().default(0),
  /** The take the sequence uses; omitted = the newest take, else a slate. */
  selectedTakeId: id.optional(),
});

/** A screenplay scene heading: "INT. KITCHEN - NIGHT" is prefix INT, location KITCHEN, time of day NIGHT (a forced heading has no prefix). */
export const SceneHeadingSchema = z.object({
  prefix: z.string().max(16).default(''),
  location: z.string().max(200).default(''),
  timeOfDay: z.string().max(60).default(''),
});

/**
 * What a screenplay says between its scenes' actions and dialogue that is not a shot or a line (10): transitions,
 * centered text, notes, sections, synopses, page breaks, boneyard; kept so the script written back says it again.
 */
export const ScriptExtraSchema = z.object({
  kind: z.enum(['transition', 'centered', 'note', 'section', 'synopsis', 'pagebreak', 'boneyard']),
  text: z.string().max(20_000).default(''),
  /** A section's depth (# is 1). */
  depth: z.number().int().min(1).max(6).optional(),
  /** How many of the scene's actions and lines (or, before the first scene, of the script's extras) come before it. */
  after: z.number().int().nonnegative().max(1_000_000).default(0),
});

export const SceneSchema = z.object({
  id,
  number: z.string().min(1).max(16),
  name: z.string().max(120).default(''),
  /** The screenplay's heading of the scene, when it came from (or goes to) a script. */
  heading: SceneHeadingSchema.optional(),
  set: SetSchema.prefault({}),
  props: z.array(PropSchema).default([]),
  marks: z.array(MarkSchema).default([]),
  actions: z.array(ActionSchema).default([]),
  physics: PhysicsSchema.prefault({}),
  shots: z.array(ShotSchema).default([]),
  /** The screenplay's other elements within the scene (10). */
  scriptExtras: z.array(ScriptExtraSchema).max(10_000).optional(),
});

export const TakeStatusSchema = z.enum(['ready', 'failed', 'stale']);

/**
 * What making a take really cost: the measured wall time (ms), the money at
 * the price table of the day (cloud: from the billed seconds; previz: 0), and
 * for local GPU work the energy. `prices` names the price table version used.
 */
export const TakeCostSchema = z.object({
  wallMs: z.number().int().nonnegative(),
  usd: z.number().nonnegative(),
  /** Seconds of output the provider bills (cloud), when it bills per second. */
  billedSeconds: z.number().int().nonnegative().optional(),
  /** Energy drawn by a local GPU, watt-hours. */
  energyWh: z.number().nonnegative().optional(),
  prices: z.string(),
});

export const TakeSchema = z.object({
  id,
  shotId: id,
  number: z.number().int().positive(),
  backend: z.string(),
  model: z.string().default(''),
  modelVersion: z.string().default(''),
  seed: z.number().int().nonnegative().default(0),
  status: TakeStatusSchema.default('ready'),
  /** Content hashes (sha256 hex) of the media in the cache. */
  media: z
    .object({
      video: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
      audio: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
      thumbnail: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
      metadata: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
    })
    .default({}),
  duration: positiveFrames,
  cacheKey: z.string().optional(),
  /** Why the router fell back from the backend the user asked for, if it did. */
  fallbackReason: z.string().optional(),
  createdAt: z.string(),
  params: z.record(z.string(), z.unknown()).default({}),
  /** Real time and cost of making this take (absent for takes made before v4, imported or reused from the cache). */
  cost: TakeCostSchema.optional(),
});

export const MediaSchema = z.object({
  id,
  /** Path of an imported file, relative to the project folder (or absolute). */
  path: z.string().min(1),
  kind: z.enum(['video', 'audio', 'image']),
  /** Duration in frames at the sequence rate (video) — informational. */
  durationFrames: frames.optional(),
  /** Duration in samples at 48 kHz (audio). */
  durationSamples: samples.optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

export const ClipSourceSchema = z.discriminatedUnion('type', [
  /** The shot's selected take (or its slate while it has none). */
  z.object({ type: z.literal('shot'), shotId: id }),
  /** A specific take. */
  z.object({ type: z.literal('take'), takeId: id }),
  /** An imported media file. */
  z.object({ type: z.literal('media'), mediaId: id }),
  /** A dialogue line not spoken yet (e.g. imported from SRT), named by the clip's `lineId`: silent, shown in captions. */
  z.object({ type: z.literal('line') }),
]);

/** A point of a clip's gain envelope: a source position (48 kHz samples from the start of the source media) and a gain. */
export const GainPointSchema = z.object({
  sourceSample: samples,
  db: z.number().min(-96).max(24),
});

export const AudioEditOpSchema = z.enum(AUDIO_EDIT_OPS);

/**
 * A non-destructive edit over a range of the clip's source audio (48 kHz
 * samples from the start of the source media, end exclusive). cut/delete
 * remove the range (later audio moves up), silence mutes it, gain adds gainDb,
 * fadeIn/fadeOut ramp over it, normalize brings its peak to targetDb.
 */
export const AudioEditFieldsSchema = z.object({
  id,
  op: AudioEditOpSchema,
  startSample: samples,
  endSample: samples,
  /** gain: dB added over the range. */
  gainDb: z.number().min(-96).max(48).optional(),
  /** normalize: the peak level to reach, dBFS (default −1). */
  targetDb: z.number().min(-60).max(0).optional(),
});

export const AudioEditSchema = AudioEditFieldsSchema.refine((e) => e.endSample > e.startSample, {
  message: 'endSample must be after startSample',
  path: ['endSample'],
});

/**
 * A transition (8) from a clip into the clip that starts where it ends on the same track: `before` frames of it lie
 * before the cut and `after` frames after it (a centred dissolve of 24 frames: 12 and 12). The outgoing clip plays on
 * past its out point and the incoming one starts early by those frames; where the media has no frames there, the
 * last (or first) frame holds. No clip starting at the cut: the transition is kept but has no effect (reported).
 */
export const TransitionKindSchema = z.enum(['dissolve', 'dip-to-black', 'wipe']);
export const TransitionSchema = z
  .object({
    kind: TransitionKindSchema.default('dissolve'),
    before: frames.default(0),
    after: frames.default(0),
  })
  .refine((t) => t.before + t.after > 0, { message: 'a transition lasts at least one frame (before + after)' });

export const ClipSchema = z.object({
  id,
  name: z.string().max(120).default(''),
  source: ClipSourceSchema,
  /** First frame used from the source, in frames of `sourceRate`. */
  sourceStart: frames.default(0),
  /** The rate of the source media that `sourceStart` counts in (8); absent: the sequence's rate. */
  sourceRate: RateSchema.optional(),
  /** Where the clip starts on the sequence, frames. */
  recordStart: frames,
  duration: positiveFrames,
  gainDb: z.number().min(-96).max(24).default(0),
  fadeInSamples: samples.default(0),
  fadeOutSamples: samples.default(0),
  muted: z.boolean().default(false),
  /** Gain envelope over the source audio; linear in dB between points, held outside them. */
  gainEnvelope: z.array(GainPointSchema).optional(),
  /** Region edits over the source audio, rendered at export; the media is never changed. */
  audioEdits: z.array(AudioEditSchema).optional(),
  /** Dialogue clips: the line (project `lines`) this clip plays; a line is played by at most one clip. */
  lineId: id.optional(),
  /** The transition into the next clip of the track (8). */
  transitionOut: TransitionSchema.optional(),
  /**
   * What other editors wrote on the clip that Klappe does not use (9): OpenTimelineIO effects and unknown schemas, as
   * read (JSON), written back untouched on export to that format.
   */
  interchange: z.record(z.string(), z.unknown()).optional(),
});

/** One generated reading of a dialogue line (the audio is an imported media entry). */
export const LineReadingSchema = z.object({
  id,
  mediaId: id,
  voice: VoiceSchema,
  /** The words this reading says; picking the reading makes them the line's text. Absent: the line's text. */
  text: z.string().min(1).max(1000).optional(),
  createdAt: z.string(),
});

/**
 * A dialogue line: who says what, the one place its words live. Linked both
 * ways, with one source of truth for each link:
 * - the line names its shot (`shotId`): that shot's takes speak it (a take
 *   speaks its own shot's lines, in the order of `lines`); the shot's lines
 *   are derived (model/lines.ts);
 * - a lane clip names the line it plays (`clip.lineId`); the line's clip is
 *   derived. A line may have either, both or neither.
 * Readings are speech made for the line; the lane clip plays the selected one.
 */
export const LineSchema = z.object({
  id,
  characterId: id,
  text: z.string().min(1).max(1000),
  /** The shot whose takes speak this line; omitted = a line of the lanes only. */
  shotId: id.optional(),
  /** Start within the shot, frames; omitted = after the shot's previous line. */
  start: frames.optional(),
  readings: z.array(LineReadingSchema).default([]),
  /** The reading the line's clip plays. */
  selectedReadingId: id.optional(),
  /** Screenplay: how it is said, without the brackets ("quietly"). */
  parenthetical: z.string().min(1).max(200).optional(),
  /** Screenplay: the character cue's extension without brackets ("V.O.", "O.S.", "CONT'D"). */
  extension: z.string().min(1).max(40).optional(),
  /** Screenplay: spoken at the same time as the line before (dual dialogue). */
  dual: z.boolean().optional(),
});

export const TrackKindSchema = z.enum(['video', 'dialogue', 'sfx', 'music']);

export const TrackSchema = z.object({
  id,
  kind: TrackKindSchema,
  name: z.string().max(80).default(''),
  muted: z.boolean().default(false),
  solo: z.boolean().default(false),
  gainDb: z.number().min(-96).max(24).default(0),
  /** −1 left … +1 right. */
  pan: z.number().min(-1).max(1).default(0),
  /** Dialogue tracks: the character whose lane this is (one lane per character). */
  characterId: id.optional(),
  clips: z.array(ClipSchema).default([]),
});

export const MarkerColorSchema = z.enum(['red', 'orange', 'yellow', 'green', 'cyan', 'blue', 'purple', 'pink', 'white']);

/** A marker on the sequence (8): a frame and an optional length, a name, a colour, a note; a clip's marker names it. */
export const MarkerSchema = z.object({
  id,
  frame: frames,
  duration: frames.default(0),
  name: z.string().max(200).default(''),
  color: MarkerColorSchema.default('blue'),
  note: z.string().max(2000).default(''),
  /** The clip the marker belongs to in other editors (it moves with the clip there); absent: the sequence's. */
  clipId: id.optional(),
});

export const SequenceSchema = z.object({
  id,
  name: z.string().max(120).default('Sequence'),
  rate: RateSchema,
  width: z.number().int().min(16).max(7680).multipleOf(2),
  height: z.number().int().min(16).max(4320).multipleOf(2),
  /** Video tracks: later tracks are on top. */
  tracks: z.array(TrackSchema).default([]),
  /** Markers (8), in no particular order. */
  markers: z.array(MarkerSchema).default([]),
});

/** The export's master loudness, as the export dialog offers it (engine/audio/loudness.ts has the LUFS of each). */
export const EXPORT_LOUDNESS_CHOICES = ['off', 'streaming', 'podcast', 'broadcast'] as const;
export const ExportLoudnessSchema = z.enum(EXPORT_LOUDNESS_CHOICES);

export const ProjectSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id,
  name: z.string().min(1).max(200),
  createdAt: z.string(),
  creator: z.object({ name: z.string().max(120).default('') }).prefault({}),
  /** The screenplay's title page (Title, Credit, Author, Draft date…), in order, as written. */
  titlePage: z.array(z.object({ key: z.string().min(1).max(60), value: z.string().max(2000) })).optional(),
  /** The screenplay's elements before its first scene, and its boneyard (10). */
  scriptExtras: z.array(ScriptExtraSchema).max(10_000).optional(),
  /** The most this project may spend on generation, US dollars; none = no limit. */
  budgetUsd: z.number().nonnegative().optional(),
  /** The export's loudness target (the dialog's choice, the CLI render's default); new projects master for streaming. */
  exportLoudness: ExportLoudnessSchema.default('streaming'),
  characters: z.array(CharacterSchema).default([]),
  scenes: z.array(SceneSchema).default([]),
  /** Every dialogue line of the project (shots' and lanes'). */
  lines: z.array(LineSchema).default([]),
  takes: z.array(TakeSchema).default([]),
  media: z.array(MediaSchema).default([]),
  sequence: SequenceSchema,
});

export type RateT = z.infer<typeof RateSchema>;
export type Voice = z.infer<typeof VoiceSchema>;
export type Look = z.infer<typeof LookSchema>;
export type Character = z.infer<typeof CharacterSchema>;
export type Prop = z.infer<typeof PropSchema>;
export type PropKind = z.infer<typeof PropKindSchema>;
export type Mark = z.infer<typeof MarkSchema>;
export type Action = z.infer<typeof ActionSchema>;
export type ActionVerb = z.infer<typeof ActionVerbSchema>;
export type SceneSet = z.infer<typeof SetSchema>;
export type Physics = z.infer<typeof PhysicsSchema>;
export type Camera = z.infer<typeof CameraSchema>;
export type ShotSize = z.infer<typeof ShotSizeSchema>;
export type Framing = z.infer<typeof FramingSchema>;
export type CameraMove = z.infer<typeof CameraMoveSchema>;
export type Shot = z.infer<typeof ShotSchema>;
export type Scene = z.infer<typeof SceneSchema>;
export type ScriptExtra = z.infer<typeof ScriptExtraSchema>;
export type SceneHeading = z.infer<typeof SceneHeadingSchema>;
export type Take = z.infer<typeof TakeSchema>;
export type TakeCost = z.infer<typeof TakeCostSchema>;
export type Media = z.infer<typeof MediaSchema>;
export type ClipSource = z.infer<typeof ClipSourceSchema>;
export type Clip = z.infer<typeof ClipSchema>;
export type Transition = z.infer<typeof TransitionSchema>;
export type TransitionKind = z.infer<typeof TransitionKindSchema>;
export type Marker = z.infer<typeof MarkerSchema>;
export type MarkerColor = z.infer<typeof MarkerColorSchema>;
export type GainPoint = z.infer<typeof GainPointSchema>;
export type AudioEditOp = z.infer<typeof AudioEditOpSchema>;
export type AudioEdit = z.infer<typeof AudioEditSchema>;
export type LineReading = z.infer<typeof LineReadingSchema>;
export type Line = z.infer<typeof LineSchema>;
export type TrackKind = z.infer<typeof TrackKindSchema>;
export type Track = z.infer<typeof TrackSchema>;
export type Sequence = z.infer<typeof SequenceSchema>;
export type ExportLoudness = z.infer<typeof ExportLoudnessSchema>;
export type Project = z.infer<typeof ProjectSchema>;
/** What a document may be written as before defaults are filled in. */
export type ProjectInput = z.input<typeof ProjectSchema>;
