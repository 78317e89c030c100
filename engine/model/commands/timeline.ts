/** Commands on takes, media and the sequence: tracks and clips. */
import { z } from 'zod';
import { inputError } from '../../common/errors.js';
import { rescaleFrames } from '../../common/time.js';
import { findClip, findShot, newId } from '../lookup.js';
import { ClipSchema, MarkerSchema, MediaSchema, TakeSchema, TrackSchema, TransitionSchema, type Clip, type Project } from '../schema.js';
import { assignDefined, cloneDraft, defineCommand, notFound, patchOf, removeById } from './define.js';

const idRef = z.string().min(1);

function clipOrThrow(doc: Project, clipId: string) {
  return findClip(doc, clipId) ?? notFound('clip', clipId, 'clipId');
}

export const takeAdd = defineCommand({
  type: 'take.add',
  label: 'Add take',
  schema: z.object({
    type: z.literal('take.add'),
    take: TakeSchema.partial({ id: true, number: true }),
    select: z.boolean().default(false),
  }),
  perform(doc, cmd) {
    const loc = findShot(doc, cmd.take.shotId) ?? notFound('shot', cmd.take.shotId, 'take.shotId');
    const number = cmd.take.number ?? Math.max(0, ...doc.takes.filter((t) => t.shotId === cmd.take.shotId).map((t) => t.number)) + 1;
    const take = TakeSchema.parse({ ...cmd.take, id: cmd.take.id ?? newId(doc, 'take'), number });
    doc.takes.push(take);
    if (cmd.select) loc.shot.selectedTakeId = take.id;
  },
});

export const takeSelect = defineCommand({
  type: 'take.select',
  label: 'Pick take',
  schema: z.object({ type: z.literal('take.select'), shotId: idRef, takeId: idRef.nullable() }),
  perform(doc, cmd) {
    const loc = findShot(doc, cmd.shotId) ?? notFound('shot', cmd.shotId, 'shotId');
    if (cmd.takeId === null) {
      delete loc.shot.selectedTakeId;
      return;
    }
    const take = doc.takes.find((t) => t.id === cmd.takeId) ?? notFound('take', cmd.takeId, 'takeId');
    if (take.shotId !== cmd.shotId)
      throw inputError('WRONG_SHOT', `take "${take.id}" belongs to shot "${take.shotId}", not "${cmd.shotId}"`, { path: 'takeId' });
    loc.shot.selectedTakeId = take.id;
  },
});

export const takeUpdate = defineCommand({
  type: 'take.update',
  label: 'Update take',
  schema: z.object({ type: z.literal('take.update'), takeId: idRef, patch: patchOf(TakeSchema.omit({ id: true, shotId: true })) }),
  perform(doc, cmd) {
    const take = doc.takes.find((t) => t.id === cmd.takeId) ?? notFound('take', cmd.takeId, 'takeId');
    assignDefined(take, cmd.patch);
  },
});

export const mediaAdd = defineCommand({
  type: 'media.add',
  label: 'Import media',
  schema: z.object({ type: z.literal('media.add'), media: MediaSchema.partial({ id: true }) }),
  perform(doc, cmd) {
    doc.media.push(MediaSchema.parse({ ...cmd.media, id: cmd.media.id ?? newId(doc, 'media') }));
  },
});

export const trackAdd = defineCommand({
  type: 'track.add',
  label: 'Add track',
  schema: z.object({
    type: z.literal('track.add'),
    track: TrackSchema.partial({ id: true }),
    index: z.number().int().nonnegative().optional(),
  }),
  perform(doc, cmd) {
    const track = TrackSchema.parse({ ...cmd.track, id: cmd.track.id ?? newId(doc, 'track') });
    doc.sequence.tracks.splice(cmd.index ?? doc.sequence.tracks.length, 0, track);
  },
});

export const trackUpdate = defineCommand({
  type: 'track.update',
  label: 'Edit track',
  schema: z.object({
    type: z.literal('track.update'),
    trackId: idRef,
    patch: patchOf(TrackSchema.omit({ id: true, kind: true, clips: true })),
  }),
  perform(doc, cmd) {
    const track = doc.sequence.tracks.find((t) => t.id === cmd.trackId) ?? notFound('track', cmd.trackId, 'trackId');
    assignDefined(track, cmd.patch);
  },
});

export const trackRemove = defineCommand({
  type: 'track.remove',
  label: 'Delete track',
  schema: z.object({ type: z.literal('track.remove'), trackId: idRef }),
  perform(doc, cmd) {
    const clipIds = new Set(doc.sequence.tracks.find((t) => t.id === cmd.trackId)?.clips.map((c) => c.id));
    removeById(doc.sequence.tracks, cmd.trackId, 'track', 'trackId');
    // its clips' markers go with them
    doc.sequence.markers = doc.sequence.markers.filter((m) => m.clipId === undefined || !clipIds.has(m.clipId));
  },
});

