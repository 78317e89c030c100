/**
 * The local model packs behind Settings → Models and `klappe models`: where
 * they live (the settings' local model folder, else the default), and the
 * studio's view of them with the one install that may run in the background.
 */
import { modelRoot } from '../inference/model-root.js';
import { SettingsStore } from './settings-store.js';

/** The local model folder: `explicit`, else the settings' folder, else KLAPPE_MODEL_DIR, else DATA/models. */
export function modelPacksRoot(explicit?: string, settings: SettingsStore = new SettingsStore()): string {
  if (explicit) return explicit;
  let fromSettings = '';
  try {
    fromSettings = settings.plain().localModelDir;
  } catch {
    /* unreadable settings: the default folder */
  }
  return modelRoot(fromSettings);
}
