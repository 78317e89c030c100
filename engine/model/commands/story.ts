/** Commands on the story side of the document: project, characters, scenes, props, marks, actions, shots, dialogue lines. */
import { z } from 'zod';
import { inputError } from '../../common/errors.js';
import { spreadCamera } from '../framing.js';
import { clipOfLine, linesOfShot, setLineText } from '../lines.js';
import { collectIds, findScene, findShot, newId } from '../lookup.js';
import {
  closeSceneGap,
  closeTrackGap,
  ensureMarks,
  framingCharacters,
  includeFramed,
  openSceneGap,
  reframe,
  reframeScene,
} from '../staging.js';
import {
  ProjectSchema,
  ExportLoudnessSchema,
  SceneHeadingSchema,
  ActionSchema,
  CharacterSchema,
  ClipSchema,
  LineSchema,
  MarkSchema,
  MediaSchema,
  MAX_CHARACTER_REFERENCES,
  PhysicsSchema,
  PropSchema,
  SceneSchema,
  SetSchema,
  ShotSchema,
  type Clip,
  type Line,
  type Project,
} from '../schema.js';
import { assignDefined, cloneDraft, defineCommand, notFound, patchOf, removeById } from './define.js';

const idRef = z.string().min(1);

function sceneOrThrow(doc: Project, sceneId: string) {
  return findScene(doc, sceneId) ?? notFound('scene', sceneId, 'sceneId');
}
function shotOrThrow(doc: Project, shotId: string) {
  return findShot(doc, shotId) ?? notFound('shot', shotId, 'shotId');
}

export const projectUpdate = defineCommand({
  type: 'project.update',
  label: 'Rename project',
  schema: z.object({
    type: z.literal('project.update'),
    patch: z.object({
      name: z.string().min(1).max(200).optional(),
      creatorName: z.string().max(120).optional(),
      budgetUsd: z.number().nonnegative().nullable().optional(),
      titlePage: ProjectSchema.shape.titlePage,
      scriptExtras: ProjectSchema.shape.scriptExtras,
    }),
  }),
  perform(doc, cmd) {
    if (cmd.patch.name !== undefined) doc.name = cmd.patch.name;
    if (cmd.patch.budgetUsd === null) delete doc.budgetUsd;
    else if (cmd.patch.budgetUsd !== undefined) doc.budgetUsd = cmd.patch.budgetUsd;
    if (cmd.patch.creatorName !== undefined) doc.creator.name = cmd.patch.creatorName;
    if (cmd.patch.titlePage !== undefined) doc.titlePage = cmd.patch.titlePage;
    if (cmd.patch.scriptExtras !== undefined) doc.scriptExtras = cmd.patch.scriptExtras;
  },
});

export const projectSetExportLoudness = defineCommand({
  type: 'project.setExportLoudness',
  label: 'Set export loudness',
  schema: z.object({ type: z.literal('project.setExportLoudness'), loudness: ExportLoudnessSchema }),
  perform(doc, cmd) {
    doc.exportLoudness = cmd.loudness;
  },
});

export const characterAdd = defineCommand({
  type: 'character.add',
  label: 'Add character',
  schema: z.object({ type: z.literal('character.add'), character: CharacterSchema.partial({ id: true }) }),
  perform(doc, cmd) {
    doc.characters.push(CharacterSchema.parse({ ...cmd.character, id: cmd.character.id ?? newId(doc, 'char') }));
  },
});

export const characterUpdate = defineCommand({
  type: 'character.update',
  label: 'Edit character',
  schema: z.object({ type: z.literal('character.update'), characterId: idRef, patch: patchOf(CharacterSchema.omit({ id: true })) }),
  perform(doc, cmd) {
    const c = doc.characters.find((x) => x.id === cmd.characterId) ?? notFound('character', cmd.characterId, 'characterId');
    assignDefined(c, cmd.patch);
  },
});

