/**
 * The scene a previz simulation runs: the world snapshot of a ShotRequest, its
 * characters and frame rate. Checked here, with errors naming the shot or the
 * scene field that is wrong.
 */
import { inputError } from '../../common/errors.js';
import type { Character } from '../../model/schema.js';
import { framesToSeconds, type Rate } from '../../common/time.js';
import type { ShotRequest } from '../backend.js';
import { MAX_PROP_SIZE } from '../../common/prop-kinds.js';

export type SceneInput = ShotRequest['scene'];

/** Longest shot previz makes, seconds. */
export const MAX_SHOT_SECONDS = 60;

/** Scene frames the simulation covers: the end of the last shot (or action), at least one frame. */
export function sceneFrames(scene: SceneInput): number {
  let end = 1;
  for (const s of scene.shots) end = Math.max(end, s.sceneStart + s.duration);
  return end;
}

export function checkScene(scene: SceneInput, characters: Character[], rate: Rate): void {
  const where = `scene ${scene.number} (${scene.id})`;
  const charIds = new Set(characters.map((c) => c.id));
  const markIds = new Set(scene.marks.map((m) => m.characterId));
  const propIds = new Set(scene.props.map((p) => p.id));
  scene.props.forEach((p, i) => {
    if (p.size && p.size.some((v) => !(v > 0) || v > MAX_PROP_SIZE)) {
      throw inputError(
        'BAD_PROP_SIZE',
        `${where}: prop "${p.id}" has size [${p.size.join(', ')}]; every edge must be between 0 and ${MAX_PROP_SIZE} m`,
        { path: `props[${i}].size` },
      );
    }
  });
  scene.marks.forEach((m, i) => {
    if (!charIds.has(m.characterId))
      throw inputError('UNKNOWN_CHARACTER', `${where}: mark ${i + 1} places unknown character "${m.characterId}"`, {
        path: `marks[${i}].characterId`,
        hint: 'Add the character to the project, or fix the id.',
      });
  });
  scene.actions.forEach((a, i) => {
    if (!markIds.has(a.actorId)) {
      throw inputError('UNKNOWN_CHARACTER', `${where}: action "${a.id}" is done by "${a.actorId}", who has no mark in this scene`, {
        path: `actions[${i}].actorId`,
        hint: 'Give the character a start mark in the scene.',
      });
    }
    if (a.targetId && !propIds.has(a.targetId) && !markIds.has(a.targetId)) {
      throw inputError(
        'MISSING_PROP',
        `${where}: action "${a.id}" (${a.verb}) is about "${a.targetId}", which is no prop or character of this scene`,
        { path: `actions[${i}].targetId`, hint: `Props here: ${[...propIds].join(', ') || 'none'}.` },
      );
    }
    const needsProp = ['pickup', 'putdown', 'drop', 'throw', 'push', 'open'].includes(a.verb);
    if (needsProp && (!a.targetId || !propIds.has(a.targetId))) {
      throw inputError(
        'MISSING_PROP',
        `${where}: action "${a.id}" (${a.verb}) needs a prop as targetId${a.targetId ? `; "${a.targetId}" is not a prop` : ''}`,
        { path: `actions[${i}].targetId` },
      );
    }
    if (a.verb === 'walk' && !a.to)
      throw inputError('BAD_ACTION', `${where}: action "${a.id}" (walk) needs "to": the floor point [x, z] to walk to`, {
        path: `actions[${i}].to`,
      });
  });
  scene.shots.forEach((s, i) => {
    checkShotTiming(s, rate, `shots[${i}]`);
    s.dialogue.forEach((l, j) => {
      if (!charIds.has(l.characterId) || !markIds.has(l.characterId)) {
        // in words: the shot's number and name, the line's words and the speaker's name (never internal ids)
        const name = (id: string) => characters.find((c) => c.id === id)?.name ?? id;
        const shotName = `Shot ${scene.number}/${s.number}${'name' in s && s.name ? ` “${s.name}”` : ''}`;
        const words = l.text.length > 40 ? `${l.text.slice(0, 39)}…` : l.text;
        const inScene = [...markIds].map(name).join(', ') || 'nobody yet';
        throw inputError(
          'UNKNOWN_CHARACTER',
          charIds.has(l.characterId)
            ? `${shotName}: ${name(l.characterId)} says “${words}” but has no start mark in scene ${scene.number}${scene.name ? ` “${scene.name}”` : ''}`
            : `${shotName}: the line “${words}” is spoken by “${l.characterId}”, who is not in the cast`,
          {
            path: `shots[${i}].dialogue[${j}].characterId`,
            hint: charIds.has(l.characterId)
              ? `Place ${name(l.characterId)} in the scene (Set panel: Place cast, or klappe scene set). In the scene now: ${inScene}.`
              : `Add ${l.characterId} to the cast (Cast panel, or klappe cast add).`,
          },
        );
      }
    });
  });
}

export function checkShotTiming(shot: { id: string; number: string; duration: number }, rate: Rate, path = 'shot'): void {
  const seconds = framesToSeconds(shot.duration, rate);
  if (!Number.isInteger(shot.duration) || shot.duration <= 0) {
    throw inputError('BAD_DURATION', `shot ${shot.number} (${shot.id}): duration is ${shot.duration} frames; it must be at least 1 frame`, {
      path: `${path}.duration`,
    });
  }
  if (seconds > MAX_SHOT_SECONDS) {
    throw inputError(
      'BAD_DURATION',
      `shot ${shot.number} (${shot.id}): duration is ${seconds.toFixed(2)} s; previz makes shots of at most ${MAX_SHOT_SECONDS} s`,
      { path: `${path}.duration`, hint: 'Split the shot into several shots of the scene.' },
    );
  }
}

export function checkRequest(request: ShotRequest): void {
  const { width, height } = request.size;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width % 2 ||
    height % 2 ||
    width < 16 ||
    height < 16 ||
    width > 7680 ||
    height > 4320
  ) {
    throw inputError(
      'BAD_SIZE',
      `shot ${request.shot.number} (${request.shot.id}): size ${width}x${height} is not usable; width and height must be even, 16..7680 x 16..4320`,
      { path: 'size' },
    );
  }
  checkShotTiming(request.shot, request.rate);
  checkScene(request.scene, request.characters, request.rate);
}
