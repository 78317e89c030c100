/**
 * Runs a WASI (preview1) command module with its files in memory: the
 * arguments it is given, stdout and stderr captured, and one preopened folder
 * whose files live in a Map (written, sought and read back), so a run
 * touches no disk and no file descriptor of this process. Only the calls a
 * command-line tool like Flite makes are offered (args, clock, fd read, write,
 * seek, close, stat, prestat and path_open under the preopened folder); any
 * other import is not provided and the module fails to instantiate, which
 * says so.
 *
 * Why not node:wasi: Node 20's WASI crashed the process with a segmentation
 * fault after some dozens of Flite runs (a heap corruption inside V8, seen on
 * the main thread and in worker threads; test/audio/wasi-in-memory.test.ts).
 */

/** The part of the WebAssembly global used here (the engine's lib has no DOM/wasm typings). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: Record<string, unknown> }>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Compiles a module once (the result is what runWasiCommand takes). */
export function compileWasm(bytes: Uint8Array): Promise<object> {
  return wasm.compile(bytes);
}

export interface WasiRun {
  exitCode: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** The files of the preopened folder after the run, by their path inside it (e.g. `out.wav`). */
  files: Map<string, Uint8Array>;
}

// WASI errno values
const SUCCESS = 0;
const EBADF = 8;
const EEXIST = 20;
const EINVAL = 28;
const EISDIR = 31;
const ENOENT = 44;
const ENOTDIR = 54;
const ESPIPE = 70;
const ENOTCAPABLE = 76;

const FILETYPE_CHARACTER_DEVICE = 2;
const FILETYPE_DIRECTORY = 3;
const FILETYPE_REGULAR_FILE = 4;
const OFLAG_CREAT = 1;
const OFLAG_DIRECTORY = 2;
const OFLAG_EXCL = 4;
const OFLAG_TRUNC = 8;
const FDFLAG_APPEND = 1;
const ALL_RIGHTS = 0x1fffffffn;

class WasiExit {
  constructor(readonly code: number) {}
}