export const characterRemove = defineCommand({
  type: 'character.remove',
  label: 'Delete character',
  schema: z.object({ type: z.literal('character.remove'), characterId: idRef }),
  perform(doc, cmd) {
    const i = doc.characters.findIndex((x) => x.id === cmd.characterId);
    if (i < 0) notFound('character', cmd.characterId, 'characterId');
    const speaks = doc.lines.filter((l) => l.characterId === cmd.characterId);
    const uses = doc.scenes
      .flatMap((s) => s.shots)
      .filter((sh) => speaks.some((l) => l.shotId === sh.id) || sh.characterIds.includes(cmd.characterId));
    if (uses.length) {
      throw inputError('IN_USE', `character "${cmd.characterId}" is used by shot ${uses.map((s) => s.number).join(', ')}`, {
        path: 'characterId',
        hint: 'Remove them from those shots first.',
      });
    }
    if (speaks.length) {
      throw inputError('IN_USE', `character "${cmd.characterId}" speaks line ${speaks.map((l) => l.id).join(', ')}`, {
        path: 'characterId',
        hint: 'Remove those lines first.',
      });
    }
    doc.characters.splice(i, 1);
    for (const s of doc.scenes) {
      s.marks = s.marks.filter((m) => m.characterId !== cmd.characterId);
      s.actions = s.actions.filter((a) => a.actorId !== cmd.characterId);
    }
  },
});

/**
 * A reference image of a character: the image's media entry (a file the caller copied into the project folder)
 * joins the project's media unless an entry of that id is there, and the character names it. One undo step.
 */
export const characterAddReference = defineCommand({
  type: 'character.addReference',
  label: 'Add reference image',
  schema: z.object({
    type: z.literal('character.addReference'),
    characterId: idRef,
    media: MediaSchema.extend({ kind: z.literal('image') }),
  }),
  perform(doc, cmd) {
    const c = doc.characters.find((x) => x.id === cmd.characterId) ?? notFound('character', cmd.characterId, 'characterId');
    const refs = (c.references ??= []);
    if (refs.length >= MAX_CHARACTER_REFERENCES)
      throw inputError(
        'TOO_MANY_REFERENCES',
        `${c.name} has ${refs.length} reference images already (at most ${MAX_CHARACTER_REFERENCES})`,
        {
          path: 'characterId',
          hint: 'Remove one first.',
        },
      );
    const existing = doc.media.find((m) => m.id === cmd.media.id);
    if (existing && (existing.kind !== 'image' || existing.path !== cmd.media.path))
      throw inputError('DUPLICATE', `the project has another media entry called "${cmd.media.id}"`, { path: 'media.id' });
    if (!existing) doc.media.push(cmd.media);
    if (!refs.includes(cmd.media.id)) refs.push(cmd.media.id);
  },
});

/** Takes a reference image away from a character; its media entry goes too when nothing else uses it (the file stays, for undo). */
export const characterRemoveReference = defineCommand({
  type: 'character.removeReference',
  label: 'Remove reference image',
  schema: z.object({ type: z.literal('character.removeReference'), characterId: idRef, mediaId: idRef }),
  perform(doc, cmd) {
    const c = doc.characters.find((x) => x.id === cmd.characterId) ?? notFound('character', cmd.characterId, 'characterId');
    const i = c.references?.indexOf(cmd.mediaId) ?? -1;
    if (i < 0) notFound(`reference image of ${c.name}`, cmd.mediaId, 'mediaId');
    c.references!.splice(i, 1);
    if (!c.references!.length) delete c.references;
    const used =
      doc.characters.some((x) => x.references?.includes(cmd.mediaId)) ||
      doc.sequence.tracks.some((t) => t.clips.some((cl) => cl.source.type === 'media' && cl.source.mediaId === cmd.mediaId)) ||
      doc.lines.some((l) => l.readings.some((r) => r.mediaId === cmd.mediaId));
    if (!used) doc.media = doc.media.filter((m) => m.id !== cmd.mediaId);
  },
});

