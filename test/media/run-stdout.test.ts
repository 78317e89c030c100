import { describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../engine/media/run.js';

describe('runFfmpeg onStdout', () => {
  it('resolves only after the last chunk handler settles', async () => {
    const seen: number[] = [];
    await runFfmpeg(
      ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=8x8:d=0.04', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
      {
        onStdout: async (chunk) => {
          await new Promise((r) => setTimeout(r, 300));
          seen.push(chunk.length);
        },
      },
    );
    expect(seen).toEqual([192]);
  });
});
