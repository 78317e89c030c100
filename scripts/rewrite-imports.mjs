#!/usr/bin/env node
/**
 * Rewrites relative import specifiers after files were moved (`git mv`).
 *   node scripts/rewrite-imports.mjs OLD=NEW [OLD=NEW …]
 * Paths are from the repository root (engine/errors.ts=engine/common/errors.ts).
 * Files that moved get their own relative imports recomputed too; the
 * specifier's style (.js, .ts or no extension) is kept. An import that already
 * names an existing file is left alone, so it can run again on a merged tree to
 * fix the imports other branches added under the old paths.
 */
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');
const DIRS = ['engine', 'renderer', 'main', 'preload', 'bin', 'bench', 'test', 'scripts'];
const EXT = /\.(ts|tsx|mts|mjs|js|cjs)$/;

const moves = new Map(process.argv.slice(2).map((a) => a.split('=')));
if (moves.size === 0 || [...moves].some(([a, b]) => !a || !b)) {
  console.error('usage: node scripts/rewrite-imports.mjs OLD=NEW …');
  process.exit(2);
}
const movedFrom = new Map([...moves].map(([a, b]) => [b, a]));
const strip = (p) => p.replace(/\.(ts|tsx|js|mjs)$/, '');
const byStem = new Map([...moves].map(([a, b]) => [strip(a), b]));

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (EXT.test(name)) yield p;
  }
}

/** A module path as imports name it (x.js for x.ts, or no extension) exists in the tree. */
function exists(p) {
  const stem = strip(p);
  return [p, `${stem}.ts`, `${stem}.tsx`, `${stem}.mjs`, `${stem}.js`, `${stem}/index.ts`].some(
    (c) => existsSync(join(ROOT, c)) && statSync(join(ROOT, c)).isFile(),
  );
}

let changed = 0;
for (const top of DIRS) {
  if (!existsSync(join(ROOT, top))) continue;
  for (const abs of files(join(ROOT, top))) {
    const now = relative(ROOT, abs).split('\\').join('/');
    const was = movedFrom.get(now) ?? now;
    const src = readFileSync(abs, 'utf8');
    const out = src.replace(
      /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bvi\.mock\(\s*|\brequire\(\s*)(['"])(\.{1,2}\/[^'"]+)\2/g,
      (all, lead, q, spec) => {
        // already right (a second run, or an import added after the move): leave it
        const here = posix.normalize(posix.join(posix.dirname(now), spec));
        if (!moves.has(here) && !byStem.has(strip(here)) && exists(here)) return all;
        const target = posix.normalize(posix.join(posix.dirname(was), spec));
        const ext = (spec.match(/\.(ts|tsx|js|mjs)$/) ?? [''])[0];
        const newTarget = byStem.get(strip(target)) ?? (moves.has(target) ? moves.get(target) : null);
        const dest = newTarget ? strip(newTarget) + ext : target;
        if (!newTarget && was === now) return all;
        if (!exists(dest)) return all;
        let rel = posix.relative(posix.dirname(now), dest);
        if (!rel.startsWith('.')) rel = `./${rel}`;
        return rel === spec ? all : `${lead}${q}${rel}${q}`;
      },
    );
    if (out !== src) {
      writeFileSync(abs, out);
      changed++;
    }
  }
}
console.log(`rewrote imports in ${changed} file(s)`);