export const sceneAdd = defineCommand({
  type: 'scene.add',
  label: 'Add scene',
  schema: z.object({
    type: z.literal('scene.add'),
    scene: SceneSchema.partial({ id: true, number: true }).prefault({}),
    index: z.number().int().nonnegative().optional(),
  }),
  perform(doc, cmd) {
    const scene = SceneSchema.parse({
      ...cmd.scene,
      id: cmd.scene.id ?? newId(doc, 'scene'),
      number: cmd.scene.number ?? String(doc.scenes.length + 1),
    });
    doc.scenes.splice(cmd.index ?? doc.scenes.length, 0, scene);
  },
});

export const sceneUpdate = defineCommand({
  type: 'scene.update',
  label: 'Edit scene',
  schema: z.object({
    type: z.literal('scene.update'),
    sceneId: idRef,
    patch: z.object({
      number: z.string().min(1).max(16).optional(),
      name: z.string().max(120).optional(),
      set: patchOf(SetSchema).optional(),
      physics: patchOf(PhysicsSchema).optional(),
      heading: SceneHeadingSchema.optional(),
      scriptExtras: SceneSchema.shape.scriptExtras,
    }),
  }),
  perform(doc, cmd) {
    const scene = sceneOrThrow(doc, cmd.sceneId);
    if (cmd.patch.scriptExtras !== undefined) scene.scriptExtras = cmd.patch.scriptExtras;
    if (cmd.patch.heading) scene.heading = cmd.patch.heading;
    if (cmd.patch.number !== undefined) scene.number = cmd.patch.number;
    if (cmd.patch.name !== undefined) scene.name = cmd.patch.name;
    if (cmd.patch.set) assignDefined(scene.set, cmd.patch.set);
    if (cmd.patch.physics) assignDefined(scene.physics, cmd.patch.physics);
  },
});

export const sceneRemove = defineCommand({
  type: 'scene.remove',
  label: 'Delete scene',
  schema: z.object({ type: z.literal('scene.remove'), sceneId: idRef }),
  perform(doc, cmd) {
    const i = doc.scenes.findIndex((s) => s.id === cmd.sceneId);
    if (i < 0) notFound('scene', cmd.sceneId, 'sceneId');
    for (const shot of doc.scenes[i]!.shots) removeShotEverywhere(doc, shot.id);
    doc.scenes.splice(i, 1);
  },
});

export const propAdd = defineCommand({
  type: 'prop.add',
  label: 'Add prop',
  schema: z.object({ type: z.literal('prop.add'), sceneId: idRef, prop: PropSchema.partial({ id: true }) }),
  perform(doc, cmd) {
    const scene = sceneOrThrow(doc, cmd.sceneId);
    scene.props.push(PropSchema.parse({ ...cmd.prop, id: cmd.prop.id ?? newId(doc, 'prop') }));
  },
});

export const propUpdate = defineCommand({
  type: 'prop.update',
  label: 'Move prop',
  schema: z.object({ type: z.literal('prop.update'), sceneId: idRef, propId: idRef, patch: patchOf(PropSchema.omit({ id: true })) }),
  perform(doc, cmd) {
    const scene = sceneOrThrow(doc, cmd.sceneId);
    const prop = scene.props.find((p) => p.id === cmd.propId) ?? notFound('prop', cmd.propId, 'propId');
    assignDefined(prop, cmd.patch);
    reframeScene(doc, scene);
  },
});

export const propRemove = defineCommand({
  type: 'prop.remove',
  label: 'Delete prop',
  schema: z.object({ type: z.literal('prop.remove'), sceneId: idRef, propId: idRef }),
  perform(doc, cmd) {
    const scene = sceneOrThrow(doc, cmd.sceneId);
    removeById(scene.props, cmd.propId, 'prop', 'propId');
    scene.actions = scene.actions.filter((a) => a.targetId !== cmd.propId);
  },
});

