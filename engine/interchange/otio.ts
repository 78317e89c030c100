/**
 * OpenTimelineIO (`.otio` JSON) export and import of the sequence.
 *
 * Export: Timeline.1 → Stack.1 → Track.1 (Video for video tracks, Audio for
 * the others) → Clip.2 / Gap.1. A clip's media reference is an
 * ExternalReference to the take's video in the cache or the imported file, a
 * GeneratorReference (kind "Slate") for a shot with no take yet, and a
 * MissingReference for a dialogue line not spoken yet. Times are
 * RationalTime at the sequence's rate, written as the float num/den
 * (23.976023976023978 for 24000/1001). Klappe's own fields (ids, clip source
 * with its take and shot, gain, fades, track kind and lane) go under
 * `metadata.klappe`, so export → import gives back the same sequence.
 *
 * Import reads what other tools write too: legacy schema names (Sequence.1,
 * Clip.1 with `media_reference`, Filler.1), truncated rates (23.976, 29.97,
 * 59.94 are the NTSC rates), non-strict JSON (loose-json.ts), nested stacks
 * (flattened onto the track, with a report), Transition and Marker (reported:
 * the sequence has no transitions or markers), effects and unknown schemas
 * (reported; their JSON is kept in the report). The result is a list of typed
 * commands that replace the sequence's tracks: the caller applies them as one
 * undo step, so a file that fails to read changes nothing. Media entries come
 * first, then each track with its clips in one command.
 */
import { pathToFileURL, fileURLToPath } from 'node:url';
import { isAbsolute, relative, resolve } from 'node:path';
import { inputError } from '../common/errors.js';
import { rateEquals, rescaleFrames, type Rate } from '../common/time.js';
import type { CommandInput } from '../model/commands/index.js';
import { findTake } from '../model/lookup.js';
import { rateFromFps } from '../model/migrations.js';
import {
  ClipSchema,
  type Clip,
  type Marker,
  type MarkerColor,
  type Project,
  type Track,
  type TrackKind,
  type TransitionKind,
  TransitionKindSchema,
} from '../model/schema.js';
import { parseLooseJson, stringifyLooseJson, type LooseJson } from './loose-json.js';

export type Obj = { [key: string]: LooseJson };

export interface OtioExportOptions {
  /** Folder of the project (imported media paths are relative to it). */
  projectDir: string;
  /** The file of a cached media hash, when it is in the cache. */
  mediaFile?: (hash: string) => string | undefined;
}

/** An OTIO RationalTime and TimeRange (the readers of the other formats build the OTIO form with these too). */
export const otioTime = (value: number, rate: number): Obj => ({ OTIO_SCHEMA: 'RationalTime.1', rate, value });
export const otioRange = (start: number, duration: number, rate: number): Obj => ({
  OTIO_SCHEMA: 'TimeRange.1',
  duration: otioTime(duration, rate),
  start_time: otioTime(start, rate),
});
const rt = otioTime;
const range = otioRange;

/** The OTIO media reference of a clip (ExternalReference to its file, GeneratorReference for a slate, MissingReference). */
export function mediaReference(doc: Project, clip: Clip, opts: OtioExportOptions, rate: number): Obj {
  const external = (file: string, durationFrames?: number): Obj => ({
    OTIO_SCHEMA: 'ExternalReference.1',
    name: '',
    target_url: pathToFileURL(file).href,
    metadata: {},
    available_range: durationFrames ? range(0, durationFrames, rate) : null,
  });
  const src = clip.source;
  if (src.type === 'media') {
    const media = doc.media.find((m) => m.id === src.mediaId);
    if (media) return external(isAbsolute(media.path) ? media.path : resolve(opts.projectDir, media.path), media.durationFrames);
  }
  const take =
    src.type === 'take'
      ? findTake(doc, src.takeId)
      : src.type === 'shot'
        ? doc.takes.find((t) => t.id === findShotSelected(doc, src.shotId))
        : undefined;
  if (take?.media.video) {
    const file = opts.mediaFile?.(take.media.video);
    if (file) return external(file, take.duration);
  }
  if (src.type === 'shot' || src.type === 'take') {
    const shotId = src.type === 'shot' ? src.shotId : take?.shotId;
    return {
      OTIO_SCHEMA: 'GeneratorReference.1',
      name: 'Slate',
      generator_kind: 'Slate',
      parameters: { shotId: shotId ?? null },
      metadata: {},
      available_range: null,
    };
  }
  return { OTIO_SCHEMA: 'MissingReference.1', name: clip.name, metadata: {}, available_range: null };
}

