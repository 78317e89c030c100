/**
 * Screens talk to the editor object (renderer/src/editor), never to the
 * transport: no api call outside the editor and the api client modules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'renderer', 'src');
const ALLOWED = ['editor/', 'api/', 'main.tsx'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('renderer transport boundary', () => {
  it('has no api call and no api client outside the editor', () => {
    const offenders: string[] = [];
    for (const file of files(SRC)) {
      const rel = relative(SRC, file).split('\\').join('/');
      if (ALLOWED.some((a) => rel === a || rel.startsWith(a))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\.call\(\s*['"`]|\bapi\.|from '[./]*api\/client/.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('has no studio() singleton left', () => {
    const offenders = files(SRC)
      .filter((f) => /\bstudio\(\)/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