export const markSet = defineCommand({
  type: 'mark.set',
  label: 'Move start mark',
  schema: z.object({ type: z.literal('mark.set'), sceneId: idRef, mark: MarkSchema }),
  perform(doc, cmd) {
    const scene = sceneOrThrow(doc, cmd.sceneId);
    const existing = scene.marks.find((m) => m.characterId === cmd.mark.characterId);
    if (existing) assignDefined(existing, cmd.mark);
    else scene.marks.push(cmd.mark);
    reframeScene(doc, scene);
  },
});

export const actionAdd = defineCommand({
  type: 'action.add',
  label: 'Add action',
  schema: z.object({ type: z.literal('action.add'), sceneId: idRef, action: ActionSchema.partial({ id: true }) }),
  perform(doc, cmd) {
    const scene = sceneOrThrow(doc, cmd.sceneId);
    scene.actions.push(ActionSchema.parse({ ...cmd.action, id: cmd.action.id ?? newId(doc, 'action') }));
    scene.actions.sort((a, b) => a.at - b.at);
  },
});

export const actionUpdate = defineCommand({
  type: 'action.update',
  label: 'Edit action',
  schema: z.object({ type: z.literal('action.update'), sceneId: idRef, actionId: idRef, patch: patchOf(ActionSchema.omit({ id: true })) }),
  perform(doc, cmd) {
    const scene = sceneOrThrow(doc, cmd.sceneId);
    const action = scene.actions.find((a) => a.id === cmd.actionId) ?? notFound('action', cmd.actionId, 'actionId');
    assignDefined(action, cmd.patch);
    scene.actions.sort((a, b) => a.at - b.at);
  },
});

/**
 * Reorders a scene's actions: the action goes to place `index` of the list and the actions take the list's
 * times in order (the times stay where they were, who does what when changes), so the list stays sorted.
 */
export const actionMove = defineCommand({
  type: 'action.move',
  label: 'Reorder action',
  schema: z.object({ type: z.literal('action.move'), sceneId: idRef, actionId: idRef, index: z.number().int().nonnegative() }),
  perform(doc, cmd) {
    const scene = sceneOrThrow(doc, cmd.sceneId);
    const times = scene.actions.map((a) => a.at);
    const moved = removeById(scene.actions, cmd.actionId, 'action', 'actionId');
    scene.actions.splice(Math.min(cmd.index, scene.actions.length), 0, moved);
    scene.actions.forEach((a, i) => (a.at = times[i]!));
  },
});

export const actionRemove = defineCommand({
  type: 'action.remove',
  label: 'Delete action',
  schema: z.object({ type: z.literal('action.remove'), sceneId: idRef, actionId: idRef }),
  perform(doc, cmd) {
    const scene = sceneOrThrow(doc, cmd.sceneId);
    removeById(scene.actions, cmd.actionId, 'action', 'actionId');
  },
});

const ShotInput = ShotSchema.partial({ id: true, number: true, camera: true, duration: true }).extend({
  sceneStart: z.number().int().nonnegative().optional(),
});

export const shotAdd = defineCommand({
  type: 'shot.add',
  label: 'Add shot',
  schema: z.object({
    type: z.literal('shot.add'),
    sceneId: idRef,
    shot: ShotInput.prefault({}),
    index: z.number().int().nonnegative().optional(),
    /** Also a clip of the shot's length at the end of this track (one undo step with the shot). */
    clip: z.object({ trackId: idRef, id: idRef.optional() }).optional(),
  }),
  perform(doc, cmd) {
    const scene = sceneOrThrow(doc, cmd.sceneId);
    const last = scene.shots[scene.shots.length - 1];
    // an unframed shot without a camera stands apart from the scene's other cameras
    const shot = ShotSchema.parse({
      duration: 72,
      camera: spreadCamera(
        scene,
        scene.shots.map((s) => s.camera),
      ),
      ...cmd.shot,
      sceneStart: cmd.shot.sceneStart ?? (last ? last.sceneStart + last.duration : 0),
      id: cmd.shot.id ?? newId(doc, 'shot'),
      number: cmd.shot.number ?? String(scene.shots.length + 1),
    });
    scene.shots.splice(cmd.index ?? scene.shots.length, 0, shot);
    // the characters it uses get start marks; a framed shot's camera is placed from its framing unless given
    const added = scene.shots[cmd.index ?? scene.shots.length - 1]!;
    includeFramed(doc, added);
    ensureMarks(doc, scene, [...framingCharacters(added), ...added.characterIds]);
    if (!cmd.shot.camera) reframe(doc, scene, added);
    if (cmd.clip) {
      const track = doc.sequence.tracks.find((t) => t.id === cmd.clip!.trackId) ?? notFound('track', cmd.clip.trackId, 'clip.trackId');
      const end = track.clips.reduce((m, c) => Math.max(m, c.recordStart + c.duration), 0);
      track.clips.push(
        ClipSchema.parse({
          id: cmd.clip.id ?? newId(doc, 'clip'),
          source: { type: 'shot', shotId: added.id },
          recordStart: end,
          duration: added.duration,
        }),
      );
    }
  },
});

