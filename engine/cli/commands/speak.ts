/** `klappe speak TEXT -o line.wav`: say a line with an embedded voice; prints word and phone timings. */
import { writeFileSync } from 'node:fs';
import { getSpeechEngine } from '../../audio/speech/registry.js';
import { encodeWav } from '../../audio/wav.js';
import { inputError } from '../../common/errors.js';
import { VoiceSchema } from '../../model/schema.js';
import { AUDIO_RATE } from '../../common/time.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw inputError('BAD_ARGUMENTS', `--${name} must be a positive number, got "${value}"`, { path: `--${name}` });
  return n;
}

export const speakCommand: CliCommand = {
  name: 'speak',
  summary: 'speak a line with an embedded voice (WAV at 48 kHz) and show its word and phone timings',
  usage: 'klappe speak TEXT -o OUT.wav [--voice slt|kal|kal16|awb|rms] [--pitch HZ] [--rate X] [--engine flite]',
  options: {
    output: { type: 'string', short: 'o' },
    voice: { type: 'string' },
    pitch: { type: 'string' },
    rate: { type: 'string' },
    engine: { type: 'string' },
  },
  async run(parsed, io) {
    const text = requirePositional(parsed, 0, 'TEXT', this.usage);
    const out = stringOption(parsed, 'output');
    const voiceInput = {
      engine: stringOption(parsed, 'engine'),
      voice: stringOption(parsed, 'voice'),
      pitchHz: numberOption(stringOption(parsed, 'pitch'), 'pitch'),
      rate: numberOption(stringOption(parsed, 'rate'), 'rate'),
    };
    const checked = VoiceSchema.safeParse(Object.fromEntries(Object.entries(voiceInput).filter(([, v]) => v !== undefined)));
    if (!checked.success)
      throw inputError('BAD_ARGUMENTS', `bad voice: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
        hint: `Usage: ${this.usage}`,
      });
    const voice = checked.data;
    const line = await getSpeechEngine(voice.engine).synthesize(text, voice, { signal: io.signal });
    if (out) writeFileSync(out, encodeWav(line.samples, 1, AUDIO_RATE));
    const seconds = (s: number): number => Math.round((s / AUDIO_RATE) * 1000) / 1000;
    const summary = {
      engine: line.engine,
      voice: line.voice,
      file: out ?? null,
      durationS: seconds(line.samples.length),
      words: line.words.map((w) => ({ text: w.text, start: seconds(w.startSample), end: seconds(w.endSample) })),
      phonemes: line.phonemes.map((p) => ({ text: p.text, start: seconds(p.startSample), end: seconds(p.endSample) })),
    };
    if (parsed.json) {
      io.out(JSON.stringify(summary, null, 2));
      return 0;
    }
    io.out(`${line.engine} ${line.voice}: ${summary.durationS} s${out ? ` → ${out}` : ''}`);
    for (const w of summary.words) io.out(`  ${w.start.toFixed(3)}–${w.end.toFixed(3)}  ${w.text}`);
    io.out(`  phones: ${summary.phonemes.map((p) => `${p.text}:${p.end.toFixed(3)}`).join(' ')}`);
    return 0;
  },
};
