/** Commands on clip audio (region edits, gain envelope) and on dialogue lines' readings. */
import { z } from 'zod';
import { inputError } from '../../common/errors.js';
import { clipOfLine, setLineText } from '../lines.js';
import { findClip } from '../lookup.js';
import {
  AudioEditFieldsSchema,
  AudioEditSchema,
  GainPointSchema,
  LineReadingSchema,
  type Clip,
  type Line,
  type Project,
} from '../schema.js';
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
    edit: AudioEditFieldsSchema.partial({ id: true }).refine((e) => e.endSample > e.startSample, {
      message: 'endSample must be after startSample',
      path: ['endSample'],
    }),
  }),
  perform(doc, cmd) {
    const clip = clipOrThrow(doc, cmd.clipId);
    if (cmd.edit.op === 'gain' && cmd.edit.gainDb === undefined)
      throw inputError('EDIT_INCOMPLETE', 'a gain edit needs gainDb', { path: 'edit.gainDb' });
    const edits = (clip.audioEdits ??= []);
    const id = cmd.edit.id ?? nextEditId(clip);
    if (edits.some((e) => e.id === id))
      throw inputError('DUPLICATE_ID', `clip "${clip.id}" already has an edit "${id}"`, { path: 'edit.id' });
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

function lineOrThrow(doc: Project, lineId: string): Line {
  return doc.lines.find((l) => l.id === lineId) ?? notFound('line', lineId, 'lineId');
}

/** Adds a reading of a dialogue line (its audio already imported as media) and, by default, plays it. */
export const lineReadingAdd = defineCommand({
  type: 'line.reading.add',
  label: 'New line reading',
  schema: z.object({ type: z.literal('line.reading.add'), lineId: idRef, reading: LineReadingSchema, select: z.boolean().default(true) }),
  perform(doc, cmd) {
    const line = lineOrThrow(doc, cmd.lineId);
    if (!doc.media.some((m) => m.id === cmd.reading.mediaId)) notFound('media', cmd.reading.mediaId, 'reading.mediaId');
    if (line.readings.some((r) => r.id === cmd.reading.id))
      throw inputError('DUPLICATE_ID', `line "${line.id}" already has a reading "${cmd.reading.id}"`, { path: 'reading.id' });
    line.readings.push(cmd.reading);
    if (cmd.select) selectReading(doc, line, cmd.reading.id);
  },
});

export const lineReadingSelect = defineCommand({
  type: 'line.reading.select',
  label: 'Pick line reading',
  schema: z.object({ type: z.literal('line.reading.select'), lineId: idRef, readingId: idRef }),
  perform(doc, cmd) {
    const line = lineOrThrow(doc, cmd.lineId);
    if (!line.readings.some((r) => r.id === cmd.readingId)) notFound('line reading', cmd.readingId, 'readingId');
    selectReading(doc, line, cmd.readingId);
  },
});

/**
 * Plays a reading: the line says the reading's words; the clip that plays the
 * line (if one does) gets the reading's audio as its source, and becomes as
 * long as it (when its length is known).
 */
function selectReading(doc: Project, line: Line, readingId: string): void {
  const reading = line.readings.find((r) => r.id === readingId)!;
  line.selectedReadingId = reading.id;
  if (reading.text !== undefined && reading.text !== line.text) setLineText(doc, line, reading.text);
  const clip = clipOfLine(doc, line.id)?.clip;
  if (!clip) return;
  clip.source = { type: 'media', mediaId: reading.mediaId };
  const samples = doc.media.find((m) => m.id === reading.mediaId)?.durationSamples;
  if (samples) clip.duration = Math.max(1, samplesToFramesCeil(samples, doc.sequence.rate) - clip.sourceStart);
}