export const shotUpdate = defineCommand({
  type: 'shot.update',
  label: 'Edit shot',
  schema: z.object({ type: z.literal('shot.update'), shotId: idRef, patch: patchOf(ShotSchema.omit({ id: true })) }),
  perform(doc, cmd) {
    const { shot, scene } = shotOrThrow(doc, cmd.shotId);
    const before = { duration: shot.duration, end: shot.sceneStart + shot.duration };
    assignDefined(shot, cmd.patch);
    if (cmd.patch.duration !== undefined && cmd.patch.duration !== before.duration) followDuration(doc, scene, shot.id, before);
    if (cmd.patch.framing) {
      includeFramed(doc, shot);
      ensureMarks(doc, scene, framingCharacters(shot));
      if (!cmd.patch.camera) reframe(doc, scene, shot);
    }
  },
});

export const shotRemove = defineCommand({
  type: 'shot.remove',
  label: 'Delete shot',
  schema: z.object({
    type: z.literal('shot.remove'),
    shotId: idRef,
    /** Close the gap it leaves in scene time and on the tracks (default). */ ripple: z.boolean().default(true),
  }),
  perform(doc, cmd) {
    const loc = shotOrThrow(doc, cmd.shotId);
    const { sceneStart, duration } = loc.shot;
    removeShotEverywhere(doc, cmd.shotId, cmd.ripple);
    const scene = doc.scenes[loc.sceneIndex]!;
    scene.shots.splice(loc.shotIndex, 1);
    if (cmd.ripple) closeSceneGap(scene, sceneStart, duration);
  },
});

export const shotMove = defineCommand({
  type: 'shot.move',
  label: 'Reorder shot',
  schema: z.object({
    type: z.literal('shot.move'),
    shotId: idRef,
    toSceneId: idRef.optional(),
    index: z.number().int().nonnegative(),
    /** Close the gap in scene time where it was and make room where it goes (default), so it never shares scene time (and lines) with another shot by accident. */
    ripple: z.boolean().default(true),
  }),
  perform(doc, cmd) {
    const loc = shotOrThrow(doc, cmd.shotId);
    const source = doc.scenes[loc.sceneIndex]!;
    source.shots.splice(loc.shotIndex, 1);
    if (cmd.ripple) closeSceneGap(source, loc.shot.sceneStart, loc.shot.duration);
    const target = cmd.toSceneId ? sceneOrThrow(doc, cmd.toSceneId) : source;
    const index = Math.min(cmd.index, target.shots.length);
    target.shots.splice(index, 0, loc.shot);
    const moved = target.shots[index]!;
    if (cmd.ripple) openSceneGap(target, moved);
    renumberShots(source);
    if (target !== source) renumberShots(target);
    if (target !== source) {
      ensureMarks(doc, target, [
        ...framingCharacters(moved),
        ...moved.characterIds,
        ...linesOfShot(doc, moved.id).map((l) => l.characterId),
      ]);
      reframe(doc, target, moved);
    }
  },
});

