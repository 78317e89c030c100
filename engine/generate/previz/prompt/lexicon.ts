/** The words the prompt parser knows: action verbs, camera phrases, prop nouns, colours, and words too small to report. */
import type { ActionVerb, CameraMove, PropKind } from '../../../model/schema.js';

/** Verb forms → action. Multi-word forms are matched before single words. */
export const VERB_PHRASES: ReadonlyArray<readonly [words: string, verb: ActionVerb]> = [
  // pick up / put down / let go of, in all persons and tenses
  ...forms(['pick up', 'picks up', 'picked up', 'picking up'], 'pickup'),
  ...forms(['put down', 'puts down', 'putting down', 'set down', 'sets down', 'setting down', 'places', 'place', 'placed', 'placing'], 'putdown'),
  ...forms(['let go of', 'lets go of', 'letting go of', 'let go', 'lets go'], 'drop'),
  ...forms(['look at', 'looks at', 'looked at', 'looking at', 'watch', 'watches', 'watched', 'watching', 'glance at', 'glances at', 'stare at', 'stares at', 'staring at', 'look', 'looks', 'looked'], 'look'),
  ...forms(['sit down', 'sits down', 'sat down', 'sitting down', 'sit', 'sits', 'sat', 'sitting'], 'sit'),
  ...forms(['stand up', 'stands up', 'stood up', 'standing up', 'get up', 'gets up', 'got up', 'stand', 'stands', 'stood', 'rise', 'rises', 'rose'], 'stand'),
  ...forms(['turn to', 'turns to', 'turned to', 'turn around', 'turns around', 'turned around', 'turn', 'turns', 'turned', 'turning', 'face', 'faces', 'faced'], 'turn'),
  ...forms(['walk', 'walks', 'walked', 'walking', 'go', 'goes', 'went', 'going', 'cross', 'crosses', 'crossed', 'crossing', 'run', 'runs', 'ran', 'running', 'move', 'moves', 'moved', 'step', 'steps', 'stepped', 'headed', 'approach', 'approaches', 'approached', 'come', 'comes', 'came', 'stroll', 'strolls', 'hurry', 'hurries', 'hurried', 'rush', 'rushes', 'rushed'], 'walk'),
  ...forms(['grab', 'grabs', 'grabbed', 'grabbing', 'take', 'takes', 'took', 'taking', 'lift', 'lifts', 'lifted', 'picks', 'pick', 'picked', 'seize', 'seizes'], 'pickup'),
  ...forms(['drop', 'drops', 'dropped', 'dropping', 'knock over', 'knocks over', 'knocked over', 'knock', 'knocks', 'knocked', 'spill', 'spills', 'spilled', 'fumble', 'fumbles', 'fumbled'], 'drop'),
  ...forms(['throw', 'throws', 'threw', 'thrown', 'throwing', 'toss', 'tosses', 'tossed', 'tossing', 'hurl', 'hurls', 'hurled', 'fling', 'flings', 'flung', 'lob', 'lobs', 'lobbed', 'kick', 'kicks', 'kicked'], 'throw'),
  ...forms(['push', 'pushes', 'pushed', 'pushing', 'shove', 'shoves', 'shoved', 'shoving', 'nudge', 'nudges', 'nudged', 'slide', 'slides', 'slid'], 'push'),
  ...forms(['open', 'opens', 'opened', 'opening'], 'open'),
];

function forms(list: string[], verb: ActionVerb): Array<readonly [string, ActionVerb]> {
  return list.map((w) => [w, verb] as const);
}

/** Verbs that introduce a quoted line. */
export const SPEECH_VERBS = new Set(['say', 'says', 'said', 'saying', 'ask', 'asks', 'asked', 'shout', 'shouts', 'shouted', 'whisper', 'whispers', 'whispered', 'yell', 'yells', 'yelled', 'reply', 'replies', 'replied', 'call', 'calls', 'called', 'answer', 'answers', 'answered', 'exclaim', 'exclaims', 'exclaimed', 'mutter', 'mutters', 'muttered', 'cry', 'cries', 'cried', 'scream', 'screams', 'screamed', 'tell', 'tells', 'told', 'add', 'adds', 'added', 'gasp', 'gasps', 'gasped', 'murmur', 'murmurs', 'murmured']);

export type ShotSize = 'extreme-wide' | 'wide' | 'medium' | 'close-up' | 'extreme-close-up';
export type Direction = 'in' | 'out' | 'left' | 'right' | 'up' | 'down';

export interface CameraWord {
  shotSize?: ShotSize;
  angle?: 'low' | 'high' | 'eye';
  move?: CameraMove['type'];
  direction?: Direction;
  /** The move takes a direction word right after it ("pan left", "orbit right"). */
  takesDirection?: boolean;
}