export const sequenceUpdate = defineCommand({
  type: 'sequence.update',
  label: 'Sequence settings',
  schema: z.object({
    type: z.literal('sequence.update'),
    patch: z.object({
      name: z.string().max(120).optional(),
      width: z.number().int().optional(),
      height: z.number().int().optional(),
      rate: z.object({ num: z.number().int().positive(), den: z.number().int().positive() }).optional(),
    }),
  }),
  perform(doc, cmd) {
    assignDefined(doc.sequence, cmd.patch);
  },
});

export const clipAdd = defineCommand({
  type: 'clip.add',
  label: 'Add clip',
  schema: z.object({ type: z.literal('clip.add'), trackId: idRef, clip: ClipSchema.partial({ id: true }) }),
  perform(doc, cmd) {
    const track = doc.sequence.tracks.find((t) => t.id === cmd.trackId) ?? notFound('track', cmd.trackId, 'trackId');
    track.clips.push(ClipSchema.parse({ ...cmd.clip, id: cmd.clip.id ?? newId(doc, 'clip') }));
    sortClips(track.clips);
  },
});

/** Many clips onto one track in one command (an import: one check of the project instead of one per clip). */
export const clipAddMany = defineCommand({
  type: 'clip.addMany',
  label: 'Add clips',
  schema: z.object({
    type: z.literal('clip.addMany'),
    trackId: idRef,
    clips: z
      .array(ClipSchema.partial({ id: true }))
      .min(1)
      .max(100_000),
  }),
  perform(doc, cmd) {
    const track = doc.sequence.tracks.find((t) => t.id === cmd.trackId) ?? notFound('track', cmd.trackId, 'trackId');
    for (const clip of cmd.clips) track.clips.push(ClipSchema.parse({ ...clip, id: clip.id ?? newId(doc, 'clip') }));
    sortClips(track.clips);
  },
});

export const clipUpdate = defineCommand({
  type: 'clip.update',
  label: 'Edit clip',
  schema: z.object({
    type: z.literal('clip.update'),
    clipId: idRef,
    patch: patchOf(ClipSchema.pick({ name: true, gainDb: true, fadeInSamples: true, fadeOutSamples: true, muted: true })).extend({
      /** null removes the transition */
      transitionOut: TransitionSchema.nullable().optional(),
    }),
  }),
  perform(doc, cmd) {
    const { clip } = clipOrThrow(doc, cmd.clipId);
    const { transitionOut, ...rest } = cmd.patch;
    assignDefined(clip, rest);
    if (transitionOut === null) delete clip.transitionOut;
    else if (transitionOut) clip.transitionOut = transitionOut;
  },
});

export const clipMove = defineCommand({
  type: 'clip.move',
  label: 'Move clip',
  schema: z.object({ type: z.literal('clip.move'), clipId: idRef, recordStart: z.number().int().nonnegative(), trackId: idRef.optional() }),
  perform(doc, cmd) {
    const loc = clipOrThrow(doc, cmd.clipId);
    loc.clip.recordStart = cmd.recordStart;
    if (cmd.trackId && cmd.trackId !== loc.track.id) {
      const target = doc.sequence.tracks.find((t) => t.id === cmd.trackId) ?? notFound('track', cmd.trackId, 'trackId');
      if ((target.kind === 'video') !== (loc.track.kind === 'video')) {
        throw inputError('WRONG_TRACK_KIND', `a clip cannot move from a ${loc.track.kind} track to a ${target.kind} track`, {
          path: 'trackId',
        });
      }
      loc.track.clips.splice(loc.clipIndex, 1);
      target.clips.push(loc.clip);
      sortClips(target.clips);
    } else sortClips(loc.track.clips);
  },
});

export const clipTrim = defineCommand({
  type: 'clip.trim',
  label: 'Trim clip',
  schema: z.object({ type: z.literal('clip.trim'), clipId: idRef, edge: z.enum(['start', 'end']), delta: z.number().int() }),
  perform(doc, cmd) {
    const { clip } = clipOrThrow(doc, cmd.clipId);
    if (cmd.edge === 'start') {
      const delta = Math.max(cmd.delta, -clip.sourceStart, -clip.recordStart);
      if (clip.duration - delta < 1)
        throw inputError('TRIM_TOO_FAR', `trimming ${cmd.delta} frames would leave clip "${clip.id}" empty`, { path: 'delta' });
      clip.sourceStart = Math.max(0, clip.sourceStart + sourceFrames(doc, clip, delta));
      clip.recordStart += delta;
      clip.duration -= delta;
    } else {
      if (clip.duration + cmd.delta < 1)
        throw inputError('TRIM_TOO_FAR', `trimming ${cmd.delta} frames would leave clip "${clip.id}" empty`, { path: 'delta' });
      clip.duration += cmd.delta;
    }
  },
});