/** Shots numbered plainly ("1", "2", …) take their place in the scene's order; script numbers like "4A" stay as written. */
function renumberShots(scene: Project['scenes'][number]): void {
  scene.shots.forEach((shot, i) => {
    if (/^\d+$/.test(shot.number)) shot.number = String(i + 1);
  });
}

export const shotDuplicate = defineCommand({
  type: 'shot.duplicate',
  label: 'Duplicate shot',
  schema: z.object({ type: z.literal('shot.duplicate'), shotId: idRef, newShotId: idRef.optional() }),
  perform(doc, cmd) {
    const loc = shotOrThrow(doc, cmd.shotId);
    const copy = cloneDraft(loc.shot);
    copy.id = cmd.newShotId ?? newId(doc, 'shot');
    copy.number = `${loc.shot.number}A`;
    delete copy.selectedTakeId;
    // the copy speaks the same words (new line entities; readings and lane clips stay with the originals)
    const used = collectIds(doc);
    const copies = linesOfShot(doc, loc.shot.id).map((l): Line => {
      let n = 1;
      while (used.has(`${copy.id}-line-${n}`)) n++;
      used.add(`${copy.id}-line-${n}`);
      return {
        id: `${copy.id}-line-${n}`,
        characterId: l.characterId,
        text: l.text,
        shotId: copy.id,
        ...(l.start !== undefined ? { start: l.start } : {}),
        readings: [],
      };
    });
    doc.scenes[loc.sceneIndex]!.shots.splice(loc.shotIndex + 1, 0, copy);
    doc.lines.push(...copies);
  },
});

function lineOrThrow(doc: Project, lineId: string): Line {
  return doc.lines.find((l) => l.id === lineId) ?? notFound('line', lineId, 'lineId');
}

/**
 * Adds a dialogue line: with `shotId`, spoken by that shot's takes (`index`:
 * its place among the shot's lines, default last); without, a line for a
 * character's lane (a clip.add with its `lineId` plays it).
 */
export const lineAdd = defineCommand({
  type: 'line.add',
  label: 'Add dialogue line',
  schema: z.object({
    type: z.literal('line.add'),
    line: LineSchema.partial({ id: true }),
    index: z.number().int().nonnegative().optional(),
  }),
  perform(doc, cmd) {
    const line = LineSchema.parse({ ...cmd.line, id: cmd.line.id ?? newId(doc, 'line') });
    if (line.shotId !== undefined) shotOrThrow(doc, line.shotId);
    if (line.shotId !== undefined) {
      // the speaker gets a start mark in the shot's scene
      const loc = shotOrThrow(doc, line.shotId);
      ensureMarks(doc, loc.scene, [line.characterId]);
    }
    const siblings = line.shotId !== undefined ? linesOfShot(doc, line.shotId) : [];
    const before = cmd.index !== undefined ? siblings[cmd.index] : undefined;
    doc.lines.splice(before ? doc.lines.indexOf(before) : doc.lines.length, 0, line);
  },
});

/** Many lines at the end of `lines`, in order, in one command (an import: one check of the project instead of one per line). */
export const lineAddMany = defineCommand({
  type: 'line.addMany',
  label: 'Add dialogue lines',
  schema: z.object({ type: z.literal('line.addMany'), lines: z.array(LineSchema).min(1).max(100_000) }),
  perform(doc, cmd) {
    const shots = new Set(doc.scenes.flatMap((s) => s.shots.map((sh) => sh.id)));
    cmd.lines.forEach((line, i) => {
      if (line.shotId !== undefined && !shots.has(line.shotId))
        throw inputError('NOT_FOUND', `no shot with id "${line.shotId}"`, { path: `lines[${i}].shotId` });
      doc.lines.push(line);
    });
  },
});

/** A line's words, speaker, shot (null: none) or start in the shot (null: after the previous line). */
const LinePatch = z.object({
  characterId: LineSchema.shape.characterId.optional(),
  text: LineSchema.shape.text.optional(),
  shotId: LineSchema.shape.shotId.unwrap().nullable().optional(),
  start: LineSchema.shape.start.unwrap().nullable().optional(),
  parenthetical: LineSchema.shape.parenthetical.unwrap().nullable().optional(),
  extension: LineSchema.shape.extension.unwrap().nullable().optional(),
});

