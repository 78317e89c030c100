#!/usr/bin/env node
// `npm start`: the studio. Electron when its binary is present; else browser
// mode (`klappe serve --open`), which prints the URL and opens the default
// browser when there is a display. Builds the renderer first when needed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildRenderer() {
  const index = join(root, 'dist', 'renderer', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(root, 'renderer'))) return;
  console.log('Building the studio UI…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function electronBinary() {
  try {
    const p = require('electron'); // the binary's path; throws when it was never downloaded
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

// main and the preload are bundled, and the engine (dist/engine, scripts/build-engine.mjs: main runs its engine-host.mjs)
async function bundleMain() {
  const { buildEngine } = await import('./build-engine.mjs');
  await buildEngine();
  const { build } = await import('esbuild');
  const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' };
  await build({
    ...common,
    entryPoints: [join(root, 'main', 'main.ts')],
    outdir: join(root, 'main', 'dist'),
    format: 'esm',
    outExtension: { '.js': '.js' },
  });
  await build({
    ...common,
    entryPoints: [join(root, 'preload', 'preload.ts')],
    outfile: join(root, 'main', 'dist', 'preload.cjs'),
    format: 'cjs',
  });
}

buildRenderer();
const electron = process.env.KLAPPE_BROWSER ? undefined : electronBinary();
if (electron) {
  await bundleMain();
  const child = spawn(electron, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron is not installed here: opening the studio in browser mode.');
  const child = spawn(process.execPath, [join(root, 'bin', 'klappe.mjs'), 'serve', '--open', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