/** The take a shot clip plays: the selected one, else the newest ready one. */
function findShotSelected(doc: Project, shotId: string): string | undefined {
  for (const scene of doc.scenes) {
    const shot = scene.shots.find((s) => s.id === shotId);
    if (shot?.selectedTakeId) return shot.selectedTakeId;
  }
  return doc.takes.filter((t) => t.shotId === shotId && t.status === 'ready').at(-1)?.id;
}

/** OTIO's marker colours and Klappe's. */
const OTIO_COLORS: Record<MarkerColor, string> = {
  red: 'RED',
  orange: 'ORANGE',
  yellow: 'YELLOW',
  green: 'GREEN',
  cyan: 'CYAN',
  blue: 'BLUE',
  purple: 'PURPLE',
  pink: 'PINK',
  white: 'WHITE',
};
const COLOR_FROM_OTIO: Record<string, MarkerColor> = {
  ...Object.fromEntries(Object.entries(OTIO_COLORS).map(([k, v]) => [v, k as MarkerColor])),
  MAGENTA: 'pink',
  BLACK: 'white',
};

/** OTIO's transition types for Klappe's kinds (the other kinds are custom transitions naming theirs in metadata). */
const OTIO_TRANSITION: Record<TransitionKind, string> = {
  dissolve: 'SMPTE_Dissolve',
  'dip-to-black': 'Custom_Transition',
  wipe: 'Custom_Transition',
};

function otioMarker(m: Marker, start: number, rate: number): Obj {
  return {
    OTIO_SCHEMA: 'Marker.2',
    name: m.name,
    color: OTIO_COLORS[m.color],
    marked_range: range(start, m.duration, rate),
    comment: m.note,
    metadata: { klappe: { id: m.id } },
  };
}

/** A clip's source range: at its media's rate when it has one (the duration may then be fractional frames), else the sequence's. */
function sourceRange(clip: Clip, seq: Rate): Obj {
  const src = clip.sourceRate;
  if (!src) return range(clip.sourceStart, clip.duration, seq.num / seq.den);
  return range(clip.sourceStart, (clip.duration * src.num * seq.den) / (src.den * seq.num), src.num / src.den);
}