export const clipSplit = defineCommand({
  type: 'clip.split',
  label: 'Split clip',
  schema: z.object({ type: z.literal('clip.split'), clipId: idRef, at: z.number().int().nonnegative(), newClipId: idRef.optional() }),
  perform(doc, cmd) {
    const { clip, track } = clipOrThrow(doc, cmd.clipId);
    const offset = cmd.at - clip.recordStart;
    if (offset <= 0 || offset >= clip.duration) {
      throw inputError(
        'SPLIT_OUTSIDE',
        `frame ${cmd.at} is not inside clip "${clip.id}" (${clip.recordStart}–${clip.recordStart + clip.duration})`,
        { path: 'at' },
      );
    }
    if (clip.source.type === 'line') {
      throw inputError('LINE_NOT_SPOKEN', `clip "${clip.id}" plays a line that is not spoken yet; there is no audio to split`, {
        path: 'clipId',
        hint: 'Speak the line first (Lines panel or `klappe line`).',
      });
    }
    const right: Clip = {
      ...cloneDraft(clip),
      id: cmd.newClipId ?? newId(doc, 'clip'),
      sourceStart: clip.sourceStart + sourceFrames(doc, clip, offset),
      recordStart: cmd.at,
      duration: clip.duration - offset,
      fadeInSamples: 0,
    };
    // a line is played by one clip: the left part keeps it, the right part keeps the reading's audio
    delete right.lineId;
    clip.duration = offset;
    clip.fadeOutSamples = 0;
    // a transition out of the clip now leaves its right part
    delete clip.transitionOut;
    track.clips.push(right);
    sortClips(track.clips);
  },
});

export const clipRemove = defineCommand({
  type: 'clip.remove',
  label: 'Delete clip',
  schema: z.object({ type: z.literal('clip.remove'), clipId: idRef, ripple: z.boolean().default(false) }),
  perform(doc, cmd) {
    const { track, clipIndex, clip } = clipOrThrow(doc, cmd.clipId);
    track.clips.splice(clipIndex, 1);
    // the clip's markers go with it
    doc.sequence.markers = doc.sequence.markers.filter((m) => m.clipId !== clip.id);
    // a line of the lanes only (no shot speaks it) goes with the clip that played it
    if (clip.lineId !== undefined) doc.lines = doc.lines.filter((l) => l.id !== clip.lineId || l.shotId !== undefined);
    if (cmd.ripple) for (const c of track.clips) if (c.recordStart >= clip.recordStart + clip.duration) c.recordStart -= clip.duration;
  },
});

export const markerAdd = defineCommand({
  type: 'marker.add',
  label: 'Add marker',
  schema: z.object({ type: z.literal('marker.add'), marker: MarkerSchema.partial({ id: true }) }),
  perform(doc, cmd) {
    if (cmd.marker.clipId !== undefined) clipOrThrow(doc, cmd.marker.clipId);
    doc.sequence.markers.push(MarkerSchema.parse({ ...cmd.marker, id: cmd.marker.id ?? newId(doc, 'marker') }));
  },
});

export const markerUpdate = defineCommand({
  type: 'marker.update',
  label: 'Edit marker',
  schema: z.object({ type: z.literal('marker.update'), markerId: idRef, patch: patchOf(MarkerSchema.omit({ id: true, clipId: true })) }),
  perform(doc, cmd) {
    const marker = doc.sequence.markers.find((m) => m.id === cmd.markerId) ?? notFound('marker', cmd.markerId, 'markerId');
    assignDefined(marker, cmd.patch);
  },
});

export const markerRemove = defineCommand({
  type: 'marker.remove',
  label: 'Delete marker',
  schema: z.object({ type: z.literal('marker.remove'), markerId: idRef }),
  perform(doc, cmd) {
    removeById(doc.sequence.markers, cmd.markerId, 'marker', 'markerId');
  },
});

/** `frames` of the sequence as frames of the clip's source media (its `sourceRate`). */
function sourceFrames(doc: Project, clip: Clip, frames: number): number {
  return clip.sourceRate ? Math.sign(frames) * rescaleFrames(Math.abs(frames), doc.sequence.rate, clip.sourceRate) : frames;
}

function sortClips(clips: Clip[]): void {
  clips.sort((a, b) => a.recordStart - b.recordStart);
}
