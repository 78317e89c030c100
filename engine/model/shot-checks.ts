/**
 * Checks before generating: what would make a shot come out wrong, said in
 * plain words with the shot's number and name (never an internal id), each
 * with the commands that fix it where a fix is clear. Pure: the studio shows
 * them on the card and in the inspector, `klappe generate` prints them.
 */
import { framesToSeconds, secondsToFramesRound } from '../common/time.js';
import type { CommandInput } from './commands/registry.js';
import { eyeHeight, insideSet, placeCamera, projectPoint } from './framing.js';
import { linesOfShot } from './lines.js';
import { allShots, collectIds } from './lookup.js';
import type { Character, Project, Scene, Shot } from './schema.js';

export type CheckSeverity = 'error' | 'warning';

export interface ShotCheck {
  shotId: string;
  severity: CheckSeverity;
  code:
    | 'UNKNOWN_NAME'
    | 'UNKNOWN_SPEAKER'
    | 'LINE_TOO_LONG'
    | 'SUBJECT_OUT_OF_FRAME'
    | 'EMPTY_PROMPT'
    | 'CAMERA_OUTSIDE_SET'
    | 'LENS_UNUSUAL'
    | 'NO_MARK';
  /** Plain words, starting with the shot ("Shot 1/2 “Close-up”: …"). */
  message: string;
  /** What the fix button does, and the commands it applies (one undo step). */
  fix?: { label: string; commands: CommandInput[] };
}

/** Words a person speaks per second at rate 1 (about 150 a minute), and the pause after a line. */
export const WORDS_PER_SECOND = 2.5;
const LINE_PAUSE_S = 0.3;

/** Capitalised words that are not names. */
const NOT_NAMES = new Set([
  'i',
  'a',
  'an',
  'the',
  'he',
  'she',
  'they',
  'we',
  'you',
  'it',
  'his',
  'her',
  'their',
  'our',
  'my',
  'your',
  'this',
  'that',
  'these',
  'those',
  'close',
  'wide',
  'medium',
  'over',
  'insert',
  'camera',
  'shot',
  'scene',
  'cut',
  'int',
  'ext',
  'day',
  'night',
  'morning',
  'evening',
  'and',
  'but',
  'then',
  'when',
  'while',
  'as',
  'in',
  'on',
  'at',
  'to',
  'from',
  'with',
  'slowly',
  'suddenly',
  'later',
  'meanwhile',
  'mr',
  'mrs',
  'ms',
  'dr',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'god',
  'ok',
  'okay',
  'no',
  'yes',
]);

/** How a shot is named to a person: its scene and number, and its name when it has one. */
export function shotLabel(scene: Pick<Scene, 'number'>, shot: Pick<Shot, 'number' | 'name'>): string {
  return `Shot ${scene.number}/${shot.number}${shot.name ? ` “${shot.name}”` : ''}`;
}

/** Seconds a line takes to say, roughly (words at the speaker's rate). */
export function speakingSeconds(text: string, character?: Pick<Character, 'voice'>): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  return words / (WORDS_PER_SECOND * (character?.voice.rate ?? 1));
}

/** Names in a prompt that look like people: capitalised words not at a sentence start, and not everyday words. */
export function namesIn(prompt: string): string[] {
  const out: string[] = [];
  // words in quotes are spoken, not staged
  const text = prompt.replace(/“[^”]*”|"[^"]*"/g, '.');
  const re = /([.!?]\s+|^\s*|\s+|\()([A-Z][a-z]{1,30})\b/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const sentenceStart = m.index === 0 || /[.!?]\s+$/.test(m[1]!);
    const word = m[2]!;
    if (NOT_NAMES.has(word.toLowerCase())) continue;
    // at a sentence start only a word that is followed by a verb-like lower-case word counts ("Anna walks")
    if (sentenceStart && !/^\s+[a-z]+s\b/.test(text.slice(m.index + m[0].length))) continue;
    if (!out.includes(word)) out.push(word);
  }
  return out;
}

