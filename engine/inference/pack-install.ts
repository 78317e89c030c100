/**
 * `klappe models install URL`: downloads a pack's manifest, then each file
 * into a staging folder (`ROOT/.install-ID/`, ignored by the pack listing)
 * with HTTP Range resume, checks each file's size and sha256, writes the
 * manifest and moves the folder into place with one rename. A partial or
 * corrupt file never counts as installed: until the rename there is no pack.
 *
 * An interrupted download keeps its `.part` file and resumes from it (in the
 * same run, up to `retries` times, and on the next run); a file whose hash
 * does not match is deleted and the install fails naming it; a disk too full
 * for the rest of the pack fails before a byte is written (free space from
 * statfs), and a disk that fills up during the download (ENOSPC) removes the
 * staging folder, so nothing half-installed stays behind.
 */
import { createHash, type Hash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  statfsSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KlappeError, cancelledError, inputError } from '../common/errors.js';
import { formatBytes } from '../common/format-bytes.js';
import { fsyncDir } from '../util/atomic-file.js';
import { processAlive } from '../util/process-alive.js';
import {
  PACK_MANIFEST,
  packBytes,
  parsePackManifest,
  readPackManifest,
  writePackManifest,
  type PackFile,
  type PackManifest,
} from './pack-manifest.js';
import { verifyPackFiles } from './pack-verify.js';

export interface InstallProgress {
  /** The file being downloaded (pack path). */
  file: string;
  doneBytes: number;
  totalBytes: number;
  /** Download speed of this run so far. */
  bytesPerSecond: number;
  etaSeconds?: number;
}

/** Where downloaded bytes go: a `.part` file (tests wrap it to simulate a full disk). */
export interface PartWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface InstallOptions {
  /** The local model folder packs are installed in. */
  root: string;
  signal?: AbortSignal;
  onProgress?: (p: InstallProgress) => void;
  /** Resumes in the same run after an interrupted transfer (default 3). */
  retries?: number;
  /** Replace an installed pack of the same id (default: only when the version differs). */
  force?: boolean;
  /** Opens a `.part` file for appending. */
  openPart?: (path: string) => Promise<PartWriter>;
  /** Free bytes on the folder's file system. */
  freeBytes?: (dir: string) => number;
}

export interface InstallResult {
  manifest: PackManifest;
  dir: string;
  /** Bytes fetched over the network in this run. */
  downloadedBytes: number;
  /** Bytes found in `.part` or finished files from an earlier run and kept. */
  resumedBytes: number;
  alreadyInstalled: boolean;
}

export const STAGING_PREFIX = '.install-';

