/** A short copy of the sample project (first `frames` frames of the sequence) for provenance tests. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../support/env.js';

export async function makeShortProject(
  dir: string,
  env: Record<string, string>,
  frames: number,
  creator = 'Ada Lovelace',
): Promise<string> {
  const r = await runCli(['new', dir, '--template', 'two-scenes'], env);
  expect(r.status, r.stderr).toBe(0);
  const file = join(dir, 'project.klappe');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as {
    creator: { name: string };
    sequence: { tracks: Array<{ clips: Array<{ recordStart: number; duration: number }> }> };
  };
  doc.creator.name = creator;
  for (const t of doc.sequence.tracks) {
    t.clips = t.clips.filter((c) => c.recordStart < frames);
    for (const c of t.clips) c.duration = Math.min(c.duration, frames - c.recordStart);
  }
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return dir;
}
