/** Commands on clip audio (region edits, gain envelope) and on dialogue lines and their takes. */
import { z } from 'zod';
import { inputError } from '../../common/errors.js';
import { findClip } from '../lookup.js';
import { AudioEditFieldsSchema, AudioEditSchema, GainPointSchema, LineTakeSchema, type Clip, type Project } from '../schema.js';
import { samplesToFramesCeil } from '../../common/time.js';
import { defineCommand, notFound, removeById } from './define.js';

const idRef = z.string().min(1);

function clipOrThrow(doc: Project, clipId: string): Clip {
  return findClip(doc, clipId)?.clip ?? notFound('clip', clipId, 'clipId');
}

function nextEditId(clip: Clip): string {
  const used = new Set((clip.audioEdits ?? []).map((e) => e.id));
  let n = used.size + 1;
  while (used.has(`edit${n}`)) n++;
  return `edit${n}`;
}

export const audioEditAdd = defineCommand({
  type: 'audio.edit.add',
  label: 'Edit audio',
  schema: z.object({
    type: z.literal('audio.edit.add'),
    clipId: idRef,
    edit: AudioEditFieldsSchema.partial({ id: true }).refine((e) => e.endSample > e.startSample, { message: 'endSample must be after startSample', path: ['endSample'] }),
  }),
  perform(doc, cmd) {
    const clip = clipOrThrow(doc, cmd.clipId);
    if (cmd.edit.op === 'gain' && cmd.edit.gainDb === undefined) throw inputError('EDIT_INCOMPLETE', 'a gain edit needs gainDb', { path: 'edit.gainDb' });
    const edits = (clip.audioEdits ??= []);
    const id = cmd.edit.id ?? nextEditId(clip);
    if (edits.some((e) => e.id === id)) throw inputError('DUPLICATE_ID', `clip "${clip.id}" already has an edit "${id}"`, { path: 'edit.id' });
    edits.push(AudioEditSchema.parse({ ...cmd.edit, id }));
  },
});

export const audioEditRemove = defineCommand({
  type: 'audio.edit.remove',
  label: 'Remove audio edit',
  schema: z.object({ type: z.literal('audio.edit.remove'), clipId: idRef, editId: idRef }),
  perform(doc, cmd) {
    const clip = clipOrThrow(doc, cmd.clipId);
    removeById(clip.audioEdits ?? [], cmd.editId, 'audio edit', 'editId');
    if (!clip.audioEdits!.length) delete clip.audioEdits;
  },
});

export const audioEnvelopeSet = defineCommand({
  type: 'audio.envelope.set',
  label: 'Gain envelope',
  schema: z.object({ type: z.literal('audio.envelope.set'), clipId: idRef, points: z.array(GainPointSchema) }),
  perform(doc, cmd) {
    const clip = clipOrThrow(doc, cmd.clipId);
    if (!cmd.points.length) {
      delete clip.gainEnvelope;
      return;
    }
    clip.gainEnvelope = [...cmd.points].sort((a, b) => a.sourceSample - b.sourceSample);
  },
});

/** Adds a reading of a dialogue line (its audio already imported as media) and, by default, plays it. */
export const lineTakeAdd = defineCommand({
  type: 'line.take.add',
  label: 'New line reading',
  schema: z.object({ type: z.literal('line.take.add'), clipId: idRef, take: LineTakeSchema, select: z.boolean().default(true) }),
  perform(doc, cmd) {
    const clip = clipOrThrow(doc, cmd.clipId);
    if (!clip.line) throw inputError('NOT_A_LINE', `clip "${clip.id}" is not a dialogue line`, { path: 'clipId' });
    if (!doc.media.some((m) => m.id === cmd.take.mediaId)) notFound('media', cmd.take.mediaId, 'take.mediaId');
    if (clip.line.takes.some((t) => t.id === cmd.take.id)) throw inputError('DUPLICATE_ID', `line "${clip.id}" already has a take "${cmd.take.id}"`, { path: 'take.id' });
    // earlier readings without their own words said the line's text as it is now: keep it with them before the wording changes
    if (cmd.take.text !== undefined && cmd.take.text !== clip.line.text) for (const t of clip.line.takes) t.text ??= clip.line.text;
    clip.line.takes.push(cmd.take);
    if (cmd.select) selectLineTake(doc, clip, cmd.take.id);
  },
});

export const lineTakeSelect = defineCommand({
  type: 'line.take.select',
  label: 'Pick line reading',
  schema: z.object({ type: z.literal('line.take.select'), clipId: idRef, takeId: idRef }),
  perform(doc, cmd) {
    const clip = clipOrThrow(doc, cmd.clipId);
    if (!clip.line?.takes.some((t) => t.id === cmd.takeId)) notFound('line take', cmd.takeId, 'takeId');
    selectLineTake(doc, clip, cmd.takeId);
  },
});

/**
 * Plays a reading: the clip's source becomes its audio, and the clip as long
 * as it (when its length is known); the line says the reading's words (and a
 * clip named after the words is renamed with them).
 */
function selectLineTake(doc: Project, clip: Clip, takeId: string): void {
  const line = clip.line!;
  const take = line.takes.find((t) => t.id === takeId)!;
  line.selectedTakeId = take.id;
  if (take.text !== undefined && take.text !== line.text) {
    if (clip.name === line.text.slice(0, 120)) clip.name = take.text.slice(0, 120);
    line.text = take.text;
  }
  clip.source = { type: 'media', mediaId: take.mediaId };
  const samples = doc.media.find((m) => m.id === take.mediaId)?.durationSamples;
  if (samples) clip.duration = Math.max(1, samplesToFramesCeil(samples, doc.sequence.rate) - clip.sourceStart);
}
