/**
 * A cameo's references from its recording: the best frontal face crops (PNG
 * files, cut from the source frames at full resolution) and the mean face
 * embedding (L2-normalised MobileFaceNet 128-d), which the likeness check
 * matches faces against.
 *
 * Frames are analysed at 5 per second. A frame counts when it holds exactly
 * one face; its embedding goes into the mean when the face is frontal
 * (|yaw| ≤ 20°). Crops are the most frontal frames with the eyes open (not
 * mid-blink), spread over the recording.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KlappeError } from '../common/errors.js';
import { runFfmpeg } from '../media/run.js';
import { analyseFaces, type AnalysedFace } from '../vision/face-analysis.js';
import { meanEmbedding } from '../vision/face-embed.js';
import { EMBEDDING_MODEL_ID } from '../vision/face-models.js';
import { median } from '../vision/liveness-measures.js';

export interface CameoReferenceOptions {
  /** How many crops to write (default 3), chosen frontal, eyes open and apart in time. */
  crops?: number;
  /** Side of the square PNG crops in pixels (default 256). */
  size?: number;
  signal?: AbortSignal;
}

export interface CameoReferenceCrop {
  /** PNG written in the output folder. */
  file: string;
  /** Time of the frame in the recording, ms from its start. */
  timeMs: number;
  yawDeg: number;
  /** Detection score of the face (0..1). */
  score: number;
}

export interface CameoReferences {
  crops: CameoReferenceCrop[];
  /** Mean of the per-frame embeddings, L2-normalised. */
  embedding: Float32Array;
  /** Id of the embedding model ('mobilefacenet-128d'); embeddings of different models never match. */
  embeddingModel: string;
  /** Frames whose faces went into the mean. */
  framesUsed: number;
}

interface Candidate {
  timeMs: number;
  face: AnalysedFace;
}

/** Derives references from `file` into `outDir` (created if missing). */
export async function deriveCameoReferences(file: string, outDir: string, options: CameoReferenceOptions = {}): Promise<CameoReferences> {
  const want = options.crops ?? 3;
  const size = options.size ?? 256;
  const analysis = await analyseFaces(file, { fps: 5, embed: true, signal: options.signal });
  const single: Candidate[] = analysis.frames.flatMap((f) => (f.faces.length === 1 ? [{ timeMs: f.timeMs, face: f.faces[0]! }] : []));
  const frontal = single.filter((c) => c.face.frontal && c.face.embedding);
  if (frontal.length === 0)
    throw new KlappeError({
      code: 'NO_FRONTAL_FACE',
      kind: 'input',
      message: `no frame of ${file} shows exactly one face looking at the camera`,
      file,
      hint: 'Record again facing the camera, alone in the picture, in good light.',
    });
  const embedding = meanEmbedding(frontal.map((c) => c.face.embedding!));
  const eyeLevel = median(frontal.map((c) => c.face.measures?.eyeOpen ?? 0));
  const ranked = frontal
    .filter((c) => (c.face.measures?.eyeOpen ?? eyeLevel) >= 0.85 * eyeLevel)
    .sort((a, b) => Math.abs(a.face.measures?.yawDeg ?? 0) - Math.abs(b.face.measures?.yawDeg ?? 0) || b.face.box.score - a.face.box.score);
  const gapMs = (analysis.durationSec * 1000) / (want + 1);
  const chosen: Candidate[] = [];
  for (const c of ranked) {
    if (chosen.length >= want) break;
    if (chosen.every((k) => Math.abs(k.timeMs - c.timeMs) >= gapMs / 2)) chosen.push(c);
  }
  for (const c of ranked) if (chosen.length < want && !chosen.includes(c)) chosen.push(c);
  chosen.sort((a, b) => a.timeMs - b.timeMs);
  mkdirSync(outDir, { recursive: true });
  const scale = analysis.sourceWidth / Math.max(1, analysis.width);
  const crops: CameoReferenceCrop[] = [];
  for (const [i, c] of chosen.entries()) {
    const out = join(outDir, `face-${i + 1}.png`);
    await writeCrop(file, c, scale, analysis.sourceWidth, analysis.sourceHeight, size, out, options.signal);
    crops.push({ file: out, timeMs: c.timeMs, yawDeg: c.face.measures?.yawDeg ?? 0, score: c.face.box.score });
  }
  return { crops, embedding, embeddingModel: EMBEDDING_MODEL_ID, framesUsed: frontal.length };
}

/** A square head crop (1.6× the face box) of the source frame at `c.timeMs`, scaled to `size`, as PNG. */
async function writeCrop(
  file: string,
  c: Candidate,
  scale: number,
  srcW: number,
  srcH: number,
  size: number,
  out: string,
  signal?: AbortSignal,
): Promise<void> {
  const b = c.face.box;
  const side = Math.min(srcW, srcH, Math.round(1.6 * Math.max(b.width, b.height) * scale));
  const cx = (b.x + b.width / 2) * scale;
  const cy = (b.y + b.height / 2) * scale;
  const x = Math.round(Math.min(Math.max(0, cx - side / 2), srcW - side));
  const y = Math.round(Math.min(Math.max(0, cy - side / 2), srcH - side));
  await runFfmpeg(
    [
      '-v',
      'error',
      '-y',
      '-ss',
      (c.timeMs / 1000).toFixed(3),
      '-i',
      file,
      '-frames:v',
      '1',
      '-vf',
      `crop=${side}:${side}:${x}:${y},scale=${size}:${size}:flags=lanczos`,
      out,
    ],
    { signal, what: `cutting a reference face from ${file}` },
  );
}
