/**
 * What a worker thread loads. From source (the CLI through tsx, the tests) it
 * is the TypeScript file next to the caller, loaded after registering tsx's
 * loader (a worker does not inherit it); in the compiled engine bundle
 * (dist/engine, scripts/build-engine.mjs) it is the bundled `NAME.mjs` next to
 * the bundle, plain JavaScript, no tsx.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Replaced by `true` when esbuild compiles the engine bundle (its `define`). */
declare const KLAPPE_ENGINE_BUNDLE: boolean | undefined;

/** Whether this code runs from the compiled engine bundle. */
export const ENGINE_BUNDLED = typeof KLAPPE_ENGINE_BUNDLE !== 'undefined' && KLAPPE_ENGINE_BUNDLE === true;

const require = createRequire(import.meta.url);

/**
 * The worker's module (`sourceUrl` for source runs, the bundle's `bundledName`.mjs otherwise) and, for source runs,
 * the URL of tsx's ES module API for the worker to register first (null in the bundle).
 */
export function workerModule(sourceUrl: URL, bundledName: string): { entry: string; tsx: string | null } {
  // in the bundle this module's URL is a file of dist/engine, next to the bundled workers
  if (ENGINE_BUNDLED) return { entry: new URL(`./${bundledName}.mjs`, import.meta.url).href, tsx: null };
  // resolved here: the worker's own bare imports would resolve from the current folder, not from Klappe
  // (require.resolve gives the CommonJS build; its ES module sibling is the one that registers the loader)
  return { entry: sourceUrl.href, tsx: pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href };
}

/** The start of a worker's eval'd boot code: `loaded` is a promise of the worker module (tsx registered first when needed). */
export const WORKER_IMPORT = `
const { workerData } = require('node:worker_threads');
const loaded = (workerData.tsx ? import(workerData.tsx).then((tsx) => tsx.register()) : Promise.resolve()).then(() => import(workerData.entry));
`;
