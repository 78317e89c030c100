/** A scene's actions in words, as the Set panel and `klappe scene action list` say them. */
import { describe, expect, it } from 'vitest';
import { actionWords } from '../../engine/common/action-words.js';

const names = (id: string) => ({ mia: 'Mia', leo: 'Leo', table: 'table', cup: 'cup' })[id] ?? id;
const props = [
  { id: 'table', name: 'table', at: [0, -1] as const },
  { id: 'cup', name: 'cup', at: [0.2, -1] as const },
];
const rate = { num: 24, den: 1 };

describe('actions in words', () => {
  it('names who, what, the prop near a walk’s end, and when', () => {
    expect(actionWords({ at: 24, actorId: 'mia', verb: 'walk', to: [-0.2, -0.6] }, names, rate, props)).toBe(
      'Mia walks to the table at 1.0 s',
    );
    expect(actionWords({ at: 24, actorId: 'mia', verb: 'walk', to: [3, 2] }, names, rate, props)).toBe('Mia walks to (3.0, 2.0) at 1.0 s');
    expect(actionWords({ at: 96, actorId: 'mia', verb: 'pickup', targetId: 'cup' }, names, rate, props)).toBe(
      'Mia picks up the cup at 4.0 s',
    );
    expect(actionWords({ at: 120, actorId: 'leo', verb: 'turn', targetId: 'mia' }, names, rate, props)).toBe('Leo turns to Mia at 5.0 s');
    expect(actionWords({ at: 12, actorId: 'leo', verb: 'drop', targetId: 'cup' }, names, { num: 24000, den: 1001 }, props)).toBe(
      'Leo drops the cup at 0.5 s',
    );
  });
});
