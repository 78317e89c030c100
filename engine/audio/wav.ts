/**
 * WAV files: 16-bit PCM out (float input, clamped, never wraps), and in: 8/16/24/32-bit
 * PCM or 32-bit float, plain or WAVE_FORMAT_EXTENSIBLE. Samples are interleaved.
 */
import { inputError } from '../common/errors.js';
import { AUDIO_RATE } from '../common/time.js';

export interface DecodedWav {
  sampleRate: number;
  channels: number;
  /** Interleaved, −1..1. */
  samples: Float32Array;
}

/** Encodes interleaved float samples (−1..1; louder is clamped) as a 16-bit PCM WAV file. */
export function encodeWav(interleaved: Float32Array, channels: number, sampleRate = AUDIO_RATE): Buffer {
  if (!Number.isInteger(channels) || channels < 1)
    throw inputError('BAD_WAV', `a WAV file needs a whole positive number of channels, got ${channels}`);
  if (interleaved.length % channels !== 0)
    throw inputError('BAD_WAV', `${interleaved.length} samples do not divide into ${channels} channels`);
  const dataBytes = interleaved.length * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * channels * 2, 28);
  buf.writeUInt16LE(channels * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < interleaved.length; i++) {
    const x = interleaved[i]!;
    const v = x !== x ? 0 : x >= 1 ? 32767 : x <= -1 ? -32768 : Math.round(x * 32767);
    buf.writeInt16LE(v, 44 + i * 2);
  }
  return buf;
}

/** Decodes a WAV file; a file that is not one (or uses an unsupported format) is an input error saying why. */
export function decodeWav(buf: Buffer): DecodedWav {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw inputError('BAD_WAV', 'not a WAV file (no RIFF/WAVE header)');
  }
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | undefined;
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    let size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw inputError('BAD_WAV', 'the WAV fmt chunk is too short');
      let format = buf.readUInt16LE(body);
      if (format === 0xfffe && size >= 26) format = buf.readUInt16LE(body + 24);
      fmt = { format, channels: buf.readUInt16LE(body + 2), sampleRate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw inputError('BAD_WAV', 'the WAV data chunk comes before its fmt chunk');
      // Streams written without a known length put 0 or 0xffffffff here: read to the end.
      if (size === 0 || size === 0xffffffff || body + size > buf.length) size = buf.length - body;
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, samples: decodeSamples(buf.subarray(body, body + size), fmt) };
    }
    pos = body + size + (size & 1);
  }
  throw inputError('BAD_WAV', fmt ? 'the WAV file has no data chunk' : 'the WAV file has no fmt chunk');
}

function decodeSamples(data: Buffer, fmt: { format: number; channels: number; bits: number }): Float32Array {
  const { format, channels, bits } = fmt;
  if (channels < 1) throw inputError('BAD_WAV', 'the WAV file says it has 0 channels');
  const bytes = bits / 8;
  const isFloat = format === 3 && bits === 32;
  const isPcm = format === 1 && (bits === 8 || bits === 16 || bits === 24 || bits === 32);
  if (!isFloat && !isPcm)
    throw inputError('BAD_WAV', `unsupported WAV sample format ${format} with ${bits} bits`, {
      hint: 'Use PCM (8/16/24/32-bit) or 32-bit float.',
    });
  const frames = Math.floor(data.length / (bytes * channels));
  const out = new Float32Array(frames * channels);
  for (let i = 0; i < out.length; i++) {
    const o = i * bytes;
    out[i] = isFloat
      ? data.readFloatLE(o)
      : bits === 16
        ? data.readInt16LE(o) / 32768
        : bits === 8
          ? (data[o]! - 128) / 128
          : bits === 24
            ? data.readIntLE(o, 3) / 8388608
            : data.readInt32LE(o) / 2147483648;
  }
  return out;
}
