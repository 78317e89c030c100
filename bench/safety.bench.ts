/**
 * Safety benchmarks: moderation time per prompt over the 140-case test set
 * (rules alone, and with the decision-log write in SQLite), policy load, and
 * the pre-export frame check per minute of video on the GRID clips; baselines
 * measured in the same run: tokenizing the same prompts, and decoding the
 * same frames with ffmpeg.
 *
 * Video clips from "The Grid Audio-Visual Speech Corpus", Martin Cooke, Jon Barker,
 * Stuart Cunningham, Xu Shao (2006), https://doi.org/10.5281/zenodo.3625687, licensed under
 * CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Unmodified.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabases, openDatabase } from '../engine/cache/database.js';
import { checkTextWith } from '../engine/safety/checks.js';
import { DecisionLog } from '../engine/safety/decision-log.js';
import { checkFramesBeforeExport } from '../engine/safety/frame-check.js';
import { moderateText } from '../engine/safety/moderate.js';
import { compilePolicy, loadPolicy } from '../engine/safety/policy.js';
import { tokenize } from '../engine/safety/text-match.js';
import { decodeFrames } from '../engine/vision/frames.js';
import { PROMPT_SET } from '../test/safety/prompt-set.js';
import { GRID_A, GRID_B, gridAvailable } from '../test/support/grid-faces.js';
import { medianMs, report } from './support.js';

export async function benchSafety(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'klappe-bench-safety-'));
  try {
    const policy = loadPolicy({ userFile: null });
    const n = PROMPT_SET.length;
    const compileMs = await medianMs(5, () => compilePolicy(policy.file, policy.sources));
    report({ name: 'policy compile (20 rules, word lists)', value: compileMs, unit: 'ms' });
    const tokenizeMs = await medianMs(5, () => PROMPT_SET.forEach((c) => tokenize(c.text)));
    const rulesMs = await medianMs(5, () => PROMPT_SET.forEach((c) => moderateText(c.text, policy)));
    report({
      name: `moderation per prompt (${n} prompts)`,
      value: (rulesMs / n) * 1000,
      unit: 'µs',
      baseline: { name: 'tokenizing the same prompts', value: (tokenizeMs / n) * 1000 },
    });
    const log = new DecisionLog(openDatabase(join(dir, 'klappe.db')));
    const loggedMs = await medianMs(3, () =>
      PROMPT_SET.forEach((c) => checkTextWith(c.text, { policy, log, optouts: [] }, { subject: 'prompt' })),
    );
    report({
      name: 'moderation per prompt with its decision-log entry',
      value: (loggedMs / n) * 1000,
      unit: 'µs',
      baseline: { name: 'rules alone', value: (rulesMs / n) * 1000 },
    });

    if (!gridAvailable()) {
      process.stdout.write('frame check: skipped, the GRID clips are not in ../shared/media/faces\n');
      return;
    }
    const fps = policy.file.frames.fps;
    await checkFramesBeforeExport([GRID_B], { policy, log }); // warm the sessions
    let seconds = 0;
    const frameMs = await medianMs(3, async () => {
      seconds = (await checkFramesBeforeExport([GRID_A, GRID_B], { policy, log })).videoSeconds;
    });
    const decodeMs = await medianMs(3, async () => {
      await decodeFrames(GRID_A, { fps });
      await decodeFrames(GRID_B, { fps });
    });
    report({
      name: `frame check per minute of video (${fps} frames/s, faces + likeness)`,
      value: ((frameMs / seconds) * 60) / 1000,
      unit: 's',
      baseline: { name: 'ffmpeg decode of the same frames', value: ((decodeMs / seconds) * 60) / 1000 },
      note: `${seconds} s of 360×288 video in ${frameMs.toFixed(0)} ms`,
    });
  } finally {
    closeDatabases();
    rmSync(dir, { recursive: true, force: true });
  }
}
