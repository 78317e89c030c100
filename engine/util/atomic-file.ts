/** Atomic file writes: temp file in the same folder, fsync, rename, fsync the folder. */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { injectedWriteFault, throwInjectedWriteFault, writeError } from './write-errors.js';

export function tempPathFor(target: string, tag = 'tmp'): string {
  return join(dirname(target), `.${basename(target)}.${tag}-${process.pid}-${Date.now().toString(36)}`);
}

/**
 * Writes `data` to `target` atomically: the old file stays whole if anything
 * fails. A full disk or a read-only folder is DISK_FULL / READ_ONLY naming
 * the file (engine/util/write-errors.ts), and the temp file is removed.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = tempPathFor(target);
  let fd: number | undefined;
  try {
    throwInjectedReadOnly(target);
    fd = openSync(tmp, 'w', mode);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    const half = buf.length >> 1;
    while (off < half) off += writeSync(fd, buf, off, half - off);
    throwInjectedWriteFault(target); // a disk that fills up half-way (tests only)
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
    fsyncDir(dirname(target));
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone, or never made */
    }
    throw writeError(e, target, basename(target));
  }
}

/** An injected read-only fault fails before the temp file is made, as a read-only folder does. */
function throwInjectedReadOnly(target: string): void {
  const fault = injectedWriteFault(target);
  if (fault && fault.code !== 'ENOSPC' && fault.code !== 'EDQUOT') throw fault;
}

export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* some file systems cannot fsync a folder */
  }
}

/**
 * Removes the temp files of atomic writes and renders in `dir`
 * (`.NAME.tmp-PID-TIME`, `.NAME.render-PID-TIME.mp4`) whose process is gone:
 * what a kill during a write leaves. The names removed.
 */
export function sweepAtomicTemps(dir: string, alive: (pid: number) => boolean): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /^\..+\.(?:tmp|render)-(\d+)-[0-9a-z]+(?:\.[0-9a-z]+)?$/.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      /* gone already */
    }
  }
  return removed;
}
