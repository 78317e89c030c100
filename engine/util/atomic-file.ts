/** Atomic file writes: temp file in the same folder, fsync, rename, fsync the folder. */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { injectedWriteFault, throwInjectedWriteFault, writeError } from './write-errors.js';

/** Temp names made by this process so far: two writes of one file in the same millisecond get different temp files. */
let tempCount = 0;

export function tempPathFor(target: string, tag = 'tmp'): string {
  return join(dirname(target), `.${basename(target)}.${tag}-${process.pid}-${Date.now().toString(36)}${(++tempCount).toString(36)}`);
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

/**
 * writeFileAtomic without blocking the event loop on the disk: the temp
 * file is written and fsynced on libuv's threads, then renamed in one
 * synchronous step, only if `stillWanted()` says so at that moment (a later
 * write, or a save that removed the file, makes an earlier one drop its temp
 * file instead of landing over newer data).
 */
export async function writeFileAtomicAsync(
  target: string,
  data: string | Uint8Array,
  opts: { mode?: number; stillWanted?: () => boolean } = {},
): Promise<boolean> {
  const tmp = tempPathFor(target);
  let renamed = false;
  try {
    throwInjectedReadOnly(target);
    const file = await open(tmp, 'w', opts.mode ?? 0o644);
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      const half = buf.length >> 1;
      await file.write(buf, 0, half);
      throwInjectedWriteFault(target); // a disk that fills up half-way (tests only)
      await file.write(buf, half, buf.length - half);
      await file.sync();
    } finally {
      await file.close();
    }
    if (opts.stillWanted && !opts.stillWanted()) return false;
    renameSync(tmp, target); // in the same turn as the check: nothing can write the target in between
    renamed = true;
  } catch (e) {
    throw writeError(e, target, basename(target));
  } finally {
    if (!renamed) await unlink(tmp).catch(() => {});
  }
  // the rename made durable, as fsyncDir does (some file systems cannot fsync a folder)
  const dir = await open(dirname(target), 'r').catch(() => undefined);
  await dir?.sync().catch(() => {});
  await dir?.close();
  return true;
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
