/**
 * A shot's prompt → characters, props, actions, dialogue and camera words, by
 * rules (no model). "Mia drops the red cup, it bounces under the table; Leo
 * says 'Careful!'" gives Mia and Leo, the red cup and the table, Mia drops the
 * cup, and Leo's line. What it used is listed in `understood`, the content
 * words it did not use in `ignored`; nothing here ever throws on odd text.
 * The storyboard's structured fields override whatever this finds.
 */
import type { ActionVerb, CameraMove, Character, Prop } from '../../../model/schema.js';
import {
  CAMERA_PHRASES,
  COLOURS,
  DIRECTIONS,
  KIND_NOUNS,
  PRONOUNS_PERSON,
  PRONOUNS_THING,
  SPEECH_VERBS,
  STOPWORDS,
  VERB_PHRASES,
  type Direction,
  type ShotSize,
} from './lexicon.js';
import { tokenize, type Token } from './tokenize.js';

export interface PromptParse {
  characterIds: string[];
  propIds: string[];
  actions: Array<{ actorId: string; verb: ActionVerb; targetId?: string; to?: [number, number] }>;
  dialogue: Array<{ characterId: string; text: string }>;
  camera: { shotSize?: ShotSize; angle?: 'low' | 'high' | 'eye'; move?: CameraMove['type']; direction?: Direction };
  /** Phrases it used, in prompt order. */
  understood: string[];
  /** Content words it did not use (never an error). */
  ignored: string[];
}

interface Mention {
  /** Token index range [from, to). */
  from: number;
  to: number;
  type: 'character' | 'prop';
  id: string;
  /** Resolved from a pronoun. */
  pronoun?: boolean;
  /** A pronoun's other possible referents, most likely first. */
  alts?: string[];
}

const MAX_PROMPT = 20000;

export function parsePrompt(prompt: string, ctx: { characters: Character[]; props: Prop[] }): PromptParse {
  const text = typeof prompt === 'string' ? prompt.slice(0, MAX_PROMPT) : '';
  const tokens = tokenize(text);
  const understood: Array<{ at: number; end: number }> = [];
  const say = (from: number, to: number): void => {
    understood.push({ at: tokens[from]!.start, end: tokens[to - 1]!.end });
  };
  const mark = (from: number, to: number): void => {
    for (let k = from; k < to; k++) tokens[k]!.used = true;
  };

  const camera = findCamera(tokens, mark, say);
  const mentions = findMentions(tokens, ctx, mark, say);
  const dialogue = findDialogue(text, tokens, mentions, mark, say);
  const actions = findActions(tokens, mentions, mark, say);

  const characterIds = unique(mentions.filter((m) => m.type === 'character').map((m) => m.id));
  const propIds = unique(mentions.filter((m) => m.type === 'prop').map((m) => m.id));
  const ignored = tokens.filter((t) => t.kind === 'word' && !t.used && !STOPWORDS.has(t.text)).map((t) => text.slice(t.start, t.end));
  // In prompt order; a phrase inside a longer one ("Leo" in "Leo says 'Careful!'") is not repeated.
  const phrases = understood
    .filter((u, i) => !understood.some((v, j) => j !== i && v.at <= u.at && u.end <= v.end && (v.end - v.at > u.end - u.at || j < i)))
    .sort((a, b) => a.at - b.at)
    .map((u) => text.slice(u.at, u.end));
  return { characterIds, propIds, actions, dialogue, camera, understood: phrases, ignored };
}

type Mark = (from: number, to: number) => void;

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** Does the word sequence `words` start at token i (words only, unused)? Returns the end index or −1. */
function matchWords(tokens: Token[], i: number, words: string[]): number {
  let k = i;
  for (const w of words) {
    const t = tokens[k];
    if (!t || t.kind !== 'word' || t.used || t.text !== w) return -1;
    k++;
  }
  return k;
}