/** Installs the pack whose manifest is at `url` (http(s) URL or a local path). */
export async function installPack(url: string, opts: InstallOptions): Promise<InstallResult> {
  const { root } = opts;
  const manifest = parsePackManifest(await fetchManifest(url, opts.signal), `${displayUrl(url)}`);
  const target = join(root, manifest.id);
  if (!opts.force && existsSync(join(target, PACK_MANIFEST))) {
    const installed = readPackManifest(target);
    if (installed.version === manifest.version)
      return { manifest: installed, dir: target, downloadedBytes: 0, resumedBytes: 0, alreadyInstalled: true };
  }
  for (const f of manifest.files)
    if (!f.url)
      throw inputError('PACK_FILE_NO_URL', `${displayUrl(url)}: the file ${f.path} has no url to download it from`, {
        path: `files[${manifest.files.indexOf(f)}].url`,
        hint: 'A pack to install lists a url for every file; a folder on disk is adopted with `klappe models import DIR`.',
      });

  mkdirSync(root, { recursive: true });
  const staging = join(root, `${STAGING_PREFIX}${manifest.id}`);
  mkdirSync(staging, { recursive: true });
  const releaseLock = takeLock(staging, manifest.id);
  try {
    const total = packBytes(manifest);
    const present = bytesPresent(staging, manifest.files);
    const free = (opts.freeBytes ?? freeBytesOf)(root);
    const needed = total - present;
    if (needed > free) {
      if (present === 0) rmSync(staging, { recursive: true, force: true });
      throw new KlappeError({
        code: 'DISK_FULL',
        message: `not enough space to install ${manifest.id} in ${root}: needs ${formatBytes(needed)} more, ${formatBytes(free)} free`,
        file: root,
        hint: 'Free some space, or choose a local model folder on a larger disk (Settings → Local model folder).',
      });
    }
    const started = Date.now();
    let downloaded = 0;
    let done = 0;
    const report = (file: string) => {
      const secs = (Date.now() - started) / 1000;
      const bytesPerSecond = secs > 0 ? downloaded / secs : 0;
      const left = total - done;
      opts.onProgress?.({
        file,
        doneBytes: done,
        totalBytes: total,
        bytesPerSecond,
        ...(bytesPerSecond > 0 ? { etaSeconds: left / bytesPerSecond } : {}),
      });
    };
    let resumed = 0;
    for (const file of manifest.files) {
      const r = await fetchPackFile(file, new URL(file.url!, baseUrl(url)).toString(), staging, {
        ...opts,
        onBytes: (n, fresh) => {
          done += n;
          if (fresh) downloaded += n;
          report(file.path);
        },
      });
      resumed += r.resumed;
    }
    writePackManifest(staging, { ...manifest, source: displayUrl(url) });
    // The move: a pack of the same id (another version) goes aside first and is removed after.
    const aside = existsSync(target) ? `${join(root, `.replaced-${manifest.id}`)}-${Date.now().toString(36)}` : undefined;
    if (aside) renameSync(target, aside);
    releaseLock();
    renameSync(staging, target);
    fsyncDir(root);
    if (aside) rmSync(aside, { recursive: true, force: true });
    return {
      manifest: { ...manifest, source: displayUrl(url) },
      dir: target,
      downloadedBytes: downloaded,
      resumedBytes: resumed,
      alreadyInstalled: false,
    };
  } catch (e) {
    releaseLock();
    if (isDiskFull(e)) {
      rmSync(staging, { recursive: true, force: true });
      throw new KlappeError({
        code: 'DISK_FULL',
        message: `the disk of ${root} filled up while installing ${manifest.id}; the partial download was removed`,
        file: root,
        hint: 'Free some space, or choose a local model folder on a larger disk (Settings → Local model folder), then install again.',
        cause: e,
      });
    }
    throw e;
  }
}

interface FetchFileOptions extends InstallOptions {
  onBytes: (n: number, fresh: boolean) => void;
}

/** Downloads one file into the staging folder (resuming its `.part`), checks it and renames it to its name. */
async function fetchPackFile(file: PackFile, url: string, staging: string, opts: FetchFileOptions): Promise<{ resumed: number }> {
  const final = join(staging, file.path);
  const part = `${final}.part`;
  mkdirSync(dirname(final), { recursive: true });
  if (existsSync(final)) {
    // Finished in an earlier run: keep it if it still checks out.
    const bad = await verifyPackFiles(staging, [file]);
    if (!bad.length) {
      opts.onBytes(file.size, false);
      return { resumed: file.size };
    }
    rmSync(final, { force: true });
  }
  let have = existsSync(part) ? statSync(part).size : 0;
  if (have > file.size) {
    truncateSync(part, 0);
    have = 0;
  }
  const hash = { h: createHash('sha256') };
  if (have > 0) await hashInto(hash.h, part);
  const resumed = have;
  opts.onBytes(have, false);
  let attempts = 0;
  for (;;) {
    if (opts.signal?.aborted) throw cancelledError(`installing ${file.path}`);
    try {
      have = await downloadRange(url, part, have, file, hash, opts);
      break;
    } catch (e) {
      if (!(e instanceof TransferError) || attempts >= (opts.retries ?? 3)) {
        if (e instanceof TransferError)
          throw new KlappeError({
            code: 'DOWNLOAD_INTERRUPTED',
            message: `the download of ${file.path} from ${displayUrl(url)} stopped after ${formatBytes(e.have)} of ${formatBytes(file.size)}: ${e.message}`,
            file: part,
            hint: 'Run the same install again: it resumes from the bytes already downloaded.',
            cause: e,
          });
        throw e;
      }
      attempts++;
      have = e.have;
    }
  }
  const actual = hash.h.digest('hex');
  if (have !== file.size || actual !== file.sha256) {
    rmSync(part, { force: true });
    throw new KlappeError({
      code: 'PACK_FILE_CORRUPT',
      message:
        have !== file.size
          ? `${file.path} from ${displayUrl(url)} has ${have} bytes, the manifest says ${file.size}; the file was discarded`
          : `${file.path} from ${displayUrl(url)} has sha256 ${actual.slice(0, 16)}…, the manifest says ${file.sha256.slice(0, 16)}…; the file was discarded`,
      file: file.path,
      hint: 'The server sent a different or damaged file. Try again later, or ask whoever publishes the pack.',
    });
  }
  renameSync(part, final);
  return { resumed };
}

