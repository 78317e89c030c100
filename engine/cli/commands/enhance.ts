import { enhanceVideo, parseSize } from '../../vision/enhance.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { inputError } from '../../common/errors.js';
import { createProgress } from '../progress.js';

export const enhanceCommand: CliCommand = {
  name: 'enhance',
  summary: 'make a video larger with the ×3 super-resolution model (luma by the model, chroma resampled), keeping its sound',
  usage: 'klappe enhance IN.mp4 -o OUT.mp4 [--size 1920x1080]',
  details: [
    'The luma of every frame goes through the ×3 model in tiles, then is made consistent with the source (back-projection);',
    'chroma is resampled bicubically. --size scales the ×3 result to that size (default: exactly ×3). Runs on the CPU.',
  ],
  options: {
    output: { type: 'string', short: 'o' },
    size: { type: 'string' },
  },
  async run(parsed, io) {
    const input = requirePositional(parsed, 0, 'IN', this.usage);
    const output = stringOption(parsed, 'output');
    if (!output) throw inputError('BAD_ARGUMENTS', 'missing -o OUT.mp4', { path: '-o', hint: `Usage: ${this.usage}` });
    const sizeText = stringOption(parsed, 'size');
    const size = sizeText ? parseSize(sizeText) : {};
    const progress = createProgress(io, parsed.json);
    progress.stage(`enhancing ${input}`);
    const t0 = Date.now();
    const r = await enhanceVideo(input, output, { ...size, signal: io.signal, onProgress: (f, eta) => progress.update(f, eta) });
    progress.done();
    const seconds = (Date.now() - t0) / 1000;
    if (parsed.json) io.out(JSON.stringify({ ok: true, output, ...r, seconds }, null, 2));
    else
      io.out(
        `wrote ${output}: ${r.frames} frames ${r.source.width}x${r.source.height} → ${r.width}x${r.height} in ${seconds.toFixed(1)} s (${(r.frames / seconds).toFixed(2)} frames/s)`,
      );
    return 0;
  },
};
