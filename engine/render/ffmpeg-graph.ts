/** Render plan → ffmpeg arguments (one filter graph, H.264 + AAC 48 kHz stereo MP4). */
import { pieceFilters } from '../common/edit-pieces.js';
import { rateToString } from '../common/time.js';
import type { TransitionKind } from '../model/schema.js';
import type { AudioPart, RenderPlan } from './plan.js';

export interface EncodeSettings {
  crf: number;
  preset: string;
  audioBitrate: string;
}

export const DEFAULT_ENCODE: EncodeSettings = { crf: 20, preset: 'veryfast', audioBitrate: '192k' };

/**
 * Extra filters appended to the video ([vmain] → [vout]) and audio ([amain] →
 * [aout]) chains: the provenance and loudness steps plug in here.
 */
export interface GraphHooks {
  video?: string[];
  audio?: string[];
  extraInputs?: string[][];
}

/** Each transition as a blend expression of the outgoing (A) and incoming (B) frame, in RGB, at progress P (0→1). */
const BLEND: Record<TransitionKind, string> = {
  dissolve: 'A*(1-P)+B*P',
  'dip-to-black': 'if(lt(P,0.5),A*(1-2*P),B*(2*P-1))',
  wipe: 'if(lt(X,W*P),B,A)',
};

/**
 * `masteredAudio`: a finished AAC file (the loudness master, engine/audio/master.ts)
 * copied into the output as it is instead of mixing the plan's audio here.
 */
export function buildFfmpegArgs(
  plan: RenderPlan,
  output: string,
  enc: EncodeSettings = DEFAULT_ENCODE,
  hooks: GraphHooks = {},
  masteredAudio?: string,
): string[] {
  const rate = rateToString(plan.rate);
  const { width: W, height: H } = plan;
  const args: string[] = ['-y'];
  for (const input of plan.inputs) args.push('-i', input);
  for (const extra of hooks.extraInputs ?? []) args.push(...extra);
  const masterInput = plan.inputs.length + (hooks.extraInputs?.length ?? 0);
  if (masteredAudio) args.push('-i', masteredAudio);

  const chains: string[] = [];
  const { uses, want } = labeller();

  const fit = `scale=${W}:${H}:force_original_aspect_ratio=decrease,pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1`;
  /** `frames` frames of an input from `start` (before 0 or past the media's end, the first or last frame holds). */
  const piece = (input: number, start: number, frames: number, out: string) => {
    const from = Math.max(0, start);
    const hold = from - start;
    const pad = hold > 0 ? `,tpad=start_mode=clone:start=${hold}` : '';
    chains.push(
      `[${want(input, 'v')}]fps=${rate},trim=start_frame=${from}:end_frame=${start + frames},setpts=PTS-STARTPTS,${fit}${pad},tpad=stop_mode=clone:stop=${frames},setpts=N*${plan.rate.den}/(${plan.rate.num}*TB),trim=end_frame=${frames}[${out}]`,
    );
  };
  const vLabels = plan.video.map((seg, k) => {
    const out = `v${k}`;
    if (seg.kind === 'gap') chains.push(`color=c=black:s=${W}x${H}:r=${rate},trim=end_frame=${seg.frames},setsar=1[${out}]`);
    else if (seg.kind === 'clip') {
      const src = want(seg.input, 'v');
      chains.push(
        `[${src}]fps=${rate},trim=start_frame=${seg.sourceStart}:end_frame=${seg.sourceStart + seg.frames},setpts=PTS-STARTPTS,${fit}[${out}]`,
      );
    } else {
      piece(seg.from.input, seg.from.sourceStart, seg.frames, `${out}a`);
      piece(seg.to.input, seg.to.sourceStart, seg.frames, `${out}b`);
      // P runs from just above 0 to just below 1 over the transition's frames (A: the outgoing clip, B: the incoming);
      // a transition cut by an export range goes on from where it was
      const p = `((N+${(seg.played ?? 0) + 1})/${(seg.length ?? seg.frames) + 1})`;
      chains.push(`[${out}a]format=gbrp[${out}ra]`, `[${out}b]format=gbrp[${out}rb]`);
      chains.push(`[${out}ra][${out}rb]blend=all_expr='${BLEND[seg.transition].replaceAll('P', p)}',format=yuv420p,setsar=1[${out}]`);
    }
    return `[${out}]`;
  });
  const vHooks = hooks.video?.length ? `,${hooks.video.join(',')}` : '';
  chains.push(`${vLabels.join('')}concat=n=${vLabels.length}:v=1:a=0,format=yuv420p${vHooks}[vout]`);

  if (!masteredAudio) audioGraph(plan, want, chains, hooks);
  else if (hooks.audio?.length) throw new Error('audio hooks cannot apply to a mastered audio file');

  const splits = inputSplits(uses);
  const audioOut = masteredAudio ? ['-map', `${masterInput}:a:0`, '-c:a', 'copy'] : ['-map', '[aout]', ...aacArgs(enc)];
  args.push(
    '-filter_complex',
    [...splits, ...chains].join(';'),
    '-map',
    '[vout]',
    ...audioOut,
    '-c:v',
    'libx264',
    '-preset',
    enc.preset,
    '-crf',
    String(enc.crf),
    '-pix_fmt',
    'yuv420p',
    '-r',
    rate,
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    output,
  );
  return args;
}

/** AAC 48 kHz stereo, the audio of every export. */
export function aacArgs(enc: Pick<EncodeSettings, 'audioBitrate'>): string[] {
  return ['-c:a', 'aac', '-b:a', enc.audioBitrate, '-ar', '48000', '-ac', '2'];
}

