/**
 * SRT and WebVTT as other tools write them, read into cues (48 kHz samples).
 *
 * Accepted, because real files have it: UTF-8 and UTF-16 (LE/BE) with a BOM,
 * CR, CRLF or LF line ends (mixed too), no final newline, cues without
 * sequence numbers, `,` or `.` before the milliseconds, 1- or 2-digit
 * fractions (`00:00:01,5` is 500 ms), hours over 99, cue settings after the
 * end time, WebVTT header text, REGION, STYLE and NOTE blocks, voice spans
 * (`<v Mia>`), styling tags (`<i>`, `<c.loud>`, `<font>`, `{\an8}`),
 * character references (`&amp;`, `&#233;`), cues out of order (sorted by start).
 * A malformed timing line is an input error naming the file, line and column.
 */
import { inputError } from '../common/errors.js';

export interface CaptionCue {
  /** Sequence samples (48 kHz), [start, end). */
  startSample: number;
  endSample: number;
  /** The cue's text, lines joined with a space (tags kept or stripped by option). */
  text: string;
  /** From `<v Name>` or a leading "NAME: ". */
  speakerName?: string;
  /** WebVTT cue identifier or SRT sequence number. */
  identifier?: string;
  /** WebVTT cue settings as written (`align:start line:10%`). */
  settings?: string;
  /** 1-based line of the timing line in the file. */
  line: number;
}

export interface CaptionFile {
  format: 'srt' | 'vtt';
  cues: CaptionCue[];
  /** WebVTT STYLE blocks, NOTE blocks and REGION definitions, as written. */
  styles: string[];
  notes: string[];
  regions: string[];
  /** Cues that were out of order in the file (they are sorted now). */
  reordered: number;
}

export interface CaptionParseOptions {
  file?: string;
  /** Keep styling tags in the text (default strip: plain text with entities decoded). */
  keepTags?: boolean;
  /** Forces a format; default: WebVTT when the text starts with WEBVTT, else SRT. */
  format?: 'srt' | 'vtt';
}

/** Decodes a caption file's bytes: UTF-16 LE/BE and UTF-8 by their BOM, else UTF-8; the BOM is dropped. */
export function decodeCaptionBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  // UTF-16 without a BOM: every other byte zero in the first characters
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

const STAMP = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[,.:](\d{1,3}))?$/;

/** A timestamp in milliseconds, or undefined. `h:mm:ss,mmm`, `mm:ss.mmm`, hours of any length. */
export function parseCaptionStamp(text: string): number | undefined {
  const m = STAMP.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1] ?? 0);
  const min = Number(m[2]);
  const s = Number(m[3]);
  if (min > 59 || s > 59) return undefined;
  const frac = m[4] ? Number(m[4].padEnd(3, '0')) : 0;
  return h * 3_600_000 + min * 60_000 + s * 1000 + frac;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  lrm: '\u200e',
  rlm: '\u200f',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? all;
  });
}

/** Plain text of a cue payload: tags (`<i>`, `<v Mia>`, `<00:01.000>`, `<font …>`) and `{\…}` overrides removed, entities decoded. */
export function stripCaptionTags(text: string): string {
  return decodeEntities(text.replace(/<[^>]*>/g, '').replace(/\{\\[^}]*\}/g, ''))
    .replace(/[ \t]+/g, ' ')
    .trim();
}

function voiceOf(payload: string): string | undefined {
  const m = /<v(?:\.[\w.-]+)?[ \t]+([^>]+)>/.exec(payload);
  return m ? decodeEntities(m[1]!.trim()) : undefined;
}

/** The error code of a bad timing: SRT_BAD_TIMING (the code SRT import always had) or VTT_BAD_TIMING. */
const badTiming = (format: 'srt' | 'vtt') => (format === 'vtt' ? 'VTT_BAD_TIMING' : 'SRT_BAD_TIMING');

function fail(code: string, file: string, line: number, column: number, expected: string, found: string): never {
  throw inputError(code, `${file}:${line}:${column}: expected ${expected}, found "${found.slice(0, 60)}"`, {
    file,
    path: `line ${line}, column ${column}`,
    hint: 'A cue is an optional number or identifier, a timing line "00:00:01,000 --> 00:00:02,500", then its text and a blank line.',
  });
}