/** A growable byte buffer with a length. */
class Bytes {
  data = new Uint8Array(256);
  length = 0;
  write(at: number, src: Uint8Array): void {
    const end = at + src.length;
    if (end > this.data.length) {
      const grown = new Uint8Array(Math.max(end, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    if (at > this.length) this.data.fill(0, this.length, at);
    this.data.set(src, at);
    this.length = Math.max(this.length, end);
  }
  bytes(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

type Open =
  | { kind: 'stdin' }
  | { kind: 'stdout' | 'stderr'; out: Bytes }
  | { kind: 'dir' }
  | { kind: 'file'; file: Bytes; pos: number; append: boolean };

/** Runs `_start` of `module` with `args` (args[0] is the program name); `preopen` names the one folder it may use. */
export async function runWasiCommand(module: object, args: string[], preopen: string): Promise<WasiRun> {
  const stdout = new Bytes();
  const stderr = new Bytes();
  const files = new Map<string, Bytes>();
  const fds = new Map<number, Open>([
    [0, { kind: 'stdin' }],
    [1, { kind: 'stdout', out: stdout }],
    [2, { kind: 'stderr', out: stderr }],
    [3, { kind: 'dir' }],
  ]);
  let nextFd = 4;
  /** The instance's memory, once instantiated (read afresh on each call: it may grow). */
  const instance: { memory?: { buffer: ArrayBuffer } } = {};
  const view = () => new DataView(instance.memory!.buffer);
  const bytes = () => new Uint8Array(instance.memory!.buffer);
  const encoder = new TextEncoder();
  const encoded = args.map((a) => encoder.encode(`${a}\0`));
  const preopenName = encoder.encode(preopen);
  /** The iovecs at `iovs` as (pointer, length) pairs. */
  const iovecs = (iovs: number, n: number): Array<[number, number]> => {
    const v = view();
    return Array.from({ length: n }, (_, i) => [v.getUint32(iovs + i * 8, true), v.getUint32(iovs + i * 8 + 4, true)]);
  };

  const imports = {
    args_sizes_get(argcPtr: number, bufSizePtr: number): number {
      view().setUint32(argcPtr, encoded.length, true);
      view().setUint32(
        bufSizePtr,
        encoded.reduce((n, a) => n + a.length, 0),
        true,
      );
      return SUCCESS;
    },
    args_get(argvPtr: number, bufPtr: number): number {
      let at = bufPtr;
      encoded.forEach((a, i) => {
        view().setUint32(argvPtr + i * 4, at, true);
        bytes().set(a, at);
        at += a.length;
      });
      return SUCCESS;
    },
    clock_time_get(_id: number, _precision: bigint, timePtr: number): number {
      view().setBigUint64(timePtr, process.hrtime.bigint(), true);
      return SUCCESS;
    },
    fd_close(fd: number): number {
      if (!fds.has(fd)) return EBADF;
      if (fd > 3) fds.delete(fd); // stdio and the preopened folder stay
      return SUCCESS;
    },
    fd_fdstat_get(fd: number, ptr: number): number {
      const o = fds.get(fd);
      if (!o) return EBADF;
      const type = o.kind === 'dir' ? FILETYPE_DIRECTORY : o.kind === 'file' ? FILETYPE_REGULAR_FILE : FILETYPE_CHARACTER_DEVICE;
      const v = view();
      v.setUint8(ptr, type);
      v.setUint16(ptr + 2, o.kind === 'file' && o.append ? FDFLAG_APPEND : 0, true);
      v.setBigUint64(ptr + 8, ALL_RIGHTS, true);
      v.setBigUint64(ptr + 16, ALL_RIGHTS, true);
      return SUCCESS;
    },
    fd_fdstat_set_flags(fd: number): number {
      return fds.has(fd) ? SUCCESS : EBADF;
    },
    fd_prestat_get(fd: number, ptr: number): number {
      const o = fds.get(fd);
      if (o?.kind !== 'dir') return EBADF;
      view().setUint8(ptr, 0);
      view().setUint32(ptr + 4, preopenName.length, true);
      return SUCCESS;
    },
    fd_prestat_dir_name(fd: number, pathPtr: number, len: number): number {
      const o = fds.get(fd);
      if (o?.kind !== 'dir') return EBADF;
      bytes().set(preopenName.subarray(0, len), pathPtr);
      return SUCCESS;
    },
    fd_read(fd: number, iovs: number, n: number, nreadPtr: number): number {
      const o = fds.get(fd);
      if (!o) return EBADF;
      let read = 0;
      if (o.kind === 'file')
        for (const [ptr, len] of iovecs(iovs, n)) {
          const chunk = o.file.data.subarray(o.pos, Math.min(o.file.length, o.pos + len));
          bytes().set(chunk, ptr);
          o.pos += chunk.length;
          read += chunk.length;
          if (chunk.length < len) break;
        }
      else if (o.kind === 'dir') return EISDIR;
      view().setUint32(nreadPtr, read, true);
      return SUCCESS;
    },
    fd_seek(fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
      const o = fds.get(fd);
      if (!o) return EBADF;
      if (o.kind !== 'file') return ESPIPE;
      const base = whence === 0 ? 0 : whence === 1 ? o.pos : whence === 2 ? o.file.length : -1;
      const to = base + Number(offset);
      if (base < 0 || to < 0) return EINVAL;
      o.pos = to;
      view().setBigUint64(newOffsetPtr, BigInt(to), true);
      return SUCCESS;
    },
    fd_write(fd: number, iovs: number, n: number, nwrittenPtr: number): number {
      const o = fds.get(fd);
      if (!o) return EBADF;
      if (o.kind === 'stdin' || o.kind === 'dir') return EBADF;
      let written = 0;
      for (const [ptr, len] of iovecs(iovs, n)) {
        const chunk = bytes().slice(ptr, ptr + len);
        if (o.kind === 'file') {
          if (o.append) o.pos = o.file.length;
          o.file.write(o.pos, chunk);
          o.pos += chunk.length;
        } else o.out.write(o.out.length, chunk);
        written += len;
      }
      view().setUint32(nwrittenPtr, written, true);
      return SUCCESS;
    },
    path_open(
      dirFd: number,
      _dirflags: number,
      pathPtr: number,
      pathLen: number,
      oflags: number,
      _rightsBase: bigint,
      _rightsInheriting: bigint,
      fdflags: number,
      openedFdPtr: number,
    ): number {
      const dir = fds.get(dirFd);
      if (!dir) return EBADF;
      if (dir.kind !== 'dir') return ENOTDIR;
      const name = new TextDecoder().decode(bytes().subarray(pathPtr, pathPtr + pathLen));
      const parts = name.split('/').filter((p) => p && p !== '.');
      if (parts.some((p) => p === '..') || parts.length !== 1) return ENOTCAPABLE;
      const path = parts[0]!;
      if (oflags & OFLAG_DIRECTORY) return ENOTDIR;
      let file = files.get(path);
      if (file && oflags & OFLAG_CREAT && oflags & OFLAG_EXCL) return EEXIST;
      if (!file) {
        if (!(oflags & OFLAG_CREAT)) return ENOENT;
        file = new Bytes();
        files.set(path, file);
      } else if (oflags & OFLAG_TRUNC) file.length = 0;
      const fd = nextFd++;
      fds.set(fd, { kind: 'file', file, pos: 0, append: (fdflags & FDFLAG_APPEND) !== 0 });
      view().setUint32(openedFdPtr, fd, true);
      return SUCCESS;
    },
    proc_exit(code: number): never {
      throw new WasiExit(code);
    },
  };

  const { exports } = await wasm.instantiate(module, { wasi_snapshot_preview1: imports });
  instance.memory = exports.memory as { buffer: ArrayBuffer };
  let exitCode = 0;
  try {
    (exports._start as () => void)();
  } catch (e) {
    if (!(e instanceof WasiExit)) throw e;
    exitCode = e.code;
  }
  return {
    exitCode,
    stdout: stdout.bytes(),
    stderr: stderr.bytes(),
    files: new Map([...files].map(([k, v]) => [k, v.bytes()])),
  };
}
