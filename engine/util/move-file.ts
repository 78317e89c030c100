/** Moves a file: a rename, or a copy and delete where the two places are on different file systems. */
import { copyFileSync, renameSync, unlinkSync } from 'node:fs';

export function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    copyFileSync(from, to);
    unlinkSync(from);
  }
}
