/**
 * Likeness matching: faces sampled from a media file (a few frames per second)
 * are embedded (MobileFaceNet) and matched against the registered cameos'
 * embeddings by cosine similarity; faces that match none are reported as
 * unknown, grouped so that one unknown person seen in many frames is one entry.
 *
 * The threshold was chosen on measured genuine and impostor pairs (docs/faces.md):
 * only two identities (the two GRID speakers) under six picture conditions,
 * plus the model card's numbers; treat it as a starting point, not a
 * validated operating point. The model was trained on a set derived from
 * MS-Celeb-1M (withdrawn, research terms), which under-represents many groups.
 */
import { analyseFaces, analyseFrame } from '../vision/face-analysis.js';
import { cosineSimilarity } from '../vision/face-embed.js';
import type { RgbFrame } from '../vision/frames.js';

export interface RegisteredLikeness {
  id: string;
  name: string;
  /** L2-normalised 128-d MobileFaceNet embedding (see deriveCameoReferences). */
  embedding: Float32Array;
}

export interface LikenessOptions {
  /** Frames sampled per second (default 2). */
  fps?: number;
  /** Cosine similarity at or above which a face matches a cameo (default LIKENESS_THRESHOLD). */
  threshold?: number;
  signal?: AbortSignal;
}

export interface LikenessMatch {
  id: string;
  name: string;
  /** Best cosine similarity over the frames where this cameo was found. */
  similarity: number;
  /** Times (ms) of the frames where this cameo's face was found. */
  timesMs: number[];
}

export interface UnknownFace {
  /** Time (ms) of the first frame of this face. */
  timeMs: number;
  /** Box in the frame where it was first seen, in source pixels. */
  box: { x: number; y: number; width: number; height: number };
  /** Best similarity to any registered cameo (below the threshold). */
  bestSimilarity: number;
  /** Frames where this unknown person was seen. */
  frames: number;
}

export interface LikenessReport {
  matches: LikenessMatch[];
  unknown: UnknownFace[];
  threshold: number;
  framesSampled: number;
  facesFound: number;
  elapsedMs: number;
}

/** A sampled frame handed in by the caller (e.g. frames already decoded for moderation). */
export interface SampledFrame {
  timeMs: number;
  image: RgbFrame;
}

/**
 * Cosine similarity at or above which two faces are taken as the same person.
 * Measured (docs/faces.md): no impostor pair reached 0.35; genuine pairs under 0.45 only on faces under ~40 px.
 */
export const LIKENESS_THRESHOLD = 0.45;

/** The best registered match of one embedding, and whether it passes the threshold. Pure. */
export function bestMatch(
  embedding: Float32Array,
  registered: readonly RegisteredLikeness[],
  threshold = LIKENESS_THRESHOLD,
): { match?: RegisteredLikeness; similarity: number } {
  let similarity = -1;
  let best: RegisteredLikeness | undefined;
  for (const r of registered) {
    const s = cosineSimilarity(embedding, r.embedding);
    if (s > similarity) {
      similarity = s;
      best = r;
    }
  }
  return similarity >= threshold && best ? { match: best, similarity } : { similarity };
}

interface Seen {
  timeMs: number;
  box: { x: number; y: number; width: number; height: number };
  embedding: Float32Array;
}

/** Matches the faces of frames the caller sampled. Boxes are reported in the frames' pixels. */
export async function matchLikenessInFrames(
  frames: readonly SampledFrame[],
  registered: readonly RegisteredLikeness[],
  options: Omit<LikenessOptions, 'fps'> = {},
): Promise<LikenessReport> {
  const t0 = performance.now();
  const seen: Seen[] = [];
  for (const f of frames) {
    for (const face of await analyseFrame(f.image, { mesh: false, embed: true })) {
      const { x, y, width, height } = face.box;
      seen.push({ timeMs: f.timeMs, box: { x, y, width, height }, embedding: face.embedding! });
    }
  }
  return {
    ...report(seen, registered, options.threshold ?? LIKENESS_THRESHOLD),
    framesSampled: frames.length,
    elapsedMs: Math.round(performance.now() - t0),
  };
}

/** Samples `file` at `fps`, embeds every face and matches it against `registered`. */
export async function matchLikeness(
  file: string,
  registered: readonly RegisteredLikeness[],
  options: LikenessOptions = {},
): Promise<LikenessReport> {
  const t0 = performance.now();
  const analysis = await analyseFaces(file, { fps: options.fps ?? 2, mesh: false, embed: true, signal: options.signal });
  const k = analysis.sourceWidth / Math.max(1, analysis.width);
  const seen: Seen[] = analysis.frames.flatMap((f) =>
    f.faces.map((face) => ({
      timeMs: f.timeMs,
      box: {
        x: Math.round(face.box.x * k),
        y: Math.round(face.box.y * k),
        width: Math.round(face.box.width * k),
        height: Math.round(face.box.height * k),
      },
      embedding: face.embedding!,
    })),
  );
  return {
    ...report(seen, registered, options.threshold ?? LIKENESS_THRESHOLD),
    framesSampled: analysis.frames.length,
    elapsedMs: Math.round(performance.now() - t0),
  };
}

function report(
  seen: readonly Seen[],
  registered: readonly RegisteredLikeness[],
  threshold: number,
): Omit<LikenessReport, 'framesSampled' | 'elapsedMs'> {
  const matches = new Map<string, LikenessMatch>();
  const unknown: Array<UnknownFace & { members: Float32Array[] }> = [];
  for (const s of seen) {
    const { match, similarity } = bestMatch(s.embedding, registered, threshold);
    if (match) {
      const m = matches.get(match.id) ?? { id: match.id, name: match.name, similarity, timesMs: [] };
      m.similarity = Math.max(m.similarity, similarity);
      if (!m.timesMs.includes(s.timeMs)) m.timesMs.push(s.timeMs);
      matches.set(match.id, m);
      continue;
    }
    // the same unknown person across frames: similar to a face already in the group
    const group = unknown.find((u) => u.members.some((e) => cosineSimilarity(e, s.embedding) >= threshold));
    if (group) {
      group.frames++;
      group.bestSimilarity = Math.max(group.bestSimilarity, similarity);
      if (group.members.length < 8) group.members.push(s.embedding);
    } else unknown.push({ timeMs: s.timeMs, box: s.box, bestSimilarity: Math.max(0, similarity), frames: 1, members: [s.embedding] });
  }
  return {
    matches: [...matches.values()].sort((a, b) => b.similarity - a.similarity),
    unknown: unknown.map(({ members: _members, ...u }) => u),
    threshold,
    facesFound: seen.length,
  };
}