/** Camera phrases, longest first when matched. Hyphens split words ("close-up" = "close up"). */
export const CAMERA_PHRASES: ReadonlyArray<readonly [string, CameraWord]> = [
  ['extreme close up', { shotSize: 'extreme-close-up' }],
  ['extreme closeup', { shotSize: 'extreme-close-up' }],
  ['ecu', { shotSize: 'extreme-close-up' }],
  ['medium close up', { shotSize: 'close-up' }],
  ['close up', { shotSize: 'close-up' }],
  ['closeup', { shotSize: 'close-up' }],
  ['close shot', { shotSize: 'close-up' }],
  ['extreme wide', { shotSize: 'extreme-wide' }],
  ['extreme long shot', { shotSize: 'extreme-wide' }],
  ['establishing shot', { shotSize: 'extreme-wide' }],
  ['establishing', { shotSize: 'extreme-wide' }],
  ['wide shot', { shotSize: 'wide' }],
  ['wide angle', { shotSize: 'wide' }],
  ['long shot', { shotSize: 'wide' }],
  ['full shot', { shotSize: 'wide' }],
  ['wide', { shotSize: 'wide' }],
  ['medium shot', { shotSize: 'medium' }],
  ['mid shot', { shotSize: 'medium' }],
  ['medium', { shotSize: 'medium' }],
  ['two shot', { shotSize: 'medium' }],
  ['over the shoulder', { shotSize: 'medium' }],
  ['ots', { shotSize: 'medium' }],
  ['low angle', { angle: 'low' }],
  ['worm s eye', { angle: 'low' }],
  ['high angle', { angle: 'high' }],
  ['bird s eye', { angle: 'high' }],
  ['overhead', { angle: 'high' }],
  ['eye level', { angle: 'eye' }],
  ['dolly in', { move: 'dolly', direction: 'in' }],
  ['dolly out', { move: 'dolly', direction: 'out' }],
  ['dolly back', { move: 'dolly', direction: 'out' }],
  ['dollies in', { move: 'dolly', direction: 'in' }],
  ['dollies out', { move: 'dolly', direction: 'out' }],
  ['push in', { move: 'dolly', direction: 'in' }],
  ['pushes in', { move: 'dolly', direction: 'in' }],
  ['pull out', { move: 'dolly', direction: 'out' }],
  ['pull back', { move: 'dolly', direction: 'out' }],
  ['pulls back', { move: 'dolly', direction: 'out' }],
  ['zoom in', { move: 'dolly', direction: 'in' }],
  ['zoom out', { move: 'dolly', direction: 'out' }],
  ['dolly', { move: 'dolly', takesDirection: true }],
  ['pan', { move: 'pan', takesDirection: true }],
  ['pans', { move: 'pan', takesDirection: true }],
  ['panning', { move: 'pan', takesDirection: true }],
  ['tilt', { move: 'tilt', takesDirection: true }],
  ['tilts', { move: 'tilt', takesDirection: true }],
  ['tilting', { move: 'tilt', takesDirection: true }],
  ['orbit', { move: 'orbit', takesDirection: true }],
  ['orbits', { move: 'orbit', takesDirection: true }],
  ['orbiting', { move: 'orbit', takesDirection: true }],
  ['arc', { move: 'orbit', takesDirection: true }],
  ['circles around', { move: 'orbit', takesDirection: true }],
  ['handheld', { move: 'handheld' }],
  ['hand held', { move: 'handheld' }],
  ['shaky cam', { move: 'handheld' }],
  ['shaky', { move: 'handheld' }],
  ['static', { move: 'static' }],
  ['locked off', { move: 'static' }],
];

export const DIRECTIONS = new Set<Direction>(['in', 'out', 'left', 'right', 'up', 'down']);

/** Nouns for each prop kind (singular). */
export const KIND_NOUNS: Readonly<Record<PropKind, readonly string[]>> = {
  ball: ['ball', 'football', 'basketball'],
  box: ['box', 'crate', 'package', 'parcel', 'carton'],
  cup: ['cup', 'mug', 'teacup', 'glass'],
  bottle: ['bottle', 'jar'],
  chair: ['chair', 'seat', 'stool'],
  table: ['table', 'desk', 'counter'],
  door: ['door', 'doorway'],
  lamp: ['lamp', 'light'],
  plant: ['plant', 'flower', 'flowers', 'pot', 'tree'],
  book: ['book', 'novel', 'notebook'],
};

export const COLOURS: Readonly<Record<string, [number, number, number]>> = {
  red: [200, 40, 40], green: [40, 160, 60], blue: [40, 80, 200], yellow: [230, 210, 40], orange: [240, 140, 30],
  purple: [130, 50, 170], pink: [240, 130, 180], white: [240, 240, 240], black: [20, 20, 20], grey: [128, 128, 128],
  gray: [128, 128, 128], brown: [120, 80, 40],
};

export const PRONOUNS_PERSON = new Set(['he', 'she', 'they', 'him', 'her', 'them']);
export const PRONOUNS_THING = new Set(['it']);

/** Small words that are never reported as ignored. */
export const STOPWORDS = new Set([
  'a', 'an', 'the', 'and', 'then', 'of', 'to', 'at', 'on', 'in', 'into', 'onto', 'with', 'from', 'by', 'for', 'as', 'is', 'are', 'was',
  'his', 'her', 'their', 'its', 'my', 'your', 'our', 'this', 'that', 'these', 'those', 'some', 'while', 'when', 'but', 'so', 'up',
  'down', 'over', 'shot', 'camera', 'angle', 'we', 'see', 'sees', 'of', 'it', 'he', 'she', 'they', 'him', 'them', 's', 'just',
]);
