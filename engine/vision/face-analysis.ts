/**
 * Face analysis of a video, frame by frame: where the faces are (YuNet), and
 * for each face optionally its mesh measures (mouth and eye openness, yaw;
 * MediaPipe face mesh) and its embedding (MobileFaceNet). Frames are decoded
 * by ffmpeg at a few frames per second and a small size; each frame also
 * keeps a grey thumbnail for motion measures (stills, freezes, loops).
 */
import { cancelledError } from '../common/errors.js';
import { detectFaces, type DetectOptions, type FaceBox } from './face-detect.js';
import { embedFace } from './face-embed.js';
import { faceMesh, faceMeasures, type FaceMeasures } from './face-mesh.js';
import { streamFrames, type RgbFrame } from './frames.js';
import { greyThumbnail } from './image.js';

export interface AnalysedFace {
  box: FaceBox;
  /** Present when `mesh` was asked for (the largest face only unless `meshAll`). */
  measures?: FaceMeasures;
  /** MediaPipe's probability that the mesh crop holds a face. */
  meshScore?: number;
  /** Present when `embed` was asked for. */
  embedding?: Float32Array;
  /** Frontal when |yaw| ≤ 20° (mesh) or, without a mesh, by the keypoints. */
  frontal: boolean;
}

export interface AnalysedFrame {
  /** Time of the frame from the start of the video, ms (integer). */
  timeMs: number;
  faces: AnalysedFace[];
  /** 32×24 grey thumbnail of the whole frame. */
  thumb: Uint8Array;
}

export interface FaceAnalysis {
  fps: number;
  durationSec: number;
  /** Size of the analysed frames and of the source (boxes are in analysed-frame pixels). */
  width: number;
  height: number;
  sourceWidth: number;
  sourceHeight: number;
  frames: AnalysedFrame[];
  /** Wall time of decoding and of the models, ms. */
  decodeMs: number;
  modelMs: number;
}

export interface AnalyseOptions extends DetectOptions {
  /** Frames per second to analyse (default 5, at most the source's). */
  fps?: number;
  /** Largest analysed width (default 480). */
  maxWidth?: number;
  /** Run the face mesh (mouth, eyes, yaw). Default true. */
  mesh?: boolean;
  /** Mesh every face, not only the largest. Default false. */
  meshAll?: boolean;
  /** Embed every face. Default false. */
  embed?: boolean;
  /** Called with each analysed frame and its decoded pixels (e.g. to keep crops). */
  onFrame?: (frame: AnalysedFrame, pixels: RgbFrame, index: number) => void;
  signal?: AbortSignal;
}

export const THUMB_COLS = 32;
export const THUMB_ROWS = 24;

/** Frontal from the five keypoints alone: the nose sits near the middle of the eyes. */
export function frontalFromKeypoints(box: FaceBox): boolean {
  const [re, le, nose] = box.keypoints;
  const span = le.x - re.x;
  if (span <= 0) return false;
  const r = (nose.x - re.x) / span;
  return r > 0.3 && r < 0.7;
}

/** The faces of one decoded frame, with the mesh and embedding `opts` ask for. */
export async function analyseFrame(
  pixels: RgbFrame,
  opts: Pick<AnalyseOptions, 'mesh' | 'meshAll' | 'embed' | keyof DetectOptions> = {},
): Promise<AnalysedFace[]> {
  const boxes = await detectFaces(pixels, opts);
  const largest = boxes.reduce<FaceBox | undefined>(
    (best, b) => (!best || b.width * b.height > best.width * best.height ? b : best),
    undefined,
  );
  const faces: AnalysedFace[] = [];
  for (const box of boxes) {
    const face: AnalysedFace = { box, frontal: frontalFromKeypoints(box) };
    if (opts.mesh !== false && (opts.meshAll || box === largest)) {
      const mesh = await faceMesh(pixels, box);
      face.measures = faceMeasures(mesh);
      face.meshScore = mesh.faceScore;
      face.frontal = Math.abs(face.measures.yawDeg) <= 20;
    }
    if (opts.embed) face.embedding = await embedFace(pixels, box);
    faces.push(face);
  }
  return faces;
}

export async function analyseFaces(file: string, opts: AnalyseOptions = {}): Promise<FaceAnalysis> {
  const t0 = performance.now();
  let modelMs = 0;
  const frames: AnalysedFrame[] = [];
  const info = await streamFrames(file, { fps: opts.fps, maxWidth: opts.maxWidth, signal: opts.signal }, async (pixels, index, facts) => {
    if (opts.signal?.aborted) throw cancelledError(`face analysis of ${file}`);
    const t = performance.now();
    const faces = await analyseFrame(pixels, opts);
    modelMs += performance.now() - t;
    const frame: AnalysedFrame = {
      timeMs: Math.round((index * 1000) / facts.fps),
      faces,
      thumb: greyThumbnail(pixels, THUMB_COLS, THUMB_ROWS),
    };
    frames.push(frame);
    opts.onFrame?.(frame, pixels, index);
  });
  return {
    fps: info.fps,
    durationSec: info.durationSec,
    width: info.width,
    height: info.height,
    sourceWidth: info.sourceWidth,
    sourceHeight: info.sourceHeight,
    frames,
    decodeMs: performance.now() - t0 - modelMs,
    modelMs,
  };
}