/** The sequence as an OTIO Timeline object. */
export function sequenceToOtio(doc: Project, opts: OtioExportOptions): Obj {
  const seq = doc.sequence;
  const rate = seq.rate.num / seq.rate.den;
  const tracks: Obj[] = seq.tracks.map((track) => {
    const children: Obj[] = [];
    let at = 0;
    const sorted = [...track.clips].sort((a, b) => a.recordStart - b.recordStart);
    sorted.forEach((clip, i) => {
      if (clip.recordStart < at) return; // overlapping clips cannot be written on one OTIO track (the model keeps a track free of overlaps)
      const before = sorted[i - 1];
      const following = before?.interchange?.following;
      if (clip.recordStart > at) {
        // items of another tool that stood where this gap is (kept on the clip before) go back in its place
        if (Array.isArray(following) && before!.interchange!.followingFrames === clip.recordStart - at)
          children.push(...(following as Obj[]));
        else
          children.push({
            OTIO_SCHEMA: 'Gap.1',
            name: '',
            source_range: range(0, clip.recordStart - at, rate),
            effects: [],
            markers: [],
            enabled: true,
            metadata: {},
          });
      }
      const { id, name, source, sourceStart, recordStart, duration, interchange, ...rest } = clip;
      void recordStart;
      void sourceStart;
      void duration;
      const line = clip.lineId ? doc.lines.find((l) => l.id === clip.lineId) : undefined;
      const sourceAtRecord = (frame: number) =>
        (clip.sourceRate ? rescaleFrames(clip.sourceStart, clip.sourceRate, seq.rate) : clip.sourceStart) + frame - clip.recordStart;
      children.push({
        OTIO_SCHEMA: 'Clip.2',
        name: name || (line ? line.text.slice(0, 60) : id),
        source_range: sourceRange(clip, seq.rate),
        effects: Array.isArray(interchange?.effects) ? (interchange.effects as LooseJson[]) : [],
        markers: seq.markers.filter((m) => m.clipId === clip.id).map((m) => otioMarker(m, sourceAtRecord(m.frame), rate)),
        enabled: !clip.muted,
        media_references: { DEFAULT_MEDIA: mediaReference(doc, clip, opts, rate) },
        active_media_reference_key: 'DEFAULT_MEDIA',
        metadata: {
          ...(isObj(interchange?.metadata as LooseJson) ? (interchange!.metadata as Obj) : {}),
          klappe: { id, name, source, ...rest, ...(line ? { line: { characterId: line.characterId, text: line.text } } : {}) } as LooseJson,
        },
      });
      at = clip.recordStart + clip.duration;
      // another tool's items with no length that followed the clip
      const mine = clip.interchange;
      if (Array.isArray(mine?.following) && !Number(mine.followingFrames)) children.push(...(mine.following as Obj[]));
      // written after its clip even when a gap follows (OTIO's fade to black; Klappe keeps it, cutting straight)
      const t = clip.transitionOut;
      if (t)
        children.push({
          OTIO_SCHEMA: 'Transition.1',
          name: t.kind,
          transition_type: OTIO_TRANSITION[t.kind],
          in_offset: rt(t.before, rate),
          out_offset: rt(t.after, rate),
          metadata: { klappe: { kind: t.kind } },
        });
    });
    return {
      OTIO_SCHEMA: 'Track.1',
      name: track.name || track.id,
      kind: track.kind === 'video' ? 'Video' : 'Audio',
      source_range: null,
      effects: [],
      markers: [],
      enabled: !track.muted,
      metadata: {
        klappe: {
          id: track.id,
          name: track.name,
          kind: track.kind,
          muted: track.muted,
          solo: track.solo,
          gainDb: track.gainDb,
          pan: track.pan,
          ...(track.characterId ? { characterId: track.characterId } : {}),
        },
      },
      children,
    };
  });
  return {
    OTIO_SCHEMA: 'Timeline.1',
    name: seq.name,
    global_start_time: rt(0, rate),
    metadata: {
      klappe: {
        projectId: doc.id,
        sequenceId: seq.id,
        rate: { num: seq.rate.num, den: seq.rate.den },
        width: seq.width,
        height: seq.height,
      },
    },
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      name: 'tracks',
      source_range: null,
      effects: [],
      markers: seq.markers.filter((m) => m.clipId === undefined).map((m) => otioMarker(m, m.frame, rate)),
      enabled: true,
      metadata: {},
      children: tracks,
    },
  };
}

export function formatOtio(doc: Project, opts: OtioExportOptions): string {
  return `${stringifyLooseJson(sequenceToOtio(doc, opts))}\n`;
}

// ---------------------------------------------------------------- import

export interface OtioImportReport {
  tracks: number;
  clips: number;
  gaps: number;
  /** What could not be kept as it was, with the JSON path. */
  approximated: Array<{ path: string; what: string }>;
  /** Media files the import adds (ExternalReference targets). */
  media: string[];
  /** Clips whose media is missing (MissingReference, or a file that is not there). */
  missing: number;
  /** The rate of the file (frames per second). */
  rate: number;
}

export interface OtioImport {
  commands: CommandInput[];
  report: OtioImportReport;
}

