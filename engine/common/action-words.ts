/**
 * A scene's action in words, as the Set panel lists it and `klappe scene action list` prints it:
 * "Mia walks to the table at 1.0 s", "Leo picks up the cup at 4.0 s". Browser-safe.
 */
import { framesToSeconds, type Rate } from './time.js';

export interface ActionLike {
  at: number;
  actorId: string;
  verb: string;
  targetId?: string;
  to?: readonly [number, number];
}

export interface ActionPlace {
  id: string;
  name: string;
  /** Floor point (x, z), metres. */
  at: readonly [number, number];
}

/** A floor point named by the prop within this many metres of it (nearest first). */
export const NEAR_PROP_M = 1;

/** The verbs the scene's actions use, with how the Set panel offers them. */
export const ACTION_VERBS = [
  { verb: 'walk', label: 'walks to' },
  { verb: 'turn', label: 'turns to' },
  { verb: 'look', label: 'looks at' },
  { verb: 'sit', label: 'sits down' },
  { verb: 'stand', label: 'stands up' },
  { verb: 'pickup', label: 'picks up' },
  { verb: 'putdown', label: 'puts down' },
  { verb: 'drop', label: 'drops' },
  { verb: 'throw', label: 'throws' },
  { verb: 'push', label: 'pushes' },
  { verb: 'open', label: 'opens' },
] as const;

/** Which fields a verb uses: a target (a prop or character), a floor point, or both. */
export function verbUses(verb: string): { target: 'prop' | 'any' | 'none'; to: boolean } {
  if (['pickup', 'putdown', 'drop', 'throw', 'push', 'open'].includes(verb))
    return { target: 'prop', to: ['putdown', 'throw'].includes(verb) };
  if (verb === 'walk') return { target: 'none', to: true };
  if (verb === 'turn' || verb === 'look' || verb === 'sit') return { target: 'any', to: false };
  return { target: 'none', to: false };
}

const fmt = (n: number) => (Math.abs(n) < 0.05 ? '0.0' : n.toFixed(1)).replace('-', '−');

/** "the table" for a point within NEAR_PROP_M of a prop, else "(x, z)". */
function placeWords(to: readonly [number, number], props: readonly ActionPlace[]): string {
  let best: ActionPlace | undefined;
  let bestD = NEAR_PROP_M;
  for (const p of props) {
    const d = Math.hypot(p.at[0] - to[0], p.at[1] - to[1]);
    if (d <= bestD) [best, bestD] = [p, d];
  }
  return best ? `the ${best.name}` : `(${fmt(to[0])}, ${fmt(to[1])})`;
}

/**
 * The action as a sentence: who, what (with its target or place), when. `names` gives characters' and props' names by
 * id; `props` where the scene's props stand, to name a walk's end by the prop there.
 */
export function actionWords(a: ActionLike, names: (id: string) => string, rate: Rate, props: readonly ActionPlace[] = []): string {
  const who = names(a.actorId);
  const what = a.targetId ? names(a.targetId) : undefined;
  const thing = what ? (props.some((p) => p.id === a.targetId) ? `the ${what}` : what) : undefined;
  const where = a.to ? placeWords(a.to, props) : undefined;
  let does: string;
  switch (a.verb) {
    case 'walk':
      does = `walks${where ? ` to ${where}` : ''}`;
      break;
    case 'turn':
      does = thing ? `turns to ${thing}` : where ? `turns to ${where}` : 'turns';
      break;
    case 'look':
      does = thing ? `looks at ${thing}` : where ? `looks at ${where}` : 'looks around';
      break;
    case 'sit':
      does = thing ? `sits down on ${thing}` : 'sits down';
      break;
    case 'stand':
      does = 'stands up';
      break;
    case 'pickup':
      does = `picks up ${thing ?? 'something'}`;
      break;
    case 'putdown':
      does = `puts down ${thing ?? 'something'}${where ? ` at ${where}` : ''}`;
      break;
    case 'drop':
      does = `drops ${thing ?? 'something'}`;
      break;
    case 'throw':
      does = `throws ${thing ?? 'something'}${where ? ` to ${where}` : ''}`;
      break;
    case 'push':
      does = `pushes ${thing ?? 'something'}`;
      break;
    case 'open':
      does = `opens ${thing ?? 'something'}`;
      break;
    default:
      does = `${a.verb}s${thing ? ` ${thing}` : ''}`;
  }
  return `${who} ${does} at ${framesToSeconds(a.at, rate).toFixed(1)} s`;
}
