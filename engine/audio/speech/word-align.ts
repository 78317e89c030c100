/**
 * Word timings from phone timings: each word's own phones (its dictionary
 * pronunciation) are aligned onto the sentence's timed phones by edit distance,
 * so a phone the sentence changed (post-lexical rules) or dropped still lands
 * in the right word.
 */
import type { TimedUnit } from './speech-engine.js';

export const SILENCE_PHONES = new Set(['pau', 'sil', 'h#', 'brth']);

/** The words of a line as the speech engine reads them: letters/digits runs, apostrophes inside. */
export function splitWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
}

/**
 * `wordPhones[i]` are the phones of `words[i]` said alone (silences ignored);
 * `phones` the timed phones of the whole sentence. Returns one timed unit per word, in order.
 */
export function alignWords(words: string[], wordPhones: string[][], phones: TimedUnit[]): TimedUnit[] {
  const a: Array<{ phone: string; word: number }> = [];
  wordPhones.forEach((ps, w) =>
    ps.forEach((p) => {
      if (!SILENCE_PHONES.has(p)) a.push({ phone: p, word: w });
    }),
  );
  const b = phones.filter((p) => !SILENCE_PHONES.has(p.text));
  const n = a.length;
  const m = b.length;
  // Edit-distance table, then walk back to give each sentence phone a word.
  const d = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => i * (m + 1) + j;
  for (let i = 0; i <= n; i++) d[at(i, 0)] = i;
  for (let j = 0; j <= m; j++) d[at(0, j)] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const sub = d[at(i - 1, j - 1)]! + (a[i - 1]!.phone === b[j - 1]!.text ? 0 : 1);
      d[at(i, j)] = Math.min(sub, d[at(i - 1, j)]! + 1, d[at(i, j - 1)]! + 1);
    }
  }
  const owner = new Int32Array(m).fill(-1);
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const cost = a[i - 1]!.phone === b[j - 1]!.text ? 0 : 1;
    if (d[at(i, j)] === d[at(i - 1, j - 1)]! + cost) {
      owner[j - 1] = a[i - 1]!.word;
      i--;
      j--;
    } else if (d[at(i, j)] === d[at(i, j - 1)]! + 1) {
      j--; // an extra sentence phone: owned by a neighbour below
    } else {
      i--; // a word phone the sentence dropped
    }
  }
  // Extra phones belong to the word before them (or after, at the very start).
  for (let k = 0; k < m; k++) if (owner[k] === -1 && k > 0) owner[k] = owner[k - 1]!;
  for (let k = m - 1; k >= 0; k--) if (owner[k] === -1 && k < m - 1) owner[k] = owner[k + 1]!;

  const out: TimedUnit[] = [];
  let cursor = b[0]?.startSample ?? 0;
  for (let w = 0; w < words.length; w++) {
    let start = -1;
    let end = -1;
    for (let k = 0; k < m; k++) {
      if (owner[k] !== w) continue;
      if (start < 0) start = b[k]!.startSample;
      end = b[k]!.endSample;
    }
    if (start < 0) {
      start = cursor;
      end = cursor;
    }
    start = Math.max(start, cursor);
    end = Math.max(end, start);
    out.push({ text: words[w]!, startSample: start, endSample: end });
    cursor = end;
  }
  return out;
}
