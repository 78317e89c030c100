/**
 * Prompt text → tokens with their places in the text: words (lower-cased,
 * hyphens and possessive 's split off), clause punctuation, and quoted speech
 * as single tokens ("…", “…”, '…' when the quotes are not apostrophes).
 */
export interface Token {
  kind: 'word' | 'punct' | 'quote';
  /** Lower-case word, the punctuation mark, or the quoted text. */
  text: string;
  start: number;
  end: number;
  used: boolean;
}

const QUOTE_PAIRS: Record<string, string> = { '"': '"', '“': '”', '„': '“', '«': '»', "'": "'", '‘': '’' };

export function tokenize(prompt: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < prompt.length) {
    const ch = prompt[i]!;
    const close = QUOTE_PAIRS[ch];
    // A single quote opens a quote only at the start of a word (not "Mia's").
    if (close && !((ch === "'" || ch === '‘') && i > 0 && /[\p{L}\p{N}]/u.test(prompt[i - 1]!))) {
      const end = findClose(prompt, i + 1, close);
      if (end > i + 1) {
        tokens.push({ kind: 'quote', text: prompt.slice(i + 1, end).trim(), start: i, end: end + 1, used: false });
        i = end + 1;
        continue;
      }
    }
    const word = /^[\p{L}\p{N}]+/u.exec(prompt.slice(i, i + 64));
    if (word) {
      tokens.push({ kind: 'word', text: word[0].toLowerCase(), start: i, end: i + word[0].length, used: false });
      i += word[0].length;
      continue;
    }
    if (/[;,.!?:()]/.test(ch)) tokens.push({ kind: 'punct', text: ch, start: i, end: i + 1, used: false });
    i++;
  }
  return tokens;
}

/** The closing quote: for ' it must not be an apostrophe inside a word ("don't"). */
function findClose(text: string, from: number, close: string): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] !== close) continue;
    if (
      (close === "'" || close === '’') &&
      j + 1 < text.length &&
      /[\p{L}\p{N}]/u.test(text[j + 1]!) &&
      j > 0 &&
      /[\p{L}\p{N}]/u.test(text[j - 1]!)
    )
      continue;
    return j;
  }
  return -1;
}
