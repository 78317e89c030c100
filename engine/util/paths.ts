/** Where Klappe keeps user files: config (keys, certificates) and data (media cache, job database). */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function configDir(): string {
  return process.env.KLAPPE_CONFIG_DIR || join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'klappe');
}

export function dataDir(): string {
  return process.env.KLAPPE_DATA_DIR || join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'klappe');
}

/** Repository root (assets/, bin/ live here). */
export function appRoot(): string {
  return join(import.meta.dirname, '..', '..');
}

export function assetPath(...parts: string[]): string {
  return join(appRoot(), 'assets', ...parts);
}
