/** A short copy of the sample project (first `frames` frames of the sequence) for provenance tests. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, spawnCli } from '../support/env.js';

export function makeShortProject(dir: string, env: Record<string, string>, frames: number, creator = 'Ada Lovelace'): string {
  const r = runCli(['new', dir, '--template', 'two-scenes'], env);
  expect(r.status, r.stderr).toBe(0);
  const file = join(dir, 'project.klappe');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { creator: { name: string }; sequence: { tracks: Array<{ clips: Array<{ recordStart: number; duration: number }> }> } };
  doc.creator.name = creator;
  for (const t of doc.sequence.tracks) {
    t.clips = t.clips.filter((c) => c.recordStart < frames);
    for (const c of t.clips) c.duration = Math.min(c.duration, frames - c.recordStart);
  }
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return dir;
}

/** The real CLI in a child process without blocking the test worker (long renders would starve vitest's RPC). */
export function runCliAsync(args: string[], env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    child.on('close', (code) => resolvePromise({ status: code ?? -1, stdout, stderr }));
  });
}
