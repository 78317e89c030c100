/** Burned-in captions at export: the sequence's cues as an SRT drawn by ffmpeg's subtitles filter (libass) with the bundled DejaVu font. */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaStore } from '../cache/media-store.js';
import type { Project } from '../model/schema.js';
import { assetPath } from '../util/paths.js';
import { captionCues, formatSrt } from './captions.js';

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/:/g, '\\:')}'`;
}

/** Writes the cues to a temp SRT and returns the video hook filter (undefined when there is nothing to say) and a cleanup. */
export function burnCaptionsFilter(doc: Project, store: MediaStore, height: number): { filter?: string; file?: string } {
  const cues = captionCues(doc, store);
  if (!cues.length) return {};
  const file = join(tmpdir(), `klappe-captions-${process.pid}-${Date.now()}.srt`);
  writeFileSync(file, formatSrt(cues, doc));
  const fontSize = Math.max(8, Math.round(height / 24));
  // libass sizes are in a 288-line script space by default; PlayResY makes FontSize count in output pixels
  const style = `FontName=DejaVu Sans,FontSize=${fontSize},PlayResY=${height},Outline=2,MarginV=${Math.round(height / 20)}`;
  return { file, filter: `subtitles=filename=${quote(file)}:fontsdir=${quote(assetPath('fonts'))}:force_style=${quote(style)}` };
}
