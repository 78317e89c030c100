/**
 * Local generation: the router asks whether a local model pack can run a
 * shot. The studio's settings name the folder packs are installed in; each
 * pack is a sub-folder with a `klappe-pack.json`. No pack format is runnable
 * yet (the engine ships no local video model), so the probe says precisely
 * why local generation is unavailable, and the router records that reason on
 * the take when it falls back.
 */
import { existsSync, statSync } from 'node:fs';
import { PACK_MANIFEST, findModelPacks } from '../inference/pack-manifest.js';
import type { LocalProbe } from './router.js';

export function localModelProbe(folder: () => string): LocalProbe {
  return () => {
    const dir = folder();
    if (!dir) return { available: false, reason: 'no local model folder is set (Settings → Local model folder)' };
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      return { available: false, reason: `the local model folder ${dir} does not exist` };
    const packs = findModelPacks(dir);
    if (!packs.length) return { available: false, reason: `no local model pack in ${dir} (a pack is a folder with ${PACK_MANIFEST})` };
    return { available: false, reason: `the model packs in ${dir} (${packs.join(', ')}) need a local runtime this build does not have` };
  };
}
