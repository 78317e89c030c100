/**
 * The visible watermark: "Klappe · AI · <creator>" in a translucent box that
 * jumps between four places (top-left, bottom-right, top-right, bottom-left)
 * so cropping a corner or blurring one spot never removes it everywhere.
 * Sizes follow the short side, so it reads at 720x1280 and 1920x1080 alike.
 */
import { assetPath } from '../util/paths.js';

export const WATERMARK_PRODUCT = 'Klappe · AI';
export const WATERMARK_SPOTS = 4;

export interface VisibleMarkLayout {
  text: string;
  fontSize: number;
  margin: number;
  /** Frames the mark stays at one spot. */
  framesPerSpot: number;
  /** Distance of the bottom spots' text from the frame's bottom (above burned captions when there are some). */
  bottom: number;
}

export function watermarkText(creatorName: string): string {
  const name = creatorName
    .replace(/[\\'":%,;=[\]{}]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name ? `${WATERMARK_PRODUCT} · ${name}` : WATERMARK_PRODUCT;
}

/**
 * `clearBottom`: pixels from the frame's bottom that something else covers (the band of burned captions,
 * engine/audio/burn-captions.ts captionBand): the bottom spots' box stays above it, half a margin apart.
 */
export function visibleMarkLayout(
  width: number,
  height: number,
  frames: number,
  creatorName: string,
  opts: { clearBottom?: number } = {},
): VisibleMarkLayout {
  const short = Math.min(width, height);
  // at least four spots over any export, never longer than 5 s at 24 fps in one place
  const framesPerSpot = Math.max(12, Math.min(120, Math.floor(frames / WATERMARK_SPOTS)));
  const fontSize = Math.round(short * 0.042);
  const margin = Math.round(short * 0.05);
  const clear = opts.clearBottom ? opts.clearBottom + boxBorder(fontSize) + Math.round(margin / 2) : 0;
  return { text: watermarkText(creatorName), fontSize, margin, framesPerSpot, bottom: Math.max(Math.round(margin * 2), clear) };
}

/** The box's border around the text, pixels. */
function boxBorder(fontSize: number): number {
  return Math.round(fontSize * 0.35);
}

/** Which spot (0 top-left, 1 bottom-right, 2 top-right, 3 bottom-left) frame `n` shows. */
export function spotAt(n: number, layout: VisibleMarkLayout): number {
  return Math.floor(n / layout.framesPerSpot) % WATERMARK_SPOTS;
}

/** The drawtext filter for GraphHooks.video. */
export function visibleWatermarkFilter(layout: VisibleMarkLayout): string {
  const font = assetPath('fonts', 'DejaVuSans-Bold.ttf').replace(/\\/g, '/').replace(/:/g, '\\:');
  const s = `mod(floor(n/${layout.framesPerSpot}),${WATERMARK_SPOTS})`;
  const m = layout.margin;
  const left = `${m}`;
  const right = `w-tw-${m}`;
  const top = `${Math.round(m * 2)}`;
  const bottom = `h-th-${layout.bottom}`;
  const x = `if(eq(${s},0)+eq(${s},3),${left},${right})`;
  const y = `if(eq(${s},0)+eq(${s},2),${top},${bottom})`;
  return [
    `drawtext=fontfile='${font}'`,
    `text='${layout.text}'`,
    `fontsize=${layout.fontSize}`,
    'fontcolor=white@0.8',
    'box=1',
    'boxcolor=black@0.45',
    `boxborderw=${boxBorder(layout.fontSize)}`,
    `x='${x}'`,
    `y='${y}'`,
  ].join(':');
}
