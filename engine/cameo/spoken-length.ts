/**
 * How long a phrase takes to say: syllables counted by rule (vowel groups, a
 * silent final e; a lone letter or digit spelled out), spoken at 1.8 to 8
 * syllables a second (slow reading to fast speech; the GRID speakers say
 * 6 syllables in 1.0–1.6 s), plus 0.6 s of slack for pauses and VAD padding.
 */
const LETTER_SYLLABLES: Record<string, number> = { w: 3, '7': 2, '0': 2 };

export function countSyllables(phrase: string): number {
  let total = 0;
  for (const raw of phrase.toLowerCase().split(/[^a-z0-9']+/)) {
    const word = raw.replace(/'/g, '');
    if (!word) continue;
    if (/^[0-9]+$/.test(word)) {
      for (const d of word) total += LETTER_SYLLABLES[d] ?? 1;
      continue;
    }
    if (word.length === 1) {
      total += LETTER_SYLLABLES[word] ?? 1;
      continue;
    }
    const groups = word.match(/[aeiouy]+/g)?.length ?? 0;
    const silentE = /[^aeiouy]e$/.test(word) && !/[^aeiouy]le$/.test(word) && groups > 1 ? 1 : 0;
    total += Math.max(1, groups - silentE);
  }
  return total;
}

/** The range of seconds of speech expected for `phrase`. */
export function expectedSpeechSeconds(phrase: string): [number, number] {
  const n = countSyllables(phrase);
  return [n / 8, n / 1.8 + 0.6];
}
