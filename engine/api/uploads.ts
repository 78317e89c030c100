/**
 * Files the browser hands to the host (a drop onto the timeline in browser
 * mode, where the page cannot tell the host a path): streamed into a staging
 * folder by the host's HTTP server, then taken by an api call (`audio.import`
 * with `upload`) that moves the file into the project. Electron hands paths
 * instead (preload: webUtils.getPathForFile).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inputError } from '../common/errors.js';
import { makeWorkDir } from '../util/work-dir.js';

/** The largest file one upload may be (a long 96 kHz multichannel WAV fits). */
export const MAX_UPLOAD_BYTES = 8 * 2 ** 30;
/** The most all staged (not yet taken) uploads may hold together. */
export const MAX_STAGED_BYTES = 16 * 2 ** 30;

/** A staged file handed to a call: where it is, its (cleaned) name, and `done` to delete what is left of it. */
export interface StagedUpload {
  path: string;
  name: string;
  done: () => void;
}

export class UploadStaging {
  private dir: string | undefined;
  private readonly staged = new Map<string, { path: string; name: string; bytes: number }>();

  constructor(private readonly maxStagedBytes = MAX_STAGED_BYTES) {}

  /** Bytes held by staged uploads that no call took yet. */
  stagedBytes(): number {
    let n = 0;
    for (const s of this.staged.values()) n += s.bytes;
    return n;
  }

  /** Writes the stream into the staging folder; its id for `take`. Over `maxBytes` → an error, and nothing is kept. */
  async add(name: string, body: Readable, maxBytes = MAX_UPLOAD_BYTES): Promise<string> {
    const cleaned = basename(name)
      .replace(/[^A-Za-z0-9._ -]/g, '_')
      .slice(0, 200);
    const safe = /^\.*$/.test(cleaned) ? 'upload' : cleaned; // '', '.' and '..' name no file
    this.dir ??= makeWorkDir('klappe-uploads');
    const id = randomBytes(18).toString('base64url');
    const folder = join(this.dir, id);
    mkdirSync(folder);
    const path = join(folder, safe);
    let bytes = 0;
    const room = this.maxStagedBytes - this.stagedBytes();
    const full = () =>
      inputError(
        'UPLOADS_FULL',
        `the staged uploads hold ${Math.round(this.stagedBytes() / 2 ** 20)} MiB not yet imported (at most ${Math.round(this.maxStagedBytes / 2 ** 20)} MiB)`,
        { path: 'file', hint: 'Import or drop the files dropped earlier, then drop this one again.' },
      );
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > room && bytes <= maxBytes) done(full());
        else if (bytes > maxBytes)
          done(
            inputError('UPLOAD_TOO_LARGE', `${safe} is larger than ${Math.round(maxBytes / 2 ** 20)} MiB`, {
              path: 'file',
              hint: 'Import it from the command line: klappe import PROJECT FILE --track ID.',
            }),
          );
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, limit, createWriteStream(path));
    } catch (e) {
      rmSync(folder, { recursive: true, force: true });
      throw e;
    }
    this.staged.set(id, { path, name: safe, bytes });
    return id;
  }

  /** The staged file (the caller moves or deletes it); an unknown id names the field. */
  take(id: string, field = 'upload'): StagedUpload {
    const staged = this.staged.get(id);
    if (!staged) throw inputError('NOT_FOUND', `no uploaded file with id "${id}"`, { path: field, hint: 'Drop the file again.' });
    this.staged.delete(id);
    return { path: staged.path, name: staged.name, done: () => rmSync(join(staged.path, '..'), { recursive: true, force: true }) };
  }

  cleanup(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.staged.clear();
  }
}
