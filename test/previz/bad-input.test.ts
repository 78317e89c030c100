import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKlappeError, type KlappeError } from '../../engine/common/errors.js';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { previzBackend } from '../../engine/generate/previz/previz-backend.js';
import type { Project } from '../../engine/model/schema.js';
import { runCli, tempDir } from '../support/env.js';
import { parse, sampleProject } from './fixtures.js';

/** The validation error for the sample project changed after loading (as an API caller could). */
function errorOf(mutate: (p: Project) => void, shotId = 's1', size?: { width: number; height: number }): KlappeError {
  const doc = parse(sampleProject());
  mutate(doc);
  try {
    previzBackend.validate!(buildShotRequest(doc, shotId, size ? { size } : {}));
  } catch (e) {
    if (isKlappeError(e)) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('previz bad input', () => {
  it('names the shot and field for durations of 0 and over 60 s', async () => {
    const zero = errorOf((p) => {
      p.scenes[0]!.shots[1]!.duration = 0;
    }, 's1');
    expect(zero.kind).toBe('input');
    expect(zero.message).toMatch(/shot 2 \(s2\).*duration/);
    expect(zero.path).toBe('shots[1].duration');
    const long = errorOf((p) => {
      p.scenes[0]!.shots[0]!.duration = 24 * 61;
    });
    expect(long.code).toBe('BAD_DURATION');
    expect(long.message).toMatch(/shot 1 \(s1\).*61\.00 s.*at most 60 s/);
  });

  it('rejects odd sizes and odd prop sizes', async () => {
    const odd = errorOf(() => {}, 's1', { width: 321, height: 180 });
    expect(odd.code).toBe('BAD_SIZE');
    expect(odd.message).toMatch(/shot 1 \(s1\).*321x180/);
    const prop = errorOf((p) => {
      p.scenes[0]!.props[1]!.size = [0.1, -1, 0.1];
    });
    expect(prop.code).toBe('BAD_PROP_SIZE');
    expect(prop.path).toBe('props[1].size');
  });

  it('rejects an unknown character in a dialogue line, and an action on a missing prop', async () => {
    const who = errorOf((p) => {
      p.lines.find((l) => l.shotId === 's3')!.characterId = 'zoe';
    });
    expect(who.code).toBe('UNKNOWN_CHARACTER');
    expect(who.message).toMatch(/Shot 1\/3 “Close-up: Leo”.*“zoe”, who is not in the cast/);
    expect(who.path).toBe('shots[2].dialogue[0].characterId');
    const prop = errorOf((p) => {
      p.scenes[0]!.actions[1]!.targetId = 'teapot';
    });
    expect(prop.code).toBe('MISSING_PROP');
    expect(prop.message).toMatch(/action "a2" \(pickup\).*"teapot"/);
    expect(prop.path).toBe('actions[1].targetId');
  });

  it('klappe render exits 2 with the message and generates nothing', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const input = sampleProject();
      input.scenes![0]!.actions![2]!.targetId = 'teapot';
      mkdirSync(join(dir, 'p'));
      writeFileSync(join(dir, 'p', 'project.klappe'), JSON.stringify(input));
      const r = await runCli(['render', join(dir, 'p'), '-o', join(dir, 'out.mp4')], { KLAPPE_DATA_DIR: join(dir, 'data') });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/teapot/);
    } finally {
      cleanup();
    }
  });
});
