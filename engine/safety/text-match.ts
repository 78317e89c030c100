/**
 * Word patterns over a tokenized text, for the moderation rules (policy.ts).
 *
 * A text becomes lowercase tokens (letters and digits; accents and common
 * character swaps such as "s3x" or "n@ked" undone; "12-year-old" is three
 * tokens). A pattern is tokens separated by spaces, each one of:
 *   word        that token exactly
 *   word*       a token starting with "word"
 *   #0123…      a token whose sha256 starts with these 16 hex digits (slurs stay out of the readable file)
 *   (a|b|c)     one of the alternatives (each may end in *)
 *   (a|b)?      one of them, or nothing
 *   @list       any pattern of a named vocabulary list (one level, no nesting)
 *   <minor-age> an age under 18: "12 year old", "aged 9", "a 15yo", "sixteen"
 *   <adult-age> an age of 18 or more written the same ways
 * A match is a token span [start, end).
 */
import { sha256Hex } from '../util/hash.js';

export interface Token {
  text: string;
  /** Index of the sentence the token is in. */
  sentence: number;
}

export interface Span {
  start: number;
  end: number;
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

/** Lowercase tokens of a text, with the sentence each is in. */
export function tokenize(text: string): Token[] {
  const plain = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const out: Token[] = [];
  let sentence = 0;
  for (const m of plain.matchAll(/[a-z0-9@$]+(?:'[a-z]+)?|[.!?;\n]+/g)) {
    const raw = m[0];
    if (/^[.!?;\n]+$/.test(raw)) {
      sentence++;
      continue;
    }
    let t = raw.replace(/'s$/, '').replace(/'/g, '');
    // a word with letters and swapped characters ("s3x", "n@k3d") reads as letters; a number stays a number
    if (/[a-z]/.test(t) && /[0-9@$]/.test(t) && !/^[0-9]+(yo|yr|yrs|y|th|st|nd|rd|s|m|mm|k|p)$/.test(t)) {
      t = t.replace(/[0-9@$]/g, (c) => LEET[c] ?? c);
    }
    t = t.replace(/[@$]/g, '');
    if (t) out.push({ text: t, sentence });
  }
  return out;
}

type TokenTest = (tokens: Token[], at: number) => number; // tokens consumed (0 = no match at `at`), -1 = none

interface Step {
  test: TokenTest;
  optional: boolean;
}

export interface CompiledPattern {
  source: string;
  steps: Step[];
}

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

/** The number a token (or two, "twenty five") reads as, with the tokens used. */
function numberAt(tokens: Token[], at: number): { value: number; used: number } | undefined {
  const t = tokens[at]?.text;
  if (t === undefined) return undefined;
  if (/^[0-9]{1,3}$/.test(t)) return { value: Number(t), used: 1 };
  const tens = TENS[t];
  if (tens !== undefined) {
    const unit = NUMBER_WORDS.indexOf(tokens[at + 1]?.text ?? '');
    return unit > 0 && unit < 10 ? { value: tens + unit, used: 2 } : { value: tens, used: 1 };
  }
  const n = NUMBER_WORDS.indexOf(t);
  return n >= 0 ? { value: n, used: 1 } : undefined;
}

/** An age written at `at`: "12 year old", "12 years old", "12yo", "aged 12", "age 12"; its value and length. */
export function ageAt(tokens: Token[], at: number): { value: number; used: number } | undefined {
  const t = tokens[at]?.text;
  if (t === undefined) return undefined;
  const compact = /^([0-9]{1,3})(yo|yr|yrs)$/.exec(t);
  if (compact) return { value: Number(compact[1]), used: 1 };
  if (t === 'aged' || t === 'age') {
    const n = numberAt(tokens, at + 1);
    return n ? { value: n.value, used: 1 + n.used } : undefined;
  }
  const n = numberAt(tokens, at);
  if (!n) return undefined;
  const next = tokens[at + n.used]?.text;
  if ((next === 'year' || next === 'years' || next === 'yr' || next === 'yrs') && tokens[at + n.used + 1]?.text === 'old')
    return { value: n.value, used: n.used + 2 };
  if (next === 'yo') return { value: n.value, used: n.used + 1 };
  return undefined;
}

const hashes = new Map<string, string>();

/** The first 16 hex digits of a token's sha256 (remembered for the last few thousand tokens). */
function tokenHash(t: string): string {
  let h = hashes.get(t);
  if (h === undefined) {
    h = sha256Hex(t).slice(0, 16);
    if (hashes.size >= 5000) hashes.delete(hashes.keys().next().value!);
    hashes.set(t, h);
  }
  return h;
}

function wordTest(alternatives: string[]): TokenTest {
  const exact = new Set(alternatives.filter((a) => !a.endsWith('*') && !a.startsWith('#')));
  const prefixes = alternatives.filter((a) => a.endsWith('*')).map((a) => a.slice(0, -1));
  const hashed = new Set(alternatives.filter((a) => a.startsWith('#')).map((a) => a.slice(1)));
  return (tokens, at) => {
    const t = tokens[at]?.text;
    if (t === undefined) return -1;
    if (exact.has(t) || prefixes.some((p) => t.startsWith(p))) return 1;
    return hashed.size && hashed.has(tokenHash(t)) ? 1 : -1;
  };
}

function ageTest(minor: boolean): TokenTest {
  return (tokens, at) => {
    const a = ageAt(tokens, at);
    if (!a) return -1;
    return a.value < 18 === minor ? a.used : -1;
  };
}

/** Splits a pattern at spaces outside parentheses. */
function splitParts(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of source) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth < 0) throw new Error(`unbalanced ")" in "${source}"`);
    if (/\s/.test(c) && depth === 0) {
      if (cur) parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (depth !== 0) throw new Error(`unbalanced "(" in "${source}"`);
  if (cur) parts.push(cur);
  return parts;
}

/** Compiles a pattern; `lists` resolves `@name`. Throws an Error naming the bad part. */
export function compilePattern(source: string, lists: Record<string, string[]> = {}): CompiledPattern {
  const parts = splitParts(source.trim().toLowerCase());
  if (!parts.length) throw new Error('an empty pattern');
  const anyOf = (inner: CompiledPattern[]): TokenTest => {
    return (tokens, at) => {
      let best = -1;
      for (const c of inner) best = Math.max(best, matchAt(c.steps, tokens, at));
      return best > 0 ? best : -1;
    };
  };
  const steps: Step[] = parts.map((part) => {
    const optional = part.endsWith('?');
    const p = optional ? part.slice(0, -1) : part;
    if (p === '<minor-age>') return { test: ageTest(true), optional };
    if (p === '<adult-age>') return { test: ageTest(false), optional };
    if (p.startsWith('@')) {
      const list = lists[p.slice(1)];
      if (!list) throw new Error(`no word list "${p.slice(1)}"`);
      return { test: anyOf(list.map((x) => compilePattern(x))), optional };
    }
    const alt = /^\((.+)\)$/.exec(p);
    const words = alt ? splitAlternatives(alt[1]!) : [p];
    if (words.some((w) => w.includes(' ') || w.includes('(') || w.startsWith('@') || w.startsWith('<')))
      return { test: anyOf(words.map((w) => compilePattern(w, lists))), optional };
    if (words.some((w) => !/^([a-z0-9']+\*?|#[0-9a-f]{16})$/.test(w)))
      throw new Error(`"${part}" is not a word, word*, #hash, (a|b) or @list`);
    return { test: wordTest(words), optional };
  });
  return { source, steps };
}

/** Splits "a|b c|(d|e)" at the bars outside parentheses. */
function splitAlternatives(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of inner) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === '|' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** Tokens matched by `steps` starting at `at` (greedy with backtracking over optional steps), or -1. */
function matchAt(steps: Step[], tokens: Token[], at: number, i = 0): number {
  if (i === steps.length) return 0;
  const step = steps[i]!;
  const used = step.test(tokens, at);
  if (used > 0) {
    const rest = matchAt(steps, tokens, at + used, i + 1);
    if (rest >= 0) return used + rest;
  }
  if (step.optional) return matchAt(steps, tokens, at, i + 1);
  return -1;
}

/** Every span where the pattern matches (an empty match is no match). */
export function findMatches(pattern: CompiledPattern, tokens: Token[]): Span[] {
  const out: Span[] = [];
  for (let at = 0; at < tokens.length; at++) {
    const used = matchAt(pattern.steps, tokens, at);
    if (used > 0) out.push({ start: at, end: at + used });
  }
  return out;
}
