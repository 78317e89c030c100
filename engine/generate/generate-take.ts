/**
 * Runs one backend for one shot, stores its media in the content-addressed
 * store and returns the take to record (through the `take.add` command).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaStore } from '../cache/media-store.js';
import type { Project, Take } from '../model/schema.js';
import type { KeyStore } from '../provenance/key-store.js';
import { loadSigningIdentity } from '../provenance/identity.js';
import { signTakeFile } from '../provenance/sign-take.js';
import { isKlappeError } from '../common/errors.js';
import type { Backend, GenerateProgress } from './backend.js';
import { buildShotRequest, cacheKey, type RequestOptions } from './shot-request.js';
import { makeWorkDir } from '../util/work-dir.js';

export interface GenerateTakeOptions extends RequestOptions {
  signal?: AbortSignal;
  onProgress?: (p: GenerateProgress) => void;
  fallbackReason?: string;
  /** Folder for the backend's output (default: a fresh temp folder); emptied first, removed after. */
  workDir?: string;
  /** Resume state saved by an earlier, interrupted run of the same job. */
  resumeState?: unknown;
  saveResumeState?: (state: unknown) => void;
  noteReason?: (reason: string) => void;
  /** Puts a finished file into the cache (default: store.ingest); returns its hash. */
  ingest?: (file: string) => Promise<string>;
  /**
   * The take's own C2PA manifest (created, backend, model, seed, prompt hash), signed with the
   * user's identity before the video goes into the cache; a video that arrives signed keeps its
   * manifest. Default on; `false` leaves the video as the backend made it.
   */
  signTake?: false | { keyStore?: KeyStore };
}

export type NewTake = Omit<Take, 'id' | 'number'> & { number: number };

export async function generateTake(
  doc: Project,
  shotId: string,
  backend: Backend,
  store: MediaStore,
  opts: GenerateTakeOptions = {},
): Promise<NewTake> {
  const request = buildShotRequest(doc, shotId, opts);
  backend.validate?.(request);
  // the signing identity is checked before anything is generated (an expired certificate costs no generation)
  const identity =
    opts.signTake === false ? undefined : await loadSigningIdentity({ store: opts.signTake?.keyStore, creatorName: request.creatorName });
  let workDir: string;
  if (opts.workDir) {
    rmSync(opts.workDir, { recursive: true, force: true });
    mkdirSync(opts.workDir, { recursive: true });
    workDir = opts.workDir;
  } else workDir = makeWorkDir(`klappe-gen-${backend.id}`);
  const ingest = opts.ingest ?? (async (file: string) => (await store.ingest(file, { move: true })).hash);
  let unsigned: string | undefined;
  try {
    const out = await backend.generate(request, {
      signal: opts.signal ?? new AbortController().signal,
      onProgress: opts.onProgress ?? (() => {}),
      workDir,
      resumeState: opts.resumeState,
      saveResumeState: opts.saveResumeState ?? (() => {}),
      ...(opts.noteReason ? { noteReason: opts.noteReason } : {}),
    });
    const key = cacheKey(backend, request);
    if (identity) {
      opts.onProgress?.({ fraction: 1, stage: 'signing the take (C2PA)' });
      // a file the signer cannot read stays as the backend made it: the take is kept, and says why it is unsigned
      await signTakeFile(
        out.video,
        {
          title: `shot ${request.shot.number} take ${request.takeNumber}`,
          backend: backend.id,
          model: out.model,
          ...(out.modelVersion ? { modelVersion: out.modelVersion } : {}),
          seed: request.seed,
          ...(request.shot.prompt ? { prompt: request.shot.prompt } : {}),
          shotId,
          takeNumber: request.takeNumber,
          cacheKey: key,
        },
        { identity, signal: opts.signal },
      ).catch((e: unknown) => {
        if (!isKlappeError(e) || e.code !== 'SIGNING_FAILED') throw e;
        unsigned = `not signed (C2PA): ${e.message}`;
        opts.noteReason?.(unsigned);
      });
    }
    const media: Take['media'] = { video: await ingest(out.video) };
    if (out.audio) media.audio = await ingest(out.audio);
    if (out.thumbnail) media.thumbnail = await ingest(out.thumbnail);
    const metaFile = join(workDir, 'metadata.json');
    writeFileSync(metaFile, JSON.stringify(out.metadata));
    media.metadata = await ingest(metaFile);
    return {
      shotId,
      number: request.takeNumber,
      backend: backend.id,
      model: out.model,
      modelVersion: out.modelVersion,
      seed: request.seed,
      status: 'ready',
      media,
      duration: out.durationFrames,
      cacheKey: key,
      ...(opts.fallbackReason || unsigned ? { fallbackReason: [opts.fallbackReason, unsigned].filter(Boolean).join('; ') } : {}),
      createdAt: new Date().toISOString(),
      params: { quality: request.quality, width: request.size.width, height: request.size.height, ...out.params },
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
