/**
 * Failed writes as clear errors, and the switch that makes writes fail on
 * purpose in tests of a full disk or a read-only folder.
 *
 * `KLAPPE_FAULT_WRITES="ENOSPC:/some/folder,EROFS:/other"` makes every
 * write through writeFileAtomic, the cache's ingest and the export's render
 * into a path under that folder fail with that error after part of the data
 * is written (as a full disk does), so the clean-up paths run for real.
 * Unset (always, outside tests), nothing is injected.
 */
import { resolve, sep } from 'node:path';
import { KlappeError } from '../common/errors.js';

const FULL = new Set(['ENOSPC', 'EDQUOT']);
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM']);

/** The injected fault for a write to `path`, if KLAPPE_FAULT_WRITES names a folder above it. */
export function injectedWriteFault(path: string): NodeJS.ErrnoException | undefined {
  const spec = process.env.KLAPPE_FAULT_WRITES;
  if (!spec) return undefined;
  const target = resolve(path);
  for (const item of spec.split(',')) {
    const at = item.indexOf(':');
    if (at < 0) continue;
    const code = item.slice(0, at).trim();
    const dir = resolve(item.slice(at + 1).trim());
    if (target !== dir && !target.startsWith(dir.endsWith(sep) ? dir : dir + sep)) continue;
    const text = FULL.has(code) ? 'no space left on device' : 'read-only file system';
    return Object.assign(new Error(`${code}: ${text}, write '${target}'`), {
      code,
      errno: FULL.has(code) ? -28 : -30,
      syscall: 'write',
      path: target,
    });
  }
  return undefined;
}

/** Throws the injected fault for a write to `path`, if any. */
export function throwInjectedWriteFault(path: string): void {
  const fault = injectedWriteFault(path);
  if (fault) throw fault;
}

/** Whether `e` says the disk is full (ENOSPC, EDQUOT, or ffmpeg's "No space left on device"). */
export function isDiskFull(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return (!!code && FULL.has(code)) || /No space left on device/i.test(String((e as Error | undefined)?.message ?? ''));
}

/**
 * A failed write of `path` as a KlappeError naming the file and what to do:
 * DISK_FULL (no space left), READ_ONLY (a read-only file system, no permission);
 * other errors (and KlappeErrors) come back as they are.
 */
export function writeError(e: unknown, path: string, what: string): unknown {
  if (e instanceof KlappeError && (e.code === 'DISK_FULL' || !isDiskFull(e))) return e; // ffmpeg's own failure can be a full disk
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (isDiskFull(e))
    return new KlappeError({
      code: 'DISK_FULL',
      message: `no space left on the disk while writing ${what} (${path}); nothing was changed`,
      file: path,
      hint: 'Free some space on that disk (klappe cache gc evicts old media from the cache), then try again.',
      cause: e,
    });
  if (code && READ_ONLY.has(code) && !(e instanceof KlappeError))
    return new KlappeError({
      code: 'READ_ONLY',
      message: `cannot write ${what} (${path}): ${code === 'EROFS' ? 'the file system is read-only' : 'permission denied'}`,
      file: path,
      hint: 'Make the folder writable, or copy the project folder somewhere writable and open the copy.',
      cause: e,
    });
  return e;
}