/** The audio mix chains ([aout]): every clip placed, mixed, then the audio hooks. */
function audioGraph(plan: RenderPlan, want: (input: number, kind: 'v' | 'a') => string, chains: string[], hooks: GraphHooks): void {
  const aLabels = plan.audio.map((part, k) => audioChain(part, k, plan.samples, () => want(part.input, 'a'), chains));
  chains.push(`anullsrc=r=48000:cl=stereo,atrim=end_sample=${plan.samples}[abase]`);
  const mixInputs = ['[abase]', ...aLabels];
  const aHooks = hooks.audio?.length ? `,${hooks.audio.join(',')}` : '';
  if (mixInputs.length === 1) chains.push(`[abase]anull${aHooks}[aout]`);
  else
    chains.push(
      `${mixInputs.join('')}amix=inputs=${mixInputs.length}:duration=first:dropout_transition=0,volume=${mixInputs.length}${aHooks},atrim=end_sample=${plan.samples}[aout]`,
    );
}

/** Inputs used more than once are split so every chain gets its own copy. */
function inputSplits(uses: Map<string, string[]>): string[] {
  const splits: string[] = [];
  for (const [key, labels] of uses) {
    const [input, kind] = key.split(':') as [string, 'v' | 'a'];
    if (labels.length === 1) splits.push(`[${input}:${kind}]${kind === 'v' ? 'null' : 'anull'}[${labels[0]}]`);
    else splits.push(`[${input}:${kind}]${kind === 'v' ? 'split' : 'asplit'}=${labels.length}${labels.map((l) => `[${l}]`).join('')}`);
  }
  return splits;
}

function labeller(): { uses: Map<string, string[]>; want: (input: number, kind: 'v' | 'a') => string } {
  const uses = new Map<string, string[]>(); // "3:v" → labels wanting it
  const want = (input: number, kind: 'v' | 'a'): string => {
    const key = `${input}:${kind}`;
    const list = uses.get(key) ?? [];
    const label = `i${input}${kind}${list.length}`;
    list.push(label);
    uses.set(key, list);
    return label;
  };
  return { uses, want };
}

/**
 * The audio mix alone (no video) written with `outputArgs`, e.g.
 * `['-f', 'null', '-']` for a measuring pass with a loudness hook.
 */
export function buildAudioMixArgs(plan: RenderPlan, outputArgs: string[], hooks: Pick<GraphHooks, 'audio'> = {}): string[] {
  const args: string[] = ['-y'];
  for (const input of plan.inputs) args.push('-i', input);
  const chains: string[] = [];
  const { uses, want } = labeller();
  audioGraph(plan, want, chains, hooks);
  args.push('-filter_complex', [...inputSplits(uses), ...chains].join(';'), '-map', '[aout]', ...outputArgs);
  return args;
}

function audioChain(part: AudioPart, k: number, total: number, source: () => string, chains: string[]): string {
  const normal = ['aresample=48000', 'aformat=sample_fmts=fltp:channel_layouts=stereo'];
  let src: string;
  let head: string[];
  if (part.pieces?.length) {
    // region edits: each piece of the source trimmed and shaped on its own, then joined
    const labels = part.pieces.map((piece, j) => {
      const label = `a${k}p${j}`;
      chains.push(
        `[${source()}]${[...normal, `atrim=start_sample=${piece.sourceStartSample}:end_sample=${piece.sourceStartSample + piece.samples}`, 'asetpts=PTS-STARTPTS', `apad=whole_len=${piece.samples}`, `atrim=end_sample=${piece.samples}`, ...pieceFilters(piece)].join(',')}[${label}]`,
      );
      return `[${label}]`;
    });
    src = `a${k}pieces`;
    chains.push(`${labels.join('')}concat=n=${labels.length}:v=0:a=1[${src}]`);
    head = [];
  } else {
    src = source();
    head = [
      ...normal,
      `atrim=start_sample=${part.sourceStartSample}:end_sample=${part.sourceStartSample + part.samples}`,
      'asetpts=PTS-STARTPTS',
    ];
  }
  const filters = [
    ...head,
    // a source shorter than its clip is padded with silence
    `apad=whole_len=${part.samples}`,
    `atrim=end_sample=${part.samples}`,
  ];
  if (part.gainDb !== 0) filters.push(`volume=${part.gainDb.toFixed(3)}dB`);
  if (part.fadeInSamples > 0) filters.push(`afade=t=in:ss=0:ns=${part.fadeInSamples}`);
  if (part.fadeOutSamples > 0) filters.push(`afade=t=out:ss=${part.samples - part.fadeOutSamples}:ns=${part.fadeOutSamples}`);
  if (part.pan !== 0) {
    const l = Math.min(1, 1 - part.pan).toFixed(4);
    const r = Math.min(1, 1 + part.pan).toFixed(4);
    filters.push(`pan=stereo|c0=${l}*c0|c1=${r}*c1`);
  }
  // an export range that starts inside the part: the whole part is shaped, then its first samples dropped
  const skip = part.skipSamples ?? 0;
  if (skip > 0) filters.push(`atrim=start_sample=${skip}`, 'asetpts=PTS-STARTPTS');
  const body = `a${k}body`;
  chains.push(`[${src}]${filters.join(',')}[${body}]`);
  const out = `a${k}`;
  if (part.startSample > 0) {
    chains.push(`anullsrc=r=48000:cl=stereo,atrim=end_sample=${part.startSample}[a${k}lead]`);
    chains.push(`[a${k}lead][${body}]concat=n=2:v=0:a=1,apad=whole_len=${total},atrim=end_sample=${total}[${out}]`);
  } else chains.push(`[${body}]apad=whole_len=${total},atrim=end_sample=${total}[${out}]`);
  return `[${out}]`;
}
