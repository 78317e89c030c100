/**
 * Burned-in captions at export: the cues as an SRT drawn by ffmpeg's subtitles
 * filter (libass) with the bundled DejaVu font. The text is wrapped here (libass
 * wrapping is off) and a cue never shows more than CAPTION_MAX_LINES lines (a
 * longer one is split in time, by its length), so the captions always stay in a
 * band of known height at the bottom (captionBand): the visible watermark keeps
 * clear of it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../model/schema.js';
import { assetPath } from '../util/paths.js';
import { makeWorkDir } from '../util/work-dir.js';
import { cueText, formatSrt, type Cue } from './captions.js';

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/:/g, '\\:')}'`;
}

export const CAPTION_MAX_LINES = 2;

/** Where burned captions are drawn, output pixels. */
export interface CaptionBand {
  fontSize: number;
  /** Distance of the lowest line's bottom from the frame's bottom. */
  marginV: number;
  /** Left and right margins. */
  marginH: number;
  /** Most characters a line holds (wrapping). */
  maxChars: number;
  /** Height of the band from the frame's bottom that captions can cover (CAPTION_MAX_LINES lines, outline included). */
  top: number;
}

export function captionBand(width: number, height: number): CaptionBand {
  const fontSize = Math.max(8, Math.round(height / 24));
  const marginV = Math.round(height / 20);
  const marginH = Math.round(width / 20);
  // DejaVu Sans: glyphs are at most ~0.62 em wide on average for mixed-case text with capitals and punctuation
  const maxChars = Math.max(8, Math.floor((width - 2 * marginH) / (fontSize * 0.62)));
  // a libass line is one font size high (ascender to descender); outline 2 px each side
  const top = marginV + CAPTION_MAX_LINES * Math.ceil(fontSize * 1.05) + 4;
  return { fontSize, marginV, marginH, maxChars, top };
}

/** Words into lines of at most `max` characters (a longer word stands alone). */
export function wrapWords(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The cues as burned: wrapped to the band's width, at most CAPTION_MAX_LINES lines each (longer ones split in time). */
export function burnedCues(
  doc: Project,
  cues: readonly Cue[],
  band: CaptionBand,
): Array<{ startSample: number; endSample: number; lines: string[] }> {
  const out: Array<{ startSample: number; endSample: number; lines: string[] }> = [];
  for (const c of cues) {
    const lines = cueText(doc, c, true)
      .split('\n')
      .flatMap((l) => wrapWords(l, band.maxChars));
    if (!lines.length) continue;
    const chunks: string[][] = [];
    for (let i = 0; i < lines.length; i += CAPTION_MAX_LINES) chunks.push(lines.slice(i, i + CAPTION_MAX_LINES));
    const total = lines.reduce((n, l) => n + l.length, 0);
    let start = c.startSample;
    let done = 0;
    chunks.forEach((chunk, i) => {
      done += chunk.reduce((n, l) => n + l.length, 0);
      const end = i === chunks.length - 1 ? c.endSample : c.startSample + Math.round(((c.endSample - c.startSample) * done) / total);
      if (end > start) out.push({ startSample: start, endSample: end, lines: chunk });
      start = end;
    });
  }
  return out;
}

/**
 * Writes the cues to an SRT in a work folder (DATA/work, swept after a kill) and returns the video hook filter
 * (undefined when there is nothing to say), the file, and `done`, which removes the folder.
 */
export function burnCaptionsFilter(
  doc: Project,
  cues: readonly Cue[],
  width: number,
  height: number,
): { filter?: string; file?: string; done: () => void } {
  const band = captionBand(width, height);
  const burned = burnedCues(doc, cues, band);
  if (!burned.length) return { done: () => undefined };
  const dir = makeWorkDir('klappe-captions');
  const done = () => rmSync(dir, { recursive: true, force: true });
  const file = join(dir, 'captions.srt');
  try {
    // the lines are final: formatSrt without speakers writes them as they are
    writeFileSync(
      file,
      formatSrt(
        burned.map((b) => ({ startSample: b.startSample, endSample: b.endSample, text: b.lines.join('\n'), timing: 'clip' as const })),
        undefined,
        { speakers: false },
      ),
    );
  } catch (e) {
    done();
    throw e;
  }
  // libass sizes are in the script's space: PlayResX/Y at the output size make them output pixels; WrapStyle 2: no wrapping of its own
  const style = [
    'FontName=DejaVu Sans',
    `FontSize=${band.fontSize}`,
    `PlayResX=${width}`,
    `PlayResY=${height}`,
    'WrapStyle=2',
    'Outline=2',
    'Shadow=0',
    `MarginV=${band.marginV}`,
    `MarginL=${band.marginH}`,
    `MarginR=${band.marginH}`,
  ].join(',');
  return { file, done, filter: `subtitles=filename=${quote(file)}:fontsdir=${quote(assetPath('fonts'))}:force_style=${quote(style)}` };
}