function splitWords(phrase: string): string[] {
  return phrase
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const cameraPhrases = [...CAMERA_PHRASES].map(([p, w]) => [splitWords(p), w] as const).sort((a, b) => b[0].length - a[0].length);

function findCamera(tokens: Token[], mark: Mark, say: (from: number, to: number) => void): PromptParse['camera'] {
  const camera: PromptParse['camera'] = {};
  for (let i = 0; i < tokens.length; i++) {
    for (const [words, w] of cameraPhrases) {
      let end = matchWords(tokens, i, words);
      if (end < 0) continue;
      // "wide" alone counts only next to shot/angle words or on its own clause, not "wide eyes".
      if (words.length === 1 && words[0] === 'wide' && !isCameraContext(tokens, i, end)) continue;
      if (words.length === 1 && words[0] === 'medium' && !isCameraContext(tokens, i, end)) continue;
      if (w.shotSize && !camera.shotSize) camera.shotSize = w.shotSize;
      if (w.angle && !camera.angle) camera.angle = w.angle;
      if (w.move && !camera.move) {
        camera.move = w.move;
        if (w.direction) camera.direction = w.direction;
        const next = tokens[end];
        if (w.takesDirection && next?.kind === 'word' && !next.used && DIRECTIONS.has(next.text as Direction)) {
          camera.direction = next.text as Direction;
          end++;
        }
      }
      // A following "shot"/"angle" belongs to the phrase.
      const next = tokens[end];
      if (next?.kind === 'word' && (next.text === 'shot' || next.text === 'angle')) end++;
      mark(i, end);
      say(i, end);
      break;
    }
  }
  return camera;
}

function isCameraContext(tokens: Token[], i: number, end: number): boolean {
  const next = tokens[end];
  const prev = tokens[i - 1];
  if (next?.kind === 'word' && ['shot', 'angle', 'view', 'frame'].includes(next.text)) return true;
  const clauseStart =
    !prev ||
    prev.kind === 'punct' ||
    (prev.kind === 'word' && ['a', 'the', 'in'].includes(prev.text) && (!tokens[i - 2] || tokens[i - 2]!.kind === 'punct'));
  const clauseEnd = !next || next.kind === 'punct' || (next.kind === 'word' && next.text === 'on');
  return clauseStart && clauseEnd;
}

function singular(w: string): string {
  if (w.length > 3 && w.endsWith('es') && /(x|s|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 2 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

function findMentions(
  tokens: Token[],
  ctx: { characters: Character[]; props: Prop[] },
  mark: Mark,
  say: (from: number, to: number) => void,
): Mention[] {
  const mentions: Mention[] = [];
  // Characters by name (or id), longest names first.
  const names = ctx.characters
    .flatMap((c) => unique([c.name, c.id]).map((n) => ({ id: c.id, words: splitWords(n) })))
    .filter((n) => n.words.length > 0)
    .sort((a, b) => b.words.length - a.words.length);
  for (let i = 0; i < tokens.length; i++) {
    for (const n of names) {
      const end = matchWords(tokens, i, n.words);
      if (end < 0) continue;
      mark(i, end);
      say(i, end);
      mentions.push({ from: i, to: end, type: 'character', id: n.id });
      break;
    }
  }
  // Props: a head noun (a kind noun or the last word of a prop's name) with the adjectives before it.
  const heads = new Map<string, Prop[]>();
  const addHead = (w: string, p: Prop): void => {
    const list = heads.get(w) ?? [];
    if (!list.includes(p)) list.push(p);
    heads.set(w, list);
  };
  for (const p of ctx.props) {
    for (const noun of KIND_NOUNS[p.kind] ?? []) addHead(noun, p);
    const nameWords = splitWords(p.name);
    if (nameWords.length) addHead(singular(nameWords.at(-1)!), p);
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || t.used) continue;
    const candidates = heads.get(t.text) ?? heads.get(singular(t.text));
    if (!candidates) continue;
    let from = i;
    while (from > 0) {
      const prev = tokens[from - 1]!;
      if (prev.kind !== 'word' || prev.used) break;
      const isAdj = prev.text in COLOURS || candidates.some((p) => splitWords(p.name).includes(prev.text));
      if (!isAdj) break;
      from--;
    }
    const adjectives = tokens.slice(from, i).map((x) => x.text);
    let best: Prop | undefined;
    let bestScore = -Infinity;
    for (const p of candidates) {
      const nameWords = splitWords(p.name);
      let score = nameWords.includes(t.text) || nameWords.includes(singular(t.text)) ? 1 : 0;
      // "the cup" is best the prop called just "Cup".
      if (nameWords.join(' ') === [...adjectives, singular(t.text)].join(' ')) score += 0.5;
      for (const a of adjectives) {
        if (nameWords.includes(a)) score += 2;
        else if (a in COLOURS) score += colourScore(p.color, COLOURS[a]!);
      }
      if (score > bestScore) {
        best = p;
        bestScore = score;
      }
    }
    if (!best) continue;
    mark(from, i + 1);
    say(from, i + 1);
    mentions.push({ from, to: i + 1, type: 'prop', id: best.id });
  }
  // Pronouns: "it" is the last thing named; "he/she/they" prefers the last subject
  // (a character opening a clause), "him/her/them" the last character named.
  const named = mentions.slice().sort((a, b) => b.to - a.to);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || t.used) continue;
    const wantsThing = PRONOUNS_THING.has(t.text);
    if (!wantsThing && !PRONOUNS_PERSON.has(t.text)) continue;
    const before = named.filter((m) => m.to <= i && m.type === (wantsThing ? 'prop' : 'character'));
    const subjectFirst = SUBJECT_PRONOUNS.has(t.text) ? [...before.filter((m) => isClauseStart(tokens, m.from)), ...before] : before;
    const ids = unique(subjectFirst.map((m) => m.id));
    if (ids.length)
      mentions.push({ from: i, to: i + 1, type: wantsThing ? 'prop' : 'character', id: ids[0]!, pronoun: true, alts: ids.slice(1) });
  }
  return mentions.sort((a, b) => a.from - b.from);
}

const SUBJECT_PRONOUNS = new Set(['he', 'she', 'they']);

function isClauseStart(tokens: Token[], i: number): boolean {
  const prev = tokens[i - 1];
  return !prev || prev.kind !== 'word' || prev.text === 'and' || prev.text === 'then' || prev.text === 'while';
}

/** 0..1: how close a prop's colour is to a colour word. */
function colourScore(hex: string, rgb: [number, number, number]): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return 0;
  const c = [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
  const d = Math.hypot(c[0]! - rgb[0], c[1]! - rgb[1], c[2]! - rgb[2]);
  return Math.max(0, 1 - d / 255);
}

function isClauseBreak(t: Token | undefined): boolean {
  return !t || (t.kind === 'punct' && t.text !== ':') || (t.kind === 'word' && (t.text === 'then' || t.text === 'while'));
}

function findDialogue(
  text: string,
  tokens: Token[],
  mentions: Mention[],
  mark: Mark,
  say: (from: number, to: number) => void,
): PromptParse['dialogue'] {
  const found: Array<{ at: number; line: PromptParse['dialogue'][number] }> = [];
  const characterAt = (k: number): Mention | undefined => mentions.find((m) => m.type === 'character' && m.from <= k && k < m.to);
  for (let q = 0; q < tokens.length; q++) {
    const quote = tokens[q]!;
    if (quote.kind !== 'quote' || !quote.text) continue;
    let speaker: Mention | undefined;
    let from = q;
    let to = q + 1;
    // Before: "Leo says 'x'", "Leo: 'x'", "Leo says to Mia, 'x'" (the nearest speech verb in the clause).
    for (let k = q - 1; k >= 0 && k >= q - 8; k--) {
      const t = tokens[k]!;
      if (t.kind === 'quote') break;
      if (t.kind === 'punct' && t.text === ':' && characterAt(k - 1)) {
        speaker = characterAt(k - 1);
        from = speaker!.from;
        mark(k, k + 1);
        break;
      }
      if (t.kind === 'word' && SPEECH_VERBS.has(t.text)) {
        const before = mentions.filter((m) => m.type === 'character' && m.to <= k && m.to >= k - 3).at(-1);
        if (before) {
          speaker = before;
          from = before.pronoun ? k : before.from;
          mark(k, k + 1);
        }
        break;
      }
      if (t.kind === 'punct' && t.text !== ',') break;
    }
    // After: "'x', says Leo" / "'x', Leo says".
    if (!speaker) {
      let k = q + 1;
      if (tokens[k]?.kind === 'punct' && tokens[k]!.text === ',') k++;
      const a = tokens[k];
      const b = tokens[k + 1];
      if (a?.kind === 'word' && SPEECH_VERBS.has(a.text) && b && characterAt(k + 1)) {
        speaker = characterAt(k + 1);
        mark(k, k + 1);
        to = speaker!.to;
      } else if (a && characterAt(k) && tokens[characterAt(k)!.to]?.kind === 'word' && SPEECH_VERBS.has(tokens[characterAt(k)!.to]!.text)) {
        speaker = characterAt(k);
        const v = speaker!.to;
        mark(v, v + 1);
        to = v + 1;
      }
    }
    // Otherwise the last character named before it.
    speaker ??= mentions.filter((m) => m.type === 'character' && m.to <= q).at(-1);
    if (!speaker) continue;
    quote.used = true;
    found.push({ at: q, line: { characterId: speaker.id, text: quote.text.replace(/[\s,;]+$/, '') } });
    say(from, to);
  }
  // Unquoted: "Leo says careful" — the rest of the clause after a character's speech verb.
  for (let k = 1; k < tokens.length; k++) {
    const v = tokens[k]!;
    if (v.kind !== 'word' || v.used || !SPEECH_VERBS.has(v.text)) continue;
    const speaker = mentions.filter((m) => m.type === 'character' && m.to <= k && m.to >= k - 2).at(-1);
    if (!speaker) continue;
    let end = k + 1;
    if (tokens[end]?.kind === 'punct' && tokens[end]!.text === ':') end++;
    const first = end;
    while (end < tokens.length && tokens[end]!.kind === 'word' && !tokens[end]!.used) end++;
    if (end === first) continue;
    mark(k, end);
    found.push({ at: k, line: { characterId: speaker.id, text: text.slice(tokens[first]!.start, tokens[end - 1]!.end) } });
    say(speaker.pronoun ? k : speaker.from, end);
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.line);
}

const verbPhrases = VERB_PHRASES.map(([p, v]) => [splitWords(p), v] as const).sort((a, b) => b[0].length - a[0].length);
/** Verbs whose particle may come after the object: "picks the cup up", "puts it down". */
const PARTICLE: Partial<Record<string, { particle: string; verb: ActionVerb }>> = {
  pick: { particle: 'up', verb: 'pickup' },
  picks: { particle: 'up', verb: 'pickup' },
  picked: { particle: 'up', verb: 'pickup' },
  put: { particle: 'down', verb: 'putdown' },
  puts: { particle: 'down', verb: 'putdown' },
  set: { particle: 'down', verb: 'putdown' },
  sets: { particle: 'down', verb: 'putdown' },
};

function findActions(tokens: Token[], mentions: Mention[], mark: Mark, say: (from: number, to: number) => void): PromptParse['actions'] {
  const actions: PromptParse['actions'] = [];
  let lastActor: string | undefined;
  let lastActorAt = -1;
  const verbTokens = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    let verb: ActionVerb | undefined;
    let end = -1;
    for (const [words, v] of verbPhrases) {
      end = matchWords(tokens, i, words);
      if (end >= 0) {
        verb = v;
        break;
      }
    }
    const particle = PARTICLE[tokens[i]?.text ?? ''];
    if (!verb && particle && tokens[i]!.kind === 'word' && !tokens[i]!.used) {
      verb = particle.verb;
      end = i + 1;
    }
    if (!verb) continue;
    // The actor: the nearest character before the verb in this clause; else whoever acted last.
    let actor: Mention | undefined;
    for (let k = i - 1; k >= 0; k--) {
      if (isClauseBreak(tokens[k]) && !(tokens[k]!.kind === 'word' && tokens[k]!.text === 'then')) break;
      if (verbTokens.has(k)) break; // an earlier verb's words: anything before belongs to that verb
      const m = mentions.find((x) => x.type === 'character' && x.from <= k && k < x.to);
      if (m) {
        // "turns to Mia and sits": Mia is the object of an earlier verb, not this one's subject.
        if (!hasVerbBefore(tokens, verbTokens, m.from)) actor = m;
        break;
      }
      if (mentions.some((x) => x.type === 'prop' && x.from <= k && k < x.to)) break; // "it bounces": a thing acts, not a person
    }
    // "…, grabs the mug": the latest subject — the last actor, or a character opening a later clause ("Mia catches it, grabs…").
    const subject = mentions
      .filter((m) => m.type === 'character' && m.to <= i && m.from > lastActorAt && isClauseStart(tokens, m.from))
      .at(-1);
    const actorId = actor?.id ?? (isSubjectless(tokens, i) ? (subject?.id ?? lastActor) : undefined);
    if (!actorId) continue;
    // The target: the first prop or character after the verb in this clause.
    let target: Mention | undefined;
    let k = end;
    for (; k < tokens.length && !isClauseBreak(tokens[k]); k++) {
      const m = mentions.find((x) => x.from <= k && k < x.to);
      if (!m) continue;
      // "Mia watches him": a pronoun is not the actor itself; take its next referent.
      const id = m.id !== actorId ? m.id : m.alts?.find((a) => a !== actorId);
      if (id) {
        target = { ...m, id };
        break;
      }
    }
    if (particle && tokens[i]!.text in PARTICLE) {
      // Consume a separated particle: "picks the cup up".
      const after = target ? target.to : end;
      if (tokens[after]?.kind === 'word' && tokens[after]!.text === particle.particle) mark(after, after + 1);
    }
    mark(i, end);
    say(i, end);
    for (let v = i; v < end; v++) verbTokens.add(v);
    if (target?.pronoun) {
      mark(target.from, target.to);
      say(target.from, target.to);
    }
    if (actor?.pronoun) {
      mark(actor.from, actor.to);
      say(actor.from, actor.to);
    }
    actions.push({ actorId, verb, ...(target ? { targetId: target.id } : {}) });
    lastActor = actorId;
    lastActorAt = i;
    i = end - 1;
  }
  return actions;
}

/** Is there a verb (already read) earlier in the clause that contains token `i`? */
function hasVerbBefore(tokens: Token[], verbTokens: Set<number>, i: number): boolean {
  for (let k = i - 1; k >= 0 && !isClauseBreak(tokens[k]); k--) if (verbTokens.has(k)) return true;
  return false;
}

/** "…and picks it up": a verb right after a clause break (or "and") takes the last actor. */
function isSubjectless(tokens: Token[], i: number): boolean {
  const prev = tokens[i - 1];
  return (
    !!prev && ((prev.kind === 'word' && (prev.text === 'and' || prev.text === 'then')) || (prev.kind === 'punct' && prev.text === ','))
  );
}
