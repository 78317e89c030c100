import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../../engine/generate/previz/prompt/parse-prompt.js';
import { CharacterSchema, PropSchema } from '../../engine/model/schema.js';

const characters = [
  CharacterSchema.parse({ id: 'mia', name: 'Mia' }),
  CharacterSchema.parse({ id: 'leo', name: 'Leo' }),
  CharacterSchema.parse({ id: 'gran', name: 'Grandma Rose' }),
];
const props = [
  PropSchema.parse({ id: 'cup-blue', kind: 'cup', name: 'Blue cup', color: '#2040c0', position: [0, 1, 0] }),
  PropSchema.parse({ id: 'cup-red', kind: 'cup', name: 'Cup', color: '#d03030', position: [0.3, 1, 0] }),
  PropSchema.parse({ id: 'table', kind: 'table', name: 'Kitchen table', position: [0, 0.4, 0], fixed: true }),
  PropSchema.parse({ id: 'ball', kind: 'ball', name: 'Ball', position: [1, 0.1, 0] }),
  PropSchema.parse({ id: 'door', kind: 'door', name: 'Front door', position: [0, 1, -3], fixed: true }),
];
const ctx = { characters, props };

describe('parsePrompt', () => {
  it('reads the example: who, what, the action, the line, and what it ignored', () => {
    const p = parsePrompt("Mia drops the red cup, it bounces under the table; Leo says 'Careful!'", ctx);
    expect(p.characterIds).toEqual(['mia', 'leo']);
    expect(p.propIds).toEqual(['cup-red', 'table']);
    expect(p.actions).toEqual([{ actorId: 'mia', verb: 'drop', targetId: 'cup-red' }]);
    expect(p.dialogue).toEqual([{ characterId: 'leo', text: 'Careful!' }]);
    expect(p.camera).toEqual({});
    expect(p.understood).toEqual(['Mia', 'drops', 'red cup', 'table', "Leo says 'Careful!'"]);
    expect(p.ignored).toEqual(['bounces', 'under']);
  });

  it('maps verbs and their synonyms to actions, with pronouns and separated particles', () => {
    const p = parsePrompt(
      'Close-up on Leo, low angle. He picks the ball up and tosses it to Mia. Mia catches it, grabs the blue mug and shoves the door.',
      ctx,
    );
    expect(p.actions).toEqual([
      { actorId: 'leo', verb: 'pickup', targetId: 'ball' },
      { actorId: 'leo', verb: 'throw', targetId: 'ball' },
      { actorId: 'mia', verb: 'pickup', targetId: 'cup-blue' },
      { actorId: 'mia', verb: 'push', targetId: 'door' },
    ]);
    expect(p.ignored).toContain('catches');
    const q = parsePrompt(
      'Leo walks to the front door, opens it, then turns to Mia and sits down. Mia watches him. Grandma Rose puts the cup down. Leo lets go of the ball.',
      ctx,
    );
    expect(q.actions).toEqual([
      { actorId: 'leo', verb: 'walk', targetId: 'door' },
      { actorId: 'leo', verb: 'open', targetId: 'door' },
      { actorId: 'leo', verb: 'turn', targetId: 'mia' },
      { actorId: 'leo', verb: 'sit' },
      { actorId: 'mia', verb: 'look', targetId: 'leo' },
      { actorId: 'gran', verb: 'putdown', targetId: 'cup-red' },
      { actorId: 'leo', verb: 'drop', targetId: 'ball' },
    ]);
    expect(q.characterIds).toEqual(['leo', 'mia', 'gran']);
  });

  it('finds dialogue in its usual forms', () => {
    const p = parsePrompt(
      'Leo: "Ready?" "Not yet," says Mia. \u201cNow!\u201d Leo shouts. Mia whispers \u2018I can\u2019t\u2019. Wide shot: Mia walks in. \'Don\'t wait up,\' she says.',
      ctx,
    );
    expect(p.dialogue).toEqual([
      { characterId: 'leo', text: 'Ready?' },
      { characterId: 'mia', text: 'Not yet' },
      { characterId: 'leo', text: 'Now!' },
      { characterId: 'mia', text: 'I can\u2019t' },
      { characterId: 'mia', text: "Don't wait up" },
    ]);
    expect(parsePrompt("close-up, Leo says careful; Mia shouts 'No!'", ctx).dialogue).toEqual([
      { characterId: 'leo', text: 'careful' },
      { characterId: 'mia', text: 'No!' },
    ]);
    // Names are matched case-insensitively, apostrophes inside words are not quotes.
    expect(parsePrompt("LEO's ball rolls. mia says 'oops'", ctx)).toMatchObject({
      characterIds: ['leo', 'mia'],
      propIds: ['ball'],
      dialogue: [{ characterId: 'mia', text: 'oops' }],
    });
  });

  it('reads camera words', () => {
    const cases: Array<[string, object]> = [
      ['Extreme close-up of the blue cup', { shotSize: 'extreme-close-up' }],
      ['close up on Mia, high angle', { shotSize: 'close-up', angle: 'high' }],
      ['Wide shot, low angle, slow dolly in', { shotSize: 'wide', angle: 'low', move: 'dolly', direction: 'in' }],
      ['Establishing shot. Camera pans left.', { shotSize: 'extreme-wide', move: 'pan', direction: 'left' }],
      ['Medium shot, push in', { shotSize: 'medium', move: 'dolly', direction: 'in' }],
      ['over-the-shoulder, dolly out', { shotSize: 'medium', move: 'dolly', direction: 'out' }],
      ['tilt up to the lamp', { move: 'tilt', direction: 'up' }],
      ['tilt down', { move: 'tilt', direction: 'down' }],
      ['pan right', { move: 'pan', direction: 'right' }],
      ['the camera orbits around them', { move: 'orbit' }],
      ['Handheld, eye level', { move: 'handheld', angle: 'eye' }],
    ];
    for (const [text, camera] of cases) expect(parsePrompt(text, ctx).camera, text).toEqual(camera);
    // "wide" that is not about the camera stays ignored.
    expect(parsePrompt('Mia opens her wide eyes', ctx).camera).toEqual({});
  });

  it('never throws on garbage, and reports it as ignored', () => {
    for (const junk of [
      '',
      '   ',
      ';;;',
      "'",
      '"unterminated',
      'asdf qwerty zxcv',
      '\u0000\u0001 \uffff',
      '🙂 🙃 !!!',
      'a'.repeat(50000),
      '"" \'\' “”',
      'says says says "x"',
    ]) {
      const p = parsePrompt(junk, ctx);
      expect(p.actions).toEqual([]);
      expect(p.characterIds).toEqual([]);
    }
    expect(parsePrompt('asdf qwerty; zxcv', ctx).ignored).toEqual(['asdf', 'qwerty', 'zxcv']);
    expect(parsePrompt('Mia drops the cup', { characters: [], props: [] })).toMatchObject({
      actions: [],
      ignored: ['Mia', 'drops', 'cup'],
    });
  });
});