/** Every check of one shot. */
export function checkShot(doc: Project, shotId: string): ShotCheck[] {
  const loc = allShots(doc).find((l) => l.shot.id === shotId);
  if (!loc) return [];
  const { scene, shot } = loc;
  const label = shotLabel(scene, shot);
  const out: ShotCheck[] = [];
  const rate = doc.sequence.rate;
  const cast = new Map(doc.characters.map((c) => [c.id, c]));
  const lines = linesOfShot(doc, shot.id);

  // names the prompt uses that the cast does not have
  const known = new Set([
    ...doc.characters.map((c) => c.name.toLowerCase()),
    ...doc.characters.map((c) => c.id.toLowerCase()),
    ...scene.props.map((p) => p.name.toLowerCase()),
  ]);
  const used = collectIds(doc);
  for (const name of namesIn(`${shot.prompt} ${shot.action}`)) {
    if (known.has(name.toLowerCase())) continue;
    let id = name.toLowerCase();
    for (let n = 2; used.has(id); n++) id = `${name.toLowerCase()}-${n}`;
    used.add(id);
    out.push({
      shotId,
      severity: 'error',
      code: 'UNKNOWN_NAME',
      message: `${label}: the prompt names “${name}”, who is not in the cast; the picture would not show them`,
      fix: {
        label: `Add ${name} to the cast`,
        commands: [
          { type: 'character.add', character: { id, name } },
          { type: 'mark.place', sceneId: scene.id, characterIds: [id] },
        ],
      },
    });
  }

  // lines: speakers, marks and length
  let needed = 0;
  for (const line of lines) {
    const who = cast.get(line.characterId);
    if (!who) {
      out.push({
        shotId,
        severity: 'error',
        code: 'UNKNOWN_SPEAKER',
        message: `${label}: the line “${excerpt(line.text)}” is spoken by “${line.characterId}”, who is not in the cast`,
        fix: {
          label: `Add ${line.characterId} to the cast`,
          commands: [
            { type: 'character.add', character: { id: line.characterId, name: line.characterId } },
            { type: 'mark.place', sceneId: scene.id, characterIds: [line.characterId] },
          ],
        },
      });
      continue;
    }
    if (!scene.marks.some((m) => m.characterId === who.id)) {
      out.push({
        shotId,
        severity: 'error',
        code: 'NO_MARK',
        message: `${label}: ${who.name} speaks a line but has no start mark in scene ${scene.number}${scene.name ? ` “${scene.name}”` : ''}`,
        fix: { label: `Place ${who.name} in the scene`, commands: [{ type: 'mark.place', sceneId: scene.id, characterIds: [who.id] }] },
      });
    }
    needed = (line.start !== undefined ? framesToSeconds(line.start, rate) : needed) + speakingSeconds(line.text, who) + LINE_PAUSE_S;
  }
  const have = framesToSeconds(shot.duration, rate);
  if (lines.length && needed > have + 1e-9) {
    const frames = secondsToFramesRound(Math.ceil(needed * 2) / 2, rate);
    out.push({
      shotId,
      severity: 'error',
      code: 'LINE_TOO_LONG',
      message: `${label}: its ${lines.length === 1 ? 'line needs' : `${lines.length} lines need`} about ${needed.toFixed(1)} s, but the shot lasts ${have.toFixed(1)} s`,
      fix: {
        label: `Make the shot ${framesToSeconds(frames, rate).toFixed(1)} s`,
        commands: [{ type: 'shot.update', shotId, patch: { duration: frames } }],
      },
    });
  }

  // the camera
  const reframe: CommandInput[] | undefined = shot.framing
    ? [{ type: 'shot.update', shotId, patch: { framing: shot.framing } }]
    : undefined;
  if (!insideSet(scene.set, shot.camera.position)) {
    const b = { x: scene.set.width / 2 - 0.3, z: scene.set.depth / 2 - 0.3 };
    const p = shot.camera.position;
    const inside: [number, number, number] = [
      Math.max(-b.x, Math.min(b.x, p[0])),
      Math.max(0.2, Math.min(scene.set.kind === 'room' ? scene.set.wallHeight - 0.1 : 50, p[1])),
      Math.max(-b.z, Math.min(b.z, p[2])),
    ];
    out.push({
      shotId,
      severity: 'error',
      code: 'CAMERA_OUTSIDE_SET',
      message: `${label}: the camera stands outside the set (${fmt(p[0])}, ${fmt(p[2])} m in a ${scene.set.width} × ${scene.set.depth} m ${scene.set.kind === 'room' ? 'room' : 'set'}); it would film through a wall`,
      fix: {
        label: 'Move the camera inside',
        commands: reframe ?? [{ type: 'shot.update', shotId, patch: { camera: { ...shot.camera, position: inside } } }],
      },
    });
  }
  if (shot.framing) {
    const subject = scene.marks.find((m) => m.characterId === shot.framing!.subjectId);
    const who = cast.get(shot.framing.subjectId);
    if (subject) {
      const eye = projectPoint(shot.camera, doc.sequence.width, doc.sequence.height, [
        subject.position[0],
        eyeHeight(who?.look.height ?? 1.75),
        subject.position[1],
      ]);
      const inFrame = eye !== undefined && eye[0] >= 0 && eye[0] <= doc.sequence.width && eye[1] >= 0 && eye[1] <= doc.sequence.height;
      if (!inFrame) {
        const canPlace =
          placeCamera({ scene, characters: doc.characters, width: doc.sequence.width, height: doc.sequence.height }, shot.framing) !==
          undefined;
        out.push({
          shotId,
          severity: 'error',
          code: 'SUBJECT_OUT_OF_FRAME',
          message: `${label}: ${who?.name ?? 'the subject'} is not in the frame of this ${shot.framing.size}`,
          ...(canPlace ? { fix: { label: `Frame ${who?.name ?? 'the subject'} again`, commands: reframe! } } : {}),
        });
      }
    } else if (who) {
      out.push({
        shotId,
        severity: 'error',
        code: 'NO_MARK',
        message: `${label}: ${who.name}, its subject, has no start mark in scene ${scene.number}`,
        fix: { label: `Place ${who.name} in the scene`, commands: [{ type: 'mark.place', sceneId: scene.id, characterIds: [who.id] }] },
      });
    }
  }
  if (shot.camera.lensMm < 12 || shot.camera.lensMm > 200) {
    out.push({
      shotId,
      severity: 'warning',
      code: 'LENS_UNUSUAL',
      message: `${label}: a ${fmt(shot.camera.lensMm)} mm lens is ${shot.camera.lensMm < 12 ? 'wider' : 'longer'} than usual (12–200 mm)`,
      fix: { label: 'Use 35 mm', commands: [{ type: 'shot.update', shotId, patch: { camera: { ...shot.camera, lensMm: 35 } } }] },
    });
  }
  if (!shot.prompt.trim()) {
    const described = describeShot(
      doc,
      shot,
      lines.map((l) => ({ who: cast.get(l.characterId)?.name ?? l.characterId, text: l.text })),
    );
    out.push({
      shotId,
      severity: 'warning',
      code: 'EMPTY_PROMPT',
      message: `${label}: the prompt is empty; a generator gets only ${shot.framing || lines.length ? 'its framing and lines' : 'an empty room'}`,
      ...(described
        ? { fix: { label: 'Write a prompt from the shot', commands: [{ type: 'shot.update', shotId, patch: { prompt: described } }] } }
        : {}),
    });
  }
  return out;
}

/** Every check of every shot, in scene order. */
export function checkShots(doc: Project, shotIds?: string[]): ShotCheck[] {
  const ids = shotIds ?? allShots(doc).map((l) => l.shot.id);
  return ids.flatMap((id) => checkShot(doc, id));
}

/** A prompt in words from a shot's framing and lines ("Close-up of Leo. Leo says: “Every single day.”"). */
export function describeShot(doc: Project, shot: Shot, lines: Array<{ who: string; text: string }>): string {
  const name = (id: string) => doc.characters.find((c) => c.id === id)?.name ?? id;
  const parts: string[] = [];
  if (shot.framing) {
    const f = shot.framing;
    const size =
      f.size === 'over-the-shoulder'
        ? `Over-the-shoulder shot of ${name(f.subjectId)}, over ${name(f.overId ?? '')}'s shoulder`
        : `${f.size[0]!.toUpperCase()}${f.size.slice(1)} shot of ${name(f.subjectId)}`;
    parts.push(`${size}.`);
  }
  for (const l of lines) parts.push(`${l.who} says: “${l.text}”`);
  return parts.join(' ');
}

function excerpt(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function fmt(v: number): string {
  return String(Math.round(v * 10) / 10);
}