/** A transfer that broke off (network, server): the bytes kept so far. */
class TransferError extends Error {
  constructor(
    message: string,
    readonly have: number,
  ) {
    super(message);
  }
}

interface Source {
  /** Byte the body starts at (0 when the server cannot resume). */
  start: number;
  body: AsyncIterable<Uint8Array>;
  cancel(): Promise<void>;
}

/** Opens the file's bytes from `from` on: an HTTP Range request, or a read of a local file. */
async function openSource(url: string, from: number, file: PackFile, signal?: AbortSignal): Promise<Source> {
  if (url.startsWith('file:')) {
    const path = fileURLToPath(url);
    const stream = createReadStream(path, { start: from, highWaterMark: 1 << 20 });
    return { start: from, body: stream, cancel: async () => void stream.destroy() };
  }
  let res: Response;
  try {
    res = await fetch(url, { headers: from > 0 ? { Range: `bytes=${from}-` } : {}, signal });
  } catch (e) {
    if (signal?.aborted) throw cancelledError(`installing ${file.path}`);
    throw new TransferError((e as Error).message, from);
  }
  const cancel = async () => void (await res.body?.cancel().catch(() => undefined));
  const body = res.body as unknown as AsyncIterable<Uint8Array> | null;
  if (res.status === 206 && body) {
    const start = Number(/^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1]);
    if (start !== from) {
      await cancel();
      throw new TransferError(`the server resumed at byte ${start} instead of ${from}`, from);
    }
    return { start, body, cancel };
  }
  if (res.status === 200 && body) return { start: 0, body, cancel };
  await cancel();
  if (res.status === 416) return openSource(url, 0, file, signal);
  if (res.status >= 500 || res.status === 429) throw new TransferError(`HTTP ${res.status}`, from);
  throw new KlappeError({
    code: 'DOWNLOAD_FAILED',
    message: `${displayUrl(url)} answered HTTP ${res.status} for ${file.path}`,
    file: file.path,
    hint: 'Check the pack URL.',
  });
}

