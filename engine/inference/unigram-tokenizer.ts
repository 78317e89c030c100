/**
 * The sentencepiece Unigram tokenizer of T5/UMT5 (Wan's text encoder), read
 * from a pack's tokenizer file: a Hugging Face `tokenizer.json` whose model is
 * `Unigram` (vocab: [piece, log probability] pairs, the form UMT5 ships), or a
 * sentencepiece `spiece.model` (protobuf ModelProto: pieces with score and
 * type).
 *
 * Encoding as sentencepiece does: NFKC, whitespace collapsed, every word gets
 * the "▁" marker in front (Metaspace), each word is split into the pieces of
 * highest total score (Viterbi), characters no piece covers become one
 * `<unk>` per run, `</s>` ends the text, and `<pad>` fills up to the encoder's
 * length (512 for Wan). The tiny test pack ships a vocabulary of a few dozen
 * pieces in the same tokenizer.json format.
 */
import { readFileSync } from 'node:fs';
import { KlappeError } from '../common/errors.js';

const MARK = '▁';

export interface TokenizerInfo {
  pieces: number;
  padId: number;
  eosId: number;
  unkId: number;
}

export class UnigramTokenizer {
  private readonly vocab = new Map<string, { id: number; score: number }>();
  private readonly maxLen: number;
  private readonly unkScore: number;

  constructor(
    pieces: Array<[string, number]>,
    readonly unkId: number,
    readonly eosId: number,
    readonly padId: number,
  ) {
    let maxLen = 1;
    let minScore = 0;
    pieces.forEach(([piece, score], id) => {
      if (!this.vocab.has(piece)) this.vocab.set(piece, { id, score });
      maxLen = Math.max(maxLen, [...piece].length);
      minScore = Math.min(minScore, score);
    });
    this.maxLen = maxLen;
    this.unkScore = minScore - 10; // sentencepiece: an unknown character costs more than any piece
  }

  get info(): TokenizerInfo {
    return { pieces: this.vocab.size, padId: this.padId, eosId: this.eosId, unkId: this.unkId };
  }

  /** Token ids of the text, ending with `</s>` (no padding). */
  encode(text: string): number[] {
    const normal = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
    const ids: number[] = [];
    if (normal) for (const word of normal.split(' ')) ids.push(...this.encodeWord(MARK + word));
    ids.push(this.eosId);
    return ids;
  }

  /** `length` ids: the text's ids (cut to length, `</s>` kept last) padded with `<pad>`; and how many are real tokens. */
  encodePadded(text: string, length: number): { ids: BigInt64Array; tokens: number } {
    let ids = this.encode(text);
    if (ids.length > length) ids = [...ids.slice(0, length - 1), this.eosId];
    const out = new BigInt64Array(length).fill(BigInt(this.padId));
    ids.forEach((id, i) => (out[i] = BigInt(id)));
    return { ids: out, tokens: ids.length };
  }

  private encodeWord(word: string): number[] {
    const chars = [...word];
    const n = chars.length;
    const best = new Float64Array(n + 1).fill(-Infinity);
    const from = new Int32Array(n + 1).fill(-1);
    const piece = new Int32Array(n + 1).fill(-1);
    best[0] = 0;
    for (let end = 1; end <= n; end++) {
      for (let start = Math.max(0, end - this.maxLen); start < end; start++) {
        if (best[start] === -Infinity) continue;
        const hit = this.vocab.get(chars.slice(start, end).join(''));
        if (hit && best[start]! + hit.score > best[end]!) {
          best[end] = best[start]! + hit.score;
          from[end] = start;
          piece[end] = hit.id;
        }
      }
      // a character no piece covers: <unk>
      if (best[end - 1]! + this.unkScore > best[end]!) {
        best[end] = best[end - 1]! + this.unkScore;
        from[end] = end - 1;
        piece[end] = this.unkId;
      }
    }
    const ids: number[] = [];
    for (let at = n; at > 0; at = from[at]!) ids.push(piece[at]!);
    ids.reverse();
    // runs of <unk> become one, as sentencepiece does
    return ids.filter((id, i) => !(id === this.unkId && ids[i - 1] === this.unkId));
  }
}

interface TokenizerJson {
  model?: { type?: string; vocab?: Array<[string, number]>; unk_id?: number };
}

function badTokenizer(file: string, why: string): KlappeError {
  return new KlappeError({
    code: 'PACK_TOKENIZER_INVALID',
    kind: 'input',
    message: `${file}: ${why}`,
    file,
    hint: 'The pack needs the UMT5 tokenizer (tokenizer.json with a Unigram model, or spiece.model); reinstall or re-import the pack.',
  });
}

function specialIds(pieces: Array<[string, number]>, unk: number | undefined) {
  const find = (p: string, fallback: number) => {
    const i = pieces.findIndex(([piece]) => piece === p);
    return i >= 0 ? i : fallback;
  };
  return { unk: unk ?? find('<unk>', 2), eos: find('</s>', 1), pad: find('<pad>', 0) };
}

/** Reads a sentencepiece model (protobuf): ModelProto.pieces (field 1) = {piece: 1, score: 2, type: 3}. */
function readSpieceModel(bytes: Uint8Array): Array<[string, number]> {
  const pieces: Array<[string, number]> = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const varint = (at: { i: number }) => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at.i++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  const skip = (wire: number, at: { i: number }) => {
    if (wire === 0) varint(at);
    else if (wire === 1) at.i += 8;
    else if (wire === 2) at.i += varint(at);
    else if (wire === 5) at.i += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  };
  const at = { i: 0 };
  while (at.i < bytes.length) {
    const tag = varint(at);
    if (tag >>> 3 === 1 && (tag & 7) === 2) {
      const end = at.i + varint(at);
      let piece = '';
      let score = 0;
      while (at.i < end) {
        const t = varint(at);
        if (t >>> 3 === 1 && (t & 7) === 2) {
          const len = varint(at);
          piece = new TextDecoder().decode(bytes.subarray(at.i, at.i + len));
          at.i += len;
        } else if (t >>> 3 === 2 && (t & 7) === 5) {
          score = view.getFloat32(at.i, true);
          at.i += 4;
        } else skip(t & 7, at);
      }
      pieces.push([piece, score]);
    } else skip(tag & 7, at);
  }
  return pieces;
}

/** The tokenizer in `file` (tokenizer.json or spiece.model). */
export function loadTokenizer(file: string): UnigramTokenizer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new KlappeError({ code: 'PACK_FILE_MISSING', message: `the tokenizer ${file} is missing`, file, cause: e });
  }
  if (file.endsWith('.json')) {
    let json: TokenizerJson;
    try {
      json = JSON.parse(bytes.toString('utf8')) as TokenizerJson;
    } catch (e) {
      throw badTokenizer(file, `not valid JSON (${(e as Error).message})`);
    }
    if (json.model?.type !== 'Unigram' || !Array.isArray(json.model.vocab))
      throw badTokenizer(file, `model.type is ${JSON.stringify(json.model?.type)}, not a Unigram vocabulary`);
    const s = specialIds(json.model.vocab, json.model.unk_id);
    return new UnigramTokenizer(json.model.vocab, s.unk, s.eos, s.pad);
  }
  let pieces: Array<[string, number]>;
  try {
    pieces = readSpieceModel(bytes);
  } catch (e) {
    throw badTokenizer(file, `not a sentencepiece model (${(e as Error).message})`);
  }
  if (!pieces.length) throw badTokenizer(file, 'no pieces');
  const s = specialIds(pieces, undefined);
  return new UnigramTokenizer(pieces, s.unk, s.eos, s.pad);
}
