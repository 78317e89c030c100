/**
 * The one way a generated take is written: H.264 (yuv420p) at the sequence's
 * rate, AAC 48 kHz stereo, in an MP4 with its index first (playable while it
 * loads). The previz, slate and local backends all encode through this.
 */

export interface TakeEncode {
  /** The sequence rate as ffmpeg writes it ("24", "24000/1001"). */
  rate: string;
  crf: number;
  /**
   * Frames between key frames (a take's preview seeks to them); ffmpeg's default when left out. They fall on the first
   * frame and then on the middle of each `gop` frames: where an export's invisible watermark reads a take that starts
   * on a whole second (engine/provenance/watermark-sources.ts), so that read decodes one frame instead of half a second.
   */
  gop?: number;
  /** AAC bit rate, e.g. "160k". */
  audioBitrate: string;
  output: string;
}

/** The audio chain of a take's input 1: 48 kHz stereo, padded or cut to exactly `samples`. */
export function takeAudioFilter(samples: number): string {
  return `[1:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,apad=whole_len=${samples},atrim=end_sample=${samples}[a]`;
}

/** ffmpeg's output arguments for a take, after its inputs, filters and maps. */
export function takeOutputArgs(o: TakeEncode): string[] {
  return [
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    String(o.crf),
    '-pix_fmt',
    'yuv420p',
    '-r',
    o.rate,
    ...(o.gop ? ['-g', String(o.gop), '-force_key_frames', `expr:eq(n,0)+eq(mod(n-${Math.floor(o.gop / 2)},${o.gop}),0)`] : []),
    '-c:a',
    'aac',
    '-b:a',
    o.audioBitrate,
    '-ar',
    '48000',
    '-ac',
    '2',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    o.output,
  ];
}