export const lineUpdate = defineCommand({
  type: 'line.update',
  label: 'Edit dialogue line',
  schema: z.object({ type: z.literal('line.update'), lineId: idRef, patch: LinePatch }),
  perform(doc, cmd) {
    const line = lineOrThrow(doc, cmd.lineId);
    const { text, shotId, start, characterId } = cmd.patch;
    if (characterId !== undefined) line.characterId = characterId;
    if (text !== undefined && text !== line.text) setLineText(doc, line, text);
    if (shotId === null) {
      delete line.shotId;
      delete line.start;
    } else if (shotId !== undefined) {
      shotOrThrow(doc, shotId);
      line.shotId = shotId;
    }
    if (start === null) delete line.start;
    else if (start !== undefined) line.start = start;
    for (const key of ['parenthetical', 'extension'] as const) {
      const v = cmd.patch[key];
      if (v === null) delete line[key];
      else if (v !== undefined) line[key] = v;
    }
  },
});

/** Removes a line and the clip that plays it (its readings' media stay imported). */
export const lineRemove = defineCommand({
  type: 'line.remove',
  label: 'Delete dialogue line',
  schema: z.object({ type: z.literal('line.remove'), lineId: idRef }),
  perform(doc, cmd) {
    const clip = clipOfLine(doc, cmd.lineId);
    removeById(doc.lines, cmd.lineId, 'line', 'lineId');
    if (clip) clip.track.clips.splice(clip.clipIndex, 1);
  },
});

/**
 * Removes the shot's takes, the clips that show it and its lines (a line a
 * lane clip plays stays, as a line of the lanes); the shot itself stays for the caller.
 */
function removeShotEverywhere(doc: Project, shotId: string, ripple = false): void {
  doc.lines = doc.lines.filter((l) => l.shotId !== shotId || clipOfLine(doc, l.id) !== undefined);
  for (const l of doc.lines) {
    if (l.shotId !== shotId) continue;
    delete l.shotId;
    delete l.start;
  }
  const takeIds = new Set(doc.takes.filter((t) => t.shotId === shotId).map((t) => t.id));
  doc.takes = doc.takes.filter((t) => t.shotId !== shotId);
  for (const track of doc.sequence.tracks) {
    const gone = (c: Clip) =>
      (c.source.type === 'shot' && c.source.shotId === shotId) || (c.source.type === 'take' && takeIds.has(c.source.takeId));
    const removed = track.clips.filter(gone).map((c) => ({ start: c.recordStart, duration: c.duration }));
    track.clips = track.clips.filter((c) => !gone(c));
    if (ripple) for (const r of removed.sort((a, b) => b.start - a.start)) closeTrackGap(track.clips, r.start, r.duration);
  }
}

/**
 * A shot's new length reaches its clips and the scene: a clip that showed the
 * whole shot shows the whole shot again (later clips of its track move with
 * its end), and shots that started at or after its end move with it.
 */
function followDuration(doc: Project, scene: Project['scenes'][number], shotId: string, before: { duration: number; end: number }): void {
  const shot = scene.shots.find((s) => s.id === shotId)!;
  const delta = shot.duration - before.duration;
  for (const s of scene.shots) if (s !== shot && s.sceneStart >= before.end) s.sceneStart = Math.max(0, s.sceneStart + delta);
  for (const track of doc.sequence.tracks) {
    for (const clip of track.clips) {
      if (clip.source.type !== 'shot' || clip.source.shotId !== shotId || clip.sourceStart !== 0 || clip.duration !== before.duration)
        continue;
      const oldEnd = clip.recordStart + clip.duration;
      clip.duration = shot.duration;
      for (const c of track.clips) if (c !== clip && c.recordStart >= oldEnd) c.recordStart = Math.max(0, c.recordStart + delta);
    }
  }
}
