/** ffprobe as data: streams, durations, frame counts. */
import { runTool } from './run.js';

export interface ProbeStream {
  index: number;
  codec_type: 'video' | 'audio' | 'subtitle' | 'data';
  codec_name: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
  /** Seconds; where the stream starts on the file's timeline (audio may start after video). */
  start_time?: string;
  nb_frames?: string;
  nb_read_frames?: string;
}

export interface ProbeResult {
  format: { duration?: string; format_name: string; size?: string };
  streams: ProbeStream[];
}

export async function probe(file: string, opts: { countFrames?: boolean; signal?: AbortSignal } = {}): Promise<ProbeResult> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams'];
  if (opts.countFrames) args.push('-count_frames');
  args.push(file);
  const { stdout } = await runTool('ffprobe', args, { captureStdout: true, signal: opts.signal, what: `reading ${file}` });
  return JSON.parse(stdout.toString('utf8')) as ProbeResult;
}

export function videoStream(p: ProbeResult): ProbeStream | undefined {
  return p.streams.find((s) => s.codec_type === 'video');
}

export function audioStream(p: ProbeResult): ProbeStream | undefined {
  return p.streams.find((s) => s.codec_type === 'audio');
}
