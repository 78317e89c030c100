/** The local model folder: the one set in Settings, or `DATA/models` when none is set. */
import { join } from 'node:path';
import { dataDir } from '../util/paths.js';

export function modelRoot(settingsFolder?: string): string {
  return settingsFolder || process.env.KLAPPE_MODEL_DIR || join(dataDir(), 'models');
}
