/** Burned-in captions at export: the sequence's cues as an SRT drawn by ffmpeg's subtitles filter (libass) with the bundled DejaVu font. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaStore } from '../cache/media-store.js';
import type { Project } from '../model/schema.js';
import { assetPath } from '../util/paths.js';
import { makeWorkDir } from '../util/work-dir.js';
import { captionCues, formatSrt } from './captions.js';

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/:/g, '\\:')}'`;
}

/**
 * Writes the cues to an SRT in a work folder (DATA/work, swept after a kill) and returns the video hook filter
 * (undefined when there is nothing to say) and `done`, which removes the folder.
 */
export function burnCaptionsFilter(doc: Project, store: MediaStore, height: number): { filter?: string; file?: string; done: () => void } {
  const cues = captionCues(doc, store);
  if (!cues.length) return { done: () => undefined };
  const dir = makeWorkDir('klappe-captions');
  const done = () => rmSync(dir, { recursive: true, force: true });
  const file = join(dir, 'captions.srt');
  try {
    writeFileSync(file, formatSrt(cues, doc));
  } catch (e) {
    done();
    throw e;
  }
  const fontSize = Math.max(8, Math.round(height / 24));
  // libass sizes are in a 288-line script space by default; PlayResY makes FontSize count in output pixels
  const style = `FontName=DejaVu Sans,FontSize=${fontSize},PlayResY=${height},Outline=2,MarginV=${Math.round(height / 20)}`;
  return { file, done, filter: `subtitles=filename=${quote(file)}:fontsdir=${quote(assetPath('fonts'))}:force_style=${quote(style)}` };
}
