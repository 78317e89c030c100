/**
 * Work folders for temp data (watermark frames, staged uploads, preview
 * mixes): under the data folder (`work/`), named with the process id, so a
 * later start sweeps the folders of processes that are gone (a kill leaves
 * no litter that stays), and checked for free space before large writes.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { KlappeError } from '../common/errors.js';
import { dataDir } from './paths.js';
import { processAlive } from './process-alive.js';

export function workRoot(): string {
  return join(dataDir(), 'work');
}

/** A fresh folder `work/PREFIX-PID-XXXXXX`; the caller removes it when done. */
export function makeWorkDir(prefix: string): string {
  const root = workRoot();
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, `${prefix}-${process.pid}-`));
}

/**
 * Points this process's temp folder (TMPDIR, TMP, TEMP: what os.tmpdir(),
 * native libraries and child processes use) at a work folder of its own,
 * removed at exit and swept by a later start after a kill: what ONNX
 * Runtime's telemetry (`.ses`, `mat-debug-PID.log`), ffmpeg or a library
 * leaves in the temp folder never outlives Klappe. For process entry points
 * (bin/klappe.mjs, the Electron engine host), not for code inside a test run.
 */
export function useOwnTempDir(): string | undefined {
  let dir: string;
  try {
    dir = makeWorkDir('klappe-tmp');
  } catch {
    return undefined; // a data folder that cannot be written: the system temp folder as before (the command says what fails)
  }
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = dir;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Removes the work folders whose process is gone; the names removed. */
export function sweepWorkDirs(root = workRoot()): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /-(\d+)-[^-]*$/.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    try {
      rmSync(join(root, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      /* another process sweeps it too */
    }
  }
  return removed;
}

/** Free bytes for an unprivileged writer in the file system that holds `dir`. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
}

/** DISK_FULL before writing `bytes` of temp data into `dir` when they would not fit (with 5% and 64 MiB to spare). */
export function requireFreeSpace(dir: string, bytes: number, what: string): void {
  const free = freeBytes(dir);
  const need = Math.ceil(bytes * 1.05) + 64 * 2 ** 20;
  if (need <= free) return;
  const mib = (b: number) => `${Math.round(b / 2 ** 20).toLocaleString('en-US')} MiB`;
  throw new KlappeError({
    code: 'DISK_FULL',
    message: `not enough free space in ${dir} for ${what}: needs ${mib(need)}, ${mib(free)} free`,
    hint: 'Free some space (klappe cache gc evicts old media), or shorten the export.',
  });
}
