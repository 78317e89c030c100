/**
 * Captions: cues from the dialogue as it is heard in the sequence, written
 * as SRT or WebVTT, and caption cues put back as dialogue lines (the files
 * of other tools are read by interchange/caption-files.ts).
 *
 * Where a cue's time comes from, best first:
 * 1. a take's metadata `dialogue` (SpokenDialogue[], real speech timings in
 *    samples from the take's start, written by generators that speak);
 * 2. a take's metadata `dialogueCues` (the slate's placed lines, frames);
 * 3. the slate's estimate from the shot's lines (shots with no take);
 * 4. clips on dialogue tracks that play a line (clip.lineId): the clip's span.
 * Take-relative times are mapped through the clip (sourceStart, recordStart)
 * and cut to the part of the clip that is on the sequence.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-file.js';
import type { MediaStore } from '../cache/media-store.js';
import { inputError } from '../common/errors.js';
import { linesOfShot, shotLine } from '../model/lines.js';
import { collectIds, currentTake, findShot, findTake } from '../model/lookup.js';
import type { Clip, Project, Take } from '../model/schema.js';
import { frameToSample, type Rate } from '../common/time.js';
import { dialogueCues } from '../render/dialogue-cues.js';
import type { FrameRange } from '../render/range.js';
import type { SpokenDialogue } from './speech/speech-engine.js';

export interface Cue {
  /** Sequence samples (48 kHz), [start, end). */
  startSample: number;
  endSample: number;
  text: string;
  /** Character id of the speaker, when known. */
  speaker?: string;
  /** Where the timing came from. */
  timing: 'spoken' | 'slate' | 'estimated' | 'clip';
  /**
   * Lines said at the same time (overlapping speech), shown together in this one cue, each on its own line with
   * its speaker; `text` and `speaker` are the first's.
   */
  parts?: Array<{ text: string; speaker?: string }>;
}

interface TakeCue {
  startSample: number;
  endSample: number;
  text: string;
  speaker?: string;
  timing: Cue['timing'];
}