/** Reads SRT or WebVTT text (already decoded; see decodeCaptionBytes). */
export function parseCaptionText(input: string, opts: CaptionParseOptions = {}): CaptionFile {
  const file = opts.file ?? 'captions';
  const text = input.replace(/^\uFEFF/, '');
  const lines = text.split(/\r\n|\r|\n/);
  const format = opts.format ?? (/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '') ? 'vtt' : 'srt');
  const out: CaptionFile = { format, cues: [], styles: [], notes: [], regions: [], reordered: 0 };
  const code = badTiming(format);
  let i = 0;
  if (format === 'vtt') {
    if (!/^WEBVTT/.test(lines[0] ?? '')) fail(code, file, 1, 1, '"WEBVTT" on the first line of a WebVTT file', lines[0] ?? '');
    i = 1;
    while (i < lines.length && lines[i]!.trim() !== '') i++; // header text and legacy metadata
  }
  const blank = (k: number) => lines[k]!.trim() === '';
  while (i < lines.length) {
    while (i < lines.length && blank(i)) i++;
    if (i >= lines.length) break;
    const block: Array<{ text: string; line: number }> = [];
    while (i < lines.length && !blank(i)) {
      // a timing line with no blank line before it starts the next cue (YouTube's captions have them)
      if (block.some((b) => b.text.includes('-->')) && isTimingLine(lines[i]!)) break;
      block.push({ text: lines[i]!, line: i + 1 });
      i++;
    }
    const head = block[0]!.text;
    if (format === 'vtt' && /^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(head)) {
      const body = block.map((b) => b.text).join('\n');
      if (head.startsWith('NOTE')) out.notes.push(body.replace(/^NOTE[ \t]?/, ''));
      else if (head.startsWith('STYLE')) out.styles.push(body.replace(/^STYLE[ \t]*\n?/, ''));
      else out.regions.push(body.replace(/^REGION[ \t]*\n?/, ''));
      continue;
    }
    let k = 0;
    let identifier: string | undefined;
    if (!block[0]!.text.includes('-->')) {
      identifier = block[0]!.text.trim();
      k = 1;
    }
    const timing = block[k];
    if (!timing) fail(code, file, block[0]!.line + 1, 1, 'a timing line "00:00:01,000 --> 00:00:02,500" after the cue number', '');
    const arrow = timing.text.indexOf('-->');
    if (arrow < 0) fail(code, file, timing.line, 1, 'a timing line "00:00:01,000 --> 00:00:02,500"', timing.text.trim());
    const left = timing.text.slice(0, arrow);
    const start = parseCaptionStamp(left);
    if (start === undefined) fail(code, file, timing.line, left.search(/\S|$/) + 1, 'a start time like 00:00:01,000', left.trim());
    const right = timing.text.slice(arrow + 3);
    const endWord = /^[ \t]*(\S*)/.exec(right)!;
    const end = parseCaptionStamp(endWord[1]!);
    const endColumn = arrow + 4 + (right.length - right.trimStart().length);
    if (end === undefined) fail(code, file, timing.line, endColumn, 'an end time like 00:00:02,500', endWord[1]!);
    if (end <= start) {
      throw inputError(code, `${file}:${timing.line}:${endColumn}: the cue ends (${endWord[1]}) at or before it starts (${left.trim()})`, {
        file,
        path: `line ${timing.line}, column ${endColumn}`,
        hint: 'Each cue must end after it starts.',
      });
    }
    const settings = right.slice(endWord[0].length).trim();
    const payload = block.slice(k + 1).map((b) => b.text.trim());
    if (!payload.length) continue; // an empty cue (some tools write them) carries nothing to import
    const raw = payload.join(format === 'vtt' || opts.keepTags ? '\n' : ' ');
    const voice = voiceOf(raw);
    let body = opts.keepTags ? raw.replace(/\n/g, ' ') : stripCaptionTags(raw.replace(/\n/g, ' '));
    let speakerName = voice;
    if (!speakerName) {
      const m = /^([A-Za-z][\w .'-]{0,40}):\s+(.+)$/.exec(body);
      if (m) {
        speakerName = m[1]!;
        body = m[2]!;
      }
    }
    if (!body) continue;
    out.cues.push({
      startSample: start * 48,
      endSample: end * 48,
      text: body,
      line: timing.line,
      ...(speakerName ? { speakerName } : {}),
      ...(identifier ? { identifier } : {}),
      ...(settings ? { settings } : {}),
    });
  }
  for (let c = 1; c < out.cues.length; c++) if (out.cues[c]!.startSample < out.cues[c - 1]!.startSample) out.reordered++;
  if (out.reordered) out.cues.sort((a, b) => a.startSample - b.startSample || a.endSample - b.endSample);
  return out;
}

/** A cue timing line: a time, "-->", a time. */
function isTimingLine(line: string): boolean {
  const arrow = line.indexOf('-->');
  return (
    arrow > 0 &&
    parseCaptionStamp(line.slice(0, arrow)) !== undefined &&
    parseCaptionStamp(
      line
        .slice(arrow + 3)
        .trim()
        .split(/\s+/)[0] ?? '',
    ) !== undefined
  );
}

/** Reads caption file bytes (any encoding above); the format from the text, else from the file name. */
export function parseCaptionBytes(bytes: Uint8Array, opts: CaptionParseOptions = {}): CaptionFile {
  const text = decodeCaptionBytes(bytes);
  const format = opts.format ?? (/^WEBVTT/.test(text) ? 'vtt' : /\.vtt$/i.test(opts.file ?? '') ? 'vtt' : 'srt');
  return parseCaptionText(text, { ...opts, format });
}
