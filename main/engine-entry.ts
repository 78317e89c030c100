/**
 * Which file Electron's engine utilityProcess runs: the compiled engine bundle
 * (dist/engine/engine-host.mjs, built by scripts/build-engine.mjs) in the
 * packaged app, and in development when it was built (scripts/start.mjs builds
 * it before starting Electron); else the TypeScript host through tsx
 * (main/engine-host-boot.mjs), for a checkout where it was not built.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ENGINE_BUNDLE = ['dist', 'engine', 'engine-host.mjs'] as const;

export function engineHostEntry(root: string, packaged: boolean, exists: (file: string) => boolean = existsSync): string {
  const bundle = join(root, ...ENGINE_BUNDLE);
  if (packaged || exists(bundle)) return bundle;
  return join(root, 'main', 'engine-host-boot.mjs');
}