function readTakeMetadata(take: Take, store: MediaStore): Record<string, unknown> | undefined {
  if (!take.media.metadata || !store.has(take.media.metadata)) return undefined;
  try {
    return JSON.parse(readFileSync(store.require(take.media.metadata), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function speakerLabel(doc: Project, characterId: string | undefined): string | undefined {
  if (!characterId) return undefined;
  return doc.characters.find((c) => c.id === characterId)?.name ?? characterId;
}

/** Cues of one shot, in samples from the start of its take (or slate). */
export function shotCues(doc: Project, shotId: string, take: Take | undefined, store: MediaStore): TakeCue[] {
  const rate = doc.sequence.rate;
  const meta = take ? readTakeMetadata(take, store) : undefined;
  const spoken = meta?.dialogue as SpokenDialogue[] | undefined;
  if (Array.isArray(spoken)) {
    // a line's audio starts with the voice's lead-in pause: the cue starts with the first word, ends with the last
    // (word times are used only when they lie inside the line, i.e. are on the same clock as the line)
    const inside = (d: SpokenDialogue, s: number | undefined) => s !== undefined && s >= d.startSample && s <= d.endSample;
    return spoken.map((d) => {
      const first = d.words?.[0]?.startSample;
      const last = d.words?.at(-1)?.endSample;
      return {
        startSample: inside(d, first) ? first! : d.startSample,
        endSample: inside(d, last) ? last! : d.endSample,
        text: d.text,
        speaker: d.characterId,
        timing: 'spoken' as const,
      };
    });
  }
  const lines = linesOfShot(doc, shotId);
  const lineAt = (i: number) => lines[i];
  const slate = meta?.dialogueCues as Array<{ text: string; start: number; end: number }> | undefined;
  if (Array.isArray(slate)) {
    return slate.map((c, i) => ({
      startSample: frameToSample(c.start, rate),
      endSample: frameToSample(c.end, rate),
      text: lineAt(i)?.text ?? c.text,
      speaker: lineAt(i)?.characterId,
      timing: 'slate' as const,
    }));
  }
  const shot = findShot(doc, shotId)?.shot;
  if (!shot || !lines.length) return [];
  return dialogueCues({ shot: { duration: shot.duration, dialogue: lines.map(shotLine) }, rate, characters: doc.characters }).map(
    (c, i) => ({
      startSample: frameToSample(c.start, rate),
      endSample: frameToSample(c.end, rate),
      text: lineAt(i)?.text ?? c.text,
      speaker: lineAt(i)?.characterId,
      timing: 'estimated' as const,
    }),
  );
}

/** Every caption cue of the sequence, in order; no two overlap in time (exclusiveCues). */
export function captionCues(doc: Project, store: MediaStore): Cue[] {
  const rate = doc.sequence.rate;
  const cues: Cue[] = [];
  const anySolo = doc.sequence.tracks.some((t) => t.solo);
  const lines = new Map(doc.lines.map((l) => [l.id, l]));
  for (const track of doc.sequence.tracks) {
    const audible = !track.muted && (!anySolo || track.solo);
    for (const clip of track.clips) {
      if (clip.muted) continue;
      const clipStart = frameToSample(clip.recordStart, rate);
      const clipEnd = frameToSample(clip.recordStart + clip.duration, rate);
      const line = clip.lineId !== undefined ? lines.get(clip.lineId) : undefined;
      if (line) {
        if (track.kind === 'dialogue' && audible)
          cues.push({ startSample: clipStart, endSample: clipEnd, text: line.text, speaker: line.characterId, timing: 'clip' });
        continue;
      }
      if (track.kind !== 'video') continue;
      const shotId = clipShotId(doc, clip);
      if (!shotId) continue;
      const take = clip.source.type === 'take' ? findTake(doc, clip.source.takeId) : currentTake(doc, shotId);
      const offset = clipStart - frameToSample(clip.sourceStart, rate);
      for (const c of shotCues(doc, shotId, take, store)) {
        const start = Math.max(clipStart, c.startSample + offset);
        const end = Math.min(clipEnd, c.endSample + offset);
        if (end > start) cues.push({ startSample: start, endSample: end, text: c.text, speaker: c.speaker, timing: c.timing });
      }
    }
  }
  return exclusiveCues(cues);
}

/** An overlap up to this long (samples, 0.25 s) ends the earlier cue where the later one starts; a longer one shows both in one cue. */
export const OVERLAP_TRIM = 12_000;

/**
 * Cues that never overlap in time, as caption guidelines want: a second cue of the same line by the same speaker
 * (a take and a lane clip playing one line) joins the first; an overlap of at most OVERLAP_TRIM ends the earlier
 * cue where the later starts; speech at the same time for longer becomes one cue showing both lines, each with
 * its speaker, from the first start to the last end.
 */
export function exclusiveCues(input: readonly Cue[]): Cue[] {
  const sorted = [...input].sort((a, b) => a.startSample - b.startSample || a.endSample - b.endSample);
  const out: Cue[] = [];
  const partsOf = (c: Cue) => c.parts ?? [{ text: c.text, ...(c.speaker ? { speaker: c.speaker } : {}) }];
  const same = (a: { text: string; speaker?: string }, b: { text: string; speaker?: string }) =>
    a.text.trim() === b.text.trim() && a.speaker === b.speaker;
  for (const c of sorted) {
    const prev = out[out.length - 1];
    if (!prev || c.startSample >= prev.endSample) {
      out.push({ ...c });
      continue;
    }
    const prevParts = partsOf(prev);
    const fresh = partsOf(c).filter((p) => !prevParts.some((q) => same(p, q)));
    if (!fresh.length) {
      // the same line again: one cue
      prev.endSample = Math.max(prev.endSample, c.endSample);
      continue;
    }
    if (prev.endSample - c.startSample <= OVERLAP_TRIM && c.startSample > prev.startSample) {
      prev.endSample = c.startSample;
      out.push({ ...c });
      continue;
    }
    const parts = [...prevParts, ...fresh];
    prev.endSample = Math.max(prev.endSample, c.endSample);
    prev.parts = parts;
  }
  return out;
}

/** Cues of the frames [in, out) of the sequence, as times in the part (cut at its ends). */
export function cuesInRange(cues: readonly Cue[], range: FrameRange, rate: Rate): Cue[] {
  const from = frameToSample(range.in, rate);
  const to = frameToSample(range.out, rate);
  const out: Cue[] = [];
  for (const c of cues) {
    const start = Math.max(from, c.startSample);
    const end = Math.min(to, c.endSample);
    if (end > start) out.push({ ...c, startSample: start - from, endSample: end - from });
  }
  return out;
}

function clipShotId(doc: Project, clip: Clip): string | undefined {
  if (clip.source.type === 'shot') return clip.source.shotId;
  if (clip.source.type === 'take') return findTake(doc, clip.source.takeId)?.shotId;
  return undefined;
}

function stamp(sample: number, sep: ',' | '.'): string {
  const ms = Math.round(sample / 48);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(ms % 1000, 3)}`;
}

/** The cue's lines (one per speaker of a shared cue), "NAME: text" when `withSpeaker`. */
export function cueText(doc: Project | undefined, c: Cue, withSpeaker: boolean): string {
  const line = (p: { text: string; speaker?: string }) => {
    const name = doc ? speakerLabel(doc, p.speaker) : p.speaker;
    return withSpeaker && name ? `${name.toUpperCase()}: ${p.text}` : p.text;
  };
  return (c.parts ?? [c]).map(line).join('\n');
}

export function formatSrt(cues: readonly Cue[], doc?: Project, opts: { speakers?: boolean } = {}): string {
  return cues
    .map((c, i) => `${i + 1}\n${stamp(c.startSample, ',')} --> ${stamp(c.endSample, ',')}\n${cueText(doc, c, opts.speakers ?? true)}\n`)
    .join('\n');
}

export function formatVtt(cues: readonly Cue[], doc?: Project): string {
  const body = cues.map((c) => {
    const lines = (c.parts ?? [c]).map((p) => {
      const name = doc ? speakerLabel(doc, p.speaker) : p.speaker;
      const text = p.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return name ? `<v ${name.replace(/[>]/g, '')}>${text}` : text;
    });
    return `${stamp(c.startSample, '.')} --> ${stamp(c.endSample, '.')}\n${lines.join('\n')}\n`;
  });
  return `WEBVTT\n\n${body.join('\n')}`;
}

export interface SrtCue {
  startSample: number;
  endSample: number;
  text: string;
  /** "NAME: text" cues give the name here and the rest as text. */
  speakerName?: string;
}

/**
 * The commands that put SRT cues on a dialogue track as lines to be spoken:
 * each cue becomes a line (line.add) and a clip that plays it, unspoken,
 * spanning the cue's frames. The speaker: "NAME: text" finds the character by
 * name, else the lane's character, else the project's first; a project with
 * no characters gets one (named after the cue's speaker, or "Narrator"), so a
 * line never names a character that does not exist.
 */
export function srtToCommands(
  doc: Project,
  cues: SrtCue[],
  trackId: string,
  field = '--track',
  /** Counts the cues that started before the one before them ended and were moved to its end (`moved`). */
  report: { moved: number } = { moved: 0 },
): Array<Record<string, unknown>> {
  const track = doc.sequence.tracks.find((t) => t.id === trackId);
  if (!track) throw inputError('NOT_FOUND', `no track with id "${trackId}"`, { path: field });
  if (track.kind !== 'dialogue')
    throw inputError('WRONG_TRACK_KIND', `track "${trackId}" is a ${track.kind} track; captions go on a dialogue track`, { path: field });
  const rate: Rate = doc.sequence.rate;
  const byName = new Map(doc.characters.map((c) => [c.name.toLowerCase(), c.id]));
  const used = collectIds(doc);
  const fresh = (base: string): string => {
    let n = 1;
    while (used.has(`${base}-${n}`)) n++;
    used.add(`${base}-${n}`);
    return `${base}-${n}`;
  };
  let first = doc.characters[0]?.id;
  const commands: Array<Record<string, unknown>> = [];
  let previousEnd = 0;
  cues.forEach((c, i) => {
    let characterId = (c.speakerName && byName.get(c.speakerName.toLowerCase())) || track.characterId || first;
    if (!characterId) {
      const name = c.speakerName ? c.speakerName.charAt(0).toUpperCase() + c.speakerName.slice(1).toLowerCase() : 'Narrator';
      characterId = fresh(name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-') || 'char');
      commands.push({ type: 'character.add', character: { id: characterId, name } });
      byName.set(name.toLowerCase(), characterId);
      first = characterId;
    }
    // cues back to back between frames, or overlapping (two speakers at once in a meeting transcript), would overlap on
    // the track: a cue starts no earlier than the one before it ends
    const wanted = Math.floor((c.startSample * rate.num) / (48000 * rate.den));
    const recordStart = Math.max(wanted, previousEnd);
    // a cue sharing its first frame with the one before (times between frames) is not worth a mention
    if (recordStart > wanted + 1) report.moved++;
    const endFrame = Math.max(Math.ceil((c.endSample * rate.num) / (48000 * rate.den)), recordStart + 1);
    previousEnd = endFrame;
    const lineId = fresh('line');
    commands.push(
      { type: 'line.add', line: { id: lineId, characterId, text: c.text } },
      {
        type: 'clip.add',
        trackId,
        clip: { name: `Line ${i + 1}`, source: { type: 'line' }, recordStart, duration: endFrame - recordStart, lineId },
      },
    );
  });
  return commands;
}

/**
 * The captions of an exported video (`cues`, captionCues of what it shows) as sidecar files next to it, with its
 * name: `film.mp4` → `film.srt` and `film.vtt`. Returns their paths.
 */
export function writeCaptionSidecars(doc: Project, cues: readonly Cue[], video: string): string[] {
  const base = video.replace(/\.[^./\\]+$/, '');
  const files = [`${base}.srt`, `${base}.vtt`];
  writeFileAtomic(files[0]!, formatSrt(cues, doc));
  writeFileAtomic(files[1]!, formatVtt(cues, doc));
  return files;
}