const isObj = (v: LooseJson | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const schemaName = (o: Obj) => String(o.OTIO_SCHEMA ?? '').split('.')[0]!;

/** The NTSC rational rate for a float rate as other tools write it (23.976, 29.97, 59.94, 23.98); else the integer or the float as a ratio. */
export function rateFromFloat(rate: number): Rate {
  if (Number.isInteger(rate)) return { num: rate, den: 1 };
  const ntsc = rateFromFps(rate);
  if (ntsc.den === 1001) return ntsc;
  return { num: Math.round(rate * 1000), den: 1000 };
}

interface ReadCtx {
  file: string;
  /** Frames per second of the sequence the clips land on. */
  target: Rate;
  report: OtioImportReport;
}

function timeOf(v: LooseJson | undefined, path: string, ctx: ReadCtx): number {
  if (!isObj(v) || typeof v.value !== 'number' || typeof v.rate !== 'number') {
    throw inputError('OTIO_BAD_TIME', `${ctx.file}: ${path}: expected a RationalTime {"rate", "value"}`, { file: ctx.file, path });
  }
  if (!Number.isFinite(v.value) || !Number.isFinite(v.rate) || v.rate <= 0) {
    throw inputError('OTIO_BAD_TIME', `${ctx.file}: ${path}: the time is not finite (value ${v.value}, rate ${v.rate})`, {
      file: ctx.file,
      path,
    });
  }
  const fileRate = rateFromFloat(v.rate);
  const frames = (v.value * ctx.target.num * fileRate.den) / (ctx.target.den * fileRate.num);
  return Math.round(frames);
}

function rangeOf(v: LooseJson | undefined, path: string, ctx: ReadCtx): { start: number; duration: number } | undefined {
  if (!isObj(v)) return undefined;
  return { start: timeOf(v.start_time, `${path}.start_time`, ctx), duration: timeOf(v.duration, `${path}.duration`, ctx) };
}

/** The media reference a clip uses (Clip.2 media_references, or Clip.1 media_reference). */
function clipReference(clip: Obj): Obj | undefined {
  if (isObj(clip.media_references)) {
    const key = typeof clip.active_media_reference_key === 'string' ? clip.active_media_reference_key : 'DEFAULT_MEDIA';
    const ref = clip.media_references[key];
    return isObj(ref) ? ref : undefined;
  }
  return isObj(clip.media_reference) ? clip.media_reference : undefined;
}

function targetPath(url: string): string {
  if (url.startsWith('file:')) {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch {
      path = decodeURIComponent(url.replace(/^file:\/\//, ''));
    }
    // a Windows drive in a URL (Premiere on Windows: file://localhost/D%3a/media/a.mov) is D:/media/a.mov, not /D:/…
    return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
  }
  return url;
}

/** Reads an OTIO document (text) into the commands that put its tracks on the project's sequence. */
export function otioToCommands(doc: Project, text: string, opts: { file?: string; projectDir: string }): OtioImport {
  const file = opts.file ?? 'timeline.otio';
  const root = parseLooseJson(text, file);
  const report: OtioImportReport = { tracks: 0, clips: 0, gaps: 0, approximated: [], media: [], missing: 0, rate: 0 };
  const ctx: ReadCtx = { file, target: doc.sequence.rate, report };
  if (!isObj(root)) throw inputError('OTIO_NOT_TIMELINE', `${file}: expected an OTIO object at the top`, { file, path: '$' });
  let stack: Obj;
  const top = schemaName(root);
  if (top === 'Timeline') {
    if (!isObj(root.tracks)) throw inputError('OTIO_NOT_TIMELINE', `${file}: $.tracks: expected a Stack`, { file, path: '$.tracks' });
    stack = root.tracks;
  } else if (top === 'Stack') stack = root;
  else if (top === 'Track' || top === 'Sequence') stack = { OTIO_SCHEMA: 'Stack.1', children: [root] };
  else if (top === 'SerializableCollection') {
    const first = Array.isArray(root.children) ? root.children.find((c) => isObj(c) && schemaName(c) === 'Timeline') : undefined;
    if (!isObj(first) || !isObj(first.tracks))
      throw inputError('OTIO_NOT_TIMELINE', `${file}: the collection holds no Timeline`, { file, path: '$.children' });
    report.approximated.push({ path: '$', what: 'a SerializableCollection: only its first Timeline is imported' });
    stack = first.tracks;
  } else
    throw inputError(
      'OTIO_NOT_TIMELINE',
      `${file}: $: expected a Timeline, Stack or Track, found "${String(root.OTIO_SCHEMA ?? 'no OTIO_SCHEMA')}"`,
      { file, path: '$.OTIO_SCHEMA', hint: 'Export the timeline from the other tool as OpenTimelineIO (.otio).' },
    );
  const meta = isObj(root.metadata) && isObj(root.metadata.klappe) ? root.metadata.klappe : undefined;
  const firstRate = findRate(stack);
  report.rate = firstRate ?? doc.sequence.rate.num / doc.sequence.rate.den;
  const used = new Set<string>();
  const reserve = (wanted: unknown, base: string): string => {
    let id = typeof wanted === 'string' && /^[A-Za-z0-9_.-]{1,128}$/.test(wanted) ? wanted : '';
    if (!id || used.has(id)) {
      let n = 1;
      while (used.has(`${base}-${n}`)) n++;
      id = `${base}-${n}`;
    }
    used.add(id);
    return id;
  };
  // ids that stay in the project (everything but the tracks and clips this import replaces)
  const keepIds = collectOtherIds(doc);
  for (const k of keepIds) used.add(k);
  const commands: CommandInput[] = [
    ...doc.sequence.tracks.map((t): CommandInput => ({ type: 'track.remove', trackId: t.id })),
    ...doc.sequence.markers.filter((m) => m.clipId === undefined).map((m): CommandInput => ({ type: 'marker.remove', markerId: m.id })),
  ];
  /** Markers, added once their clips are there. */
  const markers: CommandInput[] = [];
  const addMarker = (m: LooseJson, path: string, frameOf: (start: number) => number, clipId?: string) => {
    if (!isObj(m) || schemaName(m) !== 'Marker') return;
    const r = rangeOf(m.marked_range, `${path}.marked_range`, ctx) ?? rangeOf(m.range, `${path}.range`, ctx);
    if (!r) {
      report.approximated.push({ path, what: 'a marker with no marked_range skipped' });
      return;
    }
    const km = isObj(m.metadata) && isObj(m.metadata.klappe) ? m.metadata.klappe : undefined;
    markers.push({
      type: 'marker.add',
      marker: {
        id: reserve(km?.id, 'marker'),
        frame: Math.max(0, frameOf(r.start)),
        duration: Math.max(0, r.duration),
        name: typeof m.name === 'string' ? m.name.slice(0, 200) : '',
        color: COLOR_FROM_OTIO[String(m.color ?? '').toUpperCase()] ?? 'blue',
        note: typeof m.comment === 'string' ? m.comment.slice(0, 2000) : '',
        ...(clipId ? { clipId } : {}),
      },
    });
  };
  if (Array.isArray(stack.markers)) stack.markers.forEach((m, mi) => addMarker(m, `$.tracks.markers[${mi}]`, (f) => f));
  const mediaByPath = new Map(doc.media.map((m) => [isAbsolute(m.path) ? m.path : resolve(opts.projectDir, m.path), m.id]));
  const children = Array.isArray(stack.children) ? stack.children : [];
  children.forEach((t, ti) => {
    const path = `$.tracks.children[${ti}]`;
    if (!isObj(t)) return;
    const name = schemaName(t);
    if (name !== 'Track' && name !== 'Sequence') {
      report.approximated.push({ path, what: `a ${String(t.OTIO_SCHEMA)} directly in the stack is not a track: skipped` });
      return;
    }
    const tm = isObj(t.metadata) && isObj(t.metadata.klappe) ? t.metadata.klappe : undefined;
    const kindOf = (): TrackKind => {
      const k = tm?.kind;
      if (k === 'video' || k === 'dialogue' || k === 'sfx' || k === 'music') return k;
      return t.kind === 'Audio' ? 'sfx' : 'video';
    };
    const kind = kindOf();
    const trackId = reserve(tm?.id, 'track');
    const track: Partial<Track> & { kind: TrackKind } = {
      id: trackId,
      kind,
      name: typeof tm?.name === 'string' ? tm.name : typeof t.name === 'string' ? t.name.slice(0, 80) : '',
      muted: t.enabled === false || tm?.muted === true,
      solo: tm?.solo === true,
      ...(typeof tm?.gainDb === 'number' ? { gainDb: tm.gainDb } : {}),
      ...(typeof tm?.pan === 'number' ? { pan: tm.pan } : {}),
      ...(typeof tm?.characterId === 'string' && doc.characters.some((c) => c.id === tm.characterId)
        ? { characterId: tm.characterId }
        : {}),
    };
    report.tracks++;
    const clips: Clip[] = [];
    let at = 0;
    const walk = (items: LooseJson[], base: string, depth: number) => {
      items.forEach((item, ci) => {
        const ip = `${base}[${ci}]`;
        if (!isObj(item)) return;
        const s = schemaName(item);
        noteExtras(item, ip, report);
        if (s === 'Gap' || s === 'Filler') {
          at += rangeOf(item.source_range, `${ip}.source_range`, ctx)?.duration ?? 0;
          report.gaps++;
          return;
        }
        if (s === 'Transition') {
          const prev = clips[clips.length - 1];
          if (!prev || prev.recordStart + prev.duration !== at) {
            report.approximated.push({ path: ip, what: `a transition with no clip before it (from a gap) is not kept` });
            return;
          }
          const km = isObj(item.metadata) && isObj(item.metadata.klappe) ? item.metadata.klappe : undefined;
          const type = String(item.transition_type ?? '');
          const kind = TransitionKindSchema.safeParse(km?.kind).data ?? 'dissolve';
          if (type !== 'SMPTE_Dissolve' && !km)
            report.approximated.push({ path: ip, what: `transition "${type}" (${String(item.name ?? '')}) is kept as a dissolve` });
          const before = timeOf(item.in_offset, `${ip}.in_offset`, ctx);
          const after = timeOf(item.out_offset, `${ip}.out_offset`, ctx);
          // Klappe's own (kept in the clip's metadata) is exact where the format has less (an EDL has no frames before the cut)
          if (before + after > 0 && !prev.transitionOut)
            prev.transitionOut = { kind, before: Math.max(0, before), after: Math.max(0, after) };
          return;
        }
        if (s === 'Stack' || s === 'Track' || s === 'Sequence') {
          report.approximated.push({
            path: ip,
            what: `a nested ${s} was flattened onto track "${trackId}"${depth ? ' (nested again)' : ''}`,
          });
          const r = rangeOf(item.source_range, `${ip}.source_range`, ctx);
          const startAt = at;
          const kids = Array.isArray(item.children) ? (s === 'Stack' ? item.children.slice(0, 1) : item.children) : [];
          walk(kids, `${ip}.children`, depth + 1);
          if (r) at = startAt + r.duration;
          return;
        }
        if (s !== 'Clip') {
          // another tool's item: its time is kept as a gap and its JSON on the clip before it, written back in the gap's place
          const r = rangeOf(item.source_range, `${ip}.source_range`, ctx);
          const prev = clips[clips.length - 1];
          if (prev) {
            const following = Array.isArray(prev.interchange?.following) ? (prev.interchange!.following as LooseJson[]) : [];
            const frames = Number(prev.interchange?.followingFrames ?? 0) + (r?.duration ?? 0);
            prev.interchange = { ...prev.interchange, following: [...following, item], followingFrames: frames };
          }
          report.approximated.push({
            path: ip,
            what: `unknown schema "${String(item.OTIO_SCHEMA)}" is not played${prev ? ' (kept for export)' : ''}${r ? `: its ${r.duration} frames are a gap` : ''}`,
          });
          if (r) at += r.duration;
          return;
        }
        const sr = rangeOf(item.source_range, `${ip}.source_range`, ctx);
        const ref = clipReference(item);
        const avail = ref ? rangeOf(ref.available_range, `${ip}.media_reference.available_range`, ctx) : undefined;
        const src = sr ?? avail;
        if (!src || src.duration <= 0) {
          report.approximated.push({ path: ip, what: 'a clip with no source_range or available_range (no length) skipped' });
          return;
        }
        const cm = isObj(item.metadata) && isObj(item.metadata.klappe) ? item.metadata.klappe : undefined;
        // a source range at another rate than the sequence's is kept in the media's frames (sourceRate)
        const start = isObj(item.source_range) ? item.source_range.start_time : undefined;
        const mediaRate = isObj(start) && typeof start.rate === 'number' ? rateFromFloat(start.rate) : undefined;
        const own = mediaRate && isObj(start) && !rateEquals(mediaRate, ctx.target) ? mediaRate : undefined;
        const availStart =
          isObj(ref?.available_range) && isObj(ref.available_range.start_time) ? ref.available_range.start_time : undefined;
        const sourceStart =
          own && isObj(start)
            ? Math.max(0, Math.round(Number(start.value) - (availStart ? timeAt(availStart, own) : 0)))
            : Math.max(0, src.start - (avail ? avail.start : 0));
        const clip = clipFromOtio(doc, item, cm, ref, { kind, ip, file, opts, mediaByPath, commands, report, reserve });
        const foreign = isObj(item.metadata) ? Object.fromEntries(Object.entries(item.metadata).filter(([k]) => k !== 'klappe')) : {};
        const effects = Array.isArray(item.effects) && item.effects.length ? item.effects : undefined;
        const parsed = ClipSchema.safeParse({
          ...clip,
          recordStart: at,
          sourceStart,
          ...(own ? { sourceRate: own } : {}),
          duration: src.duration,
          muted: item.enabled === false || clip.muted === true,
          ...(effects || Object.keys(foreign).length
            ? { interchange: { ...(effects ? { effects } : {}), ...(Object.keys(foreign).length ? { metadata: foreign } : {}) } }
            : {}),
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw inputError('OTIO_BAD_CLIP', `${file}: ${ip}: ${issue.path.join('.')}: ${issue.message}`, { file, path: ip });
        }
        clips.push(parsed.data);
        report.clips++;
        const clipId = parsed.data.id;
        const recordStart = at;
        if (Array.isArray(item.markers))
          item.markers.forEach((m, mi) => addMarker(m, `${ip}.markers[${mi}]`, (f) => recordStart + f - src.start, clipId));
        at += src.duration;
      });
    };
    walk(Array.isArray(t.children) ? t.children : [], `${path}.children`, 0);
    if (Array.isArray(t.markers)) t.markers.forEach((m, mi) => addMarker(m, `${path}.markers[${mi}]`, (f) => f));
    // the track with its clips in one command (a 1,000-clip cut is a handful of commands, not a thousand)
    commands.push({ type: 'track.add', track: { ...track, clips } });
  });
  if (meta && isObj(meta.rate) && typeof meta.rate.num === 'number' && typeof meta.rate.den === 'number') {
    if (meta.rate.num * doc.sequence.rate.den !== meta.rate.den * doc.sequence.rate.num)
      report.approximated.push({
        path: '$.metadata.klappe.rate',
        what: `the file's rate ${meta.rate.num}/${meta.rate.den} was converted to the sequence's ${doc.sequence.rate.num}/${doc.sequence.rate.den}`,
      });
  } else if (firstRate !== undefined) {
    const r = rateFromFloat(firstRate);
    if (r.num * doc.sequence.rate.den !== r.den * doc.sequence.rate.num)
      report.approximated.push({
        path: '$',
        what: `the file's rate ${firstRate} was converted to the sequence's ${doc.sequence.rate.num}/${doc.sequence.rate.den} (nearest frame)`,
      });
  }
  return { commands: [...commands, ...markers], report };
}

/** A RationalTime as frames at `rate` (not rounded). */
function timeAt(v: Obj, rate: Rate): number {
  const r = rateFromFloat(Number(v.rate));
  return (Number(v.value) * rate.num * r.den) / (rate.den * r.num);
}

interface ClipCtx {
  kind: TrackKind;
  ip: string;
  file: string;
  opts: { projectDir: string };
  mediaByPath: Map<string, string>;
  commands: CommandInput[];
  report: OtioImportReport;
  reserve: (wanted: unknown, base: string) => string;
}

function clipFromOtio(doc: Project, item: Obj, cm: Obj | undefined, ref: Obj | undefined, c: ClipCtx): Record<string, unknown> {
  const id = c.reserve(cm?.id, 'clip');
  const name = typeof cm?.name === 'string' ? cm.name : typeof item.name === 'string' ? item.name.slice(0, 120) : '';
  const keep: Record<string, unknown> = {};
  if (cm) {
    for (const k of ['gainDb', 'fadeInSamples', 'fadeOutSamples', 'muted', 'gainEnvelope', 'audioEdits', 'transitionOut'])
      if (cm[k] !== undefined) keep[k] = cm[k];
    if (typeof cm.lineId === 'string' && doc.lines.some((l) => l.id === cm.lineId)) keep.lineId = cm.lineId;
  }
  const kept = isObj(cm?.source) ? cm.source : undefined;
  // Klappe's own source, when it names what exists in this project
  if (kept?.type === 'take' && typeof kept.takeId === 'string' && doc.takes.some((t) => t.id === kept.takeId))
    return { id, name, source: { type: 'take', takeId: kept.takeId }, ...keep };
  if (kept?.type === 'shot' && typeof kept.shotId === 'string' && doc.scenes.some((s) => s.shots.some((sh) => sh.id === kept.shotId)))
    return { id, name, source: { type: 'shot', shotId: kept.shotId }, ...keep };
  if (kept?.type === 'media' && typeof kept.mediaId === 'string' && doc.media.some((m) => m.id === kept.mediaId))
    return { id, name, source: { type: 'media', mediaId: kept.mediaId }, ...keep };
  if (kept?.type === 'line' && keep.lineId) return { id, name, source: { type: 'line' }, ...keep };
  const rs = ref ? schemaName(ref) : 'MissingReference';
  if (rs === 'ExternalReference' || rs === 'ImageSequenceReference') {
    const url = typeof ref?.target_url === 'string' ? ref.target_url : typeof ref?.target_url_base === 'string' ? ref.target_url_base : '';
    if (rs === 'ImageSequenceReference')
      c.report.approximated.push({ path: c.ip, what: 'an image sequence is imported as one media file (its folder)' });
    if (url) {
      const path = targetPath(url);
      // a Windows path other tools wrote (a drive letter, a UNC share) is absolute too: kept as written
      const abs = isAbsolute(path) || /^[A-Za-z]:[\\/]|^\\\\/.test(path) ? path : resolve(c.opts.projectDir, path);
      let mediaId = c.mediaByPath.get(abs);
      if (!mediaId) {
        mediaId = c.reserve(undefined, 'media');
        const rel = relative(c.opts.projectDir, abs);
        c.commands.push({
          type: 'media.add',
          media: {
            id: mediaId,
            path: rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs,
            kind: c.kind === 'video' ? 'video' : 'audio',
          },
        });
        c.mediaByPath.set(abs, mediaId);
        c.report.media.push(abs);
      }
      return { id, name, source: { type: 'media', mediaId }, ...keep };
    }
  }
  if (rs === 'GeneratorReference')
    c.report.approximated.push({
      path: c.ip,
      what: `generator "${String(ref?.generator_kind ?? '')}" has no media here: kept as a missing media clip`,
    });
  // MissingReference (or anything else): a media entry named after the clip, so the cut keeps its place and can be relinked
  c.report.missing++;
  const mediaId = c.reserve(undefined, 'media');
  c.commands.push({
    type: 'media.add',
    media: { id: mediaId, path: `missing/${(name || id).replace(/[\\/]/g, '_')}`, kind: c.kind === 'video' ? 'video' : 'audio' },
  });
  return { id, name, source: { type: 'media', mediaId }, ...keep };
}

function noteExtras(item: Obj, ip: string, report: OtioImportReport): void {
  if (Array.isArray(item.effects) && item.effects.length) {
    for (const e of item.effects)
      report.approximated.push({
        path: `${ip}.effects`,
        what: `effect ${isObj(e) ? `${String(e.OTIO_SCHEMA)} "${String(e.effect_name ?? e.name ?? '')}"` : ''} is not rendered: ${JSON.stringify(e).slice(0, 200)}`,
      });
  }
}

function findRate(v: LooseJson | undefined): number | undefined {
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = findRate(x);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  if (!isObj(v)) return undefined;
  if (schemaName(v) === 'RationalTime' && typeof v.rate === 'number' && Number.isFinite(v.rate) && v.rate > 0) return v.rate;
  for (const x of Object.values(v)) {
    const r = findRate(x);
    if (r !== undefined) return r;
  }
  return undefined;
}

function collectOtherIds(doc: Project): Set<string> {
  const ids = new Set<string>([doc.id, doc.sequence.id]);
  for (const c of doc.characters) ids.add(c.id);
  for (const s of doc.scenes) {
    ids.add(s.id);
    for (const sh of s.shots) ids.add(sh.id);
    for (const p of s.props) ids.add(p.id);
    for (const a of s.actions) ids.add(a.id);
  }
  for (const l of doc.lines) {
    ids.add(l.id);
    for (const r of l.readings) ids.add(r.id);
  }
  for (const t of doc.takes) ids.add(t.id);
  for (const m of doc.media) ids.add(m.id);
  return ids;
}