/** Fetches from byte `have` on and appends to the part file (from 0 when the server cannot resume); returns the new length. */
async function downloadRange(
  url: string,
  part: string,
  have: number,
  file: PackFile,
  hash: { h: Hash },
  opts: FetchFileOptions,
): Promise<number> {
  if (have === file.size) return have;
  const src = await openSource(url, have, file, opts.signal);
  if (src.start !== have) {
    // The server sent the whole file: start over.
    truncateSync(part, 0);
    hash.h = createHash('sha256');
    opts.onBytes(-have, false);
    have = 0;
  }
  if (have === 0) writeFileSync(part, new Uint8Array(0));
  const writer = await (opts.openPart ?? openPartFile)(part);
  try {
    const it = src.body[Symbol.asyncIterator]();
    for (;;) {
      let chunk: IteratorResult<Uint8Array>;
      try {
        chunk = await it.next();
      } catch (e) {
        if (opts.signal?.aborted) throw cancelledError(`installing ${file.path}`);
        throw new TransferError((e as Error).message, have);
      }
      if (chunk.done) break;
      const bytes = chunk.value;
      if (have + bytes.length > file.size) {
        await src.cancel();
        rmSync(part, { force: true });
        throw new KlappeError({
          code: 'PACK_FILE_CORRUPT',
          message: `${file.path} from ${displayUrl(url)} is longer than the ${file.size} bytes the manifest says; the download was stopped and discarded`,
          file: file.path,
          hint: 'The server sent a different file. Ask whoever publishes the pack.',
        });
      }
      await writer.write(bytes);
      hash.h.update(bytes);
      have += bytes.length;
      opts.onBytes(bytes.length, true);
    }
  } finally {
    await writer.close();
  }
  if (have < file.size) throw new TransferError('the connection closed early', have);
  return have;
}

async function openPartFile(path: string): Promise<PartWriter> {
  const fh: FileHandle = await open(path, 'a');
  return {
    async write(chunk) {
      let off = 0;
      while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
    },
    async close() {
      await fh.sync().catch(() => undefined);
      await fh.close();
    },
  };
}

function hashInto(hash: Hash, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (c) => hash.update(c as Buffer))
      .on('end', () => resolve())
      .on('error', reject);
  });
}

function bytesPresent(staging: string, files: PackFile[]): number {
  let n = 0;
  for (const f of files) {
    const final = join(staging, f.path);
    if (existsSync(final)) n += Math.min(statSync(final).size, f.size);
    else if (existsSync(`${final}.part`)) n += Math.min(statSync(`${final}.part`).size, f.size);
  }
  return n;
}

function freeBytesOf(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
}

function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** One install of a pack at a time: a lock file with the process id in the staging folder. */
function takeLock(staging: string, id: string): () => void {
  const lock = join(staging, '.lock');
  if (existsSync(lock)) {
    const pid = Number((readTextSync(lock) ?? '').trim());
    if (pid && pid !== process.pid && processAlive(pid))
      throw new KlappeError({
        code: 'PACK_INSTALL_BUSY',
        message: `${id} is being installed by another Klappe process (pid ${pid})`,
        file: lock,
        hint: 'Wait for it to finish.',
      });
  }
  writeFileSync(lock, String(process.pid));
  let held = true;
  return () => {
    if (held) rmSync(lock, { force: true });
    held = false;
  };
}

function readTextSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function fetchManifest(url: string, signal?: AbortSignal): Promise<unknown> {
  let text: string;
  if (!/^https?:\/\//i.test(url)) {
    try {
      text = await readText(url);
    } catch (e) {
      throw inputError('PACK_URL_UNREADABLE', `cannot read the pack manifest ${url}: ${(e as Error).message}`, {
        file: url,
        hint: 'Give the URL of a klappe-pack.json (http or https) or its path.',
      });
    }
  } else {
    let res: Response;
    try {
      res = await fetch(url, { signal });
    } catch (e) {
      throw new KlappeError({
        code: 'DOWNLOAD_FAILED',
        message: `cannot reach ${displayUrl(url)}: ${(e as Error).message}`,
        hint: 'Check the URL and the network.',
        cause: e,
      });
    }
    if (!res.ok)
      throw new KlappeError({
        code: 'DOWNLOAD_FAILED',
        message: `${displayUrl(url)} answered HTTP ${res.status}`,
        hint: 'Check the pack URL.',
      });
    text = await res.text();
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw inputError('PACK_MANIFEST_INVALID', `${displayUrl(url)} is not a pack manifest (not JSON: ${(e as Error).message})`, {
      file: displayUrl(url),
    });
  }
}

async function readText(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}

function baseUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : pathToFileURL(resolve(url)).toString();
}

/** A URL without its query and credentials (tokens in either never reach messages or logs). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return url;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}
