/**
 * The pre-export frame check on real faces: a registered cameo seen without a
 * grant blocks (naming the person and the times), with a grant it passes, a
 * face matching no cameo is reported; every file and the categories with no
 * local image model are in the decision log.
 *
 * Video clips from "The Grid Audio-Visual Speech Corpus", Martin Cooke, Jon Barker,
 * Stuart Cunningham, Xu Shao (2006), https://doi.org/10.5281/zenodo.3625687, licensed under
 * CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Unmodified.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabases, openDatabase } from '../../engine/cache/database.js';
import { deriveCameoReferences } from '../../engine/cameo/cameo-references.js';
import { DecisionLog } from '../../engine/safety/decision-log.js';
import { checkFramesBeforeExport, type KnownLikeness } from '../../engine/safety/frame-check.js';
import { loadPolicy } from '../../engine/safety/policy.js';
import { tempDir } from '../support/env.js';
import { GRID_A, GRID_B, gridAvailable } from '../support/grid-faces.js';

const available = gridAvailable();
if (!available) console.log('frame check tests skipped: the GRID clips are not in ../shared/media/faces');

const t = tempDir('klappe-frames-');
const policy = loadPolicy({ userFile: null });
let log: DecisionLog;
let speakerA: Omit<KnownLikeness, 'granted'>;

beforeAll(async () => {
  log = new DecisionLog(openDatabase(join(t.dir, 'klappe.db')));
  if (!available) return;
  const ref = await deriveCameoReferences(GRID_A, join(t.dir, 'a'), { crops: 1, size: 128 });
  speakerA = { id: 'cameo-a', name: 'Speaker one', embedding: ref.embedding };
}, 120_000);

afterAll(() => {
  closeDatabases();
  t.cleanup();
});

describe.skipIf(!available)('frame check before export', () => {
  it('blocks a cameo without a grant, naming the person and when they are seen', async () => {
    const before = log.count();
    await expect(
      checkFramesBeforeExport([GRID_A], { policy, log, likenesses: [{ ...speakerA, granted: false }], ref: 'out.mp4' }),
    ).rejects.toMatchObject({
      code: 'SAFETY_BLOCKED',
      message: expect.stringMatching(/Speaker one \(a registered cameo\) without a grant, at 0\.0 s/),
    });
    const [unchecked, entry] = log.list({ limit: 2 });
    expect(log.count()).toBe(before + 2);
    expect(entry).toMatchObject({
      subject: 'frames',
      ref: 'out.mp4',
      excerpt: GRID_A,
      rule: 'likeness.frames.cameo-without-grant',
      category: 'likeness',
      outcome: 'block',
      policyVersion: policy.version,
    });
    expect(entry!.checker).toMatch(/mobilefacenet-128d \(threshold 0\.\d+\)/);
    expect(entry!.score).toBeGreaterThan(0.8);
    expect(unchecked).toMatchObject({ rule: 'frames.unchecked', outcome: 'allow', checker: 'none: no local image model' });
    expect(unchecked!.reason).toMatch(/not checked in frames \(no local image model\): Sexual content, Minors, Graphic violence/);
  });

  it('passes a cameo with a grant, and reports a face that matches no cameo', async () => {
    const r = await checkFramesBeforeExport([GRID_A, GRID_B], { policy, log, likenesses: [{ ...speakerA, granted: true }] });
    expect(r.outcome).toBe('allow');
    expect(r.files.map((f) => f.report.matches.map((m) => m.id))).toEqual([['cameo-a'], []]);
    expect(r.files[1]!.report.unknown).toHaveLength(1);
    expect(r.videoSeconds).toBe(6);
    const entries = log.list({ limit: 3 });
    expect(entries[1]).toMatchObject({ excerpt: GRID_B, rule: 'likeness.frames.unknown-face', outcome: 'allow' });
    expect(entries[2]).toMatchObject({ excerpt: GRID_A, outcome: 'allow' });
    expect(entries[2]!.reason).toContain('Speaker one (cameo) with a grant');
  });
});
